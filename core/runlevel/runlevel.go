// Package runlevel is runsvchdir: it switches runsvdir's `current` symlink to another
// directory of services, keeping the old target as `previous`.
package runlevel

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/runit-go/runit/core/errstr"
	"golang.org/x/sys/unix"
)

// DefaultBase is where the runlevel directories live unless $RUNSVDIR says otherwise
// (runit 2.3 honours $RUNSVDIR; 2.1.2 did not).
const DefaultBase = "/etc/runit/runsvdir"

// Runsvchdir is the runsvchdir program; it returns the exit code. Its messages are C
// runsvchdir's byte for byte, its missing separator in `NAMEnot a directory.` included,
// since scripts compare them.
func Runsvchdir(args []string, env func(string) string, stdout, stderr io.Writer) int {
	prog := "runsvchdir"
	if len(args) > 0 {
		prog = args[0]
	}
	if len(args) < 2 {
		fmt.Fprintf(stderr, "usage: %s dir\n\n", prog)
		return 1
	}
	dir := args[1] // further arguments are ignored, as by C runsvchdir
	fatal := func(msg string, err error) int {
		if err != nil {
			msg += ": " + errstr.Text(err)
		}
		fmt.Fprintf(stderr, "%s: fatal: %s\n", prog, msg)
		return 111
	}
	if strings.HasPrefix(dir, ".") {
		return fatal(dir+": must not start with a dot.", nil)
	}
	base := env("RUNSVDIR")
	if base == "" {
		base = DefaultBase
	}
	if err := os.Chdir(base); err != nil {
		return fatal("unable to chdir: "+base, err)
	}
	var st, cur unix.Stat_t
	if err := unix.Stat(dir, &st); err == unix.ENOENT {
		return fatal(dir, err)
	} else if err != nil {
		return fatal("unable to stat: "+dir, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return fatal(dir+"not a directory.", nil)
	}
	if err := unix.Stat("current", &cur); err != nil {
		return fatal("unable to stat: current", err)
	}
	if cur.Dev == st.Dev && cur.Ino == st.Ino {
		fmt.Fprintf(stdout, "runsvchdir: %s: current.\n", dir)
		return 0
	}
	if err := unix.Unlink("current.new"); err != nil && err != unix.ENOENT {
		return fatal("unable to unlink: current.new", err)
	}
	if err := unix.Symlink(dir, "current.new"); err != nil {
		return fatal("unable to create: current.new -> "+dir, err)
	}
	if err := unix.Unlink("previous"); err != nil && err != unix.ENOENT {
		return fatal("unable to unlink: previous", err)
	}
	if err := unix.Rename("current", "previous"); err != nil {
		return fatal("unable to copy: current to previous", err)
	}
	if err := unix.Rename("current.new", "current"); err != nil {
		fmt.Fprintf(stderr, "%s: fatal: unable to move: current.new to current: %s\n", prog, errstr.Text(err))
		if err := unix.Rename("previous", "current"); err != nil {
			return fatal("unable to move previous back to current", err)
		}
		return 111
	}
	fmt.Fprintf(stdout, "runsvchdir: %s: now current.\n", dir)
	return 0
}
