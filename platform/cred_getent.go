//go:build unix && !darwin

package platform

import "os/exec"

// getentPath is getent(1), which Linux (glibc and musl), the BSDs and Solaris all install
// here. A fixed path, not a PATH search: chpst often runs as root with the caller's
// environment. Tests point it elsewhere.
var getentPath = "/usr/bin/getent"

// lookupUserDB asks the system's configured sources (NSS: systemd, LDAP, ...) for a user
// missing from /etc/passwd.
func lookupUserDB(name string) (uid, gid int, ok bool) {
	return userFields(getent("passwd", name))
}

// lookupGroupDB asks the system's configured sources for a group missing from /etc/group.
func lookupGroupDB(name string) (gid int, ok bool) {
	return groupFields(getent("group", name))
}

// getent returns the fields of name's entry in the database, or nil: no getent, no such
// entry (exit 2), any other failure.
func getent(db, name string) []string {
	out, err := exec.Command(getentPath, db, name).Output()
	if err != nil {
		return nil
	}
	return getentEntry(out, name)
}
