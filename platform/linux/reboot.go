//go:build linux

package linux

import "golang.org/x/sys/unix"

// Reboot restarts the machine at once (reboot(2) LINUX_REBOOT_CMD_RESTART).
func Reboot() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART) }

// PowerOff halts and powers the machine off (LINUX_REBOOT_CMD_POWER_OFF).
func PowerOff() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF) }

// Halt stops the machine, leaving the power on (LINUX_REBOOT_CMD_HALT).
func Halt() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_HALT) }

// CADOff turns the kernel's own ctrl-alt-del reboot off (LINUX_REBOOT_CMD_CAD_OFF); the
// kernel then sends SIGINT to process 1 when the keys are pressed, so that runit can run
// /etc/runit/ctrlaltdel.
func CADOff() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_CAD_OFF) }

// PowerFailSignal asks process 1 for a power-failure shutdown: SIGPWR, which is what LXC
// and Incus send to a container's init to stop it.
const PowerFailSignal = unix.SIGPWR
