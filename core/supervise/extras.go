package supervise

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// quickDeath is how long ./run must live for its death not to count towards the backoff.
const quickDeath = 10 * time.Second

// setTree creates or drops the process-tree confinement as the stop-tree file says.
func (s *Service) setTree() {
	switch {
	case s.opt.tree && s.tree == nil:
		var note string
		s.tree, note = platform.NewTree(s.cfg.Name)
		if note != "" {
			s.warnOnce("tree", "stop-tree: "+note)
		}
	case !s.opt.tree && s.tree != nil:
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
	text := ""
	if u.ready {
		text = strconv.Itoa(u.pid) + "\n"
	}
	s.replace(filepath.Join(u.dir, "supervise"), u.rel, "ready", []byte(text))
}

// backoff delays the next start of a ./run that keeps dying quickly: 1, 2, 4 ... seconds
// up to the backoff file's maximum. The delay is a deadline, not a sleep, so control
// commands are honoured meanwhile.
func (s *Service) backoff(u *unit, now time.Time) {
	if u.started.IsZero() || now.Sub(u.started) >= quickDeath {
		if s.quick > 0 {
			s.quick = 0
			s.writeBackoff(u, 0)
		}
		return
	}
	s.quick++
	if s.quick < 2 {
		return
	}
	delay := time.Second << min(s.quick-1, 20)
	if delay > s.opt.backoffMax {
		delay = s.opt.backoffMax
	}
	if next := now.Add(delay); next.After(u.notBefore) {
		u.notBefore = next
	}
	s.writeBackoff(u, delay)
}

// writeBackoff keeps supervise/backoff: "SECONDS DEATHS" while a crash loop holds the
// service down, empty otherwise. sv shows it as a crash-looping state.
func (s *Service) writeBackoff(u *unit, delay time.Duration) {
	text := ""
	if delay > 0 {
		text = fmt.Sprintf("%d %d\n", int(delay/time.Second), s.quick)
	}
	s.replace(filepath.Join(u.dir, "supervise"), u.rel, "backoff", []byte(text))
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

// readNotifySocket takes systemd's sd_notify messages: newline-separated VAR=value
// assignments, one message a datagram. READY=1 marks the running ./run ready; STATUS=
// goes to supervise/notify-status. Others (STOPPING=1, RELOADING=1, MAINPID=) are ignored.
func (s *Service) readNotifySocket(f *os.File) {
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(buf[:n]), "\n") {
			var sent bool
			if line == "READY=1" {
				sent = s.send(s.readyCh, -1)
			} else if text, ok := strings.CutPrefix(line, "STATUS="); ok {
				sent = s.sendStatus(text)
			} else {
				continue
			}
			if !sent {
				return
			}
		}
	}
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

// sendStatus hands a STATUS= text to the loop, or reports false when the service is gone.
func (s *Service) sendStatus(text string) bool {
	select {
	case s.statusCh <- text:
		return true
	case <-s.quit:
		return false
	}
}
