package svlog

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/tune"
	"github.com/runit-go/runit/platform"
)

// readSize is the read buffer of a busy logger: a pipe delivers at most 64 kB per read on
// Linux, so a busy service's output is taken in few reads and written in as few writes.
// (Measured: 128 kB was no faster and no smaller.) A logger starts with idleReadSize more
// than its longest line, and takes the larger buffer the first time a read fills its
// buffer: hundreds of quiet loggers in one pool then cost kilobytes each, not 64.
const readSize, idleReadSize = 64 << 10, 4 << 10

// event bits set by the signal and processor goroutines for the main loop.
const (
	evHUP = 1 << iota
	evALRM
	evTERM
	evCHLD
	evPROC // a processor step to retry is due
)

// Logger is a running svlogd.
type Logger struct {
	opt            *Options
	dirs           []*Dir
	in             *os.File
	repl           [256]bool
	stamp          stamper
	errbuf         []byte
	udpbuf         []byte
	events         atomic.Uint32
	stale          []byte // C svlogd's line buffer, kept only when a pattern has '+'
	long           bool   // in the middle of a line longer than LineMax: copying its rest
	term, termRead bool   // TERM came; the one read after it is done
	pollErr        bool   // stdin cannot take deadlines: do not rely on them

	inFd     int // stdin's descriptor, for the by-hand wait when it cannot be polled
	stderr   *os.File
	env      []string
	kill     chan struct{} // closed when killed
	killed   atomic.Uint32 // the killing signal, 0 while alive
	stopped  atomic.Bool   // paused (STOP) until CONT
	heldKill atomic.Uint32 // a kill byte held until CONT, as the kernel holds signals
	resume   chan struct{}
}

// Main runs svlogd with its command line (argv[0] included: the usage message names it,
// as C svlogd's does) and returns its exit code.
func Main(argv []string) int {
	argv0 := "svlogd"
	if len(argv) > 0 {
		argv0, argv = argv[0], argv[1:]
	}
	tune.Daemon()
	opt, err := ParseArgs(argv)
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) && ue.Msg != "" {
			os.Stderr.WriteString(ue.Msg + "\n")
		}
		os.Stderr.WriteString("usage: " + argv0 + Usage + "\n\n")
		return 111
	}
	if sup, ok := os.LookupEnv(HandoffEnv); ok {
		// Only for this svlogd: not for its processors, nor anything they start.
		os.Unsetenv(HandoffEnv)
		// A signal the supervisor sends during the hand-over is the logger's: it is
		// held, then passed on to the pool, or acted on here if svlogd runs standalone.
		sigs := make(chan os.Signal, 16)
		for _, sg := range handOverSigs {
			if !signal.Ignored(sg) { // an ignored one stays so, as in C svlogd
				signal.Notify(sigs, sg)
			}
		}
		if handOver(append([]string{argv0}, argv...), sup, sigs) {
			return 0
		}
		return run(opt, sigs)
	}
	return Run(opt)
}

// handOverSigs are the signals svlogd holds during a hand-over: those it handles, and
// those that would kill it (its supervisor's kill must reach the logger, wherever it runs).
var handOverSigs = []os.Signal{syscall.SIGHUP, syscall.SIGALRM, syscall.SIGTERM, syscall.SIGINT,
	syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// Run runs svlogd with parsed options until end of input or SIGTERM, as a process of its
// own: on its standard input and error, signals and working directory. QUIT is caught
// only to die of it as C svlogd does (the Go runtime's own QUIT prints a goroutine dump).
func Run(opt *Options) int {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGALRM, syscall.SIGTERM, syscall.SIGQUIT)
	return run(opt, sigs)
}

func run(opt *Options, sigs chan os.Signal) int {
	started := func(signal func(byte)) {
		go func() {
			for s := range sigs {
				b, ok := sigByte[s.(syscall.Signal)]
				if !ok {
					// QUIT, or a signal held during a failed hand-over: it kills svlogd, as
					// it would have killed C svlogd.
					platform.DieOfSignal(s.(syscall.Signal))
					signalReset(s)
					syscall.Kill(os.Getpid(), s.(syscall.Signal))
					continue
				}
				signal(b)
			}
		}()
	}
	ws := RunLogger(opt, Instance{In: 0, Stderr: os.Stderr, Started: started})
	return ws.ExitStatus()
}

// sigByte is the control byte each signal svlogd handles stands for.
var sigByte = map[syscall.Signal]byte{syscall.SIGHUP: 'h', syscall.SIGALRM: 'a', syscall.SIGTERM: 't'}

// killByte is the control byte of each signal that kills svlogd (see Instance.Started).
var killByte = map[syscall.Signal]byte{syscall.SIGKILL: 'k', syscall.SIGINT: 'i',
	syscall.SIGQUIT: 'q', syscall.SIGUSR1: '1', syscall.SIGUSR2: '2'}

func signalReset(s os.Signal) { signal.Reset(s) }

