package scan

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"os/signal"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/supervise"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// HostName is argv[0] of the supervisor host process, which is what ps shows for it.
const HostName = "runsvdir-host"

// host is runsvdir's side of the supervisor host: it starts the host process on demand and
// speaks to it over two pipes. Commands (host's fd 3): "+ID<tab>NAME<tab>PATH" start, "-ID" stop (as
// SIGTERM to a runsv), "x" stop all. Events (host's fd 4): "ID" when a service's supervisor
// ended, as a runsv process exiting would. If the host dies, every service it ran is dead
// and is started again at the next scan, in a new host.
type host struct {
	exe, dir string
	pgrp     bool
	deaths   chan<- int
	mu       sync.Mutex
	cmd      *os.File
	pid      int
	live     map[int]bool
	exited   chan struct{} // closed when the current host process has exited
	adopts   bool          // we are the subreaper: a dead host's processes come to us
}

func newHost(dir string, pgrp bool, deaths chan<- int) (*host, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	// As the subreaper, runsvdir inherits what a dead host leaves running, and can stop it
	// before a new host starts the services again (see stopOrphans).
	adopts := platform.BecomeSubreaper() == nil
	return &host{exe: exe, dir: dir, pgrp: pgrp, deaths: deaths, live: map[int]bool{}, adopts: adopts}, nil
}

// orphanTerm is how long the processes a dead host left get after TERM before KILL: sv's
// default wait, which is what a stop gets.
const orphanTerm = 7 * time.Second

// stopOrphans stops every process a dead host left behind (its ./run, ./finish and log/run
// processes, reparented to us), and returns when they are gone. A new host then starts
// each service once: without this, every service the dead host ran would run twice.
func stopOrphans() {
	signalled := map[int]bool{}
	deadline := time.Now().Add(orphanTerm)
	killed := false
	for {
		kids, err := platform.Children()
		if err != nil || len(kids) == 0 {
			return
		}
		for _, pid := range kids {
			if killed {
				unix.Kill(pid, unix.SIGKILL)
			} else if !signalled[pid] {
				signalled[pid] = true
				unix.Kill(pid, unix.SIGTERM)
				unix.Kill(pid, unix.SIGCONT)
			}
		}
		if !killed && time.Now().After(deadline) {
			killed = true
			continue
		}
		time.Sleep(20 * time.Millisecond) // the reaper collects them as they exit
		child.Reap()
	}
}

func (h *host) ensure() error {
	if h.cmd != nil {
		return nil
	}
	cr, cw, err := platform.Pipe()
	if err != nil {
		return err
	}
	er, ew, err := platform.Pipe()
	if err != nil {
		syscall.Close(cr)
		syscall.Close(cw)
		return err
	}
	pid, done, err := child.Spawn(child.Spec{Path: h.exe, Argv: []string{HostName, h.dir}, Dir: h.dir,
		Files: []uintptr{0, 1, 2, uintptr(cr), uintptr(ew)}, Setsid: h.pgrp})
	syscall.Close(cr)
	syscall.Close(ew)
	if err != nil {
		syscall.Close(cw)
		syscall.Close(er)
		return err
	}
	h.cmd, h.pid = os.NewFile(uintptr(cw), "host commands"), pid
	h.exited = make(chan struct{})
	cmd, exited := h.cmd, h.exited
	go func() {
		sc := bufio.NewScanner(os.NewFile(uintptr(er), "host events"))
		for sc.Scan() {
			if id, err := strconv.Atoi(sc.Text()); err == nil {
				h.mu.Lock()
				delete(h.live, id)
				h.mu.Unlock()
				select {
				case h.deaths <- id:
				case <-exited:
				}
			}
		}
	}()
	go func() {
		<-done
		if h.adopts {
			stopOrphans()
		}
		close(exited)
		h.mu.Lock()
		var lost []int
		if h.cmd == cmd {
			h.cmd.Close()
			h.cmd = nil
			for id := range h.live {
				lost = append(lost, id)
			}
			h.live = map[int]bool{}
		}
		h.mu.Unlock()
		for _, id := range lost {
			select {
			case h.deaths <- id:
			default: // runsvdir is stopping and does not listen
			}
		}
	}()
	return nil
}

func (h *host) send(line string) error {
	if h.cmd == nil {
		return syscall.EPIPE
	}
	_, err := h.cmd.WriteString(line)
	return err
}

