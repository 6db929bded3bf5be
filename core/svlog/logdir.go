package svlog

// A log directory: its state, opening it (lock, config, current) and closing it.

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/platform"
)

// retryPause is how long svlogd waits before retrying what failed, as C svlogd does.
var retryPause = 3 * time.Second

// Dir is one log directory.
type Dir struct {
	name string // as given on the command line: messages use it
	fs   string // where the directory is when that is not name (see where)
	l    *Logger
	cfg  Config
	lock int // fd of the held lock, -1 when the directory is not in use
	cur  int // fd of current, -1 when closed
	size uint64
	pend []byte // accepted bytes not yet written to current
	scr  []byte // scratch for lines written piece by piece

	last    string    // greatest @ name in the directory: new names sort after it
	rotDue  time.Time // when t rotates current next
	procU   string    // the .u being processed, "" when no processor runs
	procCmd string    // its processor: a HUP in lossy mode may change the config meanwhile
	procCh  chan procResult
	udpFd   int
	dropped uint64 // lines dropped in lossy mode since the last full flush; > 0 while failing
	cont    bool   // selected the long line being copied
	named   bool   // opened once: C's messages know the name from then on

	// Lossy mode only: what a failed rotation left behind.
	rotRetry time.Time // no new rotation attempt before this
	orphan   string    // current has been renamed to this but no new current created yet
	pendU    string    // a .u a HUP took from an orphan: processed once a new current exists

	// Lossy mode only: a line is dropped whole, even one longer than a read, whose head
	// went out in an earlier flush.
	tail int64 // bytes of an incomplete line at the end of current
	skip bool  // the head of the line being read was dropped: drop the rest up to its newline
}

// path is n in the directory as messages name it: under the name given on the command line.
func (d *Dir) path(n string) string { return d.name + "/" + n }

// where is the directory's path for file operations: its name, or, in a pooled logger, the
// name under the working directory the svlogd had (a relative name cannot use the pool's).
func (d *Dir) where() string {
	if d.fs != "" {
		return d.fs
	}
	return d.name
}

// fp is n in the directory, for file operations.
func (d *Dir) fp(n string) string { return d.where() + "/" + n }

// open opens the directory: lock, config, current. It reports whether the directory is
// usable; the reasons it is not are printed as C svlogd prints them.
func (d *Dir) open() bool {
	d.lock, d.cur, d.udpFd = -1, -1, -1
	if !d.lockDir() {
		return false
	}
	d.named = true
	d.readConfig()
	d.rotRetry, d.orphan = time.Time{}, ""
	d.scanNames()
	d.keepUnfinished()
	d.size = 0
	if d.openCurrent(false) {
		d.l.info("append: ", d.path("current"))
	} else {
		d.l.info("new: ", d.path("current"))
	}
	d.finishPending()
	d.resetTimer(time.Now())
	return true
}

