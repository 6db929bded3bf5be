package platform

import "errors"

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

// ErrUnsupported is returned by backends for an action the OS does not offer.
var ErrUnsupported = errors.New("operation not supported")

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

func (systemHalter) Shutdown(how Shutdown) error { return shutdown(how) }

// CanPowerOff reports whether PowerOff does more than Halt on this OS; where it does not,
// runit goes straight to the halt.
func CanPowerOff() bool { return canPowerOff }
