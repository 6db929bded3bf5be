package sv

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/core/protocol"
)

// UpstreamSvDir is upstream runit's default service directory.
const UpstreamSvDir = "/service/"

// DefaultSvDir is where service names are looked up without $SVDIR. It is set when
// building, as distributions patch C sv's (Debian's is /etc/service/, Void's
// /var/service/): the Makefile's SVDIR_DEFAULT, passed as
// -ldflags "-X github.com/runit-go/runit/core/sv.DefaultSvDir=DIR".
var DefaultSvDir = UpstreamSvDir

// DefaultWait is how long commands wait without -w or $SVWAIT, in seconds.
const DefaultWait = 7

// Version is what -V prints, as C sv 2.1.2 does.
const Version = "$Id: 900314260c6d52c986c5357673bea2f3bd3f4698 $"

const (
	usageText    = " [-v] [-w sec] command service ..."
	usageTextLSB = " [-w sec] command"
	// recheck bounds every wait, so that a missed change notification can only delay,
	// never hang, sv.
	recheck = 200 * time.Millisecond
)

// exit unwinds Main with an exit code (usage, fatal, LSB status).
type exit struct{ code int }

// client is one sv invocation.
type client struct {
	prog  string
	lsb   bool
	svdir string
	// userDir and userSource: a user's own service directory and the one sv enable
	// links from, when the user has them and $SVDIR is unset (see userDirs).
	userDir, userSource string
	wait                time.Duration
	verbose             bool
	out                 *bufio.Writer
	errw                io.Writer
	rc                  int

	acts  string // control bytes to send ("" for none); "C" marks check
	kill  bool   // force-*: send k on timeout
	wait4 bool   // wait for the state after acting
	stat  bool   // the status command

	start, now time.Time
	wake       time.Time // when a pending check may pass without a change (zero: none)
	svc        []*service
	raw        [protocol.Size]byte // the last status read, as C sv's single buffer
}

// service is one service argument.
type service struct {
	name string // as given, printed verbatim
	dir  string // path to its directory
	live bool   // still being worked on
	log  bool   // messages are about its log service (NAME/log)
	// wait, when longer, replaces the client's wait for this service: a force-*
	// command gives a service its own stop-timeout before the kill.
	wait time.Duration
}

// Main runs sv with args (args[0] is the program name, which selects the LSB
// init-script mode when its base name is not "sv") and returns the exit code.
//
// Where it differs from runit 2.1.2, it follows runit 2.3 or fixes a race:
//   - LSB status: the exit code reflects the main service, not its log service.
//   - check waits for the requested state (want up: running and ./check passing; want
//     down: down), as sv(8) documents, instead of accepting any down service.
//   - the "state changed since the command" tests use the full timestamp, not whole
//     seconds, so a restart within the same second never reports the old pid.
//   - waiting reacts to the status file changing (inotify/kqueue) instead of polling
//     every 420 ms.
func Main(args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) (code int) {
	c := &client{out: bufio.NewWriter(stdout), errw: stderr, svdir: DefaultSvDir, wait: DefaultWait * time.Second}
	defer func() {
		c.out.Flush()
		if r := recover(); r != nil {
			e, ok := r.(exit)
			if !ok {
				panic(r)
			}
			code = e.code
		}
	}()
	c.prog = progName(args)
	c.lsb = c.prog != "sv"
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	c.environ(lookupEnv)
	rest := c.options(args)
	if len(rest) == 0 {
		c.usage()
	}
	action := rest[0]
	if !c.lsb && (action == "enable" || action == "disable" || action == "list") {
		return c.links(action, c.sourceDir(lookupEnv), rest[1:])
	}
	names := c.serviceNames(rest[1:])
	c.parseAction(action)

	c.start = time.Now()
	c.now = c.start
	// C sv needs the current directory to come back to; keep its fatal error.
	if f, err := os.Open("."); err != nil {
		c.fatal("unable to open current directory", err)
	} else {
		f.Close()
	}
	for _, n := range names {
		c.begin(n)
	}
	if c.wait4 {
		c.waitLoop()
	}
	if c.rc > 99 {
		return 99
	}
	return c.rc
}

// progName is the base name of args[0], "sv" when there is none.
func progName(args []string) string {
	prog := "sv"
	if len(args) > 0 {
		prog = args[0]
		if i := strings.LastIndexByte(prog, '/'); i >= 0 {
			prog = prog[i+1:]
		}
	}
	return prog
}

// environ takes the service directory and the wait from the environment ($SVDIR,
// $SVWAIT), and the user's own directories where they apply (see userDirs).
func (c *client) environ(lookupEnv func(string) (string, bool)) {
	if v, ok := lookupEnv("SVDIR"); ok {
		c.svdir = v
	}
	c.userDir, c.userSource = userDirs(lookupEnv)
	if v, ok := lookupEnv("SVWAIT"); ok {
		c.wait = seconds(v)
	}
}

