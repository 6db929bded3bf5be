package svlog

import (
	"hash/fnv"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/poller"
	"github.com/runit-go/runit/core/tune"
	"github.com/runit-go/runit/platform"
)

// The logger pool. Under our supervisor, svlogd does not stay a process of its own (a Go
// process costs most of a megabyte): it hands its work to a pool process that has exactly
// its credentials, and the pool runs it as goroutines beside the other loggers of the same
// user. The hand-over, all on Linux abstract sockets (see platform):
//
//  1. svlogd, its arguments parsed, connects to the pool named after its credentials
//     (starting one if there is none), checks that the pool has its credentials, and sends
//     its arguments, environment, working directory (as a descriptor), stdin and stderr.
//     The pool answers "id N" and waits: nothing is read from stdin yet.
//  2. svlogd connects to its supervisor's socket (HandoffEnv) and passes the pool
//     connection with "pooled POOLPID N". The supervisor accepts only its log unit's
//     current pid and answers "ok"; from then on it sends the log unit's signals as bytes
//     on that connection (see Instance.Ctl), and the pool answers "exit STATUS" when the
//     logger ends.
//  3. svlogd, told "ok", sends "g" (go) to the pool and exits 0. Only svlogd starts the
//     logger, and only once its supervisor took it: there is never a pooled logger and a
//     standalone one for the same log. If any step fails, svlogd runs as a process of its
//     own instead: its input is untouched. (If it dies between "ok" and "g", the pool gives
//     up waiting and closes the connection, which the supervisor takes as the log's end.)

// HandoffEnv names the supervisor's hand-over socket ("@" + abstract name) in log/run's
// environment, and after a colon the supervisor's executable; our supervisor sets it, and
// only for log/run. The pool runs from that executable, not svlogd's: its text is then
// shared with the supervisors', which on a small machine is most of the pool's memory.
const HandoffEnv = "RUNIT_SVLOGD_HANDOFF"

// PoolName is the argv[0] that makes svlogd, runsv or runsvdir a pool.
const PoolName = "svlogd-pool"

// poolVersion is in the pool's name: an svlogd and a pool of different releases never meet.
const poolVersion = "2"

// poolIdle is how long a pool without loggers waits for a new one before it exits.
var poolIdle = 3 * time.Second

// poolName is the abstract socket name of the pool for this process's credentials. Besides
// uid, gid and groups it covers what else of the process its loggers share: the umask, the
// nice value and the resource limits but the open-files limit (chpst -n, -m ... in
// log/run), the root directory (chpst -/), and the pool's executable exe (a new binary does
// not join an old one's pool). The open-files limit is left out: the supervisor host
// raises its own, and its children's hard limit with it (see platform.RaiseNofile), so
// the same log/run would count as another identity under the host and under runsv; a
// logger needs four descriptors a directory, whatever the limit.
func poolName(c platform.Cred, exe string) string {
	old := unix.Umask(0o22)
	unix.Umask(old)
	h := fnv.New64a() // tells identities of the same user apart; the kernel checks the user
	var root unix.Stat_t
	if unix.Stat("/", &root) == nil {
		h.Write([]byte(strconv.FormatUint(uint64(root.Dev), 10) + ":" + strconv.FormatUint(uint64(root.Ino), 10) + "\x00"))
	}
	for _, g := range c.Groups {
		h.Write([]byte(strconv.Itoa(g) + ","))
	}
	h.Write([]byte("\x00" + strconv.Itoa(old) + "\x00" + exe))
	if prio, err := unix.Getpriority(unix.PRIO_PROCESS, 0); err == nil {
		h.Write([]byte("\x00" + strconv.Itoa(prio)))
	}
	for r := 0; r < 16; r++ { // Linux's RLIM_NLIMITS
		var lim unix.Rlimit
		if r != unix.RLIMIT_NOFILE && unix.Getrlimit(r, &lim) == nil {
			h.Write([]byte("\x00" + strconv.FormatUint(uint64(lim.Cur), 10) + "/" + strconv.FormatUint(uint64(lim.Max), 10)))
		}
	}
	return "runit-svlogd-pool/" + poolVersion + "/" + strconv.Itoa(c.Uid) + "/" + strconv.Itoa(c.Gid) + "/" +
		strconv.FormatUint(h.Sum64(), 16)
}

