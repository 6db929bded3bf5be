package supervise

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"golang.org/x/sys/unix"
)

// options are the opt-in additions to runit's service directory (the option files of
// package protocol: stop-tree, stop-timeout, notification-fd, notify-socket, backoff),
// read before each start of ./run so that changing them needs no restart of the
// supervisor. A directory without these files behaves exactly as under runit.
type options struct {
	tree        bool
	stopTimeout time.Duration
	notifyFD    int
	notifySock  bool
	backoffMax  time.Duration
}

func (s *Service) readOptions(dir string) options {
	var o options
	if _, err := os.Stat(filepath.Join(dir, protocol.StopTreeFile)); err == nil {
		o.tree = true
	}
	if v, ok := s.optionValue(dir, protocol.StopTimeoutFile); ok {
		if d, ok := protocol.DecodeStopTimeout(v); ok {
			o.stopTimeout = d
		} else {
			s.warnOnce("stop-timeout", "stop-timeout: not a number of seconds: "+v)
		}
	}
	if v, ok := s.optionValue(dir, protocol.NotificationFDFile); ok {
		if n, ok := protocol.DecodeNotificationFD(v); ok {
			o.notifyFD = n
		} else {
			s.warnOnce("notification-fd", "notification-fd: not a descriptor number of 3 or more: "+v)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, protocol.NotifySocketFile)); err == nil {
		o.notifySock = true
	}
	if v, ok := s.optionValue(dir, protocol.BackoffMaxFile); ok {
		if d, ok := protocol.DecodeBackoffMax(v); ok {
			o.backoffMax = d
		} else {
			s.warnOnce("backoff", "backoff: not a number of seconds of 1 or more: "+v)
		}
	}
	return o
}

// optionValue returns the value of an option file and whether there is one to use. A
// file that is not a regular one (a FIFO would hang the open, a device the read), that
// cannot be read or whose first line is too long is a warning, and the option keeps its
// default.
func (s *Service) optionValue(dir, name string) (string, bool) {
	v, err := protocol.ReadOption(filepath.Join(dir, name))
	if err != nil {
		if !errors.Is(err, unix.ENOENT) {
			s.warnOnce(name, name+": "+errText(err))
		}
		return "", false
	}
	return v, true
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
