package utmp

import (
	"errors"
	"io"
	"os"
	"path"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/platform"
)

// Files says where a system keeps its login records and in which layout. Wtmp is empty
// where the system keeps no login log file (macOS logs through ASL). Old, where set, is
// an older database the system's tools still read beside the current one (NetBSD's utmp
// and wtmp beside utmpx and wtmpx): utmpset logs the line out there too when its utmp
// file exists, so that who does not keep showing the session from it.
type Files struct {
	Layout *Layout
	Utmp   string
	Wtmp   string
	Old    *Files
}

// SystemFiles returns the running system's files, from platform.
func SystemFiles() Files {
	name, u, w := platform.UtmpFiles()
	f := Files{Layout: Layouts[name], Utmp: u, Wtmp: w}
	if name, u, w := platform.UtmpOldFiles(); name != "" {
		f.Old = &Files{Layout: Layouts[name], Utmp: u, Wtmp: w}
	}
	return f
}

const utmpsetVersion = "$Id: cb399098f794012a7f5e6a3a7090b2d53b86c08c $"

// Utmpset is runit's utmpset: `utmpset [-w] line` marks line's entry in the utmp file
// dead and with -w appends a logout record to the wtmp file (to each file pair of f that
// had an entry). It returns the exit code: 1 for usage, 111 for any failure (including no
// entry for line), 0 otherwise, also when -w finds no wtmp file kept on this system.
func Utmpset(argv []string, stderr io.Writer, f Files, now func() time.Time) int {
	if len(argv) == 0 {
		argv = []string{"utmpset"}
	}
	usage := func(pre string) int {
		io.WriteString(stderr, pre+"usage: "+argv[0]+" [-w] line\n\n")
		return 1
	}
	wtmp, version, bad := false, false, ""
	i := getopt.Parse(argv, "wV", func(c byte, _ string) bool {
		if c == 'V' {
			version = true
			return false
		}
		wtmp = true
		return true
	}, func(msg string) { bad = msg })
	switch {
	case version:
		return usage(utmpsetVersion + "\n")
	case i < 0:
		return usage(path.Base(argv[0]) + ": " + bad + "\n")
	}
	if i >= len(argv) {
		return usage("")
	}
	line := argv[i]
	fatal := func(e *opError) int {
		io.WriteString(stderr, "utmpset: fatal: "+e.msg+": "+errstr.Text(e.err)+"\n")
		return 111
	}
	if f.Layout == nil {
		return fatal(&opError{"unable to logout line " + line, errors.ErrUnsupported})
	}
	t := now()
	rec, e := logoutUtmp(f, line, t)
	if e != nil && e != errNoEntry {
		return fatal(e)
	}
	var oldRec []byte
	if f.Old != nil {
		oldRec, e = logoutUtmp(*f.Old, line, t)
		if e != nil && e != errNoEntry && !errors.Is(e.err, os.ErrNotExist) {
			return fatal(e)
		}
	}
	if rec == nil && oldRec == nil {
		io.WriteString(stderr, "utmpset: warning: unable to logout line "+line+" in utmp: no such entry\n")
		return 111
	}
	if !wtmp {
		return 0
	}
	if f.Wtmp == "" {
		// The logout itself is done, which is what a getty's finish script is for; a
		// log this system does not keep is no reason to fail it (runit's C exits 0
		// when it has done its job).
		io.WriteString(stderr, "utmpset: warning: -w: this system keeps no wtmp file, the logout of line "+line+" is not logged\n")
		return 0
	}
	logout := func(f Files, rec []byte) int {
		e := appendWtmp(f, f.Layout.LogRecord(line, t, rec))
		switch {
		case e == nil:
			return 0
		case e.msg == "": // the write itself: C warns, naming the line
			io.WriteString(stderr, "utmpset: warning: unable to logout line "+line+" in wtmp: "+errstr.Text(e.err)+"\n")
			return 111
		}
		return fatal(e)
	}
	if rec != nil {
		if code := logout(f, rec); code != 0 {
			return code
		}
	}
	if oldRec != nil {
		return logout(*f.Old, oldRec)
	}
	return 0
}

// opError is a failed step: C's message for it (empty for a failed wtmp write, which C
// reports as a warning naming the line) and the cause.
type opError struct {
	msg string
	err error
}

var errNoEntry = &opError{"no such entry", syscall.ENOENT}

// logoutUtmp rewrites, under an exclusive lock, the first live record for line in the
// utmp file, and returns its old content.
func logoutUtmp(f Files, line string, now time.Time) ([]byte, *opError) {
	l := f.Layout
	fh, err := os.OpenFile(f.Utmp, os.O_RDWR, 0)
	if err != nil {
		return nil, &opError{"unable to open " + f.Utmp, err}
	}
	defer fh.Close()
	if err := platform.Lock(int(fh.Fd()), true); err != nil {
		return nil, &opError{"unable to lock: " + f.Utmp, err} // sic, C's wording
	}
	rec := make([]byte, l.Size)
	for off := int64(0); ; off += int64(l.Size) {
		if _, err := io.ReadFull(fh, rec); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, errNoEntry
			}
			return nil, &opError{"unable to read " + f.Utmp, err}
		}
		if !l.Matches(rec, line) {
			continue
		}
		old := append([]byte(nil), rec...)
		l.Logout(rec, now)
		if _, err := fh.WriteAt(rec, off); err != nil {
			return nil, &opError{"unable to write " + f.Utmp, err}
		}
		return old, nil
	}
}

// appendWtmp appends one record to the wtmp file, locked, opened as djb's open_append
// opens (created 0600, and O_NONBLOCK, so that a FIFO with no reader in its place fails
// at once with ENXIO instead of hanging a finish script). A failed write is undone by
// truncating back to the old size, as C does, and reported with an empty msg.
func appendWtmp(f Files, rec []byte) *opError {
	fh, err := os.OpenFile(f.Wtmp, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return &opError{"unable to open " + f.Wtmp, err}
	}
	defer fh.Close()
	if err := platform.Lock(int(fh.Fd()), true); err != nil {
		return &opError{"unable to lock " + f.Wtmp, err}
	}
	st, err := fh.Stat()
	if err != nil {
		return &opError{"", err}
	}
	if n, err := fh.Write(rec); err != nil || n != len(rec) {
		fh.Truncate(st.Size())
		if err == nil {
			err = io.ErrShortWrite
		}
		return &opError{"", err}
	}
	return nil
}
