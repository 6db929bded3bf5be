package scan

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"os/signal"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/supervise"
	"github.com/runit-go/runit/core/tune"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// HostName is argv[0] of the supervisor host process, which is what ps shows for it.
const HostName = "runsvdir-host"

// Host is the supervisor host process: it runs the runsv engine for each service runsvdir
// names. It outlives runsvdir (as runsv processes do) and exits when, runsvdir being gone or
// having said "x", no service is left.
// Its one argument, the scan directory, is there for ps only.
func Host() int {
	// It holds about a dozen descriptors per service: room beyond the hard limit it was given,
	// where the system permits (the program starts again for it, before anything else).
	if err := platform.RaiseNofile(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: warning: unable to raise the open-files limit: %v\n", HostName, err)
	}
	tune.Daemon()
	// The pipes to runsvdir arrive as fds 3 and 4 without close-on-exec (exec cleared it):
	// no service may inherit them, or it could read runsvdir's commands or forge events.
	unix.CloseOnExec(3)
	unix.CloseOnExec(4)
	child.Start()
	// Say how many services we have descriptors for: runsvdir starts another host for more.
	fmt.Fprintf(os.NewFile(4, "events"), "cap %d\n", capacity())
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

// perService is about what the host holds per service with a log service (the service
// directory, lock, control and ok files of both, the log pipe, the reaper's pidfds, with
// room for a fork in flight); reserved is for everything else.
const perService, reserved = 13, 64

// capacity is the number of services the host's open-files limit has room for.
func capacity() int {
	var l unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &l); err != nil || l.Cur > 1<<30 {
		return 1 << 30
	}
	return max(1, (int(l.Cur)-reserved)/perService)
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
