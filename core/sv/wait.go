package sv

import (
	"errors"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
)

const (
	// cPoll is C sv's pause between checks. The wait ends where C's would: at the first
	// check past it, so -w 0 still looks once more after 420 ms, as C sv does.
	cPoll = 420 * time.Millisecond
	// settle is how long a process must have run to count as up (or as restarted by
	// term/kill). C sv looks only every 420 ms and so never sees a ./run that exits at
	// once; this sees every change as it happens and would report such a
	// crash-looping service as up.
	settle = 100 * time.Millisecond
)

// waitLoop checks every live service until each reached its state or timed out. Where
// C sv sleeps 420 ms between checks, this waits for the supervise directories to change
// (runsv renames status.new over status), re-checking soon after every change (runsv
// may exit or start a process a moment after writing) and at least every recheck.
func (c *client) waitLoop() {
	w, err := platform.WatchDirs(c.superviseDirs()...)
	if err != nil {
		w = nil // no notification: the bounded re-check alone still works
	} else {
		defer w.Close()
	}
	if c.kill {
		for _, s := range c.svc {
			if s.live {
				s.wait = stopTimeout(s.dir)
			}
		}
	}
	step := recheck
	elapsed := time.Duration(0) // the first check counts as instantaneous, as in C sv
	for {
		if !c.checkLive(elapsed) {
			return
		}
		if d := c.untilNext(step); d > 0 {
			step = pause(w, d, step)
		}
		c.now = time.Now()
		elapsed = c.now.Sub(c.start)
	}
}

// inSvDir says whether waitLoop looks service s up in $SVDIR. Every check finds the
// service again, as C sv's does, but only by the leading '/' or '.' test: a name that
// ends in '/' ("x/"), taken from the current directory for the command, is looked up in
// $SVDIR now.
func inSvDir(s *service) bool { return s.name[0] != '/' && s.name[0] != '.' }

// superviseDirs returns the supervise directories (the service's and its log's) of every
// live service, for waitLoop to watch.
func (c *client) superviseDirs() []string {
	var dirs []string
	for _, s := range c.svc {
		if !s.live {
			continue
		}
		d := s.name
		if inSvDir(s) {
			d = c.nameDir(s.name)
		}
		if isDir(d) == nil {
			dirs = append(dirs, join(d, protocol.SuperviseDir), join(d, protocol.LogDir+"/"+protocol.SuperviseDir))
		}
	}
	return dirs
}

// deadline is how long after the start waitLoop gives service s: its wait rounded, as C
// sv's, to the first check past it.
func (c *client) deadline(s *service) time.Duration {
	return (max(c.wait, s.wait)/cPoll + 1) * cPoll
}

// checkLive checks every live service once, elapsed after the start, and retires those
// that reached their state, failed or timed out. It reports whether any is left to wait
// for.
func (c *client) checkLive(elapsed time.Duration) bool {
	pending := false
	c.wake = time.Time{}
	for _, s := range c.svc {
		if !s.live {
			continue
		}
		if !c.resolve(s, inSvDir(s)) {
			s.live = false
			continue
		}
		if c.check(s, c.acts) != 0 {
			s.live = false
			continue
		}
		if elapsed >= c.deadline(s) {
			c.timeout(s)
			s.live = false
			continue
		}
		pending = true
	}
	c.out.Flush()
	return pending
}

// untilNext returns how long waitLoop may wait before the next check: step, or less to
// wake at a deadline so that the timeout is reported on time, or when a process has run
// long enough to count as started.
func (c *client) untilNext(step time.Duration) time.Duration {
	d := step
	for _, s := range c.svc {
		if rem := c.deadline(s) - time.Since(c.start); s.live && rem < d {
			d = rem
		}
	}
	if !c.wake.IsZero() {
		if rem := time.Until(c.wake); rem < d {
			d = rem
		}
	}
	return d
}

// pause waits d, or less when watcher w (nil: none) sees a supervise directory change.
// It returns the next step: a millisecond after a change, else twice step up to recheck.
func pause(w platform.Watcher, d, step time.Duration) time.Duration {
	changed := false
	if w != nil {
		changed, _ = w.Wait(d)
	} else {
		time.Sleep(d)
	}
	if changed {
		return time.Millisecond
	}
	if step *= 2; step > recheck {
		step = recheck
	}
	return step
}

