package protocol

// The control bytes: what a client writes to supervise/control, one command a byte, and
// runsv reads, as runsv(8) lists them. runsv ignores any other byte. A log service's runsv
// ignores CtlExit: it exits after its main service. A byte C can be customized by an
// executable DIR/control/C, which runsv runs when it gets C; for the bytes that only send
// a signal, its exit 0 replaces the signal.
const (
	CtlUp    = 'u' // want up: start ./run, and restart it when it exits
	CtlDown  = 'd' // want down: TERM and CONT ./run, do not restart it
	CtlOnce  = 'o' // start ./run if down, but do not restart it
	CtlExit  = 'x' // want exit: stop ./run, then runsv exits
	CtlTerm  = 't' // TERM ./run (restarted if want up)
	CtlKill  = 'k' // KILL ./run
	CtlPause = 'p' // STOP ./run; the record's paused flag
	CtlCont  = 'c' // CONT ./run
	CtlHup   = 'h' // HUP ./run
	CtlAlarm = 'a' // ALRM ./run
	CtlInt   = 'i' // INT ./run
	CtlQuit  = 'q' // QUIT ./run
	CtlUsr1  = '1' // USR1 ./run
	CtlUsr2  = '2' // USR2 ./run
)
