package supervise

import (
	"sync"

	"github.com/runit-go/runit/core/poller"
)

// ctlQueueMax is how many control bytes may wait for the loop before it stops reading the
// FIFOs (the rest then waits in them, as with C runsv busy in a control script).
const ctlQueueMax = 64

// ctlQueue is the control bytes read from the service's FIFOs, waiting for the loop,
// which takes one per turn, as C runsv reads one byte per turn of its loop.
type ctlQueue struct {
	mu     sync.Mutex
	q      []ctlByte
	paused []int         // FIFOs not read while the queue is full
	ready  chan struct{} // has a value while q is not empty
}

// watchControl has the process's poller feed the bytes written to the control FIFO fd of
// u to the loop.
func (s *Service) watchControl(fd int, u *unit) {
	q := &s.ctl
	err := poller.Shared().Add(fd, func(b []byte, end bool) bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		for _, c := range b {
			q.q = append(q.q, ctlByte{u, c})
		}
		q.signal()
		if len(q.q) >= ctlQueueMax {
			q.paused = append(q.paused, fd)
			return false
		}
		return !end
	})
	if err != nil {
		s.warn("unable to watch control", err)
	}
}

// signal says there are bytes; q.mu is held.
func (q *ctlQueue) signal() {
	if len(q.q) > 0 {
		select {
		case q.ready <- struct{}{}:
		default:
		}
	}
}

// next takes the oldest byte, if any.
func (q *ctlQueue) next() (ctlByte, bool) {
	q.mu.Lock()
	if len(q.q) == 0 {
		q.mu.Unlock()
		return ctlByte{}, false
	}
	b := q.q[0]
	q.q = q.q[1:]
	if len(q.q) == 0 {
		q.q = nil // the backing array goes
	}
	q.signal()
	var resume []int
	if len(q.q) < ctlQueueMax/2 {
		resume, q.paused = q.paused, nil
	}
	q.mu.Unlock()
	// Not under q.mu: the poller holds its own lock while it calls into the queue.
	for _, fd := range resume {
		poller.Shared().Resume(fd)
	}
	return b, true
}
