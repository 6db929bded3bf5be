package initctl

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/getopt"
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
	var force, nosync, wtmpOnly, noWtmp bool
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
			default:
				fmt.Fprintf(stderr, "%s: illegal option -- %c\n", name, c)
				return haltUsage(name, stderr)
			}
		}
	}
	ctl := newCtl(dry)
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
	fmt.Fprintf(stderr, "usage: %s [-fndw]\n\n", name)
	return 1
}

// ParseWhen turns shutdown's time argument into a delay from now: "now", "+m" (minutes)
// or "hh:mm" (the next time the local clock shows it).
func ParseWhen(s string, now time.Time) (time.Duration, error) {
	switch {
	case s == "now":
		return 0, nil
	case strings.HasPrefix(s, "+"):
		m, err := strconv.Atoi(s[1:])
		if err != nil || m < 0 || s[1:] == "" || strings.ContainsAny(s[1:], "+-") {
			return 0, fmt.Errorf("invalid time: %s", s)
		}
		return time.Duration(m) * time.Minute, nil
	}
	hh, mm, ok := strings.Cut(s, ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(mm) != 2 || hh == "" || len(hh) > 2 ||
		h < 0 || h > 23 || m < 0 || m > 59 || strings.ContainsAny(s, "+-") {
		return 0, fmt.Errorf("invalid time: %s", s)
	}
	at := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
	if at.Before(now) {
		at = at.AddDate(0, 0, 1)
	}
	return at.Sub(now), nil
}

// ShutdownPidFile records the pid of a shutdown that is waiting for its time, so that
// shutdown -c can cancel it. It lives beside runit's other flag files.
const ShutdownPidFile = "/etc/runit/shutdown.pid"

// Shutdown is the shutdown command:
//
//	shutdown [-r|-h|-P] [-k] time [message...]
//	shutdown -c [message...]
//
// -r reboots, -h and -P halt (runit powers off where it can; halt is the default), -k only
// sends the warning. The shutdown record goes to wtmp as halt writes it. The time is now, +m or hh:mm; a waiting shutdown can be cancelled
// with -c (or by SIGINT or SIGTERM). The message goes to everyone logged in through
// wall(1) when there is one, and to standard output.
func Shutdown(args []string, newCtl func(dry bool) Controller, stdout, stderr io.Writer, pidFile string) int {
	args, dry := dryRun(args)
	usage := func() int {
		fmt.Fprintf(stderr, "usage: shutdown [-rhPkc] time [message]\n\n")
		return 1
	}
	reboot, warnOnly, cancel := false, false, false
	i := getopt.Parse(args, "rhPkc", func(c byte, _ string) bool {
		switch c {
		case 'r':
			reboot = true
		case 'h', 'P':
			reboot = false
		case 'k':
			warnOnly = true
		case 'c':
			cancel = true
		}
		return true
	}, func(msg string) { fmt.Fprintf(stderr, "shutdown: %s\n", msg) })
	if i < 0 {
		return usage()
	}
	rest := args[i:]
	if cancel {
		return cancelShutdown(rest, stdout, stderr, pidFile, dry)
	}
	if len(rest) == 0 {
		return usage()
	}
	delay, err := ParseWhen(rest[0], time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "shutdown: fatal: %v\n", err)
		return 100
	}
	what := "halt"
	if reboot {
		what = "reboot"
	}
	msg := fmt.Sprintf("The system is going down for %s ", what)
	if delay == 0 {
		msg += "NOW!"
	} else {
		msg += "in " + delay.Round(time.Second).String() + "!"
	}
	if len(rest) > 1 {
		msg += "\n" + strings.Join(rest[1:], " ")
	}
	wall(msg, stdout, dry)
	if warnOnly {
		return 0
	}
	if delay > 0 {
		if !waitShutdown(delay, stdout, stderr, pidFile, dry) {
			return 0
		}
	}
	ctl := newCtl(dry)
	if err := ctl.Record(); err != nil {
		fmt.Fprintf(stderr, "shutdown: warning: %v\n", err)
	}
	if err := ctl.Ask(reboot); err != nil {
		fmt.Fprintf(stderr, "shutdown: fatal: %v\n", err)
		return 111
	}
	return 0
}

// waitShutdown sleeps until the shutdown time; false means it was cancelled.
func waitShutdown(delay time.Duration, stdout, stderr io.Writer, pidFile string, dry bool) bool {
	if !dry {
		if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			fmt.Fprintf(stderr, "shutdown: warning: unable to write %s: %s\n", pidFile, errstr.Text(err))
		}
		defer os.Remove(pidFile)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, unix.SIGINT, unix.SIGTERM)
	defer signal.Stop(c)
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c:
		fmt.Fprintln(stdout, "shutdown: cancelled.")
		return false
	}
}

func cancelShutdown(rest []string, stdout, stderr io.Writer, pidFile string, dry bool) int {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		fmt.Fprintf(stderr, "shutdown: fatal: no shutdown pending: %s: %s\n", pidFile, errstr.Text(err))
		return 111
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		fmt.Fprintf(stderr, "shutdown: fatal: bad pid in %s\n", pidFile)
		return 111
	}
	if dry {
		fmt.Fprintf(stdout, "dry-run: SIGTERM to %d\n", pid)
		return 0
	}
	if err := unix.Kill(pid, syscall.SIGTERM); err != nil {
		fmt.Fprintf(stderr, "shutdown: fatal: unable to cancel shutdown %d: %s\n", pid, errstr.Text(err))
		return 111
	}
	msg := "The system shutdown has been cancelled."
	if len(rest) > 0 {
		msg += "\n" + strings.Join(rest, " ")
	}
	wall(msg, stdout, dry)
	return 0
}

// wall prints msg and hands it to wall(1) when the system has one.
func wall(msg string, stdout io.Writer, dry bool) {
	fmt.Fprintf(stdout, "shutdown: %s\n", msg)
	if dry {
		return
	}
	for _, p := range []string{"/usr/bin/wall", "/bin/wall"} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		r, w, err := os.Pipe()
		if err != nil {
			return
		}
		proc, err := os.StartProcess(p, []string{"wall"}, &os.ProcAttr{Files: []*os.File{r, nil, nil}})
		r.Close()
		if err == nil {
			fmt.Fprintln(w, msg)
			w.Close()
			// wall can block on a stuck terminal; do not wait for it forever.
			done := make(chan struct{})
			go func() { _, _ = proc.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
			}
			return
		}
		w.Close()
	}
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
