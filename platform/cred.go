//go:build unix

package platform

import (
	"os"
	"strings"
	"syscall"

	"github.com/runit-go/runit/platform/posix"
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

// Nice adds inc to the process's nice value like nice(3), clamped to -20..19. On Linux the
// nice value is per thread, so the caller must hold its OS thread (runtime.LockOSThread)
// until it execs.
func Nice(inc int) error { return sys.Nice(inc) }

// The account files. Every supported system keeps a readable /etc/passwd and /etc/group
// in the classic seven- and four-field formats (the BSDs generate /etc/passwd from
// master.passwd; Solaris keeps passwords in /etc/shadow). We read them directly, first
// match winning, as the C library's "files" source does; only a name they lack costs a
// fork, of the system's own lookup tool (the LookupUser and LookupGroup hooks: getent, or
// dscl on macOS), which goes through whatever else the system is configured with (NSS
// modules, Directory Services), as C runit's getpwnam and getgrnam do.
var (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// LookupUser returns the uid and primary gid of the account name.
func LookupUser(name string) (uid, gid int, ok bool) {
	if !accountName(name) {
		return 0, 0, false
	}
	if uid, gid, ok := posix.UserFields(findEntry(passwdFile, name, 7)); ok {
		return uid, gid, true
	}
	return sys.LookupUser(name)
}

// LookupGroup returns the gid of the group name.
func LookupGroup(name string) (gid int, ok bool) {
	if !accountName(name) {
		return 0, false
	}
	if gid, ok := posix.GroupFields(findEntry(groupFile, name, 4)); ok {
		return gid, true
	}
	return sys.LookupGroup(name)
}

// AccountFileErr returns why /etc/passwd (group: /etc/group) cannot be opened, or nil.
// After a lookup that found nothing it tells a missing entry from a missing database (a
// chroot without account files), which C's getpwnam and getgrnam report through errno.
func AccountFileErr(group bool) error {
	path := passwdFile
	if group {
		path = groupFile
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// accountName reports whether name can be looked up at all: not empty, not a NIS compat
// or comment line (+ - #), and without the separators and control characters no account
// name holds (so it can go to getent or dscl as one safe argument).
func accountName(name string) bool {
	if name == "" || strings.ContainsAny(name[:1], "+-#") {
		return false
	}
	for _, c := range []byte(name) {
		if c < ' ' || c == 0x7f || c == ':' || c == '/' {
			return false
		}
	}
	return true
}

// findEntry returns the fields of the first line of the colon-separated file whose first
// field is name and that has at least n fields.
func findEntry(path, name string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return posix.EntryIn(f, name, n)
}
