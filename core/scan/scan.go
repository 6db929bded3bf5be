// Package scan is runsvdir: it watches a directory of services and keeps one supervisor
// per service directory running, keyed by the directory's device and inode as runsvdir is.
//
// By default the supervisors are not one runsv process each: runsvdir starts one
// supervisor host process that runs the runsv engine (package supervise) for every service
// in-process, which costs a fraction of the memory. Each service keeps its own supervise/
// files, lock, FIFOs and log pipe, so sv cannot tell the difference. With -C runsvdir starts
// one `runsv NAME` process per service, exactly as C runsvdir does.
package scan

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/tune"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

const (
	maxServices = 1000
	idleScan    = 5 * time.Second       // rescan at least this often
	checkScan   = time.Second           // minimum time between scans, but for those below
	minScan     = 20 * time.Millisecond // between scans for a change seen in the directory
	usage       = " [-P] dir\n\n"       // after "usage: " and argv[0], as C prints it
)

// launcher starts and stops the supervisor of one service. Deaths are reported on the
// channel passed to newClassic/newHost.
type launcher interface {
	start(id int, name, path string) error
	stop(id int)
	stopAll()
	// stopAndWait stops every service and returns when all supervisors have exited.
	stopAndWait()
}

type service struct {
	id    int
	alive bool
	seen  bool
}

type key struct{ dev, ino uint64 }

// ended is a supervisor's end, as a launcher reports it. now: its host died with it, and
// it is started again at once (C has no host; a killed runsv's service runs on meanwhile,
// where a dead host's services were stopped).
type ended struct {
	id  int
	now bool
}

type scanner struct {
	dir      string
	services map[key]*service
	byID     map[int]*service
	nextID   int
	l        launcher
	warnf    func(format string, a ...any)
	// stopOnTerm: TERM stops every service and waits for the supervisors (-s), instead
	// of leaving them running as C runsvdir does. What a container's init wants.
	stopOnTerm bool
	// startFailed: the last scan could not start some supervisor (no fork, a host that
	// would not start), so the next second scans again even if the directory is unchanged.
	startFailed bool
}

// Runsvdir is the runsvdir program. args is os.Args.
func Runsvdir(args []string) int {
	prog := "runsvdir"
	if len(args) > 0 {
		prog, args = args[0], args[1:]
	}
	tune.Daemon()
	pgrp, classic, stopOnTerm := parseOptions(&args)
	if len(args) == 0 {
		fmt.Fprintf(os.Stderr, "usage: %s%s", prog, usage)
		return 1
	}
	// A copy: the directory is scanned for the life of the process and must never share
	// memory with the argument block, which the log argument's scrolling rewrites.
	dir := strings.Clone(args[0])
	warnf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "runsvdir %s: warning: "+format+"\n", append([]any{dir}, a...)...)
	}
	if len(args) > 1 {
		// The log argument's own slot in the argument block: options before the
		// directory shift it, so its index is counted from what parsing consumed.
		startProcTitle(len(os.Args)-len(args)+1, args[1], warnf)
	}
	deaths := make(chan ended, 64)
	var l launcher
	if !classic {
		h, err := newHost(dir, pgrp, deaths)
		if err != nil {
			warnf("unable to start the supervisor host, running one runsv per service: %s", errstr.Text(err))
			classic = true
		} else {
			l = h
		}
	}
	if classic {
		l = newClassic(dir, pgrp, deaths)
	}
	return newScanner(dir, l, warnf, stopOnTerm).loop(deaths)
}

// parseOptions takes the options off the front of args. C runsvdir takes at most one
// option argument: one starting with -P (pgrp mode, whatever follows the P) or with --;
// the next argument is the directory even if it starts with '-'. Ours adds -C (one runsv
// process per service) and -s (TERM stops the services and waits for them), alone or
// combined with P (-PC, -Cs ...), before or after C's option argument: take them away and
// the command line means what it means to C runsvdir.
func parseOptions(args *[]string) (pgrp, classic, stopOnTerm bool) {
	cOption := false // C's one option argument has been taken
	for ; len(*args) > 0; *args = (*args)[1:] {
		a := (*args)[0]
		if len(a) < 2 || a[0] != '-' {
			return
		}
		ours := strings.Trim(a[1:], "PCs") == "" // made of our option letters only
		switch {
		case !cOption && a[1] == '-':
			*args = (*args)[1:]
			return // the end of the options, as for C
		case !cOption && a[1] == 'P':
			cOption, pgrp = true, true
		case ours && strings.ContainsAny(a, "Cs"):
		default:
			return // the directory
		}
		if ours {
			pgrp = pgrp || strings.Contains(a, "P")
			classic = classic || strings.Contains(a, "C")
			stopOnTerm = stopOnTerm || strings.Contains(a, "s")
		}
	}
	return
}

