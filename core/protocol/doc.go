// Package protocol is the supervise/ protocol: how runsv and its clients (sv, sv --json,
// sv --metrics, runsvdir's host, the tests) talk through a service directory. Every file
// runsv writes or reads there has its name, its encoder and its decoder here, side by side,
// so that the writer and the readers cannot drift apart. (It was package status, after the
// one file it first held.)
//
// The runit files must match C runit byte for byte: C runit's sv reads our runsv, and our
// sv reads C runit's runsv. The extension files are ours; a directory that does not use the
// extensions behaves exactly as under runit.
//
//	file (in DIR/supervise/)  written by  format                                here
//	lock                      runsv       empty, flocked while runsv runs       names.go
//	control                   sv          FIFO of control bytes                 control.go
//	ok                        runsv       FIFO runsv holds open for reading     names.go
//	status                    runsv       the 20-byte record                    record.go, want.go
//	stat                      runsv       "run, paused, want down\n"            record.go
//	pid                       runsv       "PID\n", or empty                     record.go
//	ready                     runsv       "PID\n" of the ready ./run, or empty  extras.go
//	backoff                   runsv       "SECONDS DEATHS\n", or empty          extras.go
//	notify-status             runsv       the last STATUS= text and "\n"        extras.go
//
//	file (in DIR/)            written by  format                                here
//	down                      the admin   exists: not started with runsv        names.go
//	stop-tree, notify-socket  the admin   exists: option on                     options.go
//	stop-timeout, backoff     the admin   seconds, first line                   options.go
//	notification-fd           the admin   descriptor number, first line         options.go
//
// Every file runsv writes is written to NAME.new and renamed over NAME, so readers see
// either the old or the new content, never a mix.
package protocol
