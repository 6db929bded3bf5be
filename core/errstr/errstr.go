// Package errstr renders errors the way runit does: through djb's error table, not
// strerror(3), so that our messages match C runit's byte for byte.
package errstr

import (
	"errors"
	"os"
	"syscall"
)

var table = map[syscall.Errno]string{
	syscall.EINTR:        "interrupted system call",
	syscall.ENOMEM:       "out of memory",
	syscall.ENOENT:       "file does not exist",
	syscall.ETXTBSY:      "text busy",
	syscall.EIO:          "input/output error",
	syscall.EEXIST:       "file already exists",
	syscall.ETIMEDOUT:    "timed out",
	syscall.EINPROGRESS:  "operation in progress",
	syscall.EAGAIN:       "temporary failure",
	syscall.EPIPE:        "broken pipe",
	syscall.EPERM:        "permission denied",
	syscall.EACCES:       "access denied",
	syscall.ENXIO:        "device not configured",
	syscall.ENOTDIR:      "not a directory",
	syscall.EISDIR:       "is a directory",
	syscall.ENOEXEC:      "exec format error",
	syscall.ENOSPC:       "out of disk space",
	syscall.EBADF:        "file descriptor not open",
	syscall.EINVAL:       "invalid argument",
	syscall.ECHILD:       "no child processes",
	syscall.ESRCH:        "no such process",
	syscall.E2BIG:        "argument list too long",
	syscall.EFAULT:       "bad address",
	syscall.EBUSY:        "device busy",
	syscall.EXDEV:        "cross-device link",
	syscall.ENODEV:       "device does not support operation",
	syscall.ENFILE:       "system cannot open more files",
	syscall.EMFILE:       "process cannot open more files",
	syscall.ENOTTY:       "not a tty",
	syscall.EFBIG:        "file too big",
	syscall.ESPIPE:       "unseekable descriptor",
	syscall.EROFS:        "read-only file system",
	syscall.EMLINK:       "too many links",
	syscall.EDOM:         "input out of range",
	syscall.ERANGE:       "output out of range",
	syscall.EDEADLK:      "operation would cause deadlock",
	syscall.ENAMETOOLONG: "file name too long",
	syscall.ELOOP:        "symbolic link loop",
	syscall.ENOTEMPTY:    "directory not empty",
	syscall.ECONNREFUSED: "connection refused",
	syscall.ECONNRESET:   "connection reset",
	syscall.EADDRINUSE:   "address in use",
	syscall.ENETUNREACH:  "network unreachable",
	syscall.EHOSTUNREACH: "host unreachable",
	syscall.ENOSYS:       "operation not supported",
	syscall.EDQUOT:       "disk quota exceeded",
}

// Text returns runit's wording for err: the djb text for a system error number found
// anywhere in err's chain, else err's own message.
func Text(err error) string {
	if err == nil {
		return ""
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if s, ok := table[errno]; ok {
			return s
		}
		return errno.Error()
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
