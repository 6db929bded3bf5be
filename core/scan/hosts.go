package scan

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// hosts is runsvdir's side of the supervisor hosts: it starts host processes on demand and
// speaks to each over two pipes. Commands (host's fd 3): "+ID<tab>NAME<tab>PATH" start,
// "-ID" stop (as SIGTERM to a runsv), "x" stop all. Events (host's fd 4): first "cap N",
// the number of services the host has descriptors for, then "ID" whenever a service's
// supervisor ended, as a runsv process exiting would. A service goes to the first host with
// room; when none has, another host starts (each holds about a dozen descriptors per service,
// and a boot's open-files limit may not be raised). If a host dies, every service it ran is
// dead and is started again at the next scan, in a host that is alive.
type hosts struct {
	exe, dir string
	pgrp     bool
	deaths   chan<- ended
	adopts   bool // we are the subreaper: a dead host's processes come to us
	mu       sync.Mutex
	procs    []*hostProc
	where    map[int]*hostProc // service id -> the host running it
}

// hostProc is one host process.
type hostProc struct {
	cmd    *os.File // nil once the host is gone or told to go
	pid    int
	cap    int
	live   map[int]bool
	exited chan struct{} // closed when the process has exited and its orphans are stopped
}

func newHost(dir string, pgrp bool, deaths chan<- ended) (*hosts, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	// As the subreaper, runsvdir inherits what a dead host leaves running, and can stop it
	// before a new host starts the services again (see stopOrphans).
	adopts := platform.BecomeSubreaper() == nil
	return &hosts{exe: exe, dir: dir, pgrp: pgrp, deaths: deaths, adopts: adopts,
		where: map[int]*hostProc{}}, nil
}

// orphanTerm is how long the processes a dead host left get after TERM before KILL: sv's
// default wait, which is what a stop gets.
const orphanTerm = 7 * time.Second

// stopOrphans stops every child of ours that is not a live host: the ./run, ./finish and
// log/run processes a dead host left behind, reparented to us. It returns when they are
// gone. A new host then starts each service once: without this, every service the dead host
// ran would run twice.
func (h *hosts) stopOrphans() {
	signalled := map[int]bool{}
	deadline := time.Now().Add(orphanTerm)
	killed := false
	for {
		kids, err := platform.Children()
		if err != nil {
			return
		}
		// Read after the list: a host forked before it was taken is registered by now
		// (spawning and registering happen under h.mu).
		h.mu.Lock()
		isHost := map[int]bool{}
		for _, p := range h.procs {
			isHost[p.pid] = true
		}
		h.mu.Unlock()
		orphans := 0
		for _, pid := range kids {
			if isHost[pid] {
				continue
			}
			orphans++
			if killed {
				unix.Kill(pid, unix.SIGKILL)
			} else if !signalled[pid] {
				signalled[pid] = true
				unix.Kill(pid, unix.SIGTERM)
				unix.Kill(pid, unix.SIGCONT)
			}
		}
		if orphans == 0 {
			return
		}
		if !killed && time.Now().After(deadline) {
			killed = true
			continue
		}
		time.Sleep(20 * time.Millisecond) // the reaper collects them as they exit
		child.Reap()
	}
}

// capWait is how long a new host gets to say how many services it takes.
const capWait = 10 * time.Second