func newScanner(dir string, l launcher, warnf func(string, ...any), stopOnTerm bool) *scanner {
	return &scanner{dir: dir, services: map[key]*service{}, byID: map[int]*service{}, l: l, warnf: warnf,
		stopOnTerm: stopOnTerm}
}

// loop is runsvdir's life: it rescans the directory when it changed (at once where the
// system reports changes, otherwise at the latest every idleScan), restarts the
// supervisors that die, and acts on TERM, HUP and ALRM. It returns runsvdir's exit code.
func (s *scanner) loop(deaths <-chan ended) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGALRM)
	// A link made in the directory is acted on at once where the system can tell us
	// (instead of at the next rescan, up to five seconds later); the polling stays.
	var entries <-chan struct{}
	if ch, stop, err := platform.WatchEntries(s.dir); err == nil {
		defer stop()
		entries = ch
	}
	p := schedule{check: true}
	timer := time.NewTimer(0)
	for {
		select {
		case <-entries:
			p.check, p.urgent = true, true
		case sig := <-sigs:
			if code, exit := s.signalled(sig, &p); exit {
				return code
			}
		case e := <-deaths:
			s.died(e.id)
			p.check = true
			if !e.now {
				// As C runsvdir, which notices a runsv's end when its pause ends
				// (five seconds, a second if it is checking): a supervisor that
				// ended (sv exit, a runsv killed) is started again at the next look,
				// not at once. sv exit and force-shutdown see the service directory
				// unsupervised meanwhile, as with C.
				continue
			}
		case <-timer.C:
		}
		rearm(timer, s.tick(&p, time.Now()))
	}
}

// schedule is what loop knows of the directory, to tell when to read it again.
type schedule struct {
	last   time.Time // when the directory was last read whole
	mtime  time.Time // its modification time then
	cur    key       // its device and inode then
	check  bool      // look again within a second, changed or not
	urgent bool      // the system reported a change: look now
}

// signalled acts on sig: TERM ends runsvdir (stopping the services first with -s), HUP
// stops every service and ends it, ALRM forces a rescan. It reports whether runsvdir is to
// exit, and with what code.
func (s *scanner) signalled(sig os.Signal, p *schedule) (code int, exit bool) {
	switch sig {
	case syscall.SIGTERM:
		if s.stopOnTerm {
			s.l.stopAndWait()
		}
		return 0, true // without -s the supervisors go on without us, as with C runsvdir
	case syscall.SIGHUP:
		s.l.stopAll()
		return 111, true
	case syscall.SIGALRM:
		p.check = true // forced rescan (Debian's runsvdir does this too)
	}
	return 0, false
}

// tick looks at the directory at now if it is time to, and returns how long loop is to
// sleep before the next look.
func (s *scanner) tick(p *schedule, now time.Time) time.Duration {
	wait := idleScan
	if p.check {
		wait = checkScan
	}
	if p.urgent && now.Sub(p.last) < minScan && !now.Before(p.last) {
		// A burst of changes (a package creating many services) scans at most
		// every minScan.
		return minScan - now.Sub(p.last)
	}
	if now.Sub(p.last) >= checkScan || now.Before(p.last) || p.urgent {
		p.urgent = false
		wait = s.look(p, now, wait)
	} else {
		wait = checkScan - now.Sub(p.last)
	}
	if p.check && wait > checkScan {
		wait = checkScan
	}
	return wait
}

