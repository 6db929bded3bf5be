package platform

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestConsoleForChildBlocks checks the two open files process 1 keeps apart: its own
// console descriptors are non-blocking, a child's is blocking, even though both are the
// same terminal (here a pseudo-terminal standing in for the console).
func TestConsoleForChildBlocks(t *testing.T) {
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	defer ptmx.Close()
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pseudo-terminal number: %v", err)
	}
	path := "/dev/pts/" + strconv.Itoa(n)

	fd, err := OpenConsoleForChild(path)
	if err != nil {
		t.Fatalf("OpenConsoleForChild(%s): %v", path, err)
	}
	defer unix.Close(fd)
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fl&unix.O_NONBLOCK != 0 {
		t.Errorf("the child's console is non-blocking (flags %#o): a busy console would make it lose lines", fl)
	}
	if fl&unix.O_ACCMODE != unix.O_WRONLY {
		t.Errorf("the child's console is not write-only (flags %#o)", fl)
	}
	fdfl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fdfl&unix.FD_CLOEXEC == 0 {
		t.Errorf("the child's console leaks into other children: no close-on-exec")
	}

	// Process 1's own stays non-blocking: opened apart, its flag is its own.
	save, err := unix.Dup(2)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = unix.Dup2(save, 2); unix.Close(save) }()
	if err := ConsoleStderr(path); err != nil {
		t.Fatalf("ConsoleStderr(%s): %v", path, err)
	}
	fl2, err := unix.FcntlInt(2, unix.F_GETFL, 0)
	_ = unix.Dup2(save, 2)
	if err != nil {
		t.Fatal(err)
	}
	if fl2&unix.O_NONBLOCK == 0 {
		t.Errorf("process 1's console is blocking (flags %#o): a stuck console would stop init", fl2)
	}
}