func (h *host) start(id int, name, path string) error {
	if strings.ContainsAny(name+path, "\n\t") {
		return syscall.EINVAL
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.ensure(); err != nil {
		return err
	}
	if err := h.send(fmt.Sprintf("+%d\t%s\t%s\n", id, name, path)); err != nil {
		return err
	}
	h.live[id] = true
	return nil
}

func (h *host) stop(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.live, id)
	h.send(fmt.Sprintf("-%d\n", id))
}

func (h *host) stopAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.send("x\n")
}

// stopAndWait tells the host to stop every service, then closes its command pipe: the
// host exits once the last service has, and we wait for that.
func (h *host) stopAndWait() {
	h.mu.Lock()
	h.send("x\n")
	exited := h.exited
	if h.cmd != nil {
		h.cmd.Close()
		h.cmd = nil
	}
	h.mu.Unlock()
	if exited != nil {
		<-exited
	}
}

// Host is the supervisor host process: it runs the runsv engine for each service runsvdir
// names. It outlives runsvdir (as runsv processes do) and exits when, runsvdir being gone or
// having said "x", no service is left.
// Its one argument, the scan directory, is there for ps only.
func Host() int {
	// It holds about ten descriptors per service: room beyond the hard limit it was given,
	// where the system permits (the program starts again for it, before anything else).
	if err := platform.RaiseNofile(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: warning: unable to raise the open-files limit: %v\n", HostName, err)
	}
	debug.SetGCPercent(40) // many small services: keep the heap tight
	// The pipes to runsvdir arrive as fds 3 and 4 without close-on-exec (exec cleared it):
	// no service may inherit them, or it could read runsvdir's commands or forge events.
	unix.CloseOnExec(3)
	unix.CloseOnExec(4)
	child.Start()
	h := &hostSide{events: os.NewFile(4, "events"), svcs: map[int]*supervise.Service{},
		pending: map[int]bool{}, done: make(chan struct{}, 1)}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		for range term {
			h.exitAll()
		}
	}()
	cmds := bufio.NewScanner(os.NewFile(3, "commands"))
	for cmds.Scan() {
		line := cmds.Text()
		switch {
		case strings.HasPrefix(line, "+"):
			if f := strings.Split(line[1:], "\t"); len(f) == 3 {
				if id, err := strconv.Atoi(f[0]); err == nil {
					h.add(id, f[1], f[2])
				}
			}
		case strings.HasPrefix(line, "-"):
			if id, err := strconv.Atoi(line[1:]); err == nil {
				h.exit(id)
			}
		case line == "x":
			h.exitAll()
		}
	}
	h.exitWhenEmpty()
	return 0
}

type hostSide struct {
	events  *os.File
	mu      sync.Mutex
	svcs    map[int]*supervise.Service
	pending map[int]bool // running or starting, by id
	closing bool
	done    chan struct{}
}

func (h *hostSide) add(id int, name, path string) {
	h.mu.Lock()
	h.pending[id] = false
	h.mu.Unlock()
	go h.run(id, name, path)
}

// run supervises one service. A panic here ends only this service's supervision: runsvdir
// starts it again at its next scan, and no other service notices.
func (h *hostSide) run(id int, name, path string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "runsv %s: fatal: internal error: %v\n", name, r)
		}
		h.ended(id)
	}()
	s, err := supervise.Open(supervise.Config{Name: name, Dir: path, Stderr: os.Stderr,
		Stdin: 0, Stdout: 1, ErrFd: 2})
	if err != nil {
		fmt.Fprintf(os.Stderr, "runsv %s: fatal: %s\n", name, err)
		return
	}
	h.mu.Lock()
	h.svcs[id] = s
	stop := h.pending[id] || h.closing
	h.mu.Unlock()
	if stop {
		s.Exit()
	}
	s.Run()
}

func (h *hostSide) ended(id int) {
	h.mu.Lock()
	delete(h.svcs, id)
	delete(h.pending, id)
	empty := len(h.pending) == 0
	h.mu.Unlock()
	fmt.Fprintf(h.events, "%d\n", id)
	if empty {
		select {
		case h.done <- struct{}{}:
		default:
		}
	}
}

func (h *hostSide) exit(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s := h.svcs[id]; s != nil {
		s.Exit()
	} else if _, ok := h.pending[id]; ok {
		h.pending[id] = true
	}
}

func (h *hostSide) exitAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closing = true
	for id := range h.pending {
		h.pending[id] = true
	}
	for _, s := range h.svcs {
		s.Exit()
	}
}

// exitWhenEmpty waits, once runsvdir has gone, until every service has exited.
func (h *hostSide) exitWhenEmpty() {
	for {
		h.mu.Lock()
		n := len(h.pending)
		h.mu.Unlock()
		if n == 0 {
			return
		}
		<-h.done
	}
}
