package platform

import "golang.org/x/sys/unix"

// Sync flushes the file systems' buffers to disk before the end.
func Sync() { unix.Sync() }
