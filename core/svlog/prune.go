package svlog

// Pruning: the oldest rotated files removed beyond the configured number or on a full disk.

import (
	"os"
	"sort"
)

// prune removes processor leftovers (.t) and, beyond n old files, the oldest one. keep is
// the file just rotated, which is never removed.
func (d *Dir) prune(keep string) {
	var olds []string
	for _, n := range d.oldFiles() {
		if n[26] == 't' {
			// The running processor's output is no leftover.
			if d.procU == "" || n[:25] != d.procU[:25] {
				os.Remove(d.fp(n))
			}
			continue
		}
		olds = append(olds, n)
	}
	if d.cfg.NMax == 0 || len(olds) <= d.cfg.NMax {
		return
	}
	sort.Strings(olds)
	for _, n := range olds {
		if n == keep || n == d.procU || n == d.pendU {
			continue
		}
		d.l.info("delete: ", d.path(n))
		os.Remove(d.fp(n))
		return
	}
}

// deleteOldest frees space on a full disk: it removes the oldest old file when more than
// min exist. It reports whether it removed one.
func (d *Dir) deleteOldest(min int, full bool) bool {
	var olds []string
	for _, n := range d.oldFiles() {
		if n[26] != 't' && n != d.procU && n != d.pendU {
			olds = append(olds, n)
		}
	}
	if len(olds) <= min {
		return false
	}
	sort.Strings(olds)
	d.l.warn("out of disk space, delete: ", d.path(olds[0]))
	return os.Remove(d.fp(olds[0])) == nil
}
