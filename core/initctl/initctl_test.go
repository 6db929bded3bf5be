package initctl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/platform"
)

// recorder is a Controller that remembers what it was asked.
type recorder struct {
	dry   bool
	calls []string
	err   error
}

func (r *recorder) Ask(reboot bool) error {
	if reboot {
		r.calls = append(r.calls, "ask reboot")
	} else {
		r.calls = append(r.calls, "ask halt")
	}
	return r.err
}

func (r *recorder) Record() error {
	r.calls = append(r.calls, "wtmp")
	return nil
}

func (r *recorder) Force(how platform.Shutdown, sync bool) error {
	s := "force " + how.String()
	if !sync {
		s += " nosync"
	}
	r.calls = append(r.calls, s)
	return r.err
}

func TestHalt(t *testing.T) {
	for _, c := range []struct {
		args   []string
		code   int
		calls  string
		dry    bool
		stderr string
	}{
		{[]string{"halt"}, 0, "wtmp,ask halt", false, ""},
		{[]string{"/sbin/poweroff"}, 0, "wtmp,ask halt", false, ""},
		{[]string{"reboot"}, 0, "wtmp,ask reboot", false, ""},
		{[]string{"reboot", "-f"}, 0, "wtmp,force reboot", false, ""},
		{[]string{"poweroff", "-fn"}, 0, "wtmp,force poweroff nosync", false, ""},
		{[]string{"halt", "-f", "-n", "-d"}, 0, "force halt nosync", false, ""},
		{[]string{"reboot", "-w"}, 0, "wtmp", false, ""},
		{[]string{"reboot", "-wd"}, 0, "", false, ""},
		{[]string{"reboot", "--dry-run", "-f"}, 0, "wtmp,force reboot", true, ""},
		{[]string{"halt", "-x"}, 1, "", false, "halt: illegal option -- x\nusage: halt [-fndw]\n\n"},
		{[]string{"reboot", "now"}, 1, "", false, "usage: reboot [-fndw]\n\n"},
	} {
		rec := &recorder{}
		var out, errb bytes.Buffer
		code := Halt(c.args, func(dry bool) Controller { rec.dry = dry; return rec }, &out, &errb)
		if code != c.code || strings.Join(rec.calls, ",") != c.calls || rec.dry != c.dry ||
			(c.stderr != "" && errb.String() != c.stderr) {
			t.Errorf("%q: code %d calls %q dry %v stderr %q; want %d %q %v %q",
				c.args, code, rec.calls, rec.dry, errb.String(), c.code, c.calls, c.dry, c.stderr)
		}
	}
	rec := &recorder{err: errors.New("unable to reboot: permission denied")}
	var errb bytes.Buffer
	if code := Halt([]string{"reboot", "-f"}, func(bool) Controller { return rec }, &errb, &errb); code != 111 ||
		errb.String() != "reboot: fatal: unable to reboot: permission denied\n" {
		t.Errorf("failure: %d %q", code, errb.String())
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 24, 13, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"now", 0, true},
		{"+0", 0, true},
		{"+5", 5 * time.Minute, true},
		{"14:00", 30 * time.Minute, true},
		{"13:30", 0, true},
		{"13:29", 24*time.Hour - time.Minute, true},
		{"0:05", 10*time.Hour + 35*time.Minute, true},
		{"+", 0, false},
		{"+-5", 0, false},
		{"+5m", 0, false},
		{"24:00", 0, false},
		{"12:60", 0, false},
		{"12:5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, err := ParseWhen(c.in, now)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
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
		{[]string{"shutdown", "now"}, 0, "wtmp,ask halt", ""},
		{[]string{"shutdown", "-P", "+0"}, 0, "wtmp,ask halt", ""},
		{[]string{"shutdown", "-k", "-r", "now"}, 0, "", "shutdown: The system is going down for reboot NOW!\n"},
		{[]string{"shutdown"}, 1, "", ""},
		{[]string{"shutdown", "-x", "now"}, 1, "", ""},
		{[]string{"shutdown", "later"}, 100, "", ""},
	} {
		rec := &recorder{}
		var out, errb bytes.Buffer
		code := Shutdown(append(c.args, DryRunFlag), func(dry bool) Controller { rec.dry = dry; return rec },
			&out, &errb, filepath.Join(t.TempDir(), "pid"))
		if code != c.code || strings.Join(rec.calls, ",") != c.calls || (c.out != "" && out.String() != c.out) {
			t.Errorf("%q: code %d calls %q out %q err %q; want %d %q %q",
				c.args, code, rec.calls, out.String(), errb.String(), c.code, c.calls, c.out)
		}
		if len(rec.calls) > 0 && !rec.dry {
			t.Errorf("%q: --dry-run not passed on", c.args)
		}
	}
}

