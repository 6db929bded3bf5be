package supervise

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// setTree creates or drops the process-tree confinement as the stop-tree file says (on).
func (s *Service) setTree(on bool) {
	switch {
	case on && s.tree == nil:
		var note string
		s.tree, note = platform.NewTree(s.cfg.Name)
		if note != "" {
			s.warnOnce("tree", "stop-tree: "+note)
		}
	case !on && s.tree != nil:
		s.tree.Close()
		s.tree = nil
	}
}

// readNotification waits for ./run (pid) to write a newline on its notification fd, as
// s6's notification-fd protocol has it, and reports readiness once.
func (s *Service) readNotification(fd, pid int) {
	defer unix.Close(fd)
	var buf [64]byte
	for {
		n, err := unix.Read(fd, buf[:])
		if err == unix.EINTR {
			continue
		}
		if n <= 0 || err != nil {
			return // closed without a newline: never ready
		}
		for _, c := range buf[:n] {
			if c == '\n' {
				s.send(s.readyCh, pid)
				return
			}
		}
	}
}

// writeReady keeps supervise/ready: the pid of the process that declared readiness, or
// empty. It is a file of its own so that supervise/status stays runit's 20 bytes.
func (s *Service) writeReady(u *unit) {
	pid := 0
	if u.ready {
		pid = u.pid
	}
	s.replace(filepath.Join(u.dir, protocol.SuperviseDir), u.rel, protocol.ReadyFile, protocol.EncodeReady(pid))
}

// writeBackoff keeps supervise/backoff: "SECONDS DEATHS" while a crash loop holds the
// service down, empty otherwise. sv shows it as a crash-looping state.
func (s *Service) writeBackoff(u *unit, delay time.Duration) {
	s.replace(filepath.Join(u.dir, protocol.SuperviseDir), u.rel, protocol.BackoffFile, protocol.EncodeBackoff(delay, u.quick))
}

// openNotify opens the NOTIFY_SOCKET of the service once, and reads its messages.
func (s *Service) openNotify(u *unit) {
	if s.notify != nil {
		return
	}
	f, env, err := platform.NotifySocket(u.dir)
	if err != nil {
		s.warnOnce("notify-socket", "notify-socket: unable to create the socket: "+errText(err))
		return
	}
	s.notify, s.notifyEnv = f, env
	go s.readNotifySocket(f)
}

// notifyRate is how many datagrams a second a notify socket is read at most, after a
// burst of as many: beyond it a flood waits in the kernel's queue, its senders blocked,
// and costs the supervisor nothing.
const notifyRate = 64

// notifyMsg is what one notify datagram says, and who sent it.
type notifyMsg struct {
	from      platform.NotifySender
	child     int  // our child (./run, if the sender is the service's) the sender descends from; 0 for none
	gone      bool // the sender exited before its parents could be followed
	ready     bool
	status    string
	hasStatus bool
}

// readNotifySocket takes systemd's sd_notify messages: newline-separated VAR=value
// assignments, one message a datagram. READY=1 marks the running ./run ready; STATUS=
// goes to supervise/notify-status. Others (STOPPING=1, RELOADING=1, MAINPID=) are ignored.
// Who sent a message is found out here, at once (the sender may exit soon after); the
// loop decides whether it is the service (notified).
func (s *Service) readNotifySocket(f *os.File) {
	buf := make([]byte, 4096)
	tokens, last := float64(notifyRate), time.Now()
	for {
		now := time.Now()
		tokens = min(notifyRate, tokens+now.Sub(last).Seconds()*notifyRate)
		last = now
		if tokens < 1 {
			t := time.NewTimer(time.Duration((1 - tokens) / notifyRate * float64(time.Second)))
			select {
			case <-t.C:
			case <-s.quit:
				t.Stop()
				return
			}
			continue
		}
		tokens--
		n, from, err := platform.NotifyRead(f, buf)
		if err != nil {
			return
		}
		m := notifyMsg{from: from}
		for line := range bytes.SplitSeq(buf[:n], []byte("\n")) {
			if string(line) == "READY=1" {
				m.ready = true
			} else if text, ok := bytes.CutPrefix(line, []byte("STATUS=")); ok {
				m.status, m.hasStatus = string(text), true
			}
		}
		if !m.ready && !m.hasStatus {
			continue
		}
		if from.Known {
			m.child, err = platform.ChildAncestor(from.Pid)
			m.gone = errors.Is(err, platform.ErrGone)
		}
		select {
		case s.statusCh <- m:
		case <-s.quit:
			return
		}
	}
}

// notified applies a notify message if the service sent it: ./run or a process descending
// from it, or, when the sender exited before it could be traced, a process of ./run's user
// (which could signal or trace ./run anyway). Where the system does not say who sent a
// message, every message counts.
func (s *Service) notified(m notifyMsg) {
	if !s.fromService(m) {
		s.warnOnce("notify-from", fmt.Sprintf("notify-socket: ignored a message from pid %d (uid %d), not a process of the service",
			m.from.Pid, m.from.Uid))
		return
	}
	if m.hasStatus {
		s.replace(filepath.Join(s.main.dir, protocol.SuperviseDir), s.main.rel, protocol.NotifyStatusFile, protocol.EncodeNotifyStatus(m.status))
	}
	if m.ready {
		s.step(&s.main, event{kind: evReady, pid: -1})
	}
}

func (s *Service) fromService(m notifyMsg) bool {
	switch {
	case !m.from.Known:
		return true
	case s.main.pid == 0:
		return false
	case m.child == s.main.pid:
		return true
	case m.gone:
		uid, err := platform.ProcessUid(s.main.pid)
		return err == nil && uid == m.from.Uid
	}
	return false
}

// send hands v to the loop, or reports false when the service is gone.
func (s *Service) send(ch chan<- int, v int) bool {
	select {
	case ch <- v:
		return true
	case <-s.quit:
		return false
	}
}
