package svlog

// Writing lines to current: buffering, cutting at the size limit, flushing.

import (
	"bytes"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
)

// flushAt is how much a directory buffers before writing mid-chunk: it bounds memory
// whatever the input, while still batching many lines into one write.
const flushAt = 256 << 10

// putLine adds one line, stamp+prefix+head+rest+"\n", to current, rotating as C svlogd
// does for a line written in one piece.
func (d *Dir) putLine(stamp, prefix, head, rest []byte) {
	total := uint64(len(stamp) + len(prefix) + len(head) + len(rest) + 1)
	if d.cfg.SizeMax == 0 || (d.size < d.cfg.SizeMax && total <= d.cfg.SizeMax-d.size) {
		d.pend = append(d.pend, stamp...)
		d.pend = append(d.pend, prefix...)
		d.pend = append(d.pend, head...)
		d.pend = append(d.pend, rest...)
		d.pend = append(d.pend, '\n')
		d.size += total
		d.afterNewline()
		if len(d.pend) >= flushAt {
			d.flush()
		}
		return
	}
	s := d.scr[:0]
	s = append(s, stamp...)
	s = append(s, prefix...)
	s = append(s, head...)
	s = append(s, rest...)
	s = append(s, '\n')
	d.scr = s[:0]
	d.put(s)
}

// put adds bytes to current, never letting current exceed the size limit: a piece that
// does not fit is cut, current rotated, and the rest goes to the new current.
func (d *Dir) put(p []byte) {
	for len(p) > 0 {
		max := d.cfg.SizeMax
		if max > 0 && d.size >= max {
			d.rotate()
		}
		n := uint64(len(p))
		if max > 0 && d.size < max && n > max-d.size {
			n = max - d.size
		}
		d.pend = append(d.pend, p[:n]...)
		d.size += n
		if p[n-1] == '\n' {
			d.afterNewline()
		}
		p = p[n:]
		if len(d.pend) >= flushAt {
			d.flush()
		}
	}
}

// afterNewline rotates when current is within one line length of the limit, as C svlogd
// checks after each write ending in a newline (with C's unsigned arithmetic: a limit below
// the line length never triggers this).
func (d *Dir) afterNewline() {
	max, lm := d.cfg.SizeMax, uint64(d.l.opt.LineMax)
	if max > 0 && max >= lm && d.size >= max-lm {
		d.rotate()
	}
}

// flush writes what is pending to current, retrying until it is on disk; in lossy mode
// it drops it instead (counting the lines) when the write fails.
func (d *Dir) flush() {
	if d.skip && len(d.pend) > 0 {
		i := bytes.IndexByte(d.pend, '\n') + 1
		if i == 0 {
			i = len(d.pend)
		} else {
			d.skip = false
		}
		d.size -= uint64(i)
		d.pend = d.pend[:copy(d.pend, d.pend[i:])]
	}
	if len(d.pend) == 0 {
		return
	}
	if d.cur < 0 && !d.reopenCurrent() {
		return
	}
	p := d.pend
	for len(p) > 0 {
		n, err := unix.Write(d.cur, p)
		if n > 0 {
			p = p[n:]
			continue
		}
		if err == unix.EINTR || err == unix.EAGAIN {
			continue
		}
		if err == nil {
			err = unix.EIO
		}
		if err == unix.ENOSPC && d.cfg.NMin < d.cfg.NMax && d.deleteOldest(d.cfg.NMin, true) {
			continue
		}
		if d.l.opt.Lossy {
			d.dropUnwritten(p, err)
			break
		}
		d.l.pause("unable to write to current: ", d.name, ": ", errstr.Text(err))
	}
	// Only a flush that wrote all it had is a recovery: a disk with a few bytes free
	// takes part of each flush, and must not make every flush report.
	if len(p) == 0 {
		if d.l.opt.Lossy {
			if i := bytes.LastIndexByte(d.pend, '\n'); i >= 0 {
				d.tail = int64(len(d.pend) - i - 1)
			} else {
				d.tail += int64(len(d.pend))
			}
		}
		d.reportDropped()
	}
	d.pend = d.pend[:0]
}

func countNL(p []byte) int {
	n := 0
	for _, c := range p {
		if c == '\n' {
			n++
		}
	}
	return n
}
