package scan

import (
	"os"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

// startProcTitle implements runsvdir's log argument: everything written to runsvdir's
// stderr (its own warnings and those of every supervisor and service it starts) scrolls
// through the argument's memory, after its first five characters, so that ps shows the
// latest errors. Where the OS does not show rewritten arguments, ps keeps the original.
// argi is the log argument's index in os.Args; only that argument's memory is rewritten.
func startProcTitle(argi int, log string, warnf func(string, ...any)) {
	if len(log) < 7 {
		warnf("log must have at least seven characters.")
		warnf("log service disabled.")
		return
	}
	title := platform.ArgvSpace(argi)
	if len(title) != len(log) || string(title) != log {
		return // not the argument we were given: never scribble over another one
	}
	r, w, err := platform.Pipe()
	if err != nil {
		return
	}
	if err := platform.Dup2(w, 2); err != nil {
		unix.Close(r)
		unix.Close(w)
		return
	}
	unix.Close(w)
	f := os.NewFile(uintptr(r), "proctitle")
	go func() {
		var buf [256]byte
		tail := title[5:]
		for {
			n, err := f.Read(buf[:])
			scroll(tail, buf[:n])
			if err != nil {
				return
			}
		}
	}()
	// Every 15 minutes a dot scrolls old messages away, as runsvdir does.
	go func() {
		for range time.Tick(900 * time.Second) {
			os.Stderr.WriteString(".")
		}
	}()
}

// scroll appends p to tail, shifting out its oldest bytes so it keeps the latest ones. NUL
// bytes are dropped: they would end the argument as ps reads it.
func scroll(tail, p []byte) {
	for _, c := range p {
		if c == 0 || len(tail) == 0 {
			continue
		}
		copy(tail, tail[1:])
		tail[len(tail)-1] = c
	}
}
