// Package initctl is how other programs talk to runit as process 1: runit-init's
// stopit/reboot protocol, and the SysV-style halt, poweroff, reboot, shutdown and pause
// that a Linux user expects after replacing init (as Void Linux ships them).
package initctl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/runlevel"
	"github.com/runit-go/runit/core/utmp"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// Paths names the files of the protocol. Upstream runit 2.3 keeps them in /etc/runit;
// Debian moves stopit and reboot to /run/runit.stopit and /run/runit.reboot.
type Paths struct {
	StopIt string // created u+x: "shut down on SIGCONT"
	Reboot string // u+x: "reboot rather than halt at the end"
	Runit  string // what runit-init execs when it is process 1
}

// DefaultPaths are upstream runit 2.3's.
func DefaultPaths() Paths {
	return Paths{StopIt: "/etc/runit/stopit", Reboot: "/etc/runit/reboot", Runit: "/sbin/runit"}
}

// Controller carries out a shutdown request. Real is the one that acts; DryRun only
// says what it would do, for tests and for trying the commands on a live machine.
type Controller interface {
	// Ask asks runit (process 1) to halt (reboot false) or reboot, through the
	// stopit/reboot files and SIGCONT to process 1.
	Ask(reboot bool) error
	// Force ends the machine's run at once, without runit, syncing first if sync.
	Force(how platform.Shutdown, sync bool) error
	// Record appends the shutdown record to the wtmp file, for last(1).
	Record() error
	// RecordBoot appends the boot record to the wtmp file (halt -B, from stage 1).
	RecordBoot() error
	// Single switches runsvdir to the single-user runlevel (runsvchdir single): what
	// shutdown does with neither -r nor -h.
	Single() error
}

// Real is the Controller that writes the files, signals process 1 and really halts.
type Real struct {
	Paths  Paths
	Halter platform.Halter
	// Wtmp is where Record writes (utmp.SystemFiles()).
	Wtmp utmp.Files
	// Kill sends sig to process 1 (unix.Kill in real life).
	Kill func(pid int, sig syscall.Signal) error
	// Getenv is runsvchdir's environment ($RUNSVDIR); os.Getenv when nil.
	Getenv func(string) string
}

// NewReal returns the Controller for this machine.
func NewReal() *Real {
	return &Real{Paths: DefaultPaths(), Halter: platform.System, Wtmp: utmp.SystemFiles(), Kill: unix.Kill, Getenv: os.Getenv}
}

// Single makes the single-user runlevel current as runsvchdir does; runsvdir, watching
// the current runlevel through /etc/service, then stops the services of the old one and
// starts those of the new one within its five-second rescan.
func (c *Real) Single() error {
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var errb bytes.Buffer
	if runlevel.Runsvchdir([]string{"runsvchdir", "single"}, getenv, io.Discard, &errb) != 0 {
		return fmt.Errorf("runsvchdir single: %s", strings.TrimPrefix(strings.TrimSpace(errb.String()), "runsvchdir: fatal: "))
	}
	return nil
}

// Record appends the shutdown record to the system's wtmp file.
func (c *Real) Record() error { return writeWtmp(c.Wtmp, ShutdownRecord(c.Wtmp.Layout, time.Now())) }

// RecordBoot appends the boot record to the system's wtmp file.
func (c *Real) RecordBoot() error { return writeWtmp(c.Wtmp, BootRecord(c.Wtmp.Layout, time.Now())) }

// Ask implements runit-init 0 and 6: create stopit with mode 0100; for a reboot create
// reboot with mode 0100 too, for a halt take reboot's x bit away (a missing file is fine);
// then SIGCONT to process 1. Errors read "unable to create FILE: <djb text>".
func (c *Real) Ask(reboot bool) error {
	if err := touchExec(c.Paths.StopIt); err != nil {
		return err
	}
	if reboot {
		if err := touchExec(c.Paths.Reboot); err != nil {
			return err
		}
	} else if err := os.Chmod(c.Paths.Reboot, 0); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("unable to chmod %s: %s", c.Paths.Reboot, errstr.Text(err))
	}
	if err := c.Kill(1, unix.SIGCONT); err != nil {
		return fmt.Errorf("unable to signal init: %s", errstr.Text(err))
	}
	return nil
}

