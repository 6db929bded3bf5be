package platform

import "github.com/runit-go/runit/platform/linux"

const canPowerOff = true

func shutdown(how Shutdown) error {
	switch how {
	case Reboot:
		return linux.Reboot()
	case PowerOff:
		return linux.PowerOff()
	}
	return linux.Halt()
}