// handOver gives this svlogd's work to a pool, as described above, and reports whether
// it did: then the process only has to exit.
func handOver(argv []string, sup string, sigs <-chan os.Signal) bool {
	if !strings.HasPrefix(sup, "@") {
		return false
	}
	sup, exe, _ := strings.Cut(sup, ":")
	// A supervisor's executable this user may not run (a root-only directory): our own.
	if exe == "" || unix.Access(exe, unix.X_OK) != nil {
		var err error
		if exe, err = os.Executable(); err != nil {
			return false
		}
	}
	self, err := platform.SelfCred()
	if err != nil {
		return false
	}
	cwd, err := platform.OpenPath(".")
	if err != nil {
		return false
	}
	defer unix.Close(cwd)
	msg := []byte(strconv.Itoa(len(argv)))
	for _, s := range append(argv, os.Environ()...) {
		msg = append(append(msg, 0), s...)
	}
	name := poolName(self, exe)
	// A pool that is just exiting (idle) refuses or drops the connection: start another.
	for try := 0; try < 3; try++ {
		conn, pid, id := poolConnect(name, exe, self, msg, cwd)
		if conn < 0 {
			continue
		}
		if supervisorAccepts(sup[1:], conn, pid, id) {
			// The signals sent to this process before the supervisor took the pool's
			// connection go first: the pool queues them for the logger.
			for {
				select {
				case s := <-sigs:
					b, ok := sigByte[s.(syscall.Signal)]
					if !ok {
						b = killByte[s.(syscall.Signal)]
					}
					unix.Write(conn, []byte{b})
					continue
				default:
				}
				break
			}
			unix.Write(conn, []byte("g"))
			unix.Close(conn)
			return true
		}
		unix.Close(conn) // the pool drops the logger it was holding
		return false
	}
	return false
}

