//go:build !linux

package main

import "time"

// dirWatch polls where there is no inotify; make bench runs on Linux, this keeps the
// tool building everywhere.
type dirWatch struct{}

func watchDir(string) (*dirWatch, error) { return &dirWatch{}, nil }

func (*dirWatch) until(d time.Duration, cond func() bool) error { return waitUntil(d, cond) }

func (*dirWatch) close() {}
