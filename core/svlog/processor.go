package svlog

// The processor (config line !): run on each rotated .u, its output becoming the .s.

import (
	"errors"
	"os"
	"time"

	"github.com/runit-go/runit/core/child"
	"github.com/runit-go/runit/core/errstr"
)

// procResult is how a processor ended. noStart says it never started (or its output
// could not be finished): the same step is retried, without a "processor failed".
type procResult struct {
	ok      bool
	noStart bool
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
	// Through the process's one reaper: a pool may live in a supervisor, which reaps
	// every child it has.
	_, done, err := child.Spawn(child.Spec{Path: "/bin/sh", Argv: []string{"sh", "-c", d.procCmd},
		Dir: d.where(), Env: d.l.env,
		Files: []uintptr{in.Fd(), out.Fd(), d.l.stderr.Fd(), ^uintptr(0), st.Fd(), ns.Fd()}})
	if err != nil {
		return errors.New("unable to start processor: " + errstr.Text(err))
	}
	ch, l := d.procCh, d.l
	go func() {
		ok := (<-done).Status.ExitStatus() == 0
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
