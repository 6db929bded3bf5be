package errstr

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{syscall.ENOENT, "file does not exist"},
		{syscall.EACCES, "access denied"},
		{syscall.EPERM, "permission denied"},
		{syscall.EAGAIN, "temporary failure"},
		{syscall.EWOULDBLOCK, "temporary failure"},
		{&os.PathError{Op: "open", Path: "x", Err: syscall.EISDIR}, "is a directory"},
		{fmt.Errorf("wrapped: %w", syscall.ENOTDIR), "not a directory"},
		{os.ErrNotExist, "file does not exist"},
		{fmt.Errorf("plain"), "plain"},
	} {
		if got := Text(c.err); got != c.want {
			t.Errorf("Text(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