// Instance is what one logger takes from the process it runs in. A standalone svlogd gives
// it its own stdin, stderr and signals; the pool gives each logger what its svlogd handed
// over, so that many loggers share a process and nothing else.
type Instance struct {
	In      int      // the log input's descriptor; made non-blocking
	CloseIn bool     // close In when the logger ends
	Stderr  *os.File // messages, the 'e' copies and the processors' stderr
	Base    string   // what relative directory names are under; "" for the working directory
	Env     []string // the processors' environment; nil for the process's
	// Started, if set, is given the function that signals the logger, once it exists. The
	// signals are bytes: 'h' HUP, 'a' ALRM, 't' TERM, 'p' STOP and 'c' CONT, and those that
	// kill svlogd as 'k' KILL, 'i' INT, 'q' QUIT, '1' USR1 and '2' USR2 (the logger stops
	// at once, writing nothing more). It may be called from any goroutine, even after the
	// logger ended.
	Started func(signal func(c byte))
}

// killSig are the control bytes that end a logger at once, as their signals end svlogd.
var killSig = map[byte]syscall.Signal{'k': syscall.SIGKILL, 'i': syscall.SIGINT,
	'q': syscall.SIGQUIT, '1': syscall.SIGUSR1, '2': syscall.SIGUSR2}

// exitNow ends a logger from deep in its work: fatal errors and kills unwind to RunLogger.
type exitNow struct{ ws syscall.WaitStatus }

// RunLogger runs one logger until end of input, TERM, a fatal error or a kill, and returns
// how it ended as a wait status (an exit code, or the killing signal).
func RunLogger(opt *Options, in Instance) (ws syscall.WaitStatus) {
	// Non-blocking input lets Go's poller wait on it, so that signals and timers can
	// interrupt a read through its deadline.
	unix.SetNonblock(in.In, true)
	l := &Logger{opt: opt, in: os.NewFile(uintptr(in.In), "stdin"), inFd: in.In, stderr: in.Stderr,
		env: in.Env, kill: make(chan struct{}), resume: make(chan struct{}, 1)}
	if in.CloseIn {
		defer l.in.Close()
	}
	l.stamp.kind = opt.Stamp
	if opt.Replace != 0 {
		for c := 0; c < 256; c++ {
			l.repl[c] = c < 32 || c > 126
		}
		for i := 0; i < len(opt.Extra); i++ {
			l.repl[opt.Extra[i]] = true
		}
	}
	if in.Started != nil {
		in.Started(l.signal)
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(exitNow)
			if !ok {
				panic(r)
			}
			l.drop()
			ws = e.ws
		}
	}()
	for _, name := range opt.Dirs {
		d := &Dir{name: name, l: l, lock: -1, cur: -1, udpFd: -1}
		if in.Base != "" && !strings.HasPrefix(name, "/") {
			d.fs = in.Base + "/" + name
		}
		l.dirs = append(l.dirs, d)
	}
	return syscall.WaitStatus(l.run() << 8)
}

// signal does to the logger what a signal does to svlogd (see Instance.Started).
func (l *Logger) signal(c byte) {
	switch c {
	case 'h':
		l.wake(evHUP)
	case 'a':
		l.wake(evALRM)
	case 't':
		l.wake(evTERM)
	case 'p':
		l.stopped.Store(true)
		l.wake(0)
	case 'c':
		l.stopped.Store(false)
		if h := l.heldKill.Swap(0); h != 0 {
			l.signal(byte(h))
		}
		select {
		case l.resume <- struct{}{}:
		default:
		}
	default:
		sig, ok := killSig[c]
		if !ok {
			return
		}
		if sig != syscall.SIGKILL && l.stopped.Load() {
			// The kernel holds every signal but KILL for a stopped process until CONT,
			// and then the lowest-numbered acts first: a paused svlogd sent INT or QUIT
			// stays paused, writing nothing, and dies when continued.
			for {
				h := l.heldKill.Load()
				if h != 0 && killSig[byte(h)] < sig {
					return // the one held acts first
				}
				if l.heldKill.CompareAndSwap(h, uint32(c)) {
					return
				}
			}
		}
		if l.killed.CompareAndSwap(0, uint32(sig)) {
			close(l.kill)
			l.wake(0)
		}
	}
}

// checkKill ends the logger at once if it was killed.
func (l *Logger) checkKill() {
	if sig := l.killed.Load(); sig != 0 {
		panic(exitNow{syscall.WaitStatus(sig)})
	}
}

// drop releases what a killed or failed logger holds, writing nothing more: as the kernel
// does for a killed svlogd (current keeps its mode: the next start keeps it as a .u).
func (l *Logger) drop() {
	for _, d := range l.dirs {
		for _, fd := range []*int{&d.cur, &d.udpFd, &d.lock} {
			if *fd >= 0 {
				unix.Close(*fd)
				*fd = -1
			}
		}
	}
}