// poolConnect sends the logger to the pool and returns the connection, the pool's pid
// and the logger's id, or -1.
func poolConnect(name, exe string, self platform.Cred, msg []byte, cwd int) (conn, pid int, id string) {
	fd, err := platform.DialAbstract(name)
	if err != nil {
		if !startPool(exe) {
			return -1, 0, ""
		}
		for deadline := time.Now().Add(3 * time.Second); ; {
			if fd, err = platform.DialAbstract(name); err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err != nil {
			return -1, 0, ""
		}
	}
	peer, err := platform.PeerCred(fd)
	// A process of another identity holding the name is no pool of ours.
	if err != nil || !peer.Same(self) {
		unix.Close(fd)
		return -1, 0, ""
	}
	setTimeout(fd)
	var buf [64]byte
	if platform.SendFds(fd, msg, cwd, 0, 2) == nil {
		if n, fds, err := platform.RecvFds(fd, buf[:]); err == nil && len(fds) == 0 {
			if id, ok := strings.CutPrefix(string(buf[:n]), "id "); ok {
				return fd, peer.Pid, id
			}
		}
	}
	unix.Close(fd)
	return -1, 0, ""
}

// supervisorAccepts passes the pool connection to the supervisor and reports its answer.
func supervisorAccepts(name string, conn, pid int, id string) bool {
	fd, err := platform.DialAbstract(name)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	// No timeout on the answer: once the supervisor may have taken the logger, running
	// standalone could make two. It answers as soon as its service loop has decided, and
	// if it dies the connection ends.
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
	if platform.SendFds(fd, []byte("pooled "+strconv.Itoa(pid)+" "+id), conn) != nil {
		return false
	}
	var buf [16]byte
	n, _, err := platform.RecvFds(fd, buf[:])
	return err == nil && string(buf[:n]) == "ok"
}

// setTimeout bounds each step of a hand-over: a peer that does not answer is given up.
func setTimeout(fd int) {
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
}

// startPool starts a pool process from exe with this process's credentials, in a session
// of its own, and reports whether it started. The pool itself binds the name; a second
// pool started at the same time finds it taken and exits.
func startPool(exe string) bool {
	null, err := os.OpenFile("/dev/null", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer null.Close()
	p, err := os.StartProcess(exe, []string{PoolName}, &os.ProcAttr{Dir: "/",
		Files: []*os.File{null, null, null}, Sys: &syscall.SysProcAttr{Setsid: true}})
	if err != nil {
		return false
	}
	go p.Wait() // reaped if this svlogd outlives it (when the hand-over fails)
	return true
}

// pool is the state of a pool process.
type pool struct {
	self   platform.Cred
	lfd    int
	mu     sync.Mutex
	active int // connections being handed over and loggers running
	nextID int
	idle   *time.Timer
	freeT  *time.Timer
	// loggers signal the running loggers, by id; closing: SIGTERM came (see terminate)
	loggers map[int]func(byte)
	closing bool
	envs    map[string][]string // see intern
}

// Pool runs the logger pool until it has had no logger for poolIdle. Its credentials are
// those of the svlogd that started it, and it takes loggers only from processes with the
// same credentials.
func Pool() int {
	tune.Daemon()
	p, err := listenPool()
	if err != nil {
		return 0 // another pool has the name, or we have no name
	}
	p.idle = time.AfterFunc(poolIdle, p.exitIfIdle)
	// The log units' pid is the pool's: a HUP or ALRM sent to it (kill -HUP on
	// log/supervise/pid) does to every logger what it does to svlogd, TERM ends them
	// all, each as TERM ends svlogd, and CONT continues every paused one, as it continues
	// a stopped svlogd (runsvdir gives a dead host's leftovers TERM and CONT).
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGALRM, syscall.SIGCONT)
	go func() {
		for s := range sigs {
			switch s {
			case syscall.SIGTERM:
				p.terminate()
			case syscall.SIGCONT:
				p.signalAll('c')
			default:
				p.signalAll(sigByte[s.(syscall.Signal)])
			}
		}
	}()
	p.accept()
	return 0
}

// signalAll gives every running logger the control byte c.
func (p *pool) signalAll(c byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.signalLocked(c)
}

// signalLocked is signalAll with p.mu held.
func (p *pool) signalLocked(c byte) {
	for _, signal := range p.loggers {
		signal(c)
	}
}

// listenPool binds the pool name of this process's identity and executable.
func listenPool() (*pool, error) {
	self, err := platform.SelfCred()
	if err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	lfd, err := platform.ListenAbstract(poolName(self, exe))
	if err != nil {
		return nil, err
	}
	return &pool{self: self, lfd: lfd, loggers: map[int]func(byte){}}, nil
}

// accept takes svlogd's connections for as long as the pool lives.
func (p *pool) accept() {
	for {
		fd, err := platform.Accept(p.lfd)
		if err != nil {
			p.mu.Lock()
			closing := p.closing
			p.mu.Unlock()
			if closing {
				select {} // terminate exits the process
			}
			if err == unix.EMFILE || err == unix.ENFILE || err == unix.ENOBUFS || err == unix.ENOMEM {
				time.Sleep(100 * time.Millisecond)
			}
			continue
		}
		p.hold(1)
		go p.serve(fd)
	}
}

func (p *pool) hold(n int) {
	p.mu.Lock()
	p.active += n
	if p.active == 0 && p.closing {
		os.Exit(0)
	}
	if p.active == 0 {
		p.idle.Reset(poolIdle)
	} else {
		p.idle.Stop()
	}
	p.mu.Unlock()
}

// terminate is the pool's SIGTERM (a supervisor host that died has its leftovers stopped
// so): every logger gets TERM, as each svlogd would, and the pool exits once they have
// finished. It takes no new logger: a new svlogd starts a new pool.
func (p *pool) terminate() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closing = true
	unix.Shutdown(p.lfd, unix.SHUT_RDWR) // wakes the accept
	unix.Close(p.lfd)
	p.signalLocked('t')
	if p.active == 0 {
		os.Exit(0)
	}
}

// exitIfIdle ends the pool if it still has nothing to do. Closing the listener first frees
// the name: an svlogd that connects now fails and starts a new pool.
func (p *pool) exitIfIdle() {
	p.mu.Lock()
	if p.active == 0 {
		unix.Close(p.lfd)
		os.Exit(0)
	}
	p.mu.Unlock()
}

// request is what an svlogd hands the pool: its options, environment and the
// descriptors of its working directory, input and stderr; id numbers the logger.
type request struct {
	opt  *Options
	env  []string
	fds  []int // working directory, input, stderr
	base string
	id   int
}

// serve takes one logger from an svlogd and runs it once its supervisor says go.
func (p *pool) serve(fd int) {
	defer p.hold(-1)
	r, ok := p.receive(fd)
	if !ok {
		return
	}
	p.runLogger(fd, r)
}

