package status

import (
	"errors"

	"golang.org/x/sys/unix"
)

// ExtraMax bounds what is read of a supervise/ extension file (ready, backoff,
// notify-status): each holds a line; more is someone else's doing, not ours to load.
const ExtraMax = 4096

// ErrNotRegular: a supervise/ file that should be a regular file is something else (a
// FIFO, a device), which is never read: opening or reading it could block for good.
var ErrNotRegular = errors.New("not a regular file")

// ReadExtra reads a supervise/ extension file written by the supervisor: a regular file
// only, opened without blocking and without becoming a controlling terminal, at most
// ExtraMax bytes. A reader such as sv (root's, on a user's service) never hangs on it.
func ReadExtra(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, ErrNotRegular
	}
	buf := make([]byte, ExtraMax)
	n := 0
	for n < len(buf) {
		k, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if k == 0 {
			break
		}
		n += k
	}
	return buf[:n], nil
}