// look stats the directory and scans it when it changed since the last scan or p asks
// for a check. It returns wait, or checkScan when the next second must look again.
func (s *scanner) look(p *schedule, now time.Time, wait time.Duration) time.Duration {
	var st unix.Stat_t
	if err := unix.Stat(s.dir, &st); err != nil {
		s.warnf("unable to stat %s: %s", s.dir, errstr.Text(err))
		return checkScan
	}
	k := key{uint64(st.Dev), uint64(st.Ino)}
	mt := time.Unix(st.Mtim.Unix())
	if !p.check && k == p.cur && mt.Equal(p.mtime) {
		return wait
	}
	if mt.Unix() >= now.Unix() {
		// Changed within this second: scan again next second so a later
		// change in the same second is not missed.
		p.check = true
		wait = checkScan
	} else {
		p.check = false
	}
	if s.scan() {
		p.cur, p.mtime, p.last = k, mt, now
	} else {
		p.check = true
	}
	if s.startFailed {
		p.check = true // a supervisor that could not start is tried again next second
	}
	return wait
}

// rearm makes timer fire after d, whether or not it fired and was read meanwhile.
func rearm(timer *time.Timer, d time.Duration) {
	if !timer.Stop() {
		select {
		case <-timer.C:
		default:
		}
	}
	timer.Reset(d)
}

// died records that the supervisor with this id has exited, so that the next scan starts
// it again if its directory is still there.
func (s *scanner) died(id int) {
	if sv := s.byID[id]; sv != nil {
		sv.alive = false
	}
}

// scan reads the directory once: starts supervisors for new or dead services and stops
// those whose directory is gone. It reports whether the directory could be read.
func (s *scanner) scan() bool {
	names, ok := s.list()
	if !ok {
		return false
	}
	real, ok := s.resolve()
	if !ok {
		return false
	}
	s.startFailed = false
	for _, sv := range s.services {
		sv.seen = false
	}
	for _, name := range names {
		s.keep(name, real)
	}
	s.dropUnseen()
	return true
}

// list returns the names in the directory, sorted, or false after a warning when it
// cannot be read.
func (s *scanner) list() ([]string, bool) {
	// C runsvdir changes into the directory to read it; what would stop that (not a
	// directory, no search permission) is reported as such, every second.
	var st unix.Stat_t
	err := unix.Stat(s.dir, &st)
	if err == nil && st.Mode&unix.S_IFMT != unix.S_IFDIR {
		err = unix.ENOTDIR
	} else if err == nil {
		err = unix.Access(s.dir, unix.X_OK)
	}
	if err != nil {
		s.warnf("unable to change directory to %s: %s", s.dir, errstr.Text(err))
		return nil, false
	}
	d, err := os.Open(s.dir)
	if err != nil {
		s.warnf("unable to open directory %s: %s", s.dir, errstr.Text(err))
		return nil, false
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		s.warnf("unable to read directory %s: %s", s.dir, errstr.Text(err))
		return nil, false
	}
	sort.Strings(names)
	return names, true
}

// resolve returns the directory's absolute path with no symlinks in it, or false after a
// warning. It is resolved once per scan: a runsvchdir switch of a `current` symlink must
// not move services that are already running.
func (s *scanner) resolve() (string, bool) {
	real, err := filepath.EvalSymlinks(s.dir)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		s.warnf("unable to change directory to %s: %s", s.dir, errstr.Text(err))
		return "", false
	}
	return real, true
}

// keep marks the service in entry name as seen, when it is a directory, and starts its
// supervisor (as real/name) when it has none running.
func (s *scanner) keep(name, real string) {
	if name[0] == '.' {
		return
	}
	var st unix.Stat_t
	if err := unix.Stat(filepath.Join(s.dir, name), &st); err != nil {
		s.warnf("unable to stat %s: %s", name, errstr.Text(err))
		return
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return
	}
	k := key{uint64(st.Dev), uint64(st.Ino)}
	sv := s.services[k]
	if sv == nil {
		if len(s.services) >= maxServices {
			s.warnf("unable to start runsv %s: too many services.", name)
			return
		}
		s.nextID++
		sv = &service{id: s.nextID}
		s.services[k] = sv
		s.byID[sv.id] = sv
	}
	sv.seen = true
	if !sv.alive {
		if err := s.l.start(sv.id, name, filepath.Join(real, name)); err != nil {
			s.warnf("unable to start runsv %s: %s", name, errstr.Text(err))
			s.startFailed = true
			return
		}
		sv.alive = true
	}
}

// dropUnseen forgets the services the scan did not see, stopping their supervisors.
func (s *scanner) dropUnseen() {
	for k, sv := range s.services {
		if !sv.seen {
			if sv.alive {
				s.l.stop(sv.id)
			}
			delete(s.services, k)
			delete(s.byID, sv.id)
		}
	}
}
