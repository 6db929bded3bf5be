package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The option files are our opt-in additions to runit's service directory, written by
// whoever sets the service up and read by runsv before each start of ./run (names.go):
//
//	stop-tree        (exists)  stop the service's whole process tree, not just ./run
//	stop-timeout     seconds   after TERM, KILL when ./run has not exited in time
//	notification-fd  N (>= 3)  ./run writes a newline on fd N when it is ready (s6's way)
//	notify-socket    (exists)  ./run gets NOTIFY_SOCKET and sends READY=1 (systemd's way)
//	backoff          seconds   restart delay doubling while ./run keeps dying quickly,
//	                           up to this many seconds
//
// A value is the first line of its file, trimmed (ReadOption); the Decode functions below
// check its range.

// OptionMax bounds the read of an option file: its value is one short line, and a file
// without end (a link to /dev/zero) must not fill the supervisor's memory.
const OptionMax = 4096

var (
	// ErrNotRegular: a file that should be a regular file is something else (a FIFO, a
	// device, a directory), which is never read: opening or reading it could block for good.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLong: an option file whose first line does not end within OptionMax bytes.
	ErrTooLong = fmt.Errorf("first line longer than %d bytes", OptionMax)
)

// ReadOption reads the option file path: its first line, trimmed. A file that is not a
// regular one is ErrNotRegular, a first line longer than OptionMax ErrTooLong.
func ReadOption(path string) (string, error) {
	b, full, err := readRegular(path, OptionMax)
	if err != nil {
		return "", err
	}
	return OptionLine(b, full)
}

// OptionLine returns the first line of an option file's content b, trimmed; full says b
// is only the file's first OptionMax bytes.
func OptionLine(b []byte, full bool) (string, error) {
	line, _, found := bytes.Cut(b, []byte("\n"))
	if !found && full {
		return "", ErrTooLong
	}
	return strings.TrimSpace(string(line)), nil
}

// DecodeStopTimeout is the value of stop-timeout: more than 0 and less than a million
// seconds (about 11 days), fractions allowed.
func DecodeStopTimeout(v string) (time.Duration, bool) { return seconds(v, 0) }

// DecodeBackoffMax is the value of the backoff option: from 1 to less than a million
// seconds, fractions allowed.
func DecodeBackoffMax(v string) (time.Duration, bool) { return seconds(v, 1) }

// EncodeSeconds is an option file holding d (stop-timeout, backoff).
func EncodeSeconds(d time.Duration) []byte {
	return []byte(strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "\n")
}

// seconds parses an option's number of seconds: at least min, more than 0 and less than
// a million.
func seconds(v string, min float64) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= min && f > 0 && f < 1e6) {
		return 0, false
	}
	d := time.Duration(f * float64(time.Second))
	return d, d > 0
}

// DecodeNotificationFD is the value of notification-fd: a descriptor number from 3 (after
// stdin, stdout and stderr) to 1023.
func DecodeNotificationFD(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 3 && n < 1024
}

// DecodeStatusGroup is the value of status-group: a gid (a number, 1 or more: group 0
// needs no grant) or a group name, which lookup resolves.
func DecodeStatusGroup(v string, lookup func(string) (int, bool)) (int, bool) {
	if n, err := strconv.Atoi(v); err == nil {
		return n, n > 0 && n < 1<<31-1
	}
	if v == "" {
		return 0, false
	}
	n, ok := lookup(v)
	return n, ok && n > 0
}

// EncodeNotificationFD is a notification-fd file naming fd.
func EncodeNotificationFD(fd int) []byte { return []byte(strconv.Itoa(fd) + "\n") }

// readRegular reads at most max bytes of the regular file path; full says it stopped at
// max. It checks the type before the open (opening a device can have effects) and after
// it (the name may have been replaced in between); the open never blocks nor makes a
// terminal the controlling one.
func readRegular(path string, max int) (b []byte, full bool, err error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, false, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, false, ErrNotRegular
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, false, err
	}
	defer unix.Close(fd)
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, false, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, false, ErrNotRegular
	}
	buf := make([]byte, max)
	n := 0
	for n < len(buf) {
		k, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if k == 0 {
			break
		}
		n += k
	}
	return buf[:n], n == len(buf), nil
}
