package chpst

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/platform"
)

// platformDB is the system's account database, through platform. A name not found is
// ErrNoEntry unless the account file could not be opened (a chroot without /etc/passwd):
// then that error, as C's getpwnam and getgrnam leave it in errno.
type platformDB struct{}

func (platformDB) User(name string) (int, int, error) {
	if uid, gid, ok := platform.LookupUser(name); ok {
		return uid, gid, nil
	}
	return 0, 0, noEntry(platform.AccountFileErr(false))
}

func (platformDB) Group(name string) (int, error) {
	if gid, ok := platform.LookupGroup(name); ok {
		return gid, nil
	}
	return 0, noEntry(platform.AccountFileErr(true))
}

// noEntry is a failed lookup's error: why the file could not be opened, else ErrNoEntry.
func noEntry(fileErr error) error {
	if fileErr != nil {
		return fileErr
	}
	return ErrNoEntry
}

// rlimitSys is how chpst sets limits and names them: platform's, which knows the limits of
// the system it was built for; tests put in one lacking some limits, to see chpst's
// answer to options this system cannot carry out.
var rlimitSys = struct {
	setSoft func(platform.Rlimit, int64) error
	name    func(platform.Rlimit) (string, bool)
}{platform.SetSoftRlimit, platform.RlimitName}

// SystemDB is the account database of the running system.
var SystemDB UserDB = platformDB{}

// Main runs chpst with argv (argv[0] chooses the personality) and returns the exit code
// when it does not exec.
func Main(argv []string, stderr io.Writer) int {
	p, out := Parse(argv)
	if out != nil {
		io.WriteString(stderr, out.Stderr)
		return out.Code
	}
	return Apply(p, SystemDB, stderr)
}

// fatalTo returns the function that prints C chpst's fatal message (msg, then err's text
// when there is one) to stderr and gives the exit code.
func fatalTo(stderr io.Writer) func(msg string, err error) int {
	return func(msg string, err error) int {
		if err != nil {
			msg += ": " + errstr.Text(err)
		}
		io.WriteString(stderr, "chpst: fatal: "+msg+"\n")
		return exitFatal
	}
}

// Apply carries out the plan in chpst's fixed order (setsid, envdir, chroot, chdir, nice,
// -U, -u, lock, closing 0/1/2, limits) and execs the program. It returns only on failure,
// with the exit code, after printing C chpst's message.
func Apply(p *Plan, db UserDB, stderr io.Writer) int {
	// Linux keeps nice and credentials per thread; stay on one thread up to exec so that
	// what we set is what the program inherits.
	runtime.LockOSThread()
	fatal := fatalTo(stderr)
	if p.Setsid {
		syscall.Setsid() // fails only when already a group leader: C ignores that too
	}
	env, code, ok := p.envDir(stderr, fatal)
	if !ok {
		return code
	}
	for _, step := range []func(fatal func(string, error) int) (int, bool){p.changeDir, p.renice} {
		if code, ok := step(fatal); !ok {
			return code
		}
	}
	envUser, code, ok := p.envUser(db, fatal)
	if !ok {
		return code
	}
	env = append(env, envUser...)
	if code, ok := p.setUser(db, fatal); !ok {
		return code
	}
	if code, ok := p.takeLock(fatal); !ok {
		return code
	}
	for fd, c := range p.Close {
		if c {
			syscall.Close(fd)
		}
	}
	return p.exec(env, stderr, fatal)
}

// envDir reads -e's directory into environment changes. ok is false when chpst must exit
// with code.
func (p *Plan) envDir(stderr io.Writer, fatal func(string, error) int) (env []EnvMod, code int, ok bool) {
	if p.EnvDir == nil {
		return nil, 0, true
	}
	warn := func(msg string, err error) {
		if p.Verbose {
			io.WriteString(stderr, "chpst: warning: "+msg+": "+errstr.Text(err)+"\n")
		}
	}
	mods, err := readEnvDir(*p.EnvDir, p.EnvDirStrict, warn)
	if err != nil {
		var e *envDirError
		if errors.As(err, &e) {
			return nil, fatal(e.Msg, e.Err), false
		}
		return nil, fatal("unable to read "+*p.EnvDir, err), false
	}
	return mods, 0, true
}

