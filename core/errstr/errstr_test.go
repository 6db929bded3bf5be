package errstr

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

func TestText(t *testing.T) {
	_, statErr := os.Stat("/nonexistent/runit-go")
	cases := []struct {
		err  error
		want string
	}{
		{syscall.ENOENT, "file does not exist"},
		{syscall.EAGAIN, "temporary failure"},
		{statErr, "file does not exist"},
		{fmt.Errorf("wrapped: %w", syscall.EACCES), "access denied"},
		{fmt.Errorf("plain"), "plain"},
		{nil, ""},
	}
	for _, c := range cases {
		if got := Text(c.err); got != c.want {
			t.Errorf("Text(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
