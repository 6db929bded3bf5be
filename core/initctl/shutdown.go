package initctl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// ParseWhen turns shutdown's time argument into a delay from now: "now", "+m" or "m"
// (minutes; the bare number as sysvinit's and systemd's shutdown take it, so that the
// common "shutdown -h 0" works) or "hh:mm" (the next time the local clock shows it; the
// current minute is now).
func ParseWhen(s string, now time.Time) (time.Duration, error) {
	if s == "now" {
		return 0, nil
	}
	if digits := strings.TrimPrefix(s, "+"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		m, err := strconv.Atoi(digits)
		// Beyond a year is a typo, and would overflow the Duration.
		if err != nil || m > 366*24*60 {
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
	// Compared at the clock's resolution, minutes: "13:30" typed at 13:30:40 means now,
	// not tomorrow.
	at := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, now.Location())
	thisMinute := time.Date(now.Year(), now.Month(), now.Day(), now.Hour(), now.Minute(), 0, 0, now.Location())
	switch {
	case at.Equal(thisMinute):
		return 0, nil
	case at.Before(thisMinute):
		at = at.AddDate(0, 0, 1)
	}
	return at.Sub(now), nil
}

// ShutdownFiles are the files shutdown keeps and creates.
type ShutdownFiles struct {
	PidFile   string // the pid of the shutdown waiting for its time, for shutdown -c
	NoLogin   string // refuses non-root logins in the last five minutes (login(1), pam_nologin)
	FastBoot  string // -f: the next boot skips fsck
	ForceFsck string // -F: the next boot checks every file system
}

// DefaultShutdownFiles are the usual places: the pid file beside runit's other
// run-time flags in /run/runit (as Void's shutdown keeps it), /etc/nologin, /fastboot
// and /forcefsck (as sysvinit's and Void's).
func DefaultShutdownFiles() ShutdownFiles {
	return ShutdownFiles{PidFile: "/run/runit/shutdown.pid", NoLogin: "/etc/nologin",
		FastBoot: "/fastboot", ForceFsck: "/forcefsck"}
}

// ShutdownRootEnv, for tests, names a directory under which shutdown --dry-run really
// keeps its pid file and creates nologin, so that a dry run can be waited on and
// cancelled with shutdown -c --dry-run. It is ignored without --dry-run.
const ShutdownRootEnv = "RUNIT_SHUTDOWN_ROOT"

type downMode int

const (
	toSingle downMode = iota
	toHalt
	toReboot
)

func (m downMode) String() string {
	switch m {
	case toHalt:
		return "for halt"
	case toReboot:
		return "for reboot"
	}
	return "to single-user mode"
}

// shutdown is one run of the command, with its clock and its wait made replaceable
// so that the warning schedule can be tested without waiting for it.
type shutdown struct {
	files  ShutdownFiles
	dry    bool
	write  bool // really write the files: not a dry run, or a dry run under ShutdownRootEnv
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	// wait sleeps for d; false means it was interrupted (the shutdown is cancelled).
	wait func(d time.Duration) bool
	wall func(msg string)

	mode     downMode
	warnOnly bool
	at       time.Time // the shutdown time
	abs      bool      // given as hh:mm: say "at hh:mm"
	message  string
	nologin  bool // we created files.NoLogin
	// quietCancel: cancelled by shutdown -c (or superseded by an immediate shutdown),
	// which tells the users itself.
	quietCancel bool
	// noLoginTried: it was attempted (failures are reported once).
	noLoginTried bool
}

// Shutdown is the shutdown command:
//
//	shutdown [-rhPkfF] [-t secs] time [message...]
//	shutdown -c [message...]
//
// -r reboots, -h and -P halt (runit powers off where it can); with neither the system
// goes to single-user mode (runsvchdir single), as sysvinit's and Void's shutdown do.
// -k only sends the warnings. -f and -F leave /fastboot and /forcefsck for the next
// boot; -t is accepted and ignored (runit's stage 3 decides how services are stopped).
// The time is now, +m, m or hh:mm. Until then the users are warned on a schedule, and in
// the last five minutes /etc/nologin refuses new logins; -c (or SIGINT, SIGTERM,
// SIGHUP to the waiting shutdown) cancels. Messages go to standard output and, through
// wall(1) where there is one, to everyone logged in.
func Shutdown(args []string, newCtl func(dry bool) Controller, stdout, stderr io.Writer, getenv func(string) string) int {
	args, dry := dryRun(args)
	s := newShutdown(dry, stdout, stderr, getenv)
	f, rest, ok := s.parse(args)
	if !ok || (!f.cancel && len(rest) == 0) {
		return s.usage()
	}
	now := s.now()
	delay, err := time.Duration(0), error(nil)
	if !f.cancel {
		if delay, err = ParseWhen(rest[0], now); err != nil {
			fmt.Fprintf(stderr, "shutdown: %v\n", err)
			return s.usage()
		}
	}
	// Checked before anything is said or written: a user's shutdown would otherwise
	// broadcast "going down NOW!" to everyone and only then fail (sysvinit checks too).
	if !dry && os.Geteuid() != 0 {
		fmt.Fprintf(stderr, "shutdown: fatal: %s\n", notRoot)
		return 111
	}
	if f.cancel {
		return s.cancel(rest)
	}
	s.at, s.abs, s.message = now.Add(delay), strings.Contains(rest[0], ":"), strings.Join(rest[1:], " ")
	if delay > 0 {
		stop := s.cancelOnSignal()
		defer stop()
	}
	return s.run(newCtl, delay > 0, f.fast, f.fsck)
}

// newShutdown is a run of the command that, as its options stand, goes to single-user
// mode. A dry run (-n) writes no file, unless ShutdownRootEnv names a root to write them
// under.
func newShutdown(dry bool, stdout, stderr io.Writer, getenv func(string) string) *shutdown {
	s := &shutdown{files: DefaultShutdownFiles(), dry: dry, write: !dry, stdout: stdout, stderr: stderr,
		now: time.Now, mode: toSingle}
	if root := getenv(ShutdownRootEnv); dry && root != "" {
		s.files = s.files.under(root)
		s.write = true
	}
	s.wall = func(msg string) { wall(msg, stdout, dry) }
	return s
}

// shutdownFlags are the options that Shutdown acts on itself; the others set fields of
// shutdown.
type shutdownFlags struct {
	cancel bool // -c
	fast   bool // -f: leave /fastboot
	fsck   bool // -F: leave /forcefsck
}

// parse reads the options at the start of args (after the program name). It returns the
// arguments after them, or false when an option is wrong (it says so on s.stderr).
func (s *shutdown) parse(args []string) (f shutdownFlags, rest []string, ok bool) {
	i := getopt.Parse(args, "rhPkcfFt:", func(c byte, arg string) bool {
		switch c {
		case 'r':
			s.mode = toReboot
		case 'h', 'P':
			s.mode = toHalt
		case 'k':
			s.warnOnly = true
		case 'c':
			f.cancel = true
		case 'f':
			f.fast = true
		case 'F':
			f.fsck = true
		case 't':
			if n, err := strconv.Atoi(arg); err != nil || n < 0 {
				fmt.Fprintf(s.stderr, "shutdown: invalid -t: %s\n", arg)
				return false
			}
		}
		return true
	}, func(msg string) { fmt.Fprintf(s.stderr, "shutdown: %s\n", msg) })
	if i < 0 {
		return f, nil, false
	}
	return f, args[i:], true
}

// usage prints the command's synopsis and returns the exit code of a wrong call.
func (s *shutdown) usage() int {
	fmt.Fprintf(s.stderr, "usage: shutdown [-rhPkcfF] [-t secs] time [message]\n\n")
	return 1
}

// cancelOnSignal makes s.wait end early, cancelling the shutdown, when SIGINT, SIGTERM,
// SIGHUP or cancelSignal (from shutdown -c) comes. It returns the function that stops
// catching them.
func (s *shutdown) cancelOnSignal() (stop func()) {
	sig := make(chan os.Signal, 1)
	// Before the pid file exists: a shutdown -c right after it must find the handler.
	signal.Notify(sig, unix.SIGINT, unix.SIGTERM, cancelSignal)
	// A closed terminal cancels too rather than leave nologin behind; nohup's
	// ignored SIGHUP stays ignored.
	if !signal.Ignored(unix.SIGHUP) {
		signal.Notify(sig, unix.SIGHUP)
	}
	s.wait = func(d time.Duration) bool {
		if d <= 0 {
			return true
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case got := <-sig:
			s.quietCancel = got == cancelSignal
			return false
		}
	}
	return func() { signal.Stop(sig) }
}

// under puts every file under root.
func (f ShutdownFiles) under(root string) ShutdownFiles {
	return ShutdownFiles{PidFile: filepath.Join(root, f.PidFile), NoLogin: filepath.Join(root, f.NoLogin),
		FastBoot: filepath.Join(root, f.FastBoot), ForceFsck: filepath.Join(root, f.ForceFsck)}
}

// run waits for the time, warning on the way, and then brings the system down.
func (s *shutdown) run(newCtl func(dry bool) Controller, later, fast, fsck bool) int {
	if later {
		release, code := s.claim()
		if code != 0 {
			return code
		}
		ok := s.countdown()
		s.dropNoLogin()
		release()
		if !ok {
			// Cancelled by a signal from someone other than shutdown -c (^C, kill, a
			// closed terminal): the users who were warned are told it is off.
			if !s.quietCancel {
				s.wall(cancelledMsg)
			}
			fmt.Fprintln(s.stdout, "shutdown: cancelled.")
			return 0
		}
	} else if !s.warnOnly {
		// An immediate shutdown replaces one waiting for a later time, which would
		// otherwise keep its nologin and still go off later (after a switch to
		// single-user mode, say).
		s.supersede()
	}
	s.warn(0)
	if s.warnOnly {
		return 0
	}
	if fast {
		s.touch(s.files.FastBoot)
	}
	if fsck {
		s.touch(s.files.ForceFsck)
	}
	ctl := newCtl(s.dry)
	var err error
	if s.mode == toSingle {
		err = ctl.Single()
	} else {
		if err := ctl.Record(); err != nil {
			fmt.Fprintf(s.stderr, "shutdown: warning: %v\n", err)
		}
		err = ctl.Ask(s.mode == toReboot)
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "shutdown: fatal: %v\n", err)
		return 111
	}
	return 0
}

