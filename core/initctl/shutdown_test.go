package initctl

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	onTheMinute := time.Date(2026, 11, 24, 13, 30, 0, 0, time.UTC)
	midMinute := time.Date(2026, 11, 24, 13, 30, 40, 0, time.UTC)
	for _, c := range []struct {
		now  time.Time
		in   string
		want time.Duration
		ok   bool
	}{
		{onTheMinute, "now", 0, true},
		{onTheMinute, "+0", 0, true},
		{onTheMinute, "+5", 5 * time.Minute, true},
		{onTheMinute, "14:00", 30 * time.Minute, true},
		{onTheMinute, "13:30", 0, true},
		{onTheMinute, "13:29", 24*time.Hour - time.Minute, true},
		{onTheMinute, "0:05", 10*time.Hour + 35*time.Minute, true},
		// The current minute is now, whatever the seconds say; the next minute is
		// what is left of this one, and the last minute is tomorrow.
		{midMinute, "13:30", 0, true},
		{midMinute, "13:31", 20 * time.Second, true},
		{midMinute, "13:29", 24*time.Hour - time.Minute - 40*time.Second, true},
		{midMinute, "+1", time.Minute, true},
		{onTheMinute, "+", 0, false},
		{onTheMinute, "+-5", 0, false},
		{onTheMinute, "+5m", 0, false},
		{onTheMinute, "24:00", 0, false},
		{onTheMinute, "12:60", 0, false},
		{onTheMinute, "12:5", 0, false},
		{onTheMinute, "soon", 0, false},
		{onTheMinute, "", 0, false},
		// A bare number is minutes, as sysvinit's and systemd's shutdown read it:
		// "shutdown -h 0" is common.
		{onTheMinute, "0", 0, true},
		{onTheMinute, "10", 10 * time.Minute, true},
		{onTheMinute, "525600", 525600 * time.Minute, true},
		{onTheMinute, "+99999999999999999999", 0, false},
		{onTheMinute, "-1", 0, false},
		{onTheMinute, "25:00", 0, false},
		{onTheMinute, "1 0", 0, false},
	} {
		got, err := ParseWhen(c.in, c.now)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseWhen(%q) at %s = %v, %v; want %v ok=%v", c.in, c.now.Format("15:04:05"), got, err, c.want, c.ok)
		}
	}
}

func TestWarnMarks(t *testing.T) {
	low := []int{5, 4, 3, 2, 1}
	for _, c := range []struct {
		delay time.Duration
		want  []int
	}{
		{0, nil},
		{time.Minute, nil},
		{90 * time.Second, []int{1}},
		{5 * time.Minute, []int{4, 3, 2, 1}},
		{20 * time.Minute, append([]int{15, 10}, low...)},
		// hh:mm a little under a quarter past: the first warning says 15 minutes and
		// the schedule does not repeat it half a second later.
		{15*time.Minute + time.Second, append([]int{10}, low...)},
		{29*time.Minute + 40*time.Second, append([]int{15, 10}, low...)},
		{150 * time.Minute, append([]int{120, 60, 45, 30, 15, 10}, low...)},
	} {
		if got := warnMarks(c.delay); !reflect.DeepEqual(got, c.want) {
			t.Errorf("warnMarks(%v) = %v, want %v", c.delay, got, c.want)
		}
	}
}

func TestInWords(t *testing.T) {
	for m, want := range map[int]string{1: "1 minute", 5: "5 minutes", 60: "1 hour", 61: "1 hour 1 minute",
		210: "3 hours 30 minutes", 120: "2 hours"} {
		if got := inWords(m); got != want {
			t.Errorf("inWords(%d) = %q, want %q", m, got, want)
		}
	}
}

