package supervise

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/tune"
)

// Runsv is the runsv program: supervise the directory named by args[1] until told to
// exit. It returns the exit code: 0 when told to exit, 1 for usage, 111 for fatal errors.
func Runsv(args []string) int {
	if len(args) != 2 {
		prog := "runsv"
		if len(args) > 0 {
			prog = args[0] // as C's usage, which names argv[0]
		}
		fmt.Fprintf(os.Stderr, "usage: %s dir\n\n", prog)
		return 1
	}
	tune.Daemon()
	name := args[1]
	abs, err := filepath.Abs(name)
	if err == nil {
		err = os.Chdir(name)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "runsv %s: fatal: unable to change to directory: %s\n", name, errText(err))
		return 111
	}
	// Catch TERM before any child exists, so that none is ever orphaned by a default action.
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	s, err := Open(Config{Name: name, Dir: abs, Stderr: os.Stderr, WatchDir: time.Second,
		Stdin: 0, Stdout: 1, ErrFd: 2})
	if err != nil {
		fmt.Fprintf(os.Stderr, "runsv %s: fatal: %s\n", name, err)
		return 111
	}
	go func() {
		for range term {
			s.Exit()
		}
	}()
	s.Run()
	return 0
}
