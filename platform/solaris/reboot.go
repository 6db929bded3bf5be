//go:build solaris

package solaris

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"unsafe"
)

// uadmin(2) A_SHUTDOWN and its functions, from <sys/uadmin.h>.
const (
	aShutdown  = 2
	adHalt     = 0
	adBoot     = 1
	adPowerOff = 6
)

// Reboot restarts the machine (uadmin A_SHUTDOWN AD_BOOT).
func Reboot() error { return uadmin(adBoot) }

// PowerOff halts and powers off (uadmin A_SHUTDOWN AD_POWEROFF).
func PowerOff() error { return uadmin(adPowerOff) }

// Halt stops the machine (uadmin A_SHUTDOWN AD_HALT).
func Halt() error { return uadmin(adHalt) }

// PowerFailSignal asks process 1 for a power-failure shutdown: SIGPWR.
const PowerFailSignal = syscall.SIGPWR

// Solaris and illumos take system calls only through libc, and x/sys has no uadmin, so
// we call libc's uadmin(2) the way x/sys calls the others: the dynamic import below and
// the runtime's libc-call path, sysvicall6 (reached through reboot_solaris_amd64.s).

//go:cgo_import_dynamic libc_uadmin uadmin "libc.so"
//go:linkname procUadmin libc_uadmin

var procUadmin uintptr

// Defined in reboot_solaris_amd64.s: a jump to syscall.sysvicall6 in the runtime.
func sysvicall6(trap, nargs, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err syscall.Errno)

func uadmin(fcn int) error {
	_, _, e := sysvicall6(uintptr(unsafe.Pointer(&procUadmin)), 3, aShutdown, uintptr(fcn), 0, 0, 0, 0)
	if e == syscall.ENOSYS {
		return uadminCommand(fcn)
	}
	if e != 0 {
		return e
	}
	return nil
}

// uadminPaths are where the uadmin(1M) command lives.
var uadminPaths = []string{"/sbin/uadmin", "/usr/sbin/uadmin"}

// uadminCommand makes the call through the uadmin(1M) command: the fallback for a libc
// that does not have it (a branded zone's, say).
func uadminCommand(fcn int) error {
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
	return syscall.ENOSYS
}
