package svlog

// Lossy mode (-L): lines dropped and counted while current cannot be written, and the
// rotation a failure or a HUP interrupted finished later.

import (
	"bytes"
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
)

// drop counts the lines in p (never empty, so dropped becomes > 0) as dropped (lossy
// mode), saying so when the failure starts.
func (d *Dir) drop(p []byte, err error) {
	if d.dropped == 0 {
		if err == nil {
			err = unix.EBADF
		}
		d.l.warn("unable to write to current, dropping lines: ", d.name, ": ", errstr.Text(err))
	}
	d.dropped += uint64(countNL(p))
	d.size -= uint64(len(p))
	if len(p) > 0 && p[len(p)-1] != '\n' {
		// The line's rest is still to come: it goes too, and the line counts once, now.
		d.dropped++
		d.skip = true
	}
}

// reportDropped says how many lines were dropped since the last report.
func (d *Dir) reportDropped() {
	if d.dropped > 0 {
		d.l.warn("dropped ", utoa(d.dropped), " lines: ", d.name)
		d.dropped = 0
	}
}

// finishPending completes the rotation a HUP interrupted (lossy mode only): once current
// exists and no processor runs, the pending .u is pruned around and processed as a
// rotated file is, or, when the config has no processor any more, becomes the .s a
// rotation without one makes.
func (d *Dir) finishPending() {
	if d.pendU == "" || d.cur < 0 || d.procU != "" {
		return
	}
	u := d.pendU
	if _, err := os.Lstat(d.fp(u)); errors.Is(err, unix.ENOENT) {
		// Removed by hand: nothing left to finish, and waiting for it would stop rotation.
		d.pendU = ""
		return
	}
	if d.cfg.Processor == "" {
		s := u[:25] + ".s"
		if err := os.Rename(d.fp(u), d.fp(s)); err != nil {
			d.l.warn("unable to rename: ", d.path(u), ": ", errstr.Text(err))
			d.rotRetry = time.Now().Add(retryPause)
			return
		}
		d.l.info("rename: ", d.path(u), " ", s)
		d.pendU = ""
		d.prune(s)
		return
	}
	d.pendU = ""
	d.prune(u)
	d.startProcessor(u)
}

// reopenCurrent tries again, now and then, to open the current that could not be opened,
// and reports whether it is open; until it is, what is pending is dropped.
func (d *Dir) reopenCurrent() bool {
	if !time.Now().Before(d.rotRetry) {
		d.openCurrent(true)
		d.finishPending()
	}
	if d.cur < 0 {
		d.drop(d.pend, nil)
		d.pend = d.pend[:0]
		return false
	}
	d.size += uint64(len(d.pend))
	return true
}

// dropUnwritten drops p, the part of pend a failed write left, without leaving half a
// line behind: what was written is cut back to its last complete line (into earlier
// flushes for a long line), and that line counts as dropped too.
func (d *Dir) dropUnwritten(p []byte, err error) {
	w := len(d.pend) - len(p)
	k := bytes.LastIndexByte(d.pend[:w], '\n') + 1
	cut := int64(w - k)
	if k == 0 {
		cut += d.tail
	}
	var st unix.Stat_t
	if cut > 0 && unix.Fstat(d.cur, &st) == nil && unix.Ftruncate(d.cur, st.Size-cut) == nil {
		d.size -= uint64(cut) - uint64(w-k)
		p = d.pend[k:]
		d.tail = 0
	}
	d.drop(p, err)
}
