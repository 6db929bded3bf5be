package linux

import "golang.org/x/sys/unix"

// Reboot restarts the machine at once (reboot(2) LINUX_REBOOT_CMD_RESTART).
func Reboot() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART) }

// PowerOff halts and powers the machine off (LINUX_REBOOT_CMD_POWER_OFF).
func PowerOff() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF) }

// Halt stops the machine, leaving the power on (LINUX_REBOOT_CMD_HALT).
func Halt() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_HALT) }
