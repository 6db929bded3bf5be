package platform

import (
	"errors"
	"os"
	"syscall"
)

// Shutdown says how the machine ends its run.
type Shutdown int

// The ways a machine can end its run.
const (
	Halt     Shutdown = iota // stop the CPUs, leave the power on
	PowerOff                 // halt and cut the power where the hardware can
	Reboot                   // restart the machine
)

// String names the action the way runit's messages and the dry runs print it.
func (s Shutdown) String() string {
	switch s {
	case Halt:
		return "halt"
	case PowerOff:
		return "poweroff"
	case Reboot:
		return "reboot"
	}
	return "unknown"
}

// Halter ends the machine's run. Core takes one instead of calling the system directly so
// that tests and dry runs never reboot the machine they run on.
type Halter interface {
	Shutdown(how Shutdown) error
}

// System is the Halter that really halts, powers off or reboots through the OS's own call
// (reboot(2) on Linux, the BSDs and macOS; uadmin on Solaris and illumos). It returns only
// when the OS refused, for example inside a container without the right to reboot.
var System Halter = systemHalter{}

type systemHalter struct{}

func (systemHalter) Shutdown(how Shutdown) error {
	switch {
	case how == Reboot:
		return sys.Reboot()
	case how == PowerOff && sys.PowerOff != nil:
		return sys.PowerOff()
	}
	return sys.Halt()
}

// CanPowerOff reports whether PowerOff does more than Halt on this OS; where it does not,
// runit goes straight to the halt.
func CanPowerOff() bool { return sys.PowerOff != nil }

// DisableCAD makes the kernel send SIGINT to process 1 on ctrl-alt-del instead of
// rebooting at once, so that runit can run /etc/runit/ctrlaltdel. It reports
// errors.ErrUnsupported where there is nothing to turn off: the BSDs' and macOS's consoles
// already signal init (SIGINT) when configured to, and Solaris has no such key handling;
// runit keeps its SIGINT handler either way.
func DisableCAD() error {
	if sys.DisableCAD == nil {
		return errors.ErrUnsupported
	}
	return sys.DisableCAD()
}

// PowerFailSignal is the signal that asks process 1 for a power-failure shutdown: SIGPWR,
// or SIGUSR2 where the system has none.
func PowerFailSignal() os.Signal { return sys.PowerFailSignal }

// Sync flushes the file systems' buffers to disk before the end. (Its result, where
// the call has one, says nothing useful at that point.)
func Sync() { syscall.Sync() }
