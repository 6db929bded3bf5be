package platform

import "github.com/runit-go/runit/platform/freebsd"

const canPowerOff = true

func shutdown(how Shutdown) error {
	switch how {
	case Reboot:
		return freebsd.Reboot()
	case PowerOff:
		return freebsd.PowerOff()
	}
	return freebsd.Halt()
}
