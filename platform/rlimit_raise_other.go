//go:build unix && !linux

package platform

// RaiseNofile does nothing on this system: only the Go runtime's own raise of the soft
// RLIMIT_NOFILE to the hard one applies (children get the original soft limit back).
func RaiseNofile() error { return nil }
