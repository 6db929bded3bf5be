// Package errstr turns errors into the short texts runit prints after a colon (djb's
// error_str table), e.g. ENOENT is "file does not exist", not strerror's wording. Every
// tool prints errno through this one table so that messages match C runit byte for byte.
package errstr

import (
	"errors"
	"strconv"
	"syscall"
)

// texts maps an errno to runit's wording. Errnos that share a value on some systems
// (EAGAIN/EWOULDBLOCK) are listed once.
var texts = map[syscall.Errno]string{
	syscall.EINTR:           "interrupted system call",
	syscall.ENOMEM:          "out of memory",
	syscall.ENOENT:          "file does not exist",
	syscall.ETXTBSY:         "text busy",
	syscall.EIO:             "input/output error",
	syscall.EEXIST:          "file already exists",
	syscall.ETIMEDOUT:       "timed out",
	syscall.EINPROGRESS:     "operation in progress",
	syscall.EAGAIN:          "temporary failure",
	syscall.EPIPE:           "broken pipe",
	syscall.EPERM:           "permission denied",
	syscall.EACCES:          "access denied",
	syscall.ENXIO:           "device not configured",
	syscall.EPROTO:          "protocol error",
	syscall.EISDIR:          "is a directory",
	syscall.ESPIPE:          "unseekable descriptor",
	syscall.ENOTDIR:         "not a directory",
	syscall.ENOEXEC:         "exec format error",
	syscall.ENOSPC:          "out of disk space",
	syscall.EBADF:           "file descriptor not open",
	syscall.EINVAL:          "invalid argument",
	syscall.ESRCH:           "no such process",
	syscall.E2BIG:           "argument list too long",
	syscall.ECHILD:          "no child processes",
	syscall.EFAULT:          "bad address",
	syscall.EBUSY:           "device busy",
	syscall.EXDEV:           "cross-device link",
	syscall.ENODEV:          "device does not support operation",
	syscall.ENFILE:          "system cannot open more files",
	syscall.EMFILE:          "process cannot open more files",
	syscall.ENOTTY:          "not a tty",
	syscall.EFBIG:           "file too big",
	syscall.EROFS:           "read-only file system",
	syscall.EMLINK:          "too many links",
	syscall.EDOM:            "input out of range",
	syscall.ERANGE:          "output out of range",
	syscall.EDEADLK:         "operation would cause deadlock",
	syscall.ENAMETOOLONG:    "file name too long",
	syscall.ENOLCK:          "no locks available",
	syscall.ENOSYS:          "system call not available",
	syscall.ENOTEMPTY:       "directory not empty",
	syscall.ELOOP:           "symbolic link loop",
	syscall.ENOTSOCK:        "not a socket",
	syscall.EMSGSIZE:        "message too long",
	syscall.EADDRINUSE:      "address in use",
	syscall.EADDRNOTAVAIL:   "address not available",
	syscall.ENETDOWN:        "network down",
	syscall.ENETUNREACH:     "network unreachable",
	syscall.ECONNABORTED:    "connection aborted",
	syscall.ECONNRESET:      "connection reset",
	syscall.ENOBUFS:         "out of buffer space",
	syscall.EISCONN:         "already connected",
	syscall.ENOTCONN:        "not connected",
	syscall.ECONNREFUSED:    "connection refused",
	syscall.EHOSTUNREACH:    "host unreachable",
	syscall.EALREADY:        "operation already in progress",
	syscall.ESTALE:          "stale NFS file handle",
	syscall.EDQUOT:          "disk quota exceeded",
	syscall.EPROTONOSUPPORT: "protocol not supported",
	syscall.EAFNOSUPPORT:    "address family not supported",
}

// Text returns runit's text for err's errno (looked up through wrapping, as in
// *os.PathError), "error N" for an errno outside the table, and err.Error() for an
// error that carries no errno.
func Text(err error) string {
	if err == nil {
		return "no error"
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		if s, ok := texts[e]; ok {
			return s
		}
		return "error " + strconv.Itoa(int(e))
	}
	return err.Error()
}
