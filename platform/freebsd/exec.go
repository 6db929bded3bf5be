//go:build freebsd || netbsd

package freebsd

import "github.com/runit-go/runit/platform/posix"

// RawExec: FreeBSD and NetBSD take a raw execve(2), which allocates nothing.
var RawExec = posix.RawExec
