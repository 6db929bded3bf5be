package linux

import "golang.org/x/sys/unix"

// CADOff turns the kernel's own ctrl-alt-del reboot off (LINUX_REBOOT_CMD_CAD_OFF); the
// kernel then sends SIGINT to process 1 when the keys are pressed.
func CADOff() error { return unix.Reboot(unix.LINUX_REBOOT_CMD_CAD_OFF) }
