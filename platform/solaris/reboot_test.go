//go:build solaris

package solaris

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// The call reaches the kernel through libc, which refuses an unprivileged caller with EPERM.
func TestUadminReachesKernel(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("as root this would halt the machine: run as an unprivileged user")
	}
	if err := Halt(); !errors.Is(err, syscall.EPERM) {
		t.Fatalf("uadmin(A_SHUTDOWN, AD_HALT) as uid %d: %v, want EPERM", os.Geteuid(), err)
	}
}
