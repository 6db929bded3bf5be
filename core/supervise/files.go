package supervise

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/runit-go/runit/core/poller"
	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// files are one supervise/ directory's open descriptors.
type files struct {
	lock    int // supervise/lock, flocked
	control int // supervise/control, read end (non-blocking, in the poller)
	ctlW    int // our own write end, so readers never see EOF
	ok      int // supervise/ok, read end: lets clients tell we are alive
	// group may read the status (status-group), -1 for none; warning says why a
	// status-group file was not taken, for the caller to say.
	group   int
	warning string
}

func (f *files) close() {
	if f.control >= 0 {
		poller.Shared().Remove(f.control)
		unix.Close(f.control)
	}
	for _, fd := range []int{f.ctlW, f.ok, f.lock} {
		if fd > 0 {
			unix.Close(fd)
		}
	}
	*f = files{control: -1}
}

// fatalError is a startup failure reported as "runsv NAME: fatal: MSG[: ERR]".
type fatalError struct {
	msg string
	err error
}

func (e *fatalError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + errText(e.err)
}

func fatal(msg string, err error) error { return &fatalError{msg, err} }

// openSupervise creates and opens <dir>/supervise as runsv does. rel is how messages name
// it ("supervise" or "log/supervise"). The main lock is non-blocking (a second runsv dies);
// the log's lock blocks, as in C runsv.
func openSupervise(dir, rel string, waitLock bool) (*files, error) {
	sup := filepath.Join(dir, protocol.SuperviseDir)
	if err := unix.Mkdir(sup, 0o700); err != nil {
		// supervise may be a symlink to a directory that does not exist yet (read-only roots).
		var buf [256]byte
		n, rerr := unix.Readlink(sup, buf[:])
		switch {
		case rerr == nil && n == len(buf):
			return nil, fatal("unable to readlink ./"+rel, unix.ENAMETOOLONG)
		case rerr == nil:
			target := string(buf[:n])
			if !filepath.IsAbs(target) {
				// Not filepath.Join: ".." is the kernel's, from where the link is.
				target = dir + "/" + target
			}
			unix.Mkdir(target, 0o700)
		case rerr != unix.ENOENT && rerr != unix.EINVAL:
			return nil, fatal("unable to readlink ./"+rel, rerr)
		}
	}
	f := &files{lock: -1, control: -1, ctlW: -1, ok: -1, group: -1}
	f.grantStatus(dir, rel, sup)
	fail := func(msg string, err error) (*files, error) {
		f.close()
		return nil, fatal(msg, err)
	}
	var err error
	f.lock, err = unix.Open(filepath.Join(sup, protocol.LockFile), unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return fail("unable to open "+rel+"/lock", err)
	}
	if err := platform.Lock(f.lock, waitLock); err != nil {
		return fail("unable to lock "+rel+"/lock", err)
	}
	if err := makeFifo(filepath.Join(sup, protocol.ControlFile), rel+"/control"); err != nil {
		f.close()
		return nil, err
	}
	if f.control, err = unix.Open(filepath.Join(sup, protocol.ControlFile), unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err != nil {
		f.control = -1
		return fail("unable to open "+rel+"/control", err)
	}
	if f.ctlW, err = unix.Open(filepath.Join(sup, protocol.ControlFile), unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err != nil {
		return fail("unable to open "+rel+"/control", err)
	}
	return f, nil
}

// openOK creates and opens supervise/ok. It comes last, after the first status is written,
// so that a client that sees us alive also sees a status.
func (f *files) openOK(dir, rel string) error {
	p := filepath.Join(dir, protocol.SuperviseDir, protocol.OKFile)
	if err := makeFifo(p, rel+"/ok"); err != nil {
		return err
	}
	if f.group >= 0 {
		// sv tells a live runsv by opening ok for writing: the group may do that too,
		// and nothing is read from it.
		unix.Chown(p, -1, f.group)
		unix.Chmod(p, 0o620)
	}
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fatal("unable to read "+rel+"/ok", err)
	}
	f.ok = fd
	return nil
}

func makeFifo(path, rel string) error {
	err := unix.Mkfifo(path, 0o600)
	if err == nil {
		return nil
	}
	if err != unix.EEXIST {
		return fatal("unable to mkfifo "+rel, err)
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return fatal("unable to stat "+rel, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return fatal(rel+" exists but is not a fifo", nil)
	}
	return nil
}

// writeStatus writes status, then pid and stat of u, each to X.new renamed over X as C
// runsv does. The 20-byte status record, which sv reads, goes first, so that a restart is
// visible one rename sooner (C runsv writes it last); pid and stat, conveniences derived
// from it, follow and are skipped when their text is unchanged (a restart keeps "run").
// Failures are warnings: supervision goes on.
func (s *Service) writeStatus(u *unit) {
	sup := filepath.Join(u.dir, protocol.SuperviseDir)
	rel := u.rel
	rec := protocol.Record{Time: u.stamp, Pid: u.pid, Paused: u.paused, Want: u.want, Term: u.term, State: u.state}
	b := rec.Encode()
	s.replace(sup, rel, protocol.StatusFile, b[:])
	if u.pid != u.pidWritten {
		if s.replace(sup, rel, protocol.PidFile, protocol.EncodePid(u.pid)) {
			u.pidWritten = u.pid
		}
	}
	if st := rec.StatText(); st != u.statWritten {
		if s.replace(sup, rel, protocol.StatFile, []byte(st)) {
			u.statWritten = st
		}
	}
}

func (s *Service) replace(sup, rel, name string, data []byte) bool {
	tmp := filepath.Join(sup, name+protocol.NewSuffix)
	// Non-blocking, as C runsv opens it: a FIFO left in its place fails instead of hanging.
	// Not through a symlink (C follows it): whoever owns the service directory could
	// otherwise have a root supervisor truncate any file.
	fd, err := unix.Open(tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if err != nil {
		s.warn(fmt.Sprintf("unable to open %s/%s.new", rel, name), err)
		return false
	}
	n, err := unix.Write(fd, data)
	unix.Close(fd)
	if err != nil {
		s.warn(fmt.Sprintf("unable to write %s/%s.new", rel, name), err)
		return false
	}
	if n != len(data) {
		s.warn(fmt.Sprintf("unable to write %s/%s.new: partial write.", rel, name), nil)
		return false
	}
	if err := platform.Replace(tmp, filepath.Join(sup, name)); err != nil {
		s.warn(fmt.Sprintf("unable to rename %s/%s.new to %s/%s", rel, name, rel, name), err)
		return false
	}
	return true
}

// grantStatus gives the group named by the service's status-group file (the main
// service's, for its log too) read access to supervise/ (mode 0750, the group's) and the
// right to open ok, so that its members can run sv status, sv --json and sv --metrics
// without root, as s6-svperms -g does. control stays 0600: they cannot control the
// service. Without the file nothing changes (a supervise/ made by runsv is 0700).
func (f *files) grantStatus(dir, rel, sup string) {
	svc := dir
	if strings.HasPrefix(rel, protocol.LogDir+"/") {
		svc = filepath.Dir(dir)
	}
	v, err := protocol.ReadOption(filepath.Join(svc, protocol.StatusGroupFile))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		f.warning = "unable to read " + protocol.StatusGroupFile + ": " + errText(err)
		return
	}
	gid, ok := protocol.DecodeStatusGroup(v, platform.LookupGroup)
	if !ok {
		f.warning = "ignoring " + protocol.StatusGroupFile + ": not a group: " + v
		return
	}
	if err := unix.Chown(sup, -1, gid); err != nil {
		f.warning = "unable to give ./" + rel + " to group " + v + ": " + errText(err)
		return
	}
	if err := unix.Chmod(sup, 0o750); err != nil {
		f.warning = "unable to give ./" + rel + " to group " + v + ": " + errText(err)
		return
	}
	f.group = gid
}