// sourceDir is the directory sv enable links from: $SVSOURCE when set and not empty,
// else the user's own, else DefaultSourceDir.
func (c *client) sourceDir(lookupEnv func(string) (string, bool)) string {
	source := DefaultSourceDir
	if c.userSource != "" {
		source = c.userSource
	}
	if v, ok := lookupEnv("SVSOURCE"); ok && v != "" {
		source = v
	}
	return source
}

// serviceNames returns the services the command is for: in LSB mode the program's name,
// otherwise args, the arguments after the command (none is a usage error).
func (c *client) serviceNames(args []string) []string {
	if c.lsb {
		return []string{c.prog}
	}
	if len(args) == 0 {
		c.usage()
	}
	return args
}

// begin finds service n and gives it the command: its status, or the control bytes (a
// check only waits). A service that cannot be found or controlled is not waited for.
func (c *client) begin(n string) {
	s := &service{name: n}
	c.svc = append(c.svc, s)
	if !c.resolve(s, n != "" && n[0] != '/' && n[0] != '.' && n[len(n)-1] != '/') {
		return
	}
	s.live = true
	switch {
	case c.stat:
		c.status(s)
	case c.acts != "C":
		if c.control(s, c.acts) < 0 {
			s.live = false
		}
	}
}

// seconds parses leading decimal digits like scan_ulong: garbage is 0, and the number
// wraps around at 2^64 as C's unsigned long does (18446744073709551617 is one second).
func seconds(s string) time.Duration {
	var n uint64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	if n > 1<<32 {
		n = 1 << 32 // more than a century: effectively forever, and no overflow
	}
	return time.Duration(n) * time.Second
}

// options parses "w:vV" and returns the remaining arguments.
func (c *client) options(args []string) []string {
	i := getopt.Parse(args, "w:vV", func(o byte, arg string) bool {
		switch o {
		case 'v':
			c.verbose = true
		case 'V':
			io.WriteString(c.errw, Version+"\n")
			c.usage()
		case 'w':
			c.wait = seconds(arg)
			c.verbose = true // -w implies -v, as in C sv
		}
		return true
	}, func(msg string) {
		io.WriteString(c.errw, c.prog+": "+msg+"\n")
		c.usage()
	})
	return args[i:]
}

func (c *client) usage() {
	c.out.Flush()
	if c.lsb {
		io.WriteString(c.errw, "usage: "+c.prog+usageTextLSB+"\n\n")
		panic(exit{2})
	}
	io.WriteString(c.errw, "usage: "+c.prog+usageText+"\n\n")
	panic(exit{100})
}

func (c *client) fatal(msg string, err error) {
	c.out.Flush()
	io.WriteString(c.errw, "fatal: "+msg+": "+errstr.Text(err)+"\n")
	if c.lsb {
		panic(exit{151})
	}
	panic(exit{100})
}

// parseAction maps a command word to control bytes (protocol.Ctl*) and waiting, as sv's
// table does: mostly the first character counts, some words are matched whole.
func (c *client) parseAction(a string) {
	c.wait4 = true
	if a == "" {
		c.usage()
	}
	single := func() {
		c.acts = a[:1]
		c.wait4 = c.verbose
	}
	switch a[0] {
	case 'x', 'e':
		c.acts = "x"
		c.wait4 = c.verbose
	case 'X', 'E':
		c.acts, c.kill = "x", true
	case 'D':
		c.acts, c.kill = "d", true
	case 'T':
		c.acts, c.kill = "tc", true
	case 'c':
		if a == "check" {
			c.acts = "C"
			return
		}
		single()
	case 't':
		if a == "try-restart" {
			c.acts = "tc"
			return
		}
		single()
	case 'u', 'd', 'o', 'p', 'h', 'a', 'i', 'k', 'q', '1', '2':
		single()
	case 's':
		switch a {
		case "shutdown":
			c.acts = "x"
		case "start":
			c.acts = "u"
		case "stop":
			c.acts = "d"
		default:
			if c.lsb && a != "status" {
				c.usage()
			}
			c.stat, c.wait4 = true, false
		}
	case 'r':
		switch a {
		case "restart":
			c.acts = "tcu"
		case "reload":
			c.acts = "h"
		default:
			c.usage()
		}
	case 'f':
		switch a {
		case "force-reload":
			c.acts = "tc"
		case "force-restart":
			c.acts = "tcu"
		case "force-shutdown":
			c.acts = "x"
		case "force-stop":
			c.acts = "d"
		default:
			c.usage()
		}
		c.kill = true
	default:
		c.usage()
	}
}

// resolve finds the service directory: names that do not start with '/' or '.', are
// not empty and do not end in '/' are looked up in $SVDIR, others relative to the
// current directory. The result is checked as chdir would check it.
func (c *client) resolve(s *service, inSvDir bool) bool {
	s.dir = s.name
	if inSvDir {
		var own bool
		s.dir, own = c.nameDirUser(s.name)
		// chdir($SVDIR) first: its failure is the one reported.
		if err := isDir(c.svdir); err != nil && !own {
			c.fail(s, "unable to change to service directory", err)
			return false
		}
	}
	if err := isDir(s.dir); err != nil {
		c.fail(s, "unable to change to service directory", err)
		return false
	}
	return true
}

