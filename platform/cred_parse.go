package platform

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
)

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

// parseID parses a uid or gid field: 32 bits, like uid_t and gid_t. A negative value (macOS
// writes nobody as -2) is taken modulo 2^32, as the C library does.
func parseID(s string) (int, bool) {
	if v, err := strconv.ParseUint(s, 10, 32); err == nil {
		return int(v), true
	}
	if v, err := strconv.ParseInt(s, 10, 32); err == nil && v < 0 {
		return int(v + 1<<32), true
	}
	return 0, false
}

// userFields returns the uid and gid of a passwd line's fields (name:pw:uid:gid:...).
func userFields(f []string) (uid, gid int, ok bool) {
	if len(f) < 7 {
		return 0, 0, false
	}
	u, ok1 := parseID(f[2])
	g, ok2 := parseID(f[3])
	return u, g, ok1 && ok2
}

// groupFields returns the gid of a group line's fields (name:pw:gid:members).
func groupFields(f []string) (gid int, ok bool) {
	if len(f) < 4 {
		return 0, false
	}
	return parseID(f[2])
}

// entryIn returns the fields of the first line of colon-separated r (an account file,
// getent's output) whose first field is name and that has at least n fields.
func entryIn(r io.Reader, name string, n int) []string {
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

// dsclValues returns the attributes of `dscl -read` output: "Key: value" lines, or
// "Key:" followed by the value on an indented line (dscl's form for long values). Only the
// first value of each attribute is kept.
func dsclValues(out []byte) map[string]string {
	vals := map[string]string{}
	pending := ""
	for _, line := range bytes.Split(out, []byte("\n")) {
		l := string(line)
		if pending != "" && strings.HasPrefix(l, " ") {
			if f := strings.Fields(l); len(f) > 0 {
				vals[pending] = f[0]
			}
			pending = ""
			continue
		}
		pending = ""
		key, val, ok := strings.Cut(l, ":")
		if !ok || strings.HasPrefix(l, " ") {
			continue
		}
		if f := strings.Fields(val); len(f) > 0 {
			vals[key] = f[0]
		} else {
			pending = key
		}
	}
	return vals
}
