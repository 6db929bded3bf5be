package svlog

// The names of rotated files: @ + the TAI64N label of the rotation + .s, .u or .t.

import (
	"os"
	"time"

	"github.com/runit-go/runit/core/tai64n"
)

// scanNames finds the greatest rotated-file name, so that new names always sort after it
// even when the clock has stepped back: pruning by name then never deletes new files.
func (d *Dir) scanNames() {
	d.last = ""
	for _, n := range d.oldFiles() {
		if n > d.last {
			d.last = n
		}
	}
}

// oldFiles lists the rotated files (@ + 24 hex + .s/.u/.t), unsorted.
func (d *Dir) oldFiles() []string {
	f, err := os.Open(d.where())
	if err != nil {
		return nil
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	out := names[:0]
	for _, n := range names {
		if len(n) == 27 && n[0] == '@' && n[25] == '.' {
			out = append(out, n)
		}
	}
	return out
}

// newName returns a fresh name for a rotated file: the TAI64N label of now, or just after
// the newest existing one if the clock has gone back.
func (d *Dir) newName(suffix string) string {
	var b [32]byte
	lab := string(tai64n.AppendLabel(b[:0], time.Now()))
	if d.last != "" && lab <= d.last[:25] {
		lab = bumpLabel(d.last[:25])
	}
	n := lab + suffix
	d.last = n
	return n
}

// bumpLabel returns the label one nanosecond after lab ("@" + 24 hex digits).
func bumpLabel(lab string) string {
	b := []byte(lab)
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == 'f' {
			b[i] = '0'
			continue
		}
		if b[i] == '9' {
			b[i] = 'a'
		} else {
			b[i]++
		}
		break
	}
	return string(b)
}