func isDir(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return errnoOf(err)
	}
	if !fi.IsDir() {
		return syscall.ENOTDIR
	}
	return nil
}

// label is the name in messages: NAME, or NAME/log for the log part of status.
func (s *service) label() string {
	if s.log {
		return s.name + "/log"
	}
	return s.name
}

func (c *client) fail(s *service, msg string, err error) {
	c.rc++
	line := "fail: " + s.label() + ": " + msg
	if err != nil {
		line += ": " + errstr.Text(err)
	}
	c.out.WriteString(line + "\n")
}

func (c *client) warn(s *service, msg string, err error) {
	c.rc++
	line := "warning: " + s.label() + ": " + msg
	if err != nil {
		line += ": " + errstr.Text(err)
	}
	c.out.WriteString(line + "\n")
}

func (c *client) ok(s *service, msg string) {
	c.out.WriteString("ok: " + s.label() + ": " + msg + "\n")
}

// get reads dir's status, reporting failures as sv does. It returns 1 with the status,
// 0 when runsv is not running, -1 on other errors.
func (c *client) get(s *service, dir string) (Status, int) {
	var st Status
	err := readRaw(dir, &c.raw)
	if err == nil {
		return decode(dir, &c.raw), 1
	}
	if err == ErrNotRunning {
		if c.acts != "" && c.acts[0] == protocol.CtlExit {
			c.ok(s, "runsv not running")
		} else {
			c.fail(s, "runsv not running", nil)
		}
		return st, 0
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Err == protocol.ErrFormat {
			c.warn(s, e.Op+": bad format", nil)
		} else {
			c.warn(s, e.Op, e.Err)
		}
		return st, -1
	}
	c.warn(s, "unable to read supervise/status", err)
	return st, -1
}

// print writes the status text; it returns 1 when a process runs, 2 when none does and
// 0 when ./down could not be checked (warned on stderr, nothing printed).
func (c *client) print(s *service, name string, st Status) int {
	if st.DownErr != nil {
		c.out.Flush()
		io.WriteString(c.errw, "warning: unable to stat "+s.name+"/down: "+errstr.Text(st.DownErr)+"\n")
		return 0
	}
	c.out.WriteString(Line(name, st, c.now))
	if st.Pid != 0 {
		return 1
	}
	return 2
}

// status is the status command: the service's line, then its log's.
func (c *client) status(s *service) {
	st, r := c.get(s, s.dir)
	if r == -1 && c.lsb {
		panic(exit{4})
	}
	if r <= 0 {
		return
	}
	main := c.print(s, s.name, st)
	hasLog, err := LogDir(s.dir)
	switch {
	case err != nil:
		c.out.WriteString("; ")
		s.log = true
		c.warn(s, "unable to change directory", err)
	case !hasLog:
		c.out.WriteString("\n")
	default:
		c.out.WriteString("; ")
		s.log = true
		logDir := join(s.dir, protocol.LogDir)
		if _, r := c.get(s, logDir); r != 0 {
			// C sv prints its status buffer even when the log's read failed (-1): what
			// the main service's read left, partly overwritten by a short read.
			c.print(s, "log", decode(logDir, &c.raw))
			c.out.WriteString("\n")
		}
	}
	s.log = false
	c.out.Flush()
	if c.lsb {
		// runit 2.3: the main service decides; 2.1.2 let the log's state overwrite it.
		switch main {
		case 1:
			panic(exit{0})
		case 2:
			panic(exit{3})
		default:
			panic(exit{4})
		}
	}
}

// control sends acts to the service's runsv unless its want already matches: 1 sent, 0
// nothing needed, -1 failed (reported).
func (c *client) control(s *service, acts string) int {
	st, r := c.get(s, s.dir)
	if r <= 0 {
		return -1
	}
	if byte(st.Want) == acts[0] && (acts[0] != protocol.CtlDown || st.Term) {
		return 0
	}
	fd, err := syscall.Open(join(s.dir, protocol.SuperviseDir+"/"+protocol.ControlFile), syscall.O_WRONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		if err != syscall.ENXIO {
			c.warn(s, "unable to open supervise/control", err)
		} else if c.acts != "" && c.acts[0] == protocol.CtlExit {
			c.ok(s, "runsv not running")
		} else {
			c.fail(s, "runsv not running", nil)
		}
		return -1
	}
	n, err := syscall.Write(fd, []byte(acts))
	syscall.Close(fd)
	if n != len(acts) {
		if err == nil {
			err = syscall.EIO
		}
		c.warn(s, "unable to write to supervise/control", err)
		return -1
	}
	return 1
}
