package svlog

import (
	"bytes"
	"errors"
	"os"
	"sort"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/tai64n"
	"github.com/runit-go/runit/platform"
)

// flushAt is how much a directory buffers before writing mid-chunk: it bounds memory
// whatever the input, while still batching many lines into one write.
const flushAt = 256 << 10

// retryPause is how long svlogd waits before retrying what failed, as C svlogd does.
var retryPause = 3 * time.Second

// procResult is how a processor ended. noStart says it never started (or its output
// could not be finished): the same step is retried, without a "processor failed".
type procResult struct {
	ok      bool
	noStart bool
}

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
	d.named = true
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
	d.rotRetry, d.orphan = time.Time{}, ""
	d.scanNames()
	// A non-empty current without u+x was not closed cleanly: keep it as a .u file.
	var st unix.Stat_t
	if unix.Stat(d.fp("current"), &st) == nil && st.Size > 0 && st.Mode&0o100 == 0 {
		n := d.newName(".u")
		for {
			err := os.Rename(d.fp("current"), d.fp(n))
			if err == nil {
				d.prune("")
				break
			}
			if d.l.opt.Lossy {
				// Appending to it loses nothing; blocking would.
				d.l.warn("unable to rename current: ", d.name, ": ", errstr.Text(err))
				break
			}
			d.l.pause("unable to rename current: ", d.name, ": ", errstr.Text(err))
		}
	}
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
	if d.cur < 0 {
		// Lossy mode without a current (it could not be opened): try again now and then.
		if !time.Now().Before(d.rotRetry) {
			d.openCurrent(true)
			d.finishPending()
		}
		if d.cur < 0 {
			d.drop(d.pend, nil)
			d.pend = d.pend[:0]
			return
		}
		d.size += uint64(len(d.pend))
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
			// Never leave half a line behind: cut what was written back to its last
			// complete line (into earlier flushes for a long line), and count that
			// line as dropped too.
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

func countNL(p []byte) int {
	n := 0
	for _, c := range p {
		if c == '\n' {
			n++
		}
	}
	return n
}

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
		for {
			// EINVAL: the file system cannot sync (some pseudo file systems); nothing to wait for.
			err := unix.Fsync(d.cur)
			if err == nil || err == unix.EINVAL {
				break
			}
			if err == unix.EINTR {
				continue
			}
			if lossy {
				d.rotFailed("unable to fsync current logfile: ", err)
				return
			}
			d.l.pause("unable to fsync current logfile: ", d.name, ": ", errstr.Text(err))
		}
		unix.Fchmod(d.cur, 0o744)
		suffix := ".s"
		if d.cfg.Processor != "" {
			suffix = ".u"
		}
		name = d.newName(suffix)
		for {
			err := os.Rename(d.fp("current"), d.fp(name))
			if err == nil {
				break
			}
			if lossy {
				unix.Fchmod(d.cur, 0o644)
				d.rotFailed("unable to rename current: ", err)
				return
			}
			d.l.pause("unable to rename current: ", d.name, ": ", errstr.Text(err))
		}
		d.l.info("rename: ", d.path("current"), " ", name, " ", utoa(d.size))
	}
	for {
		fd, err := unix.Open(d.fp("current"), unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
		if err == nil {
			if d.orphan != "" {
				unix.Fsync(d.cur) // what was appended to the renamed file since
			}
			unix.Close(d.cur)
			d.cur = fd
			break
		}
		if lossy {
			// Keep appending to the renamed file: nothing is lost, and the next
			// attempt only has to create current.
			d.orphan = name
			d.rotFailed("unable to create new current: ", err)
			return
		}
		d.l.pause("unable to create new current: ", d.name, ": ", errstr.Text(err))
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

// rotFailed reports a rotation that lossy mode gives up for now, and holds off the next
// attempt (and the next message) for retryPause, as often as C would retry.
func (d *Dir) rotFailed(msg string, err error) {
	d.l.warn(msg, d.name, ": ", errstr.Text(err))
	d.rotRetry = time.Now().Add(retryPause)
}

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

// startProcessor runs the processor on the rotated file u: stdin u, stdout the .t file,
// fd 4 state, fd 5 newstate, in the log directory.
func (d *Dir) startProcessor(u string) {
	d.procU, d.procCmd = u, d.cfg.Processor
	d.l.info("processing: ", d.path(u))
	d.runProcessor()
}

// runProcessor starts the processor on procU. If it cannot start, the attempt is repeated
// after retryPause through procCh, so that nothing waits here.
func (d *Dir) runProcessor() {
	d.procCh = make(chan procResult, 1)
	if err := d.spawn(d.procU[:25]); err != nil {
		d.l.warn("unable to run processor: ", d.name, ": ", err.Error())
		d.retryLater(procResult{noStart: true})
	}
}

// retryLater delivers r on procCh after retryPause.
func (d *Dir) retryLater(r procResult) {
	ch, l := d.procCh, d.l
	go func() {
		time.Sleep(retryPause)
		ch <- r
		l.wake(evPROC)
	}()
}

func (d *Dir) spawn(base string) error {
	in, err := os.Open(d.fp(base + ".u"))
	if err != nil {
		return errors.New("unable to open input for processor: " + errstr.Text(err))
	}
	defer in.Close()
	out, err := os.OpenFile(d.fp(base+".t"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return errors.New("unable to open output for processor: " + errstr.Text(err))
	}
	defer out.Close()
	st, err := os.OpenFile(d.fp("state"), os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return errors.New("unable to open state for processor: " + errstr.Text(err))
	}
	defer st.Close()
	ns, err := os.OpenFile(d.fp("newstate"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return errors.New("unable to open newstate for processor: " + errstr.Text(err))
	}
	defer ns.Close()
	p, err := os.StartProcess("/bin/sh", []string{"sh", "-c", d.procCmd}, &os.ProcAttr{
		Dir:   d.where(),
		Env:   d.l.env,
		Files: []*os.File{in, out, d.l.stderr, nil, st, ns},
	})
	if err != nil {
		return errors.New("unable to start processor: " + errstr.Text(err))
	}
	ch, l := d.procCh, d.l
	go func() {
		s, err := p.Wait()
		ok := err == nil && s.Success()
		if !ok {
			// C restarts a failing processor at once and spins; a short pause keeps a
			// broken processor from eating a CPU.
			time.Sleep(time.Second)
		}
		ch <- procResult{ok: ok}
		l.wake(evCHLD)
	}()
	return nil
}

// pollProcessor finishes a processor that has ended, without blocking.
func (d *Dir) pollProcessor() {
	if d.procU == "" {
		return
	}
	select {
	case r := <-d.procCh:
		d.procDone(r)
	default:
	}
}

// waitProcessor blocks until the running processor has succeeded.
func (d *Dir) waitProcessor() {
	for d.procU != "" {
		select {
		case r := <-d.procCh:
			d.procDone(r)
		case <-d.l.kill:
			d.l.checkKill()
		}
	}
}

func (d *Dir) procDone(r procResult) {
	base := d.procU[:25]
	if !r.ok {
		if !r.noStart {
			d.l.warn("processor failed, restart: ", d.name)
			os.Remove(d.fp(base + ".t"))
		}
		d.l.info("processing: ", d.path(d.procU))
		d.runProcessor()
		return
	}
	if f, err := os.OpenFile(d.fp(base+".t"), os.O_WRONLY, 0); err == nil {
		f.Sync()
		f.Close()
	}
	err := os.Chmod(d.fp(base+".t"), 0o744)
	if err == nil {
		err = os.Rename(d.fp(base+".t"), d.fp(base+".s"))
	}
	if err != nil {
		d.l.warn("unable to finish processed file: ", d.path(base+".t"), ": ", errstr.Text(err))
		d.procCh = make(chan procResult, 1)
		d.retryLater(procResult{ok: true})
		return
	}
	os.Remove(d.fp(base + ".u"))
	os.Rename(d.fp("newstate"), d.fp("state"))
	d.l.info("processed: ", d.path(base+".s"))
	d.procU = ""
	d.finishPending()
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
