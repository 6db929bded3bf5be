//go:build unix

package posix

import "bytes"

// getentPath is getent(1), which Linux (glibc and musl), the BSDs and Solaris all install
// here (macOS has none: platform/darwin asks dscl). A fixed path, not a PATH search: chpst
// often runs as root with the caller's environment. Tests point it elsewhere.
var getentPath = "/usr/bin/getent"

// GetentUser asks the system's configured sources (NSS: systemd, LDAP, ...) for a user,
// through getent: what platform.LookupUser does for a name /etc/passwd lacks.
func GetentUser(name string) (uid, gid int, ok bool) {
	return UserFields(getent("passwd", name, 7))
}

// GetentGroup asks the system's configured sources for a group /etc/group lacks.
func GetentGroup(name string) (gid int, ok bool) {
	return GroupFields(getent("group", name, 4))
}

// getent returns the fields of name's entry in the database (at least n of them), or nil:
// no getent, no such entry (exit 2), any other failure. getent answers a number with the
// entry of that id, which is not what a lookup by name wants: EntryIn checks the name.
func getent(db, name string, n int) []string {
	out, err := Output(getentPath, "getent", db, name)
	if err != nil {
		return nil
	}
	return EntryIn(bytes.NewReader(out), name, n)
}
