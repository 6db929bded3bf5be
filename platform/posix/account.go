//go:build unix

package posix

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Reading account entries: the colon-separated lines of /etc/passwd and /etc/group, which
// getent(1) prints too. Package platform reads the files with these, the getent lookup
// below and macOS's dscl lookup (platform/darwin) the ids of what they find.

// ParseID parses a uid or gid field: 32 bits, like uid_t and gid_t. A negative value (macOS
// writes nobody as -2) is taken modulo 2^32, as the C library does.
func ParseID(s string) (int, bool) {
	if v, err := strconv.ParseUint(s, 10, 32); err == nil {
		return int(v), true
	}
	if v, err := strconv.ParseInt(s, 10, 32); err == nil && v < 0 {
		return int(v + 1<<32), true
	}
	return 0, false
}

// UserFields returns the uid and gid of a passwd line's fields (name:pw:uid:gid:...).
func UserFields(f []string) (uid, gid int, ok bool) {
	if len(f) < 7 {
		return 0, 0, false
	}
	u, ok1 := ParseID(f[2])
	g, ok2 := ParseID(f[3])
	return u, g, ok1 && ok2
}

// GroupFields returns the gid of a group line's fields (name:pw:gid:members).
func GroupFields(f []string) (gid int, ok bool) {
	if len(f) < 4 {
		return 0, false
	}
	return ParseID(f[2])
}

// EntryIn returns the fields of the first line of colon-separated r (an account file,
// getent's output) whose first field is name and that has at least n fields.
func EntryIn(r io.Reader, name string, n int) []string {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, name+":") {
			if f := strings.Split(line, ":"); len(f) >= n {
				return f
			}
		}
	}
	return nil
}