// A shutdown waiting for its time is cancelled by shutdown -c through the pid file.
func TestShutdownCancel(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "shutdown.pid")
	if err := os.WriteFile(pidFile, []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Shutdown([]string{"shutdown", "-c", DryRunFlag}, nil, &out, &errb, pidFile); code != 0 ||
		out.String() != "dry-run: SIGTERM to 999999999\n" {
		t.Errorf("cancel: %d %q %q", code, out.String(), errb.String())
	}
	os.Remove(pidFile)
	errb.Reset()
	if code := Shutdown([]string{"shutdown", "-c"}, nil, &out, &errb, pidFile); code != 111 ||
		!strings.Contains(errb.String(), "no shutdown pending") {
		t.Errorf("cancel without pending: %d %q", code, errb.String())
	}
}

func TestRealAsk(t *testing.T) {
	dir := t.TempDir()
	var sent []string
	c := &Real{
		Paths: Paths{StopIt: filepath.Join(dir, "stopit"), Reboot: filepath.Join(dir, "reboot")},
		Kill: func(pid int, sig syscall.Signal) error {
			sent = append(sent, sig.String())
			if pid != 1 {
				t.Errorf("signal to %d, want 1", pid)
			}
			return nil
		},
	}
	mode := func(p string) string {
		fi, err := os.Stat(p)
		if err != nil {
			return "missing"
		}
		return fi.Mode().Perm().String()
	}
	for _, step := range []struct {
		reboot          bool
		stopit, reboot2 string
	}{
		{false, "---x------", "missing"},
		{true, "---x------", "---x------"},
		{false, "---x------", "----------"},
	} {
		if err := c.Ask(step.reboot); err != nil {
			t.Fatal(err)
		}
		if m, r := mode(c.Paths.StopIt), mode(c.Paths.Reboot); m != step.stopit || r != step.reboot2 {
			t.Errorf("after Ask(%v): stopit %s reboot %s; want %s %s", step.reboot, m, r, step.stopit, step.reboot2)
		}
	}
	if len(sent) != 3 || sent[0] != syscall.SIGCONT.String() {
		t.Errorf("signals sent: %v", sent)
	}
	c.Paths.StopIt = filepath.Join(dir, "nodir", "stopit")
	if err := c.Ask(false); err == nil || err.Error() != "unable to create "+c.Paths.StopIt+": file does not exist" {
		t.Errorf("error: %v", err)
	}
}

type fakeHalter struct{ got []platform.Shutdown }

func (f *fakeHalter) Shutdown(how platform.Shutdown) error {
	f.got = append(f.got, how)
	return syscall.EPERM
}

func TestRealForce(t *testing.T) {
	h := &fakeHalter{}
	c := &Real{Halter: h}
	if err := c.Force(platform.Reboot, false); err == nil || err.Error() != "unable to reboot: permission denied" {
		t.Errorf("Force: %v", err)
	}
	if len(h.got) != 1 || h.got[0] != platform.Reboot {
		t.Errorf("halter got %v", h.got)
	}
}

func TestRunitInitUsage(t *testing.T) {
	if os.Getpid() == 1 {
		t.Skip("running as process 1")
	}
	for _, c := range []struct {
		args   []string
		stderr string
		calls  string
		code   int
	}{
		{[]string{"runit-init"}, "usage: runit-init 0|6\n\n", "", 0},
		{[]string{"/x/init", "5"}, "usage: /x/init 0|6\n\n", "", 0},
		{[]string{"init", "-V"}, "$Id: f075d98bf7dd17c893021f9572cbb970cdad8dcf $\n\nusage: init 0|6\n\n", "", 0},
		{[]string{"init", "0"}, "", "ask halt", 0},
		{[]string{"init", "6x"}, "", "ask reboot", 0},
	} {
		rec := &recorder{}
		var errb bytes.Buffer
		code := RunitInit(c.args, rec, &errb, DefaultPaths(), nil)
		if code != c.code || errb.String() != c.stderr || strings.Join(rec.calls, ",") != c.calls {
			t.Errorf("%q: %d %q %q", c.args, code, errb.String(), rec.calls)
		}
	}
	rec := &recorder{err: errors.New("unable to create /etc/runit/stopit: access denied")}
	var errb bytes.Buffer
	if code := RunitInit([]string{"init", "0"}, rec, &errb, DefaultPaths(), nil); code != 111 ||
		errb.String() != "init: fatal: unable to create /etc/runit/stopit: access denied\n" {
		t.Errorf("failure: %d %q", code, errb.String())
	}
}