func (l *Logger) run() int {
	opt := l.opt
	if !l.openAll() {
		l.fatal("no functional log directories.")
	}

	size := opt.LineMax + idleReadSize
	buf := make([]byte, size)
	have := 0 // bytes of an incomplete line kept at buf[:have]
	var pstamp [32]byte
	pn := 0
	for {
		l.checkKill()
		for l.stopped.Load() {
			// Stopped: as a stopped process, read nothing and act on nothing until CONT
			// (signals wait, a kill does not).
			select {
			case <-l.resume:
			case <-l.kill:
			}
			l.checkKill()
		}
		l.handleEvents()
		if l.term {
			// As C svlogd: after TERM one read more of what the pipe holds (a buffer, -b),
			// then only to the end of the line it is in, a byte at a time.
			if !l.termRead {
				l.termRead = true
				n := l.readPending(buf[have:min(len(buf), have+opt.BufLen)])
				if n > 0 {
					have = l.consume(buf, have, n, &pstamp, &pn)
				}
				continue
			}
			if have == 0 && !l.long {
				break
			}
		}
		if !l.pollErr {
			if err := l.in.SetReadDeadline(l.nextTimer()); err != nil {
				l.pollErr = true
			}
		}
		if l.events.Load() != 0 {
			continue
		}
		end := len(buf)
		if l.term {
			end = have + 1
		}
		n, err := l.in.Read(buf[have:end])
		if have+n == len(buf) && len(buf) < readSize {
			// Busy: a larger buffer from now on.
			buf = append(buf, make([]byte, readSize-len(buf))...)
		}
		if n > 0 {
			have = l.consume(buf, have, n, &pstamp, &pn)
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				continue
			}
			if errors.Is(err, unix.EAGAIN) {
				// Stdin is non-blocking but not pollable: wait for it by hand.
				fds := []unix.PollFd{{Fd: int32(l.inFd), Events: unix.POLLIN}}
				unix.Poll(fds, 1000)
				continue
			}
			// C warns once and ends as at end of input.
			l.warn("unable to read standard input: ", errstr.Text(err))
			break
		}
	}
	// At end of input C svlogd drops an incomplete last line; so do we (it was never a line).
	for _, d := range l.dirs {
		d.close(true)
	}
	l.flushErr()
	return 0
}

// consume logs the complete lines of buf[:have+n], n bytes of them just read, keeps the
// incomplete rest at the start of buf and returns its length. pstamp holds the time the
// kept line's first byte was read.
func (l *Logger) consume(buf []byte, have, n int, pstamp *[32]byte, pn *int) int {
	st := l.stamp.format(time.Now())
	first := st
	if have > 0 {
		first = pstamp[:*pn]
	}
	rest := l.process(buf[:have+n], first, st)
	if rest > 0 {
		// The incomplete line keeps the time its first byte was read.
		if have == 0 || rest != have+n {
			*pn = copy(pstamp[:], st)
		}
		copy(buf, buf[have+n-rest:have+n])
	}
	l.flushAll()
	return rest
}

// readPending reads what the input holds now into b, without waiting: none is 0, as is
// end of input (the loop then ends where the line does).
func (l *Logger) readPending(b []byte) int {
	for {
		n, err := unix.Read(l.inFd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0
		}
		return n
	}
}

// wake records an event and interrupts the main loop's read.
func (l *Logger) wake(ev uint32) {
	for {
		o := l.events.Load()
		if l.events.CompareAndSwap(o, o|ev) {
			break
		}
	}
	l.in.SetReadDeadline(time.Unix(1, 0))
}

func (l *Logger) openAll() bool {
	ok := false
	for _, d := range l.dirs {
		if d.open() {
			ok = true
			for _, p := range d.cfg.Patterns {
				if l.stale == nil && bytes.IndexByte(p[1:], '+') >= 0 {
					l.stale = make([]byte, l.opt.LineMax+1)
				}
			}
		}
	}
	return ok
}

// nextTimer is when the main loop must wake for time-based rotation (zero: never).
func (l *Logger) nextTimer() time.Time {
	var t time.Time
	for _, d := range l.dirs {
		if d.lock >= 0 && !d.rotDue.IsZero() && (t.IsZero() || d.rotDue.Before(t)) {
			t = d.rotDue
		}
	}
	return t
}

func (l *Logger) handleEvents() {
	ev := l.events.Swap(0)
	if ev&evCHLD != 0 {
		l.info("sigchild received.")
	}
	for _, d := range l.dirs {
		if d.lock >= 0 {
			d.pollProcessor()
		}
	}
	if ev&evTERM != 0 {
		l.info("sigterm received.")
		l.term = true
	}
	if ev&evHUP != 0 {
		l.info("sighangup received.")
		for _, d := range l.dirs {
			d.close(false)
		}
		if !l.openAll() {
			l.fatal("no functional log directories.")
		}
	}
	if ev&evALRM != 0 {
		l.info("sigalarm received.")
		for _, d := range l.dirs {
			if d.lock >= 0 {
				d.rotate()
			}
		}
	}
	now := time.Now()
	for _, d := range l.dirs {
		if d.lock >= 0 && !d.rotDue.IsZero() && !now.Before(d.rotDue) {
			if d.size > 0 {
				d.rotate()
			}
			d.resetTimer(now)
		}
	}
}