// warnMarks are the minutes before the shutdown time at which the users are warned
// again, latest first: every hour beyond an hour, every quarter of the last hour,
// then at 10, 5, 4, 3, 2 and 1 minutes (sysvinit's schedule, roughly). Marks within
// half a minute of the first warning are left out: it has just said the same.
func warnMarks(delay time.Duration) []int {
	var marks []int
	for m := int(delay / time.Minute); m > 0; m-- {
		due := m <= 5 || m == 10 || (m <= 60 && m%15 == 0) || m%60 == 0
		if due && time.Duration(m)*time.Minute <= delay-30*time.Second {
			marks = append(marks, m)
		}
	}
	return marks
}

// countdown warns at the start and at each mark, and creates nologin once five minutes
// or less remain; false means it was cancelled.
func (s *shutdown) countdown() bool {
	delay := s.at.Sub(s.now())
	first := int((delay + 30*time.Second) / time.Minute)
	if first < 1 {
		first = 1
	}
	if first <= 5 {
		s.makeNoLogin()
	}
	s.warn(first)
	for _, m := range warnMarks(delay) {
		if !s.wait(s.at.Add(-time.Duration(m) * time.Minute).Sub(s.now())) {
			return false
		}
		if m <= 5 {
			s.makeNoLogin()
		}
		s.warn(m)
	}
	return s.wait(s.at.Sub(s.now()))
}

