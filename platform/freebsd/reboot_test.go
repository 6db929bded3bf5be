//go:build freebsd || openbsd || netbsd

package freebsd

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// The call reaches the kernel, which refuses an unprivileged caller with EPERM. On
// OpenBSD a raw system call would get ENOSYS instead: the kernel takes them from libc only.
func TestRebootReachesKernel(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("as root this would halt the machine: run as an unprivileged user")
	}
	if err := Halt(); !errors.Is(err, syscall.EPERM) {
		t.Fatalf("reboot(RB_HALT) as uid %d: %v, want EPERM", os.Geteuid(), err)
	}
}
