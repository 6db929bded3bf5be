package freebsd

// RawExec is nil: OpenBSD takes system calls only from libc, so platform's Exec goes
// through syscall.Exec.
var RawExec func(path *byte, argv, envv []*byte) error
