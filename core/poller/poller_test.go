package poller

import (
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform"
)

// pipe returns a non-blocking read end and a write end, closed at the test's end after
// the poller is done with the read end (as every user must: the number is reused).
func pipe(t *testing.T, pl *Poller) (r, w int) {
	r, w, _ = pipeEnd(t, pl)
	return r, w
}

// pipeEnd is pipe with a function that closes the write end before the test's end.
func pipeEnd(t *testing.T, pl *Poller) (r, w int, closeW func()) {
	var p [2]int
	var err error
	if p[0], p[1], err = platform.Pipe(); err != nil {
		t.Fatal(err)
	}
	unix.SetNonblock(p[0], true)
	var once sync.Once
	closeW = func() { once.Do(func() { unix.Close(p[1]) }) }
	t.Cleanup(func() { pl.Remove(p[0]); unix.Close(p[0]); closeW() })
	return p[0], p[1], closeW
}

// recorder collects what a Func is given.
type recorder struct {
	mu   sync.Mutex
	got  []byte
	ends int
	keep func() bool // the Func's answer; nil: go on
}

func (r *recorder) f(b []byte, end bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, b...)
	if end {
		r.ends++
	}
	return r.keep == nil || r.keep()
}

func (r *recorder) state() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(r.got), r.ends
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// rounds returns once the poller has been through two more rounds of polling (a Remove
// returns only once a round has started after it), so that whatever was ready before was
// seen.
func rounds(t *testing.T, p *Poller) {
	for i := 0; i < 2; i++ {
		r, _ := pipe(t, p)
		p.Add(r, func([]byte, bool) bool { return true })
		p.Remove(r)
	}
}

func TestPollerReads(t *testing.T) {
	p := New()
	var recs [3]*recorder
	var ws [3]int
	var closeW [3]func()
	for i := range recs {
		r, w, c := pipeEnd(t, p)
		recs[i], ws[i], closeW[i] = &recorder{}, w, c
		if err := p.Add(r, recs[i].f); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{"ab", "c", "def"} {
		for i := range ws {
			unix.Write(ws[i], []byte(s))
		}
	}
	for i, r := range recs {
		waitFor(t, "every byte, in order", func() bool { got, _ := r.state(); return got == "abcdef" })
		closeW[i]()
		waitFor(t, "the end", func() bool { _, ends := r.state(); return ends == 1 })
	}
	rounds(t, p) // an end is said once, not again on every round
	for _, r := range recs {
		if _, ends := r.state(); ends != 1 {
			t.Errorf("end said %d times", ends)
		}
	}
}

// TestPollerRemove: once Remove has returned, the poller no longer reads the descriptor:
// what is written stays in it for whoever reads next.
func TestPollerRemove(t *testing.T) {
	p := New()
	r, w := pipe(t, p)
	rec := &recorder{}
	p.Add(r, rec.f)
	unix.Write(w, []byte("x"))
	waitFor(t, "x", func() bool { got, _ := rec.state(); return got == "x" })
	for i := 0; i < 100; i++ { // the remove must hold whatever the poller is doing
		p.Remove(r)
		unix.Write(w, []byte("y"))
		var b [8]byte
		if n, _ := unix.Read(r, b[:]); n != 1 || b[0] != 'y' {
			t.Fatalf("round %d: after Remove, read %q from the pipe: want y", i, b[:n])
		}
		p.Add(r, rec.f)
	}
	if got, _ := rec.state(); got != "x" {
		t.Errorf("the poller read %q after Remove", got)
	}
}

// TestPollerPause: a Func that says no more rests its descriptor until Resume.
func TestPollerPause(t *testing.T) {
	p := New()
	r, w := pipe(t, p)
	stop := true
	rec := &recorder{}
	rec.keep = func() bool { return !stop }
	p.Add(r, rec.f)
	unix.Write(w, []byte("a"))
	waitFor(t, "a", func() bool { got, _ := rec.state(); return got == "a" })
	unix.Write(w, []byte("b"))
	rounds(t, p)
	if got, _ := rec.state(); got != "a" {
		t.Fatalf("read %q while paused", got)
	}
	rec.mu.Lock()
	stop = false
	rec.mu.Unlock()
	p.Resume(r)
	waitFor(t, "b after Resume", func() bool { got, _ := rec.state(); return got == "ab" })
}