// changeDir does -/ (chroot) and -C (chdir), in that order.
func (p *Plan) changeDir(fatal func(string, error) int) (int, bool) {
	if p.Root != nil {
		if err := syscall.Chdir(*p.Root); err != nil {
			return fatal("unable to change directory: "+*p.Root, err), false
		}
		if err := syscall.Chroot("."); err != nil {
			return fatal("unable to change root directory", err), false
		}
	}
	if p.Dir != nil {
		if err := syscall.Chdir(*p.Dir); err != nil {
			return fatal("unable to change directory: "+*p.Dir, err), false
		}
	}
	return 0, true
}

// renice does -n.
func (p *Plan) renice(fatal func(string, error) int) (int, bool) {
	if p.Nice != 0 {
		if err := platform.Nice(p.Nice); err != nil {
			return fatal("unable to set nice level", err), false
		}
	}
	return 0, true
}

// envUser is -U's UID and GID variables.
func (p *Plan) envUser(db UserDB, fatal func(string, error) int) (env []EnvMod, code int, ok bool) {
	if p.EnvUser == nil {
		return nil, 0, true
	}
	ids, msg, err := resolveIDs(db, *p.EnvUser, p.UserExt)
	if msg != "" {
		return nil, fatal(msg, err), false
	}
	// GID first: C chpst adds them in this order, which shows in the environment.
	return []EnvMod{{Name: "GID", Value: strconv.Itoa(ids.GIDs[0])},
		{Name: "UID", Value: strconv.Itoa(ids.UID)}}, 0, true
}

// setUser does -u.
func (p *Plan) setUser(db UserDB, fatal func(string, error) int) (int, bool) {
	if p.SetUser == nil {
		return 0, true
	}
	ids, msg, err := resolveIDs(db, *p.SetUser, p.UserExt)
	if msg != "" {
		return fatal(msg, err), false
	}
	// Order matters: groups and gid while we still have the privilege, uid last.
	if err := platform.Setgroups(ids.GIDs); err != nil {
		return fatal("unable to setgroups", err), false
	}
	if err := platform.Setgid(ids.GIDs[0]); err != nil {
		return fatal("unable to setgid", err), false
	}
	if err := platform.Setuid(ids.UID); err != nil {
		return fatal("unable to setuid", err), false
	}
	return 0, true
}

// takeLock does -l and -L; with -L's quiet form a lock not taken ends chpst with 0.
func (p *Plan) takeLock(fatal func(string, error) int) (int, bool) {
	if p.Lock == nil {
		return 0, true
	}
	lock := *p.Lock
	// No O_CLOEXEC: the program inherits the descriptor and with it the lock.
	// O_NONBLOCK as C's open_append has it: a FIFO without a reader fails at once
	// (ENXIO) instead of hanging chpst.
	fd, err := syscall.Open(lock, syscall.O_WRONLY|syscall.O_APPEND|syscall.O_CREAT|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		if p.LockQuiet {
			return 0, false
		}
		return fatal("unable to open lock: "+lock, err), false
	}
	if err := platform.Lock(fd, p.LockWait); err != nil {
		if p.LockQuiet {
			return 0, false
		}
		return fatal("unable to lock: "+lock, err), false
	}
	return 0, true
}

