//go:build linux || freebsd || netbsd

package posix

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRestoreNofile starts this test binary with a low soft RLIMIT_NOFILE: the child's Go
// runtime raises it at startup, and RestoreNofile must bring back the low value (which the
// raw execve would otherwise not do).
func TestRestoreNofile(t *testing.T) {
	if os.Getenv("PLATFORM_TEST_RESTORE_NOFILE") != "" {
		var before, after unix.Rlimit
		unix.Getrlimit(unix.RLIMIT_NOFILE, &before)
		RestoreNofile()
		unix.Getrlimit(unix.RLIMIT_NOFILE, &after)
		fmt.Printf("%d %d\n", before.Cur, after.Cur)
		os.Exit(0)
	}
	var orig unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &orig); err != nil {
		t.Fatal(err)
	}
	if orig.Max < 100 {
		t.Skipf("hard RLIMIT_NOFILE is %d: too low to tell a raised soft limit from a lowered one", orig.Max)
	}
	low := orig
	low.Cur = 64
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	defer unix.Setrlimit(unix.RLIMIT_NOFILE, &orig)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreNofile$")
	cmd.Env = append(os.Environ(), "PLATFORM_TEST_RESTORE_NOFILE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	var before, after uint64
	if _, err := fmt.Sscanf(string(out), "%d %d", &before, &after); err != nil {
		t.Fatalf("child said %q: %v", out, err)
	}
	if before == 64 {
		t.Errorf("the Go runtime did not raise the soft limit (%d): the test proves nothing", before)
	}
	if after != 64 {
		t.Errorf("after RestoreNofile the soft limit is %d, want 64 (raised by Go to %d)", after, before)
	}
}
