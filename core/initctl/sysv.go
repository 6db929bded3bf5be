package initctl

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// DryRunFlag, anywhere among the options, makes halt, poweroff, reboot and shutdown print
// what they would do instead of doing it. It is spelled long so that it can never be taken
// for a SysV option.
const DryRunFlag = "--dry-run"

// dryRun removes DryRunFlag from args and reports whether it was there.
func dryRun(args []string) ([]string, bool) {
	out := args[:0:0]
	found := false
	for _, a := range args {
		if a == DryRunFlag {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// Halt is halt, poweroff and reboot, told apart by the base name of args[0]:
//
//	-f  force: no runit, sync (unless -n) and call the system at once
//	-n  do not sync before a forced halt or reboot
//	-w  only write the shutdown record to wtmp; do not halt
//	-d  do not write the shutdown record to wtmp
//	-B  only write the boot record to wtmp (for stage 1), as Void's halt does
//	-h, -i  accepted and ignored, as Void's halt does (sysvinit's disk standby and
//	    network interface shutdown, which runit's stage 3 leaves to the services)
//
// Without -f it asks runit (process 1) through the runit-init protocol: reboot as
// runit-init 6, halt and poweroff as runit-init 0 (runit powers off where it can).
func Halt(args []string, newCtl func(dry bool) Controller, stdout, stderr io.Writer) int {
	args, dry := dryRun(args)
	name := "halt"
	if len(args) > 0 {
		name = filepath.Base(args[0])
	}
	how := platform.Halt
	switch name {
	case "reboot":
		how = platform.Reboot
	case "poweroff":
		how = platform.PowerOff
	}
	var force, nosync, wtmpOnly, noWtmp, boot bool
	for _, a := range args[1:] {
		if len(a) < 2 || a[0] != '-' {
			return haltUsage(name, stderr)
		}
		for _, c := range a[1:] {
			switch c {
			case 'f':
				force = true
			case 'n':
				nosync = true
			case 'w':
				wtmpOnly = true
			case 'd':
				noWtmp = true
			case 'B':
				boot = true
			case 'h', 'i':
			default:
				fmt.Fprintf(stderr, "%s: illegal option -- %c\n", name, c)
				return haltUsage(name, stderr)
			}
		}
	}
	// As shutdown: a clear refusal before any partial work (a wtmp record, a sync).
	if !dry && os.Geteuid() != 0 {
		fmt.Fprintf(stderr, "%s: fatal: %s\n", name, notRoot)
		return 111
	}
	ctl := newCtl(dry)
	if boot {
		if err := ctl.RecordBoot(); err != nil {
			fmt.Fprintf(stderr, "%s: fatal: %v\n", name, err)
			return 111
		}
		return 0
	}
	if !noWtmp {
		if err := ctl.Record(); err != nil {
			fmt.Fprintf(stderr, "%s: warning: %v\n", name, err)
		}
	}
	if wtmpOnly {
		return 0
	}
	var err error
	if force {
		err = ctl.Force(how, !nosync)
	} else {
		err = ctl.Ask(how == platform.Reboot)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: fatal: %v\n", name, err)
		return 111
	}
	return 0
}

func haltUsage(name string, stderr io.Writer) int {
	fmt.Fprintf(stderr, "usage: %s [-fndwB]\n\n", name)
	return 1
}

// Pause waits for a signal (TERM, INT, HUP, QUIT, USR1, USR2 or ALRM) and exits 0: the
// run script of a one-shot service, which has done its work and must stay "up".
func Pause(args []string, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintf(stderr, "usage: pause\n\n")
		return 1
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, unix.SIGTERM, unix.SIGINT, unix.SIGHUP, unix.SIGQUIT, unix.SIGUSR1,
		unix.SIGUSR2, unix.SIGALRM)
	<-c
	return 0
}
