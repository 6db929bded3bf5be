//go:build unix && !darwin

package platform

import (
	"bytes"
	"os/exec"
)

// getentPath is getent(1), which Linux (glibc and musl), the BSDs and Solaris all install
// here. A fixed path, not a PATH search: chpst often runs as root with the caller's
// environment. Tests point it elsewhere.
var getentPath = "/usr/bin/getent"

// lookupUserDB asks the system's configured sources (NSS: systemd, LDAP, ...) for a user
// missing from /etc/passwd.
func lookupUserDB(name string) (uid, gid int, ok bool) {
	return userFields(getent("passwd", name, 7))
}

// lookupGroupDB asks the system's configured sources for a group missing from /etc/group.
func lookupGroupDB(name string) (gid int, ok bool) {
	return groupFields(getent("group", name, 4))
}

// getent returns the fields of name's entry in the database (at least n of them), or nil:
// no getent, no such entry (exit 2), any other failure. getent answers a number with the
// entry of that id, which is not what a lookup by name wants: entryIn checks the name.
func getent(db, name string, n int) []string {
	out, err := exec.Command(getentPath, db, name).Output()
	if err != nil {
		return nil
	}
	return entryIn(bytes.NewReader(out), name, n)
}
