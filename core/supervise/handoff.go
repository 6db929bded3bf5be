package supervise

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/poller"
	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
)

// The logger hand-over (see core/svlog/pool.go for svlogd's side). Each supervisor process
// listens on one abstract socket and names it to log/run in handoffVar. An svlogd exec'd by
// log/run may pass its work to a logger pool and its pool connection to us; we take it
// only from the log unit's current pid, and from then on the log unit is the pooled logger:
// its pid is the pool's, its signals go as bytes on the connection, and its exit is what
// the pool reports (a pool that dies counts as a kill).

// handoffVar is svlog.HandoffEnv (not imported: the supervisor does not link svlogd).
const handoffVar = "RUNIT_SVLOGD_HANDOFF"

// PoolLoggers says whether log/run is offered the hand-over: unless the supervisor's
// environment has RUNIT_LOGPOOL=0 (then every svlogd is a process, as C svlogd). Where the
// platform has no abstract sockets, it is never offered.
var PoolLoggers = os.Getenv("RUNIT_LOGPOOL") != "0"

var handoff struct {
	once    sync.Once
	env     string // handoffVar=@name, "" when there is no listener
	mu      sync.Mutex
	waiting map[int]*Service // log/run pids that may still hand over
}

// handoffReq is an svlogd's request, for the service loop to decide.
type handoffReq struct {
	pid, poolPid int
	conn         int
	reply        chan bool
}

// handoffEnv returns env with the hand-over variable for log/run, or env unchanged.
func handoffEnv(env []string) []string {
	if !PoolLoggers {
		return env
	}
	handoff.once.Do(handoffListen)
	if handoff.env == "" {
		return env
	}
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+1)
	for _, e := range env {
		if !strings.HasPrefix(e, handoffVar+"=") {
			out = append(out, e)
		}
	}
	return append(out, handoff.env)
}

func handoffListen() {
	// Random, so that no one can take the name first (see platform's NotifyAddr).
	name := "runit-supervise/" + strconv.Itoa(os.Getpid()) + "/" + strconv.FormatUint(rand.Uint64(), 16)
	lfd, err := platform.ListenAbstract(name)
	if err != nil {
		return
	}
	handoff.env = handoffVar + "=@" + name
	// The pool runs from our own executable, which it shares with us (see svlog.HandoffEnv).
	if exe, err := os.Executable(); err == nil {
		handoff.env += ":" + exe
	}
	handoff.waiting = map[int]*Service{}
	go func() {
		for {
			fd, err := platform.Accept(lfd)
			if err != nil {
				time.Sleep(100 * time.Millisecond)
				continue
			}
			go handoffServe(fd)
		}
	}()
}

// expectHandoff records that log/run pid of s may hand over; forgetHandoff that it may not.
func expectHandoff(pid int, s *Service) {
	if handoff.env == "" {
		return
	}
	handoff.mu.Lock()
	handoff.waiting[pid] = s
	handoff.mu.Unlock()
}

func forgetHandoff(pid int) {
	if handoff.env == "" {
		return
	}
	handoff.mu.Lock()
	delete(handoff.waiting, pid)
	handoff.mu.Unlock()
}

// handoffServe answers one svlogd: "ok" once its service took the pool connection, "no"
// otherwise (it then runs by itself).
func handoffServe(fd int) {
	defer unix.Close(fd)
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
	peer, err := platform.PeerCred(fd)
	if err != nil {
		return
	}
	var buf [64]byte
	n, fds, err := platform.RecvFds(fd, buf[:])
	if err != nil {
		return
	}
	ok := false
	f := strings.Fields(string(buf[:n]))
	// The service records log/run's pid just after starting it: an svlogd may be faster,
	// and a loaded host (hundreds of services starting) much slower.
	var s *Service
	for i := 0; s == nil && i < 500; i++ {
		if i > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		handoff.mu.Lock()
		s = handoff.waiting[peer.Pid]
		handoff.mu.Unlock()
	}
	if len(fds) == 1 && len(f) == 3 && f[0] == "pooled" && s != nil {
		poolPid, err := strconv.Atoi(f[1])
		if err == nil && poolPid > 0 {
			r := handoffReq{pid: peer.Pid, poolPid: poolPid, conn: fds[0], reply: make(chan bool, 1)}
			select {
			case s.handoff <- r:
				ok = <-r.reply
				fds = nil // the service loop has it
			case <-s.quit:
			}
		}
	}
	for _, c := range fds {
		unix.Close(c)
	}
	answer := "no"
	if ok {
		answer = "ok"
	}
	platform.SendFds(fd, []byte(answer))
}

// takeHandoff makes the log unit the pooled logger, if r comes from its current log/run.
func (s *Service) takeHandoff(r handoffReq) {
	u := s.log
	if u == nil || u.pid != r.pid || u.pool != nil || u.state != protocol.Run {
		unix.Close(r.conn)
		r.reply <- false
		return
	}
	unix.SetNonblock(r.conn, true)
	forgetHandoff(u.pid)
	child.Forget(u.pid) // svlogd exits once it has our answer; that is not the log's end
	done := make(chan child.Exit, 1)
	u.pid, u.pool, u.done = r.poolPid, &pooled{fd: r.conn}, done
	watchPool(r.conn, r.poolPid, done)
	s.changed(u)
	s.announce() // the record names the pool before svlogd hears "ok" and exits
	r.reply <- true
}

// pooled is the log unit's tie to its pooled logger: the connection the pool gave us.
type pooled struct{ fd int }

// watchPool has the process's poller deliver the pooled logger's end on done (buffered):
// the status the pool reports (one message on the connection), or a kill when the pool is
// gone without saying.
func watchPool(fd, pid int, done chan<- child.Exit) {
	err := poller.Shared().Add(fd, func(b []byte, end bool) bool {
		ws := syscall.WaitStatus(syscall.SIGKILL)
		if v, ok := strings.CutPrefix(string(b), "exit "); ok {
			if st, err := strconv.Atoi(v); err == nil {
				ws = syscall.WaitStatus(st)
			}
		}
		done <- child.Exit{Pid: pid, Status: ws}
		return false
	})
	if err != nil {
		done <- child.Exit{Pid: pid, Status: syscall.WaitStatus(syscall.SIGKILL)}
	}
}

// poolBytes are the control bytes the pool takes for the signals runsv sends.
var poolBytes = map[unix.Signal]byte{unix.SIGTERM: 't', unix.SIGCONT: 'c', unix.SIGSTOP: 'p',
	unix.SIGKILL: 'k', unix.SIGHUP: 'h', unix.SIGALRM: 'a', unix.SIGINT: 'i', unix.SIGQUIT: 'q',
	unix.SIGUSR1: '1', unix.SIGUSR2: '2'}

// unpool ends the log unit's tie to a pool or a pending hand-over, as it exits.
func (s *Service) unpool(u *unit) {
	if u.pool != nil {
		poller.Shared().Remove(u.pool.fd)
		unix.Close(u.pool.fd)
		u.pool = nil
	} else if u.pid != 0 {
		forgetHandoff(u.pid)
	}
}
