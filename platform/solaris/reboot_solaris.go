package solaris

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// uadmin(2) A_SHUTDOWN and its functions, from <sys/uadmin.h>.
const (
	aShutdown  = 2
	adHalt     = 0
	adBoot     = 1
	adPowerOff = 6
)

// Go has no raw system calls on Solaris and illumos, and uadmin(2) has no wrapper in
// x/sys, so the uadmin(1M) command makes the call for us.
var uadminPaths = []string{"/sbin/uadmin", "/usr/sbin/uadmin"}

// Reboot restarts the machine (uadmin A_SHUTDOWN AD_BOOT).
func Reboot() error { return uadmin(adBoot) }

// PowerOff halts and powers off (uadmin A_SHUTDOWN AD_POWEROFF).
func PowerOff() error { return uadmin(adPowerOff) }

// Halt stops the machine (uadmin A_SHUTDOWN AD_HALT).
func Halt() error { return uadmin(adHalt) }

func uadmin(fcn int) error {
	for _, p := range uadminPaths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		cmd := exec.Command(p, strconv.Itoa(aShutdown), strconv.Itoa(fcn))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %d %d: %w", p, aShutdown, fcn, err)
		}
		return nil
	}
	return fmt.Errorf("uadmin: %w", os.ErrNotExist)
}
