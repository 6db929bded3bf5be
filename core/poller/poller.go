// Package poller reads many descriptors from one goroutine. A supervisor host watches two
// control FIFOs and a logger connection per service, and a logger pool a control
// connection per logger: a goroutine blocked on each costs a stack of kilobytes, times
// hundreds. One poll(2) loop instead costs one thread and a few bytes per descriptor.
package poller

import (
	"sync"

	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/platform"
)

// Func is given what one read of a ready descriptor returned: the bytes, and end set at
// end of file or on an error other than EAGAIN. It runs on the poller's goroutine with the
// poller locked, so it must not block nor call the poller; it returns whether to go on
// watching (false: the descriptor rests until Resume).
type Func func(b []byte, end bool) bool

type watch struct {
	f      Func
	paused bool
}

// Poller is a set of watched descriptors and the goroutine that reads them.
type Poller struct {
	mu      sync.Mutex
	cond    sync.Cond // signalled at the start of each poll round
	watches map[int]*watch
	round   uint64
	wakeR   int // the wake-up pipe; -1 until the loop starts
	wakeW   int
	buf     [512]byte
}

var (
	shared     *Poller
	sharedOnce sync.Once
)

// Shared is the process's poller, started on first use.
func Shared() *Poller {
	sharedOnce.Do(func() { shared = New() })
	return shared
}

// New returns a poller; its goroutine starts with the first Add.
func New() *Poller {
	p := &Poller{watches: map[int]*watch{}, wakeR: -1, wakeW: -1}
	p.cond.L = &p.mu
	return p
}

// Add watches fd, which must be non-blocking, and calls f with what each read returns.
func (p *Poller) Add(fd int, f Func) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.wakeW < 0 {
		r, w, err := platform.Pipe()
		if err != nil {
			return err
		}
		unix.SetNonblock(r, true)
		unix.SetNonblock(w, true)
		p.wakeR, p.wakeW = r, w
		go p.loop()
	}
	p.watches[fd] = &watch{f: f}
	p.wake()
	return nil
}

// Resume watches again a descriptor whose Func returned false.
func (p *Poller) Resume(fd int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w, ok := p.watches[fd]; ok && w.paused {
		w.paused = false
		p.wake()
	}
}

// Remove stops watching fd. When it returns, the poller neither polls nor reads fd any
// more: the caller may close it (and the number may be reused).
func (p *Poller) Remove(fd int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.watches[fd]; !ok {
		return
	}
	delete(p.watches, fd)
	round := p.round
	p.wake()
	for p.round == round {
		p.cond.Wait()
	}
}

// wake interrupts the poll so that the next round sees the change. p.mu is held.
func (p *Poller) wake() { unix.Write(p.wakeW, []byte{0}) }

func (p *Poller) loop() {
	var fds []unix.PollFd
	for {
		p.mu.Lock()
		p.round++
		p.cond.Broadcast()
		fds = append(fds[:0], unix.PollFd{Fd: int32(p.wakeR), Events: unix.POLLIN})
		for fd, w := range p.watches {
			if !w.paused {
				fds = append(fds, unix.PollFd{Fd: int32(fd), Events: unix.POLLIN})
			}
		}
		p.mu.Unlock()
		if _, err := unix.Poll(fds, -1); err != nil {
			continue // EINTR; anything else is retried as well, the set being rebuilt
		}
		p.mu.Lock()
		for _, pf := range fds[1:] {
			if pf.Revents == 0 {
				continue
			}
			w, ok := p.watches[int(pf.Fd)]
			if !ok || w.paused {
				continue
			}
			n, err := unix.Read(int(pf.Fd), p.buf[:])
			switch {
			case n > 0:
				w.paused = !w.f(p.buf[:n], false)
			case err == unix.EAGAIN || err == unix.EINTR:
			default: // end of file, or an error: said once, then the descriptor rests
				w.f(nil, true)
				w.paused = true
			}
		}
		p.mu.Unlock()
		if fds[0].Revents != 0 {
			var b [64]byte
			for {
				if n, _ := unix.Read(p.wakeR, b[:]); n <= 0 {
					break
				}
			}
		}
	}
}