// warn sends the warning for m minutes before the time (0: now).
func (s *shutdown) warn(m int) {
	msg := "The system is going down " + s.mode.String()
	switch {
	case m == 0:
		msg += " NOW!"
	case s.abs:
		msg += " at " + s.at.Format("15:04") + " (in " + inWords(m) + ")!"
	default:
		msg += " in " + inWords(m) + "!"
	}
	if s.message != "" {
		msg += "\n" + s.message
	}
	s.wall(msg)
}

// inWords says m minutes as people do: "1 minute", "5 minutes", "2 hours 30 minutes".
func inWords(m int) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	h, m := m/60, m%60
	switch {
	case h == 0:
		return plural(m, "minute")
	case m == 0:
		return plural(h, "hour")
	}
	return plural(h, "hour") + " " + plural(m, "minute")
}

// noLoginPrefix starts every nologin shutdown writes, so that only ours is removed.
const noLoginPrefix = "NO LOGINS: the system is going down "

func (s *shutdown) makeNoLogin() {
	if s.warnOnly || s.noLoginTried {
		return
	}
	s.noLoginTried = true
	if s.dry {
		fmt.Fprintf(s.stdout, "dry-run: create %s\n", s.files.NoLogin)
	}
	if !s.write {
		s.nologin = true
		return
	}
	text := noLoginPrefix + s.mode.String() + " at " + s.at.Format("15:04") + ".\n"
	if s.message != "" {
		text += s.message + "\n"
	}
	// Only a test root lacks the directory.
	_ = os.MkdirAll(filepath.Dir(s.files.NoLogin), 0o755)
	// An administrator's own nologin is left alone, and not removed later.
	f, err := os.OpenFile(s.files.NoLogin, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if !os.IsExist(err) {
			fmt.Fprintf(s.stderr, "shutdown: warning: unable to create %s: %s\n", s.files.NoLogin, errstr.Text(err))
		}
		return
	}
	defer f.Close()
	s.nologin = true
	if _, err := f.WriteString(text); err != nil {
		fmt.Fprintf(s.stderr, "shutdown: warning: unable to write %s: %s\n", s.files.NoLogin, errstr.Text(err))
	}
}