// spawn starts a host process and waits until it says how many services it takes. The
// fork happens under h.mu (see stopOrphans), the wait does not.
func (h *hosts) spawn() (*hostProc, error) {
	h.mu.Lock()
	p, capLine, err := h.fork()
	h.mu.Unlock()
	if err != nil {
		return nil, err
	}
	// A host that does not say in time (a loaded machine) has at least the room our own
	// limit gives: it starts with our limits and can only raise them.
	n := capacity()
	select {
	case n = <-capLine:
	case <-time.After(capWait):
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	p.cap = n
	if n <= 0 && p.cmd != nil {
		// It died before saying (or has no room at all): its exit is on its way.
		p.cmd.Close()
		p.cmd = nil
	}
	if p.cmd == nil {
		return nil, syscall.EAGAIN
	}
	return p, nil
}

// fork starts a host process and registers it, with no room until it has said how much.
// Called with h.mu held.
func (h *hosts) fork() (*hostProc, <-chan int, error) {
	cr, cw, err := platform.Pipe()
	if err != nil {
		return nil, nil, err
	}
	er, ew, err := platform.Pipe()
	if err != nil {
		syscall.Close(cr)
		syscall.Close(cw)
		return nil, nil, err
	}
	pid, done, err := child.Spawn(child.Spec{Path: h.exe, Argv: []string{HostName, h.dir}, Dir: h.dir,
		Files: []uintptr{0, 1, 2, uintptr(cr), uintptr(ew)}, Setsid: h.pgrp})
	syscall.Close(cr)
	syscall.Close(ew)
	if err != nil {
		syscall.Close(cw)
		syscall.Close(er)
		return nil, nil, err
	}
	p := &hostProc{cmd: os.NewFile(uintptr(cw), "host commands"), pid: pid, live: map[int]bool{},
		exited: make(chan struct{})}
	h.procs = append(h.procs, p)
	capLine := make(chan int, 1)
	go h.readEvents(p, os.NewFile(uintptr(er), "host events"), capLine)
	go h.reap(p, done)
	return p, capLine, nil
}

// readEvents reads what host p reports: its capacity once, then each service that ended.
func (h *hosts) readEvents(p *hostProc, events *os.File, capLine chan<- int) {
	defer events.Close()
	sc := bufio.NewScanner(events)
	n := 0 // it died before saying
	if sc.Scan() {
		n = capacity() // a first line that is not "cap N": the room our own limit gives
		if v, ok := strings.CutPrefix(sc.Text(), "cap "); ok {
			if c, err := strconv.Atoi(v); err == nil {
				n = c
			}
		}
	}
	capLine <- n
	for sc.Scan() {
		if id, err := strconv.Atoi(sc.Text()); err == nil {
			h.mu.Lock()
			delete(p.live, id)
			if h.where[id] == p {
				delete(h.where, id)
			}
			h.mu.Unlock()
			reportDeath(h.deaths, ended{id: id})
		}
	}
}

// reap waits for host p to exit, stops what it left running, and reports its services dead.
func (h *hosts) reap(p *hostProc, done <-chan child.Exit) {
	<-done
	h.mu.Lock()
	h.drop(p) // not a live host any more: what it left are orphans
	h.mu.Unlock()
	if h.adopts {
		h.stopOrphans()
	}
	close(p.exited)
	h.mu.Lock()
	if p.cmd != nil {
		p.cmd.Close()
		p.cmd = nil
	}
	var lost []int
	for id := range p.live {
		lost = append(lost, id)
		if h.where[id] == p {
			delete(h.where, id)
		}
	}
	p.live = map[int]bool{}
	h.mu.Unlock()
	for _, id := range lost {
		reportDeath(h.deaths, ended{id: id, now: true})
	}
}

// reportDeath tells runsvdir's loop that the supervisor of service id has ended. It never
// drops one (a service whose death is lost is never started again: a host dying with
// more services than the channel holds lost the rest) and never blocks its caller (the
// loop may be stopping and listen no more): when the channel is full, a goroutine waits
// to deliver it.
func reportDeath(deaths chan<- ended, e ended) {
	select {
	case deaths <- e:
	default:
		go func() { deaths <- e }()
	}
}

// drop removes p from the live hosts. Called with h.mu held.
func (h *hosts) drop(p *hostProc) {
	for i, q := range h.procs {
		if q == p {
			h.procs = append(h.procs[:i], h.procs[i+1:]...)
			return
		}
	}
}

func (p *hostProc) send(line string) error {
	if p.cmd == nil {
		return syscall.EPIPE
	}
	_, err := p.cmd.WriteString(line)
	return err
}

func (h *hosts) start(id int, name, path string) error {
	if strings.ContainsAny(name+path, "\n\t") {
		return syscall.EINVAL
	}
	p := h.roomy()
	if p == nil {
		var err error
		if p, err = h.spawn(); err != nil {
			return err
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := p.send(fmt.Sprintf("+%d\t%s\t%s\n", id, name, path)); err != nil {
		return err
	}
	p.live[id] = true
	h.where[id] = p
	return nil
}

// roomy returns a live host with room for one more service, or nil.
func (h *hosts) roomy() *hostProc {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.procs {
		if p.cmd != nil && len(p.live) < p.cap {
			return p
		}
	}
	return nil
}

func (h *hosts) stop(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if p := h.where[id]; p != nil {
		delete(p.live, id)
		delete(h.where, id)
		p.send(fmt.Sprintf("-%d\n", id))
	}
}

func (h *hosts) stopAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.procs {
		p.send("x\n")
	}
}

// stopAndWait tells every host to stop its services, then closes its command pipe: a host
// exits once its last service has, and we wait for all of them.
func (h *hosts) stopAndWait() {
	h.mu.Lock()
	var wait []chan struct{}
	for _, p := range h.procs {
		p.send("x\n")
		if p.cmd != nil {
			p.cmd.Close()
			p.cmd = nil
		}
		wait = append(wait, p.exited)
	}
	h.mu.Unlock()
	for _, c := range wait {
		<-c
	}
}
