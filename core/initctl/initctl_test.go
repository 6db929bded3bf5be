package initctl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

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

func (r *recorder) RecordBoot() error {
	r.calls = append(r.calls, "boot")
	return nil
}

func (r *recorder) Single() error {
	r.calls = append(r.calls, "single")
	return r.err
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
		// Void's: -h and -i are ignored, -B writes only the boot record.
		{[]string{"halt", "-h", "-i"}, 0, "wtmp,ask halt", false, ""},
		{[]string{"poweroff", "-hif"}, 0, "wtmp,force poweroff", false, ""},
		{[]string{"halt", "-B"}, 0, "boot", false, ""},
		{[]string{"reboot", "-fB"}, 0, "boot", false, ""},
		{[]string{"halt", "-x"}, 1, "", false, "halt: illegal option -- x\nusage: halt [-fndwB]\n\n"},
		{[]string{"reboot", "now"}, 1, "", false, "usage: reboot [-fndwB]\n\n"},
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

// Real.Single is runsvchdir single, in $RUNSVDIR.
func TestRealSingle(t *testing.T) {
	base := t.TempDir()
	for _, d := range []string{"default", "single"} {
		if err := os.Mkdir(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("default", filepath.Join(base, "current")); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "RUNSVDIR" {
			return base
		}
		return ""
	}
	c := &Real{Getenv: env}
	if err := c.Single(); err != nil {
		t.Fatal(err)
	}
	if cur, err := os.Readlink(filepath.Join(base, "current")); err != nil || cur != "single" {
		t.Errorf("current -> %q %v, want single", cur, err)
	}
	if prev, err := os.Readlink(filepath.Join(base, "previous")); err != nil || prev != "default" {
		t.Errorf("previous -> %q %v, want default", prev, err)
	}
	if err := os.Remove(filepath.Join(base, "single")); err != nil {
		t.Fatal(err)
	}
	if err := c.Single(); err == nil || err.Error() != "runsvchdir single: single: file does not exist" {
		t.Errorf("without a single runlevel: %v", err)
	}
}
