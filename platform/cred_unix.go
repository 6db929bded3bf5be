//go:build unix

package platform

import (
	"bufio"
	"os"
	"strconv"
	"strings"
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
// master.passwd; Solaris keeps passwords in /etc/shadow). We read them directly because
// os/user without cgo does the same, and reading them ourselves keeps the exact C-runit
// rules (first match wins, no NSS). On macOS see UserDBNote.
var (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// LookupUser returns the uid and primary gid of the account name from /etc/passwd.
func LookupUser(name string) (uid, gid int, ok bool) {
	f := findEntry(passwdFile, name, 7)
	if f == nil {
		return 0, 0, false
	}
	u, err1 := strconv.ParseUint(f[2], 10, 31)
	g, err2 := strconv.ParseUint(f[3], 10, 31)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return int(u), int(g), true
}

// LookupGroup returns the gid of the group name from /etc/group.
func LookupGroup(name string) (gid int, ok bool) {
	f := findEntry(groupFile, name, 4)
	if f == nil {
		return 0, false
	}
	g, err := strconv.ParseUint(f[2], 10, 31)
	if err != nil {
		return 0, false
	}
	return int(g), true
}

// findEntry returns the fields of the first line of the colon-separated file whose first
// field is name and that has at least n fields. NIS compat lines (+, -) and comments
// never match: they are not accounts.
func findEntry(path, name string, n int) []string {
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "#") {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+":") {
			continue
		}
		fields := strings.Split(line, ":")
		if len(fields) >= n {
			return fields
		}
	}
	return nil
}
