package supervise

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
		if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1e6 {
			o.stopTimeout = time.Duration(f * float64(time.Second))
		} else {
			s.warnOnce("stop-timeout", "stop-timeout: not a number of seconds: "+v)
		}
	}
	if v, ok := s.optionValue(dir, "notification-fd"); ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 3 && n < 1024 {
			o.notifyFD = n
		} else {
			s.warnOnce("notification-fd", "notification-fd: not a descriptor number of 3 or more: "+v)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "notify-socket")); err == nil {
		o.notifySock = true
	}
	if v, ok := s.optionValue(dir, "backoff"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 1e6 {
			o.backoffMax = time.Duration(f * float64(time.Second))
		} else {
			s.warnOnce("backoff", "backoff: not a number of seconds of 1 or more: "+v)
		}
	}
	return o
}

// optionValue returns the first line of an option file, trimmed, if the file exists.
func (s *Service) optionValue(dir, name string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return "", false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line), true
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
