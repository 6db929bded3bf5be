//go:build unix

package platform

import (
	"os"
	"syscall"
)

// Setgroups sets the supplementary group list. It uses package syscall, not x/sys/unix:
// on Linux the credentials are per thread in the kernel, and only syscall's versions
// apply the change to every thread of the Go process (so the exec'd program gets it
// whichever thread execs).
func Setgroups(gids []int) error { return syscall.Setgroups(gids) }

// Setgid sets the real, effective and saved group ID (all threads, see Setgroups).
func Setgid(gid int) error { return syscall.Setgid(gid) }

// Setuid sets the real, effective and saved user ID (all threads, see Setgroups).
func Setuid(uid int) error { return syscall.Setuid(uid) }

// The account files. Every supported system keeps a readable /etc/passwd and /etc/group
// in the classic seven- and four-field formats (the BSDs generate /etc/passwd from
// master.passwd; Solaris keeps passwords in /etc/shadow). We read them directly, first
// match winning, as the C library's "files" source does; only a name they lack costs a
// fork, of the system's own lookup tool (lookupUserDB, lookupGroupDB), which goes through
// whatever else the system is configured with (NSS modules, Directory Services), as C
// runit's getpwnam and getgrnam do.
var (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// LookupUser returns the uid and primary gid of the account name.
func LookupUser(name string) (uid, gid int, ok bool) {
	if !accountName(name) {
		return 0, 0, false
	}
	if uid, gid, ok := userFields(findEntry(passwdFile, name, 7)); ok {
		return uid, gid, true
	}
	return lookupUserDB(name)
}

// LookupGroup returns the gid of the group name.
func LookupGroup(name string) (gid int, ok bool) {
	if !accountName(name) {
		return 0, false
	}
	if gid, ok := groupFields(findEntry(groupFile, name, 4)); ok {
		return gid, true
	}
	return lookupGroupDB(name)
}

// findEntry returns the fields of the first line of the colon-separated file whose first
// field is name and that has at least n fields.
func findEntry(path, name string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return entryIn(f, name, n)
}