// lockDir checks that the directory is one and takes its lock, saying why when it cannot.
func (d *Dir) lockDir() bool {
	fd, err := unix.Open(d.where(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		d.l.warn("unable to open log directory: ", d.name, ": ", errstr.Text(err))
		return false
	}
	var dst unix.Stat_t
	unix.Fstat(fd, &dst)
	unix.Close(fd)
	if dst.Mode&unix.S_IFMT != unix.S_IFDIR {
		// C opens any file, then fails to fchdir into it.
		d.closeMsg()
		d.l.warn("unable to change directory: ", d.name, ": ", errstr.Text(unix.ENOTDIR))
		return false
	}
	lk, err := unix.Open(d.fp("lock"), unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err == nil {
		if err = platform.Lock(lk, false); err != nil {
			unix.Close(lk)
		}
	}
	if err != nil {
		d.closeMsg()
		d.l.warn("unable to lock directory: ", d.name, ": ", errstr.Text(err))
		return false
	}
	d.lock = lk
	return true
}

// readConfig reads the directory's config file; without one the defaults hold.
func (d *Dir) readConfig() {
	d.cfg = DefaultConfig()
	b, err := os.ReadFile(d.fp("config"))
	if err != nil && !errors.Is(err, unix.ENOENT) {
		// C names the directory here, and says "read" all the same.
		d.l.warn("unable to read config: ", d.name, ": ", errstr.Text(err))
	}
	if err == nil || !errors.Is(err, unix.ENOENT) {
		d.l.info("read: ", d.path("config"))
	}
	if err == nil {
		d.cfg = ParseConfig(b)
		for _, w := range d.cfg.Warnings {
			d.l.warn(w)
		}
	}
}

// keepUnfinished keeps a current that was not closed cleanly (non-empty, without u+x) as
// a .u file.
func (d *Dir) keepUnfinished() {
	var st unix.Stat_t
	if unix.Stat(d.fp("current"), &st) != nil || st.Size == 0 || st.Mode&0o100 != 0 {
		return
	}
	n := d.newName(".u")
	for {
		err := os.Rename(d.fp("current"), d.fp(n))
		if err == nil {
			d.prune("")
			return
		}
		if d.l.opt.Lossy {
			// Appending to it loses nothing; blocking would.
			d.l.warn("unable to rename current: ", d.name, ": ", errstr.Text(err))
			return
		}
		d.l.pause("unable to rename current: ", d.name, ": ", errstr.Text(err))
	}
}

// openCurrent opens current for appending and reports whether it was not empty. In lossy
// mode a failure leaves the directory without current: lines are dropped and counted
// until it can be opened (retried every retryPause); otherwise svlogd pauses and retries.
func (d *Dir) openCurrent(retry bool) bool {
	for {
		fd, err := unix.Open(d.fp("current"), unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
		if err == nil {
			d.cur = fd
			break
		}
		if d.l.opt.Lossy {
			if !retry {
				d.l.warn("unable to open current: ", d.name, ": ", errstr.Text(err))
			}
			d.rotRetry = time.Now().Add(retryPause)
			return false
		}
		d.l.pause("unable to open current: ", d.name, ": ", errstr.Text(err))
	}
	var cst unix.Stat_t
	unix.Fstat(d.cur, &cst)
	d.size, d.tail = uint64(cst.Size), 0
	unix.Fchmod(d.cur, 0o644)
	return d.size > 0
}

// closeMsg is the "close" message C svlogd prints when it gives up on a directory it
// has not locked: with the name of the last successful open, none before the first.
func (d *Dir) closeMsg() {
	if d.named {
		d.l.info("close: ", d.name)
	} else {
		d.l.info("close: ")
	}
}

func (d *Dir) resetTimer(now time.Time) {
	if d.cfg.TMax > 0 {
		d.rotDue = now.Add(time.Duration(d.cfg.TMax) * time.Second)
	} else {
		d.rotDue = time.Time{}
	}
}

// close flushes current, waits for the processor, marks current complete (u+x) and
// releases the directory. With wait false in lossy mode (a HUP) it does not wait for the
// processor: it keeps running, and its .u stays protected from pruning, across the reopen.
func (d *Dir) close(wait bool) {
	if d.lock < 0 {
		return
	}
	d.flush()
	if wait || !d.l.opt.Lossy {
		d.waitProcessor()
	} else {
		d.pollProcessor()
	}
	d.reportDropped()
	if d.orphan != "" {
		// The renamed file has everything: a fresh current starts at the reopen. A .u
		// still awaits its processor, which the reopen starts once current exists.
		unix.Fsync(d.cur)
		unix.Close(d.cur)
		d.cur = -1
		if d.orphan[26] == 'u' {
			d.pendU = d.orphan
		}
		d.orphan = ""
	}
	if d.cur >= 0 {
		unix.Fsync(d.cur)
		unix.Fchmod(d.cur, 0o744)
		unix.Close(d.cur)
		d.cur = -1
	}
	if d.udpFd >= 0 {
		unix.Close(d.udpFd)
		d.udpFd = -1
	}
	unix.Close(d.lock)
	d.lock = -1
	d.l.info("close: ", d.name)
}

func utoa(n uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