// dropNoLogin removes the nologin we created: on cancel, and at the time, since
// single-user mode keeps the system running and our stage 1 does not clean it up.
func (s *shutdown) dropNoLogin() {
	if !s.nologin {
		return
	}
	s.nologin = false
	if s.dry {
		fmt.Fprintf(s.stdout, "dry-run: remove %s\n", s.files.NoLogin)
	}
	if s.write {
		removeOurNoLogin(s.files.NoLogin)
	}
}

func removeOurNoLogin(path string) {
	if b, err := os.ReadFile(path); err == nil && strings.HasPrefix(string(b), noLoginPrefix) {
		os.Remove(path)
	}
}

func (s *shutdown) touch(path string) {
	if s.dry {
		fmt.Fprintf(s.stdout, "dry-run: create %s\n", path)
	}
	if !s.write {
		return
	}
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		fmt.Fprintf(s.stderr, "shutdown: warning: unable to create %s: %s\n", path, errstr.Text(err))
		return
	}
	f.Close()
}

// claim writes our pid to the pid file and keeps it locked while we wait: the lock
// tells a live waiting shutdown from a stale file, so a second shutdown is refused
// while one is pending (Void's overwrote the pid, leaving the first uncancellable)
// and -c never signals a recycled pid. release removes the file only if it is still
// ours.
func (s *shutdown) claim() (release func(), code int) {
	path := s.files.PidFile
	if s.dry {
		fmt.Fprintf(s.stdout, "dry-run: write pid %d to %s\n", os.Getpid(), path)
	}
	if !s.write {
		return func() {}, 0
	}
	fail := func(what string, err error) (func(), int) {
		fmt.Fprintf(s.stderr, "shutdown: fatal: unable to %s %s: %s\n", what, path, errstr.Text(err))
		return nil, 111
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fail("create directory for", err)
	}
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return fail("open", err)
		}
		if err := platform.Lock(int(f.Fd()), false); err != nil {
			f.Close()
			if errors.Is(err, unix.EAGAIN) {
				pid, _ := readPid(path)
				fmt.Fprintf(s.stderr, "shutdown: fatal: a shutdown is already pending (pid %d); cancel it with shutdown -c\n", pid)
				return nil, 111
			}
			return fail("lock", err)
		}
		// The previous holder may have removed the file between our open and our lock.
		var held, named unix.Stat_t
		if unix.Fstat(int(f.Fd()), &held) != nil || unix.Stat(path, &named) != nil ||
			held.Dev != named.Dev || held.Ino != named.Ino {
			f.Close()
			continue
		}
		me := strconv.Itoa(os.Getpid()) + "\n"
		if err := f.Truncate(0); err != nil {
			f.Close()
			return fail("truncate", err)
		}
		if _, err := f.WriteAt([]byte(me), 0); err != nil {
			f.Close()
			return fail("write", err)
		}
		return func() {
			if b, err := os.ReadFile(path); err == nil && string(b) == me {
				os.Remove(path)
			}
			f.Close()
		}, 0
	}
}

