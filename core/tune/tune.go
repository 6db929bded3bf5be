// Package tune sets the Go runtime for runit's long-running processes: runit, runsvdir and
// its supervisor host, runsv, svlogd and the logger pool. They spend their lives waiting on
// the kernel, and on a machine with hundreds of services their memory counts many times.
package tune

import (
	"runtime"
	"runtime/debug"
)

// Daemon gives the process one P: supervising is waiting, and every further P adds threads
// (each with its stacks) and per-P caches for no work. The collector's target is 40 %: a
// supervisor's live heap is tens of kilobytes per service, and the default would let a
// small heap grow to 4 MB before its first collection. Setting GOMAXPROCS also ends the
// runtime's periodic cgroup check.
func Daemon() {
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(40)
}