// timeout reports a service that did not reach its state in time ("timeout:" or, for
// the force-* commands, "kill:" followed by sending k).
func (c *client) timeout(s *service) {
	if c.kill {
		c.out.WriteString("kill: ")
	} else {
		c.out.WriteString("timeout: ")
	}
	if st, r := c.get(s, s.dir); r > 0 {
		c.print(s, s.name, st)
		c.rc++
	}
	c.out.WriteString("\n")
	if c.kill {
		c.control(s, "k")
	}
}

// check tests whether the service reached what acts asked for: 1 reached (ok printed),
// 0 not yet, -1 failed (reported).
func (c *client) check(s *service, acts string) int {
	st, r := c.get(s, s.dir)
	if r < 0 {
		return -1
	}
	// The status time compared with the start of sv, to the microsecond runsv stores.
	changed := !st.Since.Before(c.start.Truncate(time.Microsecond))
	// A process that has not run for settle yet.
	young := false
	if st.Pid != 0 {
		if until := st.Since.Add(settle); c.now.Before(until) {
			young = true
			if c.wake.IsZero() || until.Before(c.wake) {
				c.wake = until
			}
		}
	}
	for i := 0; i < len(acts); i++ {
		a := acts[i]
		if r == 0 {
			if a == protocol.CtlExit {
				return 1 // runsv is gone, as asked ("ok: NAME: runsv not running" printed)
			}
			return -1
		}
		if a == 'C' {
			// runit 2.3: check waits for the requested state.
			a = protocol.CtlDown
			if st.Want == protocol.WantUp {
				a = protocol.CtlUp
			}
		}
		switch a {
		case protocol.CtlExit:
			return 0
		case protocol.CtlUp:
			// A service that declares readiness (notification-fd) is up when it says so.
			if st.Pid == 0 || st.State != protocol.Run || young || (st.ReadyDeclared && !st.Ready) || !c.checkScript(s) {
				return 0
			}
		case protocol.CtlDown:
			if st.Pid != 0 || st.State != protocol.Down {
				return 0
			}
		case protocol.CtlCont:
			if st.Pid != 0 && st.Paused {
				return 0
			}
		case protocol.CtlPause:
			if st.Pid != 0 && !st.Paused {
				return 0
			}
		case protocol.CtlOnce:
			if (st.Pid == 0 && !changed) || (st.Pid != 0 && st.Want != protocol.WantDown) {
				return 0
			}
		case protocol.CtlTerm, protocol.CtlKill:
			if st.Pid == 0 && st.Want == protocol.WantDown {
				break
			}
			if !changed || st.Pid == 0 || st.Term || young || !c.checkScript(s) {
				return 0
			}
		}
	}
	c.out.WriteString("ok: ")
	c.print(s, s.name, st)
	c.out.WriteString("\n")
	return 1
}

// checkScript runs the service's ./check, if any, with stdout closed: exit 0 means
// available. As in C sv, a check killed by a signal, or one that cannot be executed,
// counts as success.
func (c *client) checkScript(s *service) bool {
	if _, err := os.Stat(join(s.dir, "check")); err != nil {
		if errors.Is(err, syscall.ENOENT) {
			return true
		}
		c.stderr("warning: unable to stat " + s.name + "/check: " + errstr.Text(err) + "\n")
		return false
	}
	dir := s.dir
	if dir == "" {
		dir = "."
	}
	// execve("check") with argv[0] "./check", as C sv: a script's $0, and so its error
	// messages, read "check".
	p, err := os.StartProcess("check", []string{"./check"}, &os.ProcAttr{
		Dir:   dir,
		Files: []*os.File{os.Stdin, nil, os.Stderr}, // nil: fd 1 closed in the child
	})
	if err != nil {
		c.stderr("warning: unable to run " + s.name + "/check: " + errstr.Text(err) + "\n")
		return true
	}
	ps, err := p.Wait()
	if err != nil {
		c.stderr("warning: unable to wait for " + s.name + "/check: " + errstr.Text(err) + "\n")
		return false
	}
	return ps.ExitCode() <= 0 // -1: killed by a signal, which C sv counts as success
}

func (c *client) stderr(msg string) {
	c.out.Flush()
	io.WriteString(c.errw, msg)
}

// stopTimeout is the service's own stop-timeout (0 without a valid one): how long it asked
// to be given after TERM before KILL, which force-* then waits too.
func stopTimeout(dir string) time.Duration {
	v, err := protocol.ReadOption(join(dir, protocol.StopTimeoutFile))
	if err != nil {
		return 0
	}
	d, _ := protocol.DecodeStopTimeout(v)
	return d
}
