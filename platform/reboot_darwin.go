package platform

import "github.com/runit-go/runit/platform/darwin"

// macOS's reboot(2) has no power-off flag; a halted Mac turns itself off.
const canPowerOff = false

func shutdown(how Shutdown) error {
	if how == Reboot {
		return darwin.Reboot()
	}
	return darwin.Halt()
}
