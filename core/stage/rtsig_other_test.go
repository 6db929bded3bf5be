//go:build !linux

package stage

import "syscall"

// realtimeSignals: only Linux's are tested.
func realtimeSignals() []syscall.Signal { return nil }
