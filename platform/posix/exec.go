//go:build unix

package posix

import "syscall"

// RestoreNofile gives the process back the soft RLIMIT_NOFILE it was started with. The Go
// runtime raises that limit at startup for itself and restores it in syscall.Exec, but a
// raw execve (RawExec) would pass the raised limit on. Go keeps the original value
// private; syscall.Exec restores it before it calls execve, and clears it (so it is never
// re-raised), so an Exec of the empty path, which fails with ENOENT on every system, is
// how to get the restore without the exec.
func RestoreNofile() { syscall.Exec("", nil, nil) }