func touchExec(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o100)
	if err != nil {
		return fmt.Errorf("unable to create %s: %s", path, errstr.Text(err))
	}
	f.Close()
	if err := os.Chmod(path, 0o100); err != nil {
		return fmt.Errorf("unable to chmod %s: %s", path, errstr.Text(err))
	}
	return nil
}

// Force syncs (unless told not to) and calls the system's halt, power-off or reboot.
func (c *Real) Force(how platform.Shutdown, sync bool) error {
	if sync {
		platform.Sync()
	}
	if err := c.Halter.Shutdown(how); err != nil {
		return fmt.Errorf("unable to %s: %s", how, errstr.Text(err))
	}
	return nil
}

// DryRun is the Controller that only prints, one line per action, what Real would do.
type DryRun struct {
	Out   io.Writer
	Paths Paths
}

// Ask prints the protocol steps.
func (d *DryRun) Ask(reboot bool) error {
	if reboot {
		fmt.Fprintf(d.Out, "dry-run: create %s 0100, create %s 0100, SIGCONT to 1\n", d.Paths.StopIt, d.Paths.Reboot)
	} else {
		fmt.Fprintf(d.Out, "dry-run: create %s 0100, chmod %s 0, SIGCONT to 1\n", d.Paths.StopIt, d.Paths.Reboot)
	}
	return nil
}

// Record prints where the shutdown record would go.
func (d *DryRun) Record() error {
	fmt.Fprintln(d.Out, "dry-run: shutdown record to wtmp")
	return nil
}

// RecordBoot prints where the boot record would go.
func (d *DryRun) RecordBoot() error {
	fmt.Fprintln(d.Out, "dry-run: boot record to wtmp")
	return nil
}

// Single prints the runlevel switch.
func (d *DryRun) Single() error {
	fmt.Fprintln(d.Out, "dry-run: runsvchdir single")
	return nil
}

// Force prints the system call it would make.
func (d *DryRun) Force(how platform.Shutdown, sync bool) error {
	if sync {
		fmt.Fprintf(d.Out, "dry-run: sync, %s\n", how)
	} else {
		fmt.Fprintf(d.Out, "dry-run: %s\n", how)
	}
	return nil
}

// RunitInit is the runit-init command. As process 1 it replaces itself with runit
// (argv[0] "runit"); otherwise "0" asks for a halt and "6" for a reboot. Anything else
// prints the usage and, like C runit-init, exits 0.
func RunitInit(args []string, ctl Controller, stderr io.Writer, paths Paths, env []string) int {
	argv0 := "runit-init"
	if len(args) > 0 {
		argv0 = args[0]
	}
	if os.Getpid() == 1 {
		err := syscall.Exec(paths.Runit, []string{"runit"}, env)
		fmt.Fprintf(stderr, "init: fatal: unable to start runit: %s\n", errstr.Text(err))
		return 111
	}
	usage := func() int {
		fmt.Fprintf(stderr, "usage: %s 0|6\n\n", argv0)
		return 0
	}
	if len(args) < 2 || args[1] == "" {
		return usage()
	}
	switch args[1][0] {
	case '0', '6':
		if err := ctl.Ask(args[1][0] == '6'); err != nil {
			fmt.Fprintf(stderr, "init: fatal: %v\n", err)
			return 111
		}
		return 0
	case '-':
		if args[1] == "-V" {
			fmt.Fprintf(stderr, "$Id: f075d98bf7dd17c893021f9572cbb970cdad8dcf $\n\n")
		}
	}
	return usage()
}