// exec sets the limits and runs the program; it returns only when that failed.
func (p *Plan) exec(env []EnvMod, stderr io.Writer, fatal func(string, error) int) int {
	// Prepare the exec before the limits: under a small -m (RLIMIT_AS) the Go runtime
	// cannot map more memory, so nothing may be allocated after setLimits.
	environ := applyEnv(os.Environ(), env)
	prog := p.Args[0]
	argv := append([]string(nil), p.Args...)
	if p.Argv0 != nil {
		argv[0] = *p.Argv0
	}
	execs, err := prepareExecPath(prog, argv, environ)
	if err != nil {
		return fatal("unable to run: "+argv[0], err)
	}
	if p.Limits[platform.RlimitNofile] == limUnset {
		// The Go runtime raised the soft open-files limit for itself; the program gets the
		// one chpst was started with, as under C chpst (-o sets its own).
		platform.RestoreNofile()
	}
	if code, failed := p.setLimits(stderr, fatal); failed {
		return code
	}
	err = execPath(execs)
	if p.LockQuiet {
		return 0
	}
	// C names argv[0] here, which -b may have replaced, not the program it looked for
	return fatal("unable to run: "+argv[0], err)
}

// setLimits applies the limits in chpst's order. A limit the system lacks is an error
// naming the option when the option can do nothing else; when the option sets other
// limits too (-m without RLIMIT_AS) it is a warning and the rest still apply.
func (p *Plan) setLimits(stderr io.Writer, fatal func(string, error) int) (int, bool) {
	for l := Limit(0); l < platform.NRlimits; l++ {
		v := p.Limits[l]
		if v == limUnset {
			continue
		}
		err := rlimitSys.setSoft(l, v)
		if errors.Is(err, errors.ErrUnsupported) {
			flag := p.LimitFlags[l]
			name := limitCName(l)
			if len(limitLetters[flag[1]]) > 1 {
				io.WriteString(stderr, "chpst: warning: "+flag+": "+name+" not supported on this system\n")
				continue
			}
			return fatal(flag+": "+name+" not supported on this system", nil), true
		}
		var re *platform.RlimitError
		if errors.As(err, &re) {
			return fatal("unable to "+re.Op, re.Err), true
		}
		if err != nil {
			return fatal("unable to setrlimit", err), true
		}
	}
	return 0, false
}

// limitCName is the C name of a limit for messages, also where the system lacks it.
func limitCName(l Limit) string {
	n, _ := rlimitSys.name(l)
	return n
}

// execPath execs prog like djb's pathexec: a name with a '/' directly, otherwise each
// directory of PATH from the new environment in turn ("/bin:/usr/bin" without PATH, an
// empty element meaning "."). The error reported is the first one other than ENOENT;
// lookup stops at any error other than ENOENT, EACCES, EPERM and EISDIR.
// prepareExecPath prepares an exec of every place execvp would try for prog: prog itself
// when it contains a slash, else each directory of PATH (default /bin:/usr/bin).
func prepareExecPath(prog string, argv, environ []string) ([]*platform.PreparedExec, error) {
	var paths []string
	if strings.Contains(prog, "/") {
		paths = []string{prog}
	} else {
		path, found := "", false
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, "PATH="); ok {
				path, found = v, true
			}
		}
		if !found {
			path = "/bin:/usr/bin"
		}
		for _, dir := range strings.Split(path, ":") {
			if dir == "" {
				dir = "."
			}
			paths = append(paths, dir+"/"+prog)
		}
	}
	execs := make([]*platform.PreparedExec, 0, len(paths))
	for _, p := range paths {
		x, err := platform.PrepareExec(p, argv, environ)
		if err != nil {
			return nil, err
		}
		execs = append(execs, x)
	}
	return execs, nil
}

// execPath tries the prepared execs in order as execvp does: on to the next on ENOENT,
// EACCES, EPERM or EISDIR, and the last such error (ENOENT first) if none runs.
func execPath(execs []*platform.PreparedExec) error {
	var saved error
	for _, x := range execs {
		err := x.Exec()
		if err == syscall.ENOENT {
			continue
		}
		saved = err
		if err != syscall.EACCES && err != syscall.EPERM && err != syscall.EISDIR {
			return err
		}
	}
	if saved == nil {
		saved = syscall.ENOENT
	}
	return saved
}
