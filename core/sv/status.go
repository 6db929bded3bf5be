// Package sv is runit's sv: it reads a service's supervise/ files, sends control bytes
// to its runsv, waits for the requested state and prints runit's status lines, with
// runit 2.1.2's output and exit codes (and 2.3's fixes, see Main). The status reading
// (Read, Line) is kept apart from the command line so that other clients (a JSON
// status) can reuse it.
package sv

import (
	"errors"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

// Status is one service's state as sv sees it: the supervise/status record plus
// whether the service is normally up (no ./down file).
type Status struct {
	Pid        int            // pid of ./run or ./finish, 0 when none
	State      protocol.State // down, run, finish (other values are kept as read)
	Want       protocol.Want  // 'u' or 'd' (exit is stored as 'd'), or whatever byte was stored
	Paused     bool
	Term       bool      // runsv sent TERM and the process has not exited yet
	Since      time.Time // last state change
	NormallyUp bool      // ./down does not exist
	DownErr    error     // stat of ./down failed for another reason than ENOENT

	// Our additions, shown only for services that use them (runit's output is unchanged
	// otherwise): readiness through ./notification-fd, and a crash-loop backoff.
	ReadyDeclared bool   // ./notification-fd or ./notify-socket: the service says when it is ready
	Ready         bool   // supervise/ready names the running process
	Backoff       int    // seconds the crash-loop backoff holds the service down, 0 when none
	Deaths        int    // quick deaths in a row behind the backoff
	StatusText    string // the last STATUS= a notify-socket service sent
}

// Age is the number of whole seconds since the last state change as sv prints it:
// whole-second difference, never negative.
func (s Status) Age(now time.Time) int64 {
	d := now.Unix() - s.Since.Unix()
	if d < 0 {
		return 0
	}
	return d
}

// ErrNotRunning means supervise/ok has no reader: no runsv serves the directory.
var ErrNotRunning = errors.New("runsv not running")

// Error is a failure to read the supervise files, worded as sv reports it
// ("unable to open supervise/ok" plus the errno text, or "... : bad format").
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Read reads the status of the service in dir (dir/supervise). It first checks that a
// runsv holds supervise/ok open (ErrNotRunning otherwise), then reads supervise/status,
// then stats dir/down.
func Read(dir string) (Status, error) {
	var b [protocol.Size]byte
	if err := readRaw(dir, &b); err != nil {
		return Status{}, err
	}
	return decode(dir, &b), nil
}

// readRaw does Read's work into b. Like C sv's one status buffer, b keeps whatever a
// failed or short read left in it, which sv's log status line shows (see client.status).
func readRaw(dir string, b *[protocol.Size]byte) error {
	sup := join(dir, protocol.SuperviseDir+"/")
	fd, err := syscall.Open(sup+protocol.OKFile, syscall.O_WRONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		if err == syscall.ENXIO {
			return ErrNotRunning
		}
		return &Error{"unable to open supervise/ok", err}
	}
	syscall.Close(fd)
	// Non-blocking, as C sv's open_read: a FIFO put there must not hang sv.
	f, err := os.OpenFile(sup+protocol.StatusFile, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return &Error{"unable to open supervise/status", errnoOf(err)}
	}
	// One read, as sv does: a file longer than 20 bytes still yields its first 20.
	n, err := f.Read(b[:])
	f.Close()
	if err != nil && err != io.EOF {
		return &Error{"unable to read supervise/status", errnoOf(err)}
	}
	if n != protocol.Size {
		return &Error{"unable to read supervise/status", protocol.ErrFormat}
	}
	return nil
}

// decode turns a raw record into a Status, with NormallyUp from dir/down.
func decode(dir string, b *[protocol.Size]byte) Status {
	r, _ := protocol.Decode(b[:])
	s := Status{
		Pid:    r.Pid,
		State:  r.State,
		Want:   r.Want,
		Paused: r.Paused,
		Term:   r.Term,
		Since:  r.Time,
	}
	sup := join(dir, protocol.SuperviseDir+"/")
	_, errFD := os.Stat(join(dir, protocol.NotificationFDFile))
	_, errSock := os.Stat(join(dir, protocol.NotifySocketFile))
	if errSock == nil {
		b, _ := protocol.ReadExtra(sup + protocol.NotifyStatusFile)
		s.StatusText = protocol.DecodeNotifyStatus(b)
	}
	if errFD == nil || errSock == nil {
		s.ReadyDeclared = true
		b, _ := protocol.ReadExtra(sup + protocol.ReadyFile)
		s.Ready = s.Pid != 0 && protocol.DecodeReady(b) == s.Pid
	}
	if b, err := protocol.ReadExtra(sup + protocol.BackoffFile); err == nil {
		s.Backoff, s.Deaths = protocol.DecodeBackoff(b)
	}
	if _, err := os.Stat(join(dir, protocol.DownFile)); err == nil {
		s.NormallyUp = false
	} else if errors.Is(err, syscall.ENOENT) {
		s.NormallyUp = true
	} else {
		s.DownErr = errnoOf(err)
	}
	return s
}

// LogDir reports whether dir has a log service: (false, nil) when dir/log does not
// exist, an error (as chdir would give it, e.g. ENOTDIR) when it exists but is no
// directory.
func LogDir(dir string) (bool, error) {
	fi, err := os.Stat(join(dir, protocol.LogDir))
	if err != nil {
		if errors.Is(err, syscall.ENOENT) {
			return false, nil
		}
		return false, errnoOf(err)
	}
	if !fi.IsDir() {
		return false, syscall.ENOTDIR
	}
	return true, nil
}

// Line is sv's status text for s without a trailing newline, e.g.
// "run: NAME: (pid 123) 5s, normally down, want down".
func Line(name string, s Status, now time.Time) string {
	b := make([]byte, 0, 80)
	switch s.State {
	case protocol.Down:
		b = append(b, "down: "...)
	case protocol.Run:
		b = append(b, "run: "...)
	case protocol.Finish:
		b = append(b, "finish: "...)
	}
	b = append(b, name...)
	b = append(b, ": "...)
	if s.State != protocol.Down {
		b = append(b, "(pid "...)
		b = strconv.AppendInt(b, int64(s.Pid), 10)
		b = append(b, ") "...)
	}
	b = strconv.AppendInt(b, s.Age(now), 10)
	b = append(b, 's')
	if s.Pid != 0 && !s.NormallyUp {
		b = append(b, ", normally down"...)
	}
	if s.Pid == 0 && s.NormallyUp {
		b = append(b, ", normally up"...)
	}
	if s.Pid != 0 && s.Paused {
		b = append(b, ", paused"...)
	}
	if s.Pid == 0 && s.Want == protocol.WantUp {
		b = append(b, ", want up"...)
	}
	if s.Pid != 0 && s.Want == protocol.WantDown {
		b = append(b, ", want down"...)
	}
	if s.Pid != 0 && s.Term {
		b = append(b, ", got TERM"...)
	}
	if s.ReadyDeclared && s.Pid != 0 && s.State == protocol.Run {
		if s.Ready {
			b = append(b, ", ready"...)
		} else {
			b = append(b, ", not ready"...)
		}
	}
	if s.Backoff > 0 && s.Pid == 0 {
		b = append(b, ", crash-looping"...)
	}
	return string(b)
}

// join is dir + "/" + name without cleaning, so that the kernel resolves it exactly as
// chdir(dir) followed by a relative open would.
func join(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	if dir[len(dir)-1] == '/' {
		return dir + name
	}
	return dir + "/" + name
}

// errnoOf strips *os.PathError and friends down to the errno when there is one.
func errnoOf(err error) error {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return err
}

// Report is a service's status together with its log service's: what `sv status`
// shows, as data (for a JSON status, say).
type Report struct {
	Status
	Log    *Status // nil when the service has no log/ directory or it could not be read
	LogErr error   // why log/ could not be read (ENOTDIR, ErrNotRunning, *Error), else nil
}

// ReadReport reads the service in dir and, when dir/log exists, its log service.
func ReadReport(dir string) (Report, error) {
	s, err := Read(dir)
	if err != nil {
		return Report{}, err
	}
	r := Report{Status: s}
	has, err := LogDir(dir)
	if err != nil {
		r.LogErr = err
		return r, nil
	}
	if has {
		l, err := Read(join(dir, protocol.LogDir))
		if err != nil {
			r.LogErr = err
		} else {
			r.Log = &l
		}
	}
	return r, nil
}

// Dir is the directory sv uses for the service argument name: names that do not start
// with '/' or '.', are not empty and do not end in '/' are looked up in svdir.
func Dir(svdir, name string) string {
	if name != "" && name[0] != '/' && name[0] != '.' && name[len(name)-1] != '/' {
		return join(svdir, name)
	}
	return name
}
