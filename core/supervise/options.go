package supervise

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// options are the opt-in additions to runit's service directory, read before each start
// of ./run so that changing them needs no restart of the supervisor. A directory without
// these files behaves exactly as under runit.
//
//	stop-tree        (exists)  stop the service's whole process tree, not just ./run
//	stop-timeout     seconds   after TERM, KILL when ./run has not exited in time
//	notification-fd  N (>= 3)  ./run writes a newline on fd N when it is ready (s6's way)
//	notify-socket    (exists)  ./run gets NOTIFY_SOCKET and sends READY=1 (systemd's way)
//	backoff          seconds   restart delay doubling while ./run keeps dying within
//	                           10 s, up to this many seconds
type options struct {
	tree        bool
	stopTimeout time.Duration
	notifyFD    int
	notifySock  bool
	backoffMax  time.Duration
}

func (s *Service) readOptions(dir string) options {
	var o options
	if _, err := os.Stat(filepath.Join(dir, "stop-tree")); err == nil {
		o.tree = true
	}
	if v, ok := s.optionValue(dir, "stop-timeout"); ok {
		if d, ok := seconds(v, 0); ok {
			o.stopTimeout = d
		} else {
			s.warnOnce("stop-timeout", "stop-timeout: not a number of seconds: "+v)
		}
	}
	if v, ok := s.optionValue(dir, "notification-fd"); ok {
		if n, ok := descriptor(v); ok {
			o.notifyFD = n
		} else {
			s.warnOnce("notification-fd", "notification-fd: not a descriptor number of 3 or more: "+v)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "notify-socket")); err == nil {
		o.notifySock = true
	}
	if v, ok := s.optionValue(dir, "backoff"); ok {
		if d, ok := seconds(v, 1); ok {
			o.backoffMax = d
		} else {
			s.warnOnce("backoff", "backoff: not a number of seconds of 1 or more: "+v)
		}
	}
	return o
}

// seconds parses an option's number of seconds: at least min, more than 0 and less than
// a million (about 11 days).
func seconds(v string, min float64) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= min && f > 0 && f < 1e6) {
		return 0, false
	}
	d := time.Duration(f * float64(time.Second))
	return d, d > 0
}

// descriptor parses notification-fd: a descriptor number from 3 (after stdin, stdout and
// stderr) to 1023.
func descriptor(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 3 && n < 1024
}

// optionMax bounds the read of an option file: its value is one short line, and a file
// without end (a link to /dev/zero) must not fill the supervisor's memory.
const optionMax = 4096

// optionValue returns the first line of an option file, trimmed, and whether there is one
// to use. A file that is not a regular one (a FIFO would hang the open, a device the
// read), that cannot be read or whose first line is longer than optionMax is a warning,
// and the option keeps its default.
func (s *Service) optionValue(dir, name string) (string, bool) {
	v, err := readOption(filepath.Join(dir, name))
	if err != nil {
		if !errors.Is(err, unix.ENOENT) {
			s.warnOnce(name, name+": "+errText(err))
		}
		return "", false
	}
	return v, true
}

var (
	errNotRegular = errors.New("not a regular file")
	errTooLong    = fmt.Errorf("first line longer than %d bytes", optionMax)
)

// readOption reads the first line of the regular file path, trimmed. It checks the type
// before the open (opening a device can have effects) and after it (the name may have
// been replaced in between); the open never blocks.
func readOption(path string) (string, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return "", err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return "", errNotRegular
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	defer unix.Close(fd)
	if err := unix.Fstat(fd, &st); err != nil {
		return "", err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return "", errNotRegular
	}
	var buf [optionMax]byte
	n := 0
	for n < len(buf) {
		k, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return "", err
		}
		if k == 0 {
			break
		}
		n += k
	}
	return optionLine(buf[:n], n == len(buf))
}

// optionLine returns the first line of an option file's content b, trimmed; full says b
// is only the file's first optionMax bytes.
func optionLine(b []byte, full bool) (string, error) {
	line, _, found := bytes.Cut(b, []byte("\n"))
	if !found && full {
		return "", errTooLong
	}
	return strings.TrimSpace(string(line)), nil
}

// warnOnce says a complaint about an option file once, not at every restart.
func (s *Service) warnOnce(key, msg string) {
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	if !s.warned[key] {
		s.warned[key] = true
		s.warn(msg, nil)
	}
}