// receive reads an svlogd's request from the connection fd, from a process of the pool's
// own user only, and answers with the logger's id. When it fails (ok false) it has closed
// fd and the descriptors received.
func (p *pool) receive(fd int) (r request, ok bool) {
	peer, err := platform.PeerCred(fd)
	if err != nil || !peer.Same(p.self) {
		unix.Close(fd)
		return r, false
	}
	setTimeout(fd)
	buf := make([]byte, 16<<10) // arguments and environment; a larger one is refused
	n, fds, err := platform.RecvFds(fd, buf)
	closeAll := func() {
		for _, f := range fds {
			unix.Close(f)
		}
		unix.Close(fd)
	}
	if err != nil || len(fds) != 3 || n == len(buf) {
		closeAll()
		return r, false
	}
	f := strings.Split(string(buf[:n]), "\x00")
	nargs, err := strconv.Atoi(f[0])
	if err != nil || nargs < 1 || nargs >= len(f) {
		closeAll()
		return r, false
	}
	argv, env := f[1:1+nargs], f[1+nargs:]
	opt, err := ParseArgs(argv[1:])
	base := platform.ProcFdDir(fds[0])
	if err != nil || base == "" {
		closeAll()
		return r, false
	}
	p.mu.Lock()
	p.nextID++
	id := p.nextID
	p.mu.Unlock()
	if platform.SendFds(fd, []byte("id "+strconv.Itoa(id))) != nil {
		closeAll()
		return r, false
	}
	return request{opt: opt, env: env, fds: fds, base: base, id: id}, true
}

// runLogger runs the logger r on the supervisor's connection fd: once it says go, with
// its control bytes, until the logger ends, whose exit status the connection then gets.
func (p *pool) runLogger(fd int, r request) {
	fds, id := r.fds, r.id
	// From here the connection is the supervisor's: poll it instead of holding a thread.
	unix.SetNonblock(fd, true)
	conn := os.NewFile(uintptr(fd), "logger "+strconv.Itoa(id))
	// Wait for svlogd's "g". The supervisor may send control bytes before it: they wait
	// for the logger.
	// svlogd sends it as soon as its supervisor took the connection; if it died before,
	// the supervisor learns of the logger's end here.
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	early, ok := readUntilGo(conn)
	if !ok {
		conn.Close()
		for _, f := range fds {
			unix.Close(f)
		}
		return
	}
	conn.SetReadDeadline(time.Time{})
	started := func(signal func(byte)) {
		p.mu.Lock()
		p.loggers[id] = signal
		if p.closing {
			signal('t')
		}
		p.mu.Unlock()
		// The supervisor's control bytes, read by the process's poller; at their end (its
		// process died) the logger goes on until end of input, as an svlogd whose runsv
		// died does. A paused one is continued: no supervisor is left to do it, and one
		// paused for ever would hold its directory's lock from the next logger.
		for _, c := range early {
			signal(c)
		}
		poller.Shared().Add(fd, func(b []byte, end bool) bool {
			for _, c := range b {
				signal(c)
			}
			if end {
				signal('c')
			}
			return !end
		})
	}
	stderr := os.NewFile(uintptr(fds[2]), "stderr")
	p.settle()
	ws := RunLogger(r.opt, Instance{In: fds[1], CloseIn: true, Stderr: stderr, Base: r.base, Env: p.intern(r.env), Started: started})
	p.mu.Lock()
	delete(p.loggers, id)
	p.mu.Unlock()
	poller.Shared().Remove(fd)
	stderr.Close()
	unix.Close(fds[0])
	conn.Write([]byte("exit " + strconv.Itoa(int(ws))))
	conn.Close()
}

// readUntilGo reads conn up to svlogd's "g" and returns the control bytes before it, and
// whether "g" came. Every message is one byte.
func readUntilGo(conn *os.File) ([]byte, bool) {
	var early []byte
	var b [1]byte
	for {
		n, err := conn.Read(b[:])
		if err != nil || n == 0 {
			return nil, false
		}
		if b[0] == 'g' {
			return early, true
		}
		early = append(early, b[0])
	}
}

// settle returns the hand-overs' garbage to the system once a burst of them is over
// (many loggers start together at boot): the pool lives long, and stays small.
func (p *pool) settle() {
	p.mu.Lock()
	if p.freeT == nil {
		p.freeT = time.AfterFunc(time.Second, debug.FreeOSMemory)
	} else {
		p.freeT.Reset(time.Second)
	}
	p.mu.Unlock()
}

// intern shares one copy of an environment between the loggers that have the same (all
// of them, usually).
func (p *pool) intern(env []string) []string {
	k := strings.Join(env, "\x00")
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.envs[k]; ok {
		return e
	}
	if p.envs == nil {
		p.envs = map[string][]string{}
	}
	p.envs[k] = env
	return env
}
