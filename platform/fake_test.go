package platform

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/runit-go/runit/platform/posix"
)

// fakeOS is a fake system for tests of the portable API, of what it does with the hooks
// and without them: its shutdown hooks record their call in calls and do nothing else,
// its login records are made up, and every other hook is nil (no such feature) until a
// test sets it. Tests that need the rest of the real system copy sys instead.
func fakeOS(calls *[]string) OS {
	rec := func(name string) func() error {
		return func() error { *calls = append(*calls, name); return nil }
	}
	return OS{
		Reboot: rec("reboot"), PowerOff: rec("poweroff"), Halt: rec("halt"),
		DisableCAD: rec("cadoff"), PowerFailSignal: syscall.SIGUSR2,
		UtmpFiles: func() (string, string, string) { return "glibc", "/u", "/w" },
	}
}

// useOS puts o in place of the running system's hooks until the test ends.
func useOS(t *testing.T, o OS) {
	saved := sys
	sys = o
	t.Cleanup(func() { sys = saved })
}

// TestShutdownHooks: each action reaches its own hook; where the system has no power-off
// of its own, PowerOff halts and CanPowerOff says so; where it has nothing to turn off on
// ctrl-alt-del, DisableCAD says errors.ErrUnsupported.
func TestShutdownHooks(t *testing.T) {
	var calls []string
	full := fakeOS(&calls)
	noPower := full
	noPower.PowerOff, noPower.DisableCAD = nil, nil
	for _, c := range []struct {
		name     string
		os       OS
		how      Shutdown
		want     string
		canPower bool
	}{
		{"reboot", full, Reboot, "reboot", true},
		{"power off", full, PowerOff, "poweroff", true},
		{"halt", full, Halt, "halt", true},
		{"power off without the hook", noPower, PowerOff, "halt", false},
		{"reboot without power-off", noPower, Reboot, "reboot", false},
	} {
		calls = nil
		useOS(t, c.os)
		if err := System.Shutdown(c.how); err != nil || len(calls) != 1 || calls[0] != c.want {
			t.Errorf("%s: Shutdown(%v) = %v, calls %q, want %q", c.name, c.how, err, calls, c.want)
		}
		if CanPowerOff() != c.canPower {
			t.Errorf("%s: CanPowerOff() = %v", c.name, !c.canPower)
		}
	}
	calls = nil
	useOS(t, full)
	if err := DisableCAD(); err != nil || len(calls) != 1 || calls[0] != "cadoff" {
		t.Errorf("DisableCAD = %v, calls %q", err, calls)
	}
	if PowerFailSignal() != syscall.SIGUSR2 {
		t.Errorf("PowerFailSignal = %v, not the hook's", PowerFailSignal())
	}
	useOS(t, noPower)
	if err := DisableCAD(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("DisableCAD without the hook = %v, want ErrUnsupported", err)
	}
}

// TestUtmpHooks: the current files are the hook's; without an older database the old
// files are empty, with one they are its.
func TestUtmpHooks(t *testing.T) {
	o := fakeOS(new([]string))
	useOS(t, o)
	if l, u, w := UtmpFiles(); l != "glibc" || u != "/u" || w != "/w" {
		t.Errorf("UtmpFiles = %q %q %q", l, u, w)
	}
	if l, u, w := UtmpOldFiles(); l != "" || u != "" || w != "" {
		t.Errorf("UtmpOldFiles without the hook = %q %q %q", l, u, w)
	}
	o.UtmpOldFiles = func() (string, string, string) { return "netbsd-utmp", "/ou", "/ow" }
	useOS(t, o)
	if l, u, w := UtmpOldFiles(); l != "netbsd-utmp" || u != "/ou" || w != "/ow" {
		t.Errorf("UtmpOldFiles = %q %q %q", l, u, w)
	}
}

// fakeConfinement records what Tree asks of a confinement.
type fakeConfinement struct{ calls []string }

func (f *fakeConfinement) Attr(a *syscall.SysProcAttr) { f.calls = append(f.calls, "attr") }
func (f *fakeConfinement) Started(pid int)             { f.calls = append(f.calls, "started") }
func (f *fakeConfinement) Signal(sig syscall.Signal) error {
	f.calls = append(f.calls, sig.String())
	return nil
}
func (f *fakeConfinement) Close()       { f.calls = append(f.calls, "close") }
func (f *fakeConfinement) Weaken() bool { f.calls = append(f.calls, "weaken"); return true }

// TestTreeHooks: with the system's confinement, Tree hands everything to it and passes its
// note on; without one (the hook nil, or the hook declining) the process is put in a
// process group of its own.
func TestTreeHooks(t *testing.T) {
	o := fakeOS(new([]string))
	useOS(t, o)
	tr, note := NewTree("svc")
	var a syscall.SysProcAttr
	tr.Attr(&a)
	if !a.Setpgid || note != "" || tr.Weaken() {
		t.Errorf("without a confinement: Setpgid %v, note %q, Weaken true", a.Setpgid, note)
	}

	o.NewConfinement = func(string) (posix.Confinement, string) { return nil, "no cgroups" }
	useOS(t, o)
	tr, note = NewTree("svc")
	a = syscall.SysProcAttr{}
	tr.Attr(&a)
	if !a.Setpgid || note != "no cgroups" {
		t.Errorf("with a confinement declined: Setpgid %v, note %q", a.Setpgid, note)
	}

	fc := &fakeConfinement{}
	o.NewConfinement = func(name string) (posix.Confinement, string) { return fc, "" }
	useOS(t, o)
	tr, _ = NewTree("svc")
	a = syscall.SysProcAttr{}
	tr.Attr(&a)
	pid, err := tr.Fork(func() (int, error) { return 42, nil })
	tr.Started(pid)
	tr.Signal(syscall.SIGTERM)
	weak := tr.Weaken()
	tr.Close()
	want := []string{"attr", "started", syscall.SIGTERM.String(), "weaken", "close"}
	if a.Setpgid || pid != 42 || err != nil || !weak || strings.Join(fc.calls, ",") != strings.Join(want, ",") {
		t.Errorf("with a confinement: Setpgid %v, Fork %d %v, Weaken %v, calls %q, want %q", a.Setpgid, pid, err, weak, fc.calls, want)
	}
}