// countdownRun runs shutdown's waiting on a fake clock and returns what happened, in
// order: each warning with whether nologin existed when it went out, each wait, the
// controller's calls. cancelAt, when not 0, is the mark (minutes before) at which a
// signal interrupts the wait leading to it; a negative one is shutdown -c's signal.
func countdownRun(t *testing.T, s *shutdown, delay time.Duration, cancelAt int) (events []string, code int, rec *recorder) {
	t.Helper()
	byC := cancelAt < 0
	if byC {
		cancelAt = -cancelAt
	}
	root := t.TempDir()
	s.files = DefaultShutdownFiles().under(root)
	s.write = true
	clock := time.Date(2026, 11, 24, 13, 50, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	s.at = clock.Add(delay)
	var out, errb bytes.Buffer
	s.stdout, s.stderr = &out, &errb
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	s.wall = func(msg string) {
		if exists(s.files.NoLogin) {
			msg += " [nologin]"
		}
		events = append(events, msg)
	}
	s.wait = func(d time.Duration) bool {
		if b, err := os.ReadFile(s.files.PidFile); err != nil || string(b) != strconv.Itoa(os.Getpid())+"\n" {
			t.Errorf("waiting without our pid file: %q %v", b, err)
		}
		left := s.at.Sub(clock) - d
		if cancelAt != 0 && left == time.Duration(cancelAt)*time.Minute {
			events = append(events, "signal")
			s.quietCancel = byC
			clock = clock.Add(d / 2)
			return false
		}
		clock = clock.Add(d)
		return true
	}
	rec = &recorder{}
	code = s.run(func(bool) Controller { return rec }, delay > 0, false, false)
	for _, p := range []string{s.files.PidFile, s.files.NoLogin} {
		if exists(p) {
			t.Errorf("%s left behind", p)
		}
	}
	if errb.Len() > 0 {
		t.Errorf("stderr: %q", errb.String())
	}
	if cancelAt != 0 && out.String() != "shutdown: cancelled.\n" {
		t.Errorf("stdout after cancel: %q", out.String())
	}
	return events, code, rec
}

func TestShutdownCountdown(t *testing.T) {
	events, code, rec := countdownRun(t, &shutdown{mode: toReboot, message: "bye"}, 7*time.Minute, 0)
	want := []string{
		"The system is going down for reboot in 7 minutes!\nbye",
		"The system is going down for reboot in 5 minutes!\nbye [nologin]",
		"The system is going down for reboot in 4 minutes!\nbye [nologin]",
		"The system is going down for reboot in 3 minutes!\nbye [nologin]",
		"The system is going down for reboot in 2 minutes!\nbye [nologin]",
		"The system is going down for reboot in 1 minute!\nbye [nologin]",
		// nologin goes before the end: single-user mode would keep it.
		"The system is going down for reboot NOW!\nbye",
	}
	if code != 0 || !reflect.DeepEqual(events, want) || strings.Join(rec.calls, ",") != "wtmp,ask reboot" {
		t.Errorf("code %d calls %q events:\n%s", code, rec.calls, strings.Join(events, "\n"))
	}

	// hh:mm, into single-user mode: said as a clock time; nologin from the start.
	events, code, rec = countdownRun(t, &shutdown{abs: true}, 3*time.Minute, 0)
	want = []string{
		"The system is going down to single-user mode at 13:53 (in 3 minutes)! [nologin]",
		"The system is going down to single-user mode at 13:53 (in 2 minutes)! [nologin]",
		"The system is going down to single-user mode at 13:53 (in 1 minute)! [nologin]",
		"The system is going down to single-user mode NOW!",
	}
	if code != 0 || !reflect.DeepEqual(events, want) || strings.Join(rec.calls, ",") != "single" {
		t.Errorf("code %d calls %q events:\n%s", code, rec.calls, strings.Join(events, "\n"))
	}

	// Cancelled on the way to the 3-minute mark: nologin and pid file removed, nothing done.
	events, code, rec = countdownRun(t, &shutdown{mode: toHalt}, 6*time.Minute, 3)
	want = []string{
		"The system is going down for halt in 6 minutes!",
		"The system is going down for halt in 5 minutes! [nologin]",
		"The system is going down for halt in 4 minutes! [nologin]",
		"signal",
		// Not shutdown -c, which tells them itself: the warned users are told.
		"The system shutdown has been cancelled.",
	}
	if code != 0 || !reflect.DeepEqual(events, want) || len(rec.calls) != 0 {
		t.Errorf("code %d calls %q events:\n%s", code, rec.calls, strings.Join(events, "\n"))
	}
	// By shutdown -c: no second cancellation message.
	events, code, rec = countdownRun(t, &shutdown{mode: toHalt}, 6*time.Minute, -3)
	want = want[:4]
	if code != 0 || !reflect.DeepEqual(events, want) || len(rec.calls) != 0 {
		t.Errorf("code %d calls %q events:\n%s", code, rec.calls, strings.Join(events, "\n"))
	}

	// -k: the warnings only; no nologin, nothing done.
	events, code, rec = countdownRun(t, &shutdown{mode: toHalt, warnOnly: true}, 2*time.Minute, 0)
	want = []string{
		"The system is going down for halt in 2 minutes!",
		"The system is going down for halt in 1 minute!",
		"The system is going down for halt NOW!",
	}
	if code != 0 || !reflect.DeepEqual(events, want) || len(rec.calls) != 0 {
		t.Errorf("code %d calls %q events:\n%s", code, rec.calls, strings.Join(events, "\n"))
	}
}

// An administrator's own /etc/nologin is neither overwritten nor removed.
func TestShutdownKeepsForeignNoLogin(t *testing.T) {
	s := &shutdown{mode: toHalt}
	s.files = DefaultShutdownFiles().under(t.TempDir())
	s.write = true
	s.stdout, s.stderr = &bytes.Buffer{}, &bytes.Buffer{}
	if err := os.MkdirAll(filepath.Dir(s.files.NoLogin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.files.NoLogin, []byte("maintenance\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.makeNoLogin()
	s.dropNoLogin()
	if b, err := os.ReadFile(s.files.NoLogin); err != nil || string(b) != "maintenance\n" {
		t.Errorf("nologin: %q %v", b, err)
	}
}

// The pid file is held locked while a shutdown waits: a second one is refused, and a
// release removes the file only while it still holds our pid.
func TestShutdownPidFile(t *testing.T) {
	root := t.TempDir()
	newS := func() (*shutdown, *bytes.Buffer) {
		var errb bytes.Buffer
		return &shutdown{files: DefaultShutdownFiles().under(root), write: true, stdout: &bytes.Buffer{}, stderr: &errb}, &errb
	}
	first, _ := newS()
	release, code := first.claim()
	if code != 0 {
		t.Fatal("first claim failed")
	}
	second, errb := newS()
	if _, code := second.claim(); code != 111 ||
		errb.String() != "shutdown: fatal: a shutdown is already pending (pid "+strconv.Itoa(os.Getpid())+"); cancel it with shutdown -c\n" {
		t.Errorf("second claim: %d %q", code, errb.String())
	}
	pidFile := first.files.PidFile
	if err := os.WriteFile(pidFile, []byte("4242\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	release()
	if b, err := os.ReadFile(pidFile); err != nil || string(b) != "4242\n" {
		t.Errorf("release removed a pid file that was not ours: %q %v", b, err)
	}
	// Now nobody holds it: a stale file, which -c reports and clears.
	third, errb := newS()
	if code := third.cancel(nil); code != 111 || !strings.Contains(errb.String(), "was stale, removed") {
		t.Errorf("cancel of stale: %d %q", code, errb.String())
	}
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("stale pid file kept: %v", err)
	}
	release, code = third.claim()
	if code != 0 {
		t.Fatal("claim after stale removed failed")
	}
	release()
	if _, err := os.Stat(pidFile); !os.IsNotExist(err) {
		t.Errorf("pid file kept after release: %v", err)
	}
}

func TestShutdown(t *testing.T) {
	for _, c := range []struct {
		args  []string
		code  int
		calls string
		out   string
	}{
		{[]string{"shutdown", "-r", "now"}, 0, "wtmp,ask reboot", "shutdown: The system is going down for reboot NOW!\n"},
		{[]string{"shutdown", "-h", "now", "going", "away"}, 0, "wtmp,ask halt", "shutdown: The system is going down for halt NOW!\ngoing away\n"},
		{[]string{"shutdown", "now"}, 0, "single", "shutdown: The system is going down to single-user mode NOW!\n"},
		{[]string{"shutdown", "-P", "+0"}, 0, "wtmp,ask halt", ""},
		{[]string{"shutdown", "-k", "-r", "now"}, 0, "", "shutdown: The system is going down for reboot NOW!\n"},
		// Void's compatibility flags: -t is ignored, -f and -F leave their files.
		{[]string{"shutdown", "-t", "5", "-rfF", "now"}, 0, "wtmp,ask reboot",
			"shutdown: The system is going down for reboot NOW!\ndry-run: create /fastboot\ndry-run: create /forcefsck\n"},
		{[]string{"shutdown", "-t5", "-h", "now"}, 0, "wtmp,ask halt", ""},
		{[]string{"shutdown", "-t", "x", "now"}, 1, "", ""},
		{[]string{"shutdown"}, 1, "", ""},
		{[]string{"shutdown", "-x", "now"}, 1, "", ""},
		{[]string{"shutdown", "-n", "now"}, 1, "", ""},
		// A time not understood is a usage error, exit 1 as Void's and sysvinit's.
		{[]string{"shutdown", "later"}, 1, "", ""},
		{[]string{"shutdown", "-r", "24:00"}, 1, "", ""},
		{[]string{"shutdown", "-r", "0"}, 0, "wtmp,ask reboot", ""},
	} {
		rec := &recorder{}
		var out, errb bytes.Buffer
		code := Shutdown(append(c.args, DryRunFlag), func(dry bool) Controller { rec.dry = dry; return rec },
			&out, &errb, func(string) string { return "" })
		if code != c.code || strings.Join(rec.calls, ",") != c.calls || (c.out != "" && out.String() != c.out) {
			t.Errorf("%q: code %d calls %q out %q err %q; want %d %q %q",
				c.args, code, rec.calls, out.String(), errb.String(), c.code, c.calls, c.out)
		}
		if len(rec.calls) > 0 && !rec.dry {
			t.Errorf("%q: --dry-run not passed on", c.args)
		}
	}
}

// shutdown -c --dry-run without a test root only reads the real pid file; under the
// test root a missing one is "no shutdown pending".
func TestShutdownCancelDry(t *testing.T) {
	root := t.TempDir()
	env := func(k string) string {
		if k == ShutdownRootEnv {
			return root
		}
		return ""
	}
	var out, errb bytes.Buffer
	if code := Shutdown([]string{"shutdown", "-c", DryRunFlag}, nil, &out, &errb, env); code != 111 ||
		!strings.Contains(errb.String(), "no shutdown pending: "+filepath.Join(root, "run/runit/shutdown.pid")+": file does not exist") {
		t.Errorf("cancel without pending: %d %q", code, errb.String())
	}
	// The dry run does not look under the root without ShutdownRootEnv, nor write.
	s := &shutdown{files: DefaultShutdownFiles().under(root), dry: true, stdout: &out, stderr: &errb}
	s.wall = func(msg string) { wall(msg, &out, true) }
	if err := os.MkdirAll(filepath.Dir(s.files.PidFile), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.files.PidFile, []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := s.cancel([]string{"back", "soon"}); code != 0 ||
		out.String() != "dry-run: SIGUSR1 to 999999999\nshutdown: The system shutdown has been cancelled.\nback soon\n" {
		t.Errorf("dry cancel: %d %q %q", code, out.String(), errb.String())
	}
	if _, err := os.Stat(s.files.PidFile); err != nil {
		t.Errorf("dry cancel touched the pid file: %v", err)
	}
}