func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, fmt.Errorf("bad pid in %s", path)
	}
	return pid, nil
}

// cancel is shutdown -c: SIGTERM to the waiting shutdown, wait until it has cleaned up
// (its lock on the pid file goes with it), then tell the users.
func (s *shutdown) cancel(rest []string) int {
	path := s.files.PidFile
	fatal := func(format string, a ...any) int {
		fmt.Fprintf(s.stderr, "shutdown: fatal: "+format+"\n", a...)
		return 111
	}
	msg := cancelledMsg
	if len(rest) > 0 {
		msg += "\n" + strings.Join(rest, " ")
	}
	if !s.write {
		pid, err := readPid(path)
		if err != nil {
			return fatal("no shutdown pending: %s", errText(err))
		}
		fmt.Fprintf(s.stdout, "dry-run: %s to %d\n", cancelSignalName, pid)
		s.wall(msg)
		return 0
	}
	switch err := s.stopPending(); {
	case errors.Is(err, os.ErrNotExist):
		return fatal("no shutdown pending: %s: %s", path, errstr.Text(err))
	case errors.Is(err, errStale):
		return fatal("no shutdown pending: %s was stale, removed", path)
	case err != nil:
		return fatal("%v", err)
	}
	s.wall(msg)
	return 0
}

// cancelledMsg tells the users a shutdown is off.
const cancelledMsg = "The system shutdown has been cancelled."

// cancelSignal is what shutdown -c sends the waiting shutdown: unlike INT, TERM and
// HUP (after which the waiting one tells the users itself) it means "-c tells them".
const (
	cancelSignal     = unix.SIGUSR1
	cancelSignalName = "SIGUSR1"
)

// notRoot is the error of a shutdown or halt run by another user than root.
const notRoot = "permission denied: only root can shut the system down"

var errStale = errors.New("stale pid file")

// stopPending cancels the shutdown waiting for its time (cancelSignal) and returns once
// it has cleaned up (its lock on the pid file goes with it). No pid file is an
// os.ErrNotExist; a pid file nobody holds is removed, with our nologin, as errStale.
func (s *shutdown) stopPending() error {
	path := s.files.PidFile
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if os.IsNotExist(err) {
			return err
		}
		return fmt.Errorf("unable to open %s: %s", path, errstr.Text(err))
	}
	defer f.Close()
	if platform.Lock(int(f.Fd()), false) == nil {
		// Nobody holds it: the shutdown that wrote it died without cleaning up.
		os.Remove(path)
		removeOurNoLogin(s.files.NoLogin)
		return errStale
	}
	pid, err := readPid(path)
	if err != nil {
		return errors.New(errText(err))
	}
	if err := unix.Kill(pid, cancelSignal); err != nil {
		return fmt.Errorf("unable to cancel shutdown %d: %s", pid, errstr.Text(err))
	}
	done := make(chan error, 1)
	go func() { done <- platform.Lock(int(f.Fd()), true) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		fmt.Fprintf(s.stderr, "shutdown: warning: shutdown %d has not finished after %s\n", pid, cancelSignalName)
	}
	return nil
}

// supersede cancels a waiting shutdown before an immediate one; a failure to is only
// a warning, since the system is going down anyway.
func (s *shutdown) supersede() {
	if !s.write {
		return
	}
	switch err := s.stopPending(); {
	case err == nil:
		fmt.Fprintln(s.stdout, "shutdown: the waiting shutdown is cancelled: this one is now")
	case errors.Is(err, os.ErrNotExist), errors.Is(err, errStale):
	default:
		fmt.Fprintf(s.stderr, "shutdown: warning: %v\n", err)
	}
}

// errText is err in runit's words where it is a system error.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + errstr.Text(pe.Err)
	}
	return err.Error()
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
