package platform

import "github.com/runit-go/runit/platform/solaris"

const canPowerOff = true

func shutdown(how Shutdown) error {
	switch how {
	case Reboot:
		return solaris.Reboot()
	case PowerOff:
		return solaris.PowerOff()
	}
	return solaris.Halt()
}
