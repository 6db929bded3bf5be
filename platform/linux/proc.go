//go:build linux

package linux

import (
	"bytes"
	"errors"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform/posix"
)

// procStat reads the state and the parent of process pid from /proc/<pid>/stat; a zombie
// still has a parent. A process that does not exist is posix.ErrGone.
func procStat(pid string) (state byte, ppid int, err error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, unix.ESRCH) {
			return 0, 0, posix.ErrGone
		}
		return 0, 0, err
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the
	// last ')'.
	i := bytes.LastIndexByte(b, ')')
	var f [][]byte
	if i >= 0 {
		f = bytes.Fields(b[i+1:])
	}
	if len(f) < 2 || len(f[0]) == 0 {
		return 0, 0, errors.New("/proc/" + pid + "/stat: unexpected format")
	}
	ppid, err = strconv.Atoi(string(f[1]))
	return f[0][0], ppid, err
}

// ParentOf returns the parent of process pid, from /proc.
func ParentOf(pid int) (int, error) {
	_, ppid, err := procStat(strconv.Itoa(pid))
	return ppid, err
}

// ProcessUid returns the real uid of a running process (the uid a datagram's credentials
// carry).
func ProcessUid(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(l, []byte("Uid:")); ok {
			if f := bytes.Fields(v); len(f) > 0 {
				return strconv.Atoi(string(f[0]))
			}
		}
	}
	return 0, errors.New("/proc/" + strconv.Itoa(pid) + "/status: no Uid")
}
