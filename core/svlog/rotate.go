package svlog

// Rotation: current moved aside as a .s (or a .u for the processor) and a new one started.

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
)

// rotate moves a non-empty current aside and starts a new one, then prunes and starts
// the processor on the moved file. In lossy mode nothing here may block: when the
// processor still runs or the directory refuses the rotation, current keeps growing and
// the rotation is tried again later.
func (d *Dir) rotate() {
	lossy := d.l.opt.Lossy
	now := time.Now()
	if lossy && now.Before(d.rotRetry) {
		return
	}
	// Like C, the age deadline moves only once it has passed: t rotates every t seconds
	// from the start, whatever size rotations happen in between.
	if d.cfg.TMax > 0 && !now.Before(d.rotDue) {
		d.resetTimer(now)
	}
	if lossy {
		// Checked before the flush: past its size, current asks for a rotation on
		// every line while the processor runs, and a flush each time would be a
		// write per line.
		d.pollProcessor()
		if d.procU != "" {
			return
		}
	}
	d.flush()
	if d.size == 0 || d.cur < 0 {
		return
	}
	d.waitProcessor()
	// A pending .u goes first: it is older, and pendU holds only one.
	if d.finishPending(); d.pendU != "" {
		return
	}
	name := d.orphan
	if name == "" {
		if name = d.moveCurrent(); name == "" {
			return
		}
	}
	if !d.newCurrent(name) {
		return
	}
	d.orphan = ""
	d.rotRetry = time.Time{}
	unix.Fchmod(d.cur, 0o644)
	d.size, d.tail = 0, 0
	d.prune(name)
	if d.cfg.Processor != "" {
		d.startProcessor(name)
	}
}

// moveCurrent syncs current and renames it to a new rotated name, which it returns; ""
// when lossy mode gives up for now.
func (d *Dir) moveCurrent() string {
	for {
		// EINVAL: the file system cannot sync (some pseudo file systems); nothing to wait for.
		err := unix.Fsync(d.cur)
		if err == nil || err == unix.EINVAL {
			break
		}
		if err == unix.EINTR {
			continue
		}
		if d.l.opt.Lossy {
			d.rotFailed("unable to fsync current logfile: ", err)
			return ""
		}
		d.l.pause("unable to fsync current logfile: ", d.name, ": ", errstr.Text(err))
	}
	unix.Fchmod(d.cur, 0o744)
	suffix := ".s"
	if d.cfg.Processor != "" {
		suffix = ".u"
	}
	name := d.newName(suffix)
	for {
		err := os.Rename(d.fp("current"), d.fp(name))
		if err == nil {
			break
		}
		if d.l.opt.Lossy {
			unix.Fchmod(d.cur, 0o644)
			d.rotFailed("unable to rename current: ", err)
			return ""
		}
		d.l.pause("unable to rename current: ", d.name, ": ", errstr.Text(err))
	}
	d.l.info("rename: ", d.path("current"), " ", name, " ", utoa(d.size))
	return name
}

// newCurrent creates the new current once the old one is renamed to name, and reports
// whether it did; in lossy mode a failure leaves the renamed file as current (orphan).
func (d *Dir) newCurrent(name string) bool {
	for {
		fd, err := unix.Open(d.fp("current"), unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
		if err == nil {
			if d.orphan != "" {
				unix.Fsync(d.cur) // what was appended to the renamed file since
			}
			unix.Close(d.cur)
			d.cur = fd
			return true
		}
		if d.l.opt.Lossy {
			// Keep appending to the renamed file: nothing is lost, and the next
			// attempt only has to create current.
			d.orphan = name
			d.rotFailed("unable to create new current: ", err)
			return false
		}
		d.l.pause("unable to create new current: ", d.name, ": ", errstr.Text(err))
	}
}

// rotFailed reports a rotation that lossy mode gives up for now, and holds off the next
// attempt (and the next message) for retryPause, as often as C would retry.
func (d *Dir) rotFailed(msg string, err error) {
	d.l.warn(msg, d.name, ": ", errstr.Text(err))
	d.rotRetry = time.Now().Add(retryPause)
}
