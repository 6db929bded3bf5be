//go:build unix

package platform

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNotifySocketFile: without the abstract-socket hooks (every system but Linux) the
// socket is notify.sock in the service directory, open to every user, and its datagrams
// arrive with an unknown sender.
func TestNotifySocketFile(t *testing.T) {
	o := sys
	o.NotifyAddr, o.NotifyCreds, o.NotifyRecv = nil, nil, nil
	useOS(t, o)
	dir := t.TempDir()
	f, env, err := NotifySocket(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	path := filepath.Join(dir, "notify.sock")
	if env != path {
		t.Errorf("NOTIFY_SOCKET = %q, want %q", env, path)
	}
	if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeSocket == 0 || st.Mode().Perm() != 0o666 {
		t.Fatalf("%s: %v %v, want a socket of mode 0666", path, st, err)
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Sendto(fd, []byte("READY=1"), 0, &unix.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, from, err := NotifyRead(f, buf)
	if err != nil || string(buf[:n]) != "READY=1" || from.Known {
		t.Errorf("NotifyRead = %q %+v %v, want READY=1 from an unknown sender", buf[:n], from, err)
	}
}

// TestChildAncestor follows the ParentOf hook up to one of our children; without the
// hook the answer is errors.ErrUnsupported, and a gone process is ErrGone.
func TestChildAncestor(t *testing.T) {
	self := os.Getpid()
	parents := map[int]int{30: 20, 20: 10, 10: self, 40: 1}
	o := sys
	o.ParentOf = func(pid int) (int, error) {
		if p, ok := parents[pid]; ok {
			return p, nil
		}
		return 0, ErrGone
	}
	useOS(t, o)
	for _, c := range []struct {
		pid, want int
		err       error
	}{{30, 10, nil}, {10, 10, nil}, {40, 0, nil}, {50, 0, ErrGone}} {
		if got, err := ChildAncestor(c.pid); got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ChildAncestor(%d) = %d %v, want %d %v", c.pid, got, err, c.want, c.err)
		}
	}
	o.ParentOf = nil
	useOS(t, o)
	if _, err := ChildAncestor(30); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("ChildAncestor without the hook: %v", err)
	}
}
