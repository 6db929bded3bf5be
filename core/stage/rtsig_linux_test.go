package stage

import "syscall"

// realtimeSignals are a few of Linux's realtime signals. Not 32 to 34: Go leaves those
// at SIG_DFL for the C libraries' own use, and as process 1 the kernel drops them.
func realtimeSignals() []syscall.Signal { return []syscall.Signal{35, 40, 64} }
