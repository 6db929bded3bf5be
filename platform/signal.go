package platform

import (
	"syscall"
	"time"
)

// DieOfSignal ends the process by sig with the kernel's default action, as a C program
// that does not catch sig dies of it (QUIT: no Go goroutine dump, a wait status that says
// the signal, and a core file where the limits allow one). It returns only where the
// system cannot do that (no DefaultSignal hook) or sig's default is not to die.
func DieOfSignal(sig syscall.Signal) {
	if sys.DefaultSignal == nil || sys.DefaultSignal(sig) != nil {
		return
	}
	syscall.Kill(syscall.Getpid(), sig)
	for i := 0; i < 100; i++ { // the signal is pending on some thread: give it that thread
		time.Sleep(10 * time.Millisecond)
	}
}
