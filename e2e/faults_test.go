package e2e

// Faults injected through a service's own files: option files that are FIFOs or endless,
// numbers that overflow, more services than one process's descriptor limit, a hostile
// readiness socket. Each must stay with the service that has it.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSvlogdHugeAge: a t too big for the clock (C wraps it, ours used to overflow a
// duration into a spin that ignored end of input, or into 0.1 s rotations that pruned
// lines) keeps every line, as C svlogd does.
func TestSvlogdHugeAge(t *testing.T) {
	bins := map[string]string{"ours": ourBin(t, "svlogd"), "C": cBin(t, "svlogd")}
	for name, bin := range bins {
		for _, age := range []string{"99999999999", "18446744073709551616", "18717284022294576"} {
			t.Run(name+" t"+age, func(t *testing.T) {
				t.Parallel()
				root := t.TempDir()
				dir := filepath.Join(root, "log")
				writeFile(t, filepath.Join(dir, "config"), "n2\nt"+age+"\n", 0o644) // n2: a rotation too many loses lines
				p := svlogdStart(t, bin, root, "log")
				for i := 0; i < 40; i++ {
					io.WriteString(p.in, fmt.Sprintf("%07d\n", i))
					time.Sleep(20 * time.Millisecond) // spread over several of the short rotations
				}
				p.finish(t, 15*time.Second)
				svlogdCheckSeq(t, svlogdCollect(t, dir), 40, "")
			})
		}
	}
}

// optionFaults are option files a service's owner could make hostile: FIFOs, which an
// open without O_NONBLOCK waits on for good, and /dev/zero, which a read to the end never
// finishes (the host exhausted its memory on it). A FIFO finish must not hang the exit of
// ./run, nor a FIFO supervise/stat.new the status writes (C runsv opens both non-blocking).
var optionFaults = []struct{ name, file, kind string }{
	{"fifo-finish", "finish", "fifo"},
	{"fifo-backoff", "backoff", "fifo"},
	{"fifo-stop-timeout", "stop-timeout", "fifo"},
	{"fifo-notification-fd", "notification-fd", "fifo"},
	{"fifo-stat-new", "supervise/stat.new", "fifo"},
	{"zero-backoff", "backoff", "zero"},
	{"zero-stop-timeout", "stop-timeout", "zero"},
	{"zero-notification-fd", "notification-fd", "zero"},
}

// gone reports whether pid has exited (or is a zombie nobody reaped yet).
func gone(pid int) bool {
	stat := readFile("/proc/" + strconv.Itoa(pid) + "/stat")
	i := strings.LastIndexByte(stat, ')')
	return i < 0 || strings.HasPrefix(stat[i+1:], " Z")
}

// TestOptionFilesNeverHang: an option file that is a FIFO or endless is a warning and the
// default: its service still starts and stops, the other services are untouched, and HUP
// still ends runsvdir and every supervisor (the host used to hang in the open or the
// read, and then never exited).
func TestOptionFilesNeverHang(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to find the supervisor host")
	}
	for _, tr := range trees[:2] { // C runsv reads none of these but finish
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			scan := t.TempDir()
			well := newService(t, scan, "well", "#!/bin/sh\nexec sleep 1000\n")
			var sick []string
			for _, f := range optionFaults {
				d := newService(t, scan, f.name, "#!/bin/sh\nexec sleep 1000\n")
				p := filepath.Join(d, f.file)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				var err error
				if f.kind == "fifo" {
					err = syscall.Mkfifo(p, 0o600)
				} else {
					err = os.Symlink("/dev/zero", p)
				}
				if err != nil {
					t.Fatal(err)
				}
				sick = append(sick, d)
			}
			p := startTree(t, tr, scan)
			all := append([]string{well}, sick...)
			waitFor(t, 20*time.Second, "every service running", func() bool {
				for _, d := range all {
					if !running(t, d) {
						return false
					}
				}
				return true
			})
			wellPid := readStatus(t, well).Pid
			for _, d := range sick {
				sendCtl(d, "d")
			}
			waitFor(t, 20*time.Second, "every sick service down", func() bool {
				for _, d := range sick {
					if statusSays(d) != "down\n" {
						return false
					}
				}
				return true
			})
			for _, d := range sick {
				sendCtl(d, "u")
			}
			waitFor(t, 20*time.Second, "every sick service up again", func() bool {
				for _, d := range sick {
					if !running(t, d) {
						return false
					}
				}
				return true
			})
			if pid := readStatus(t, well).Pid; pid != wellPid || !running(t, well) {
				t.Errorf("well was disturbed: pid %d, was %d", pid, wellPid)
			}
			for _, f := range optionFaults {
				if f.file == "finish" || strings.HasPrefix(f.file, "supervise/") {
					continue
				}
				if want := "runsv " + f.name + ": warning: " + f.file + ": "; !strings.Contains(p.stderr.String(), want) {
					t.Errorf("no warning %q in:\n%s", want, p.stderr)
				}
			}
			host := hostPid(p.cmd.Process.Pid)
			if tr.name == "host" && host == 0 {
				t.Fatal("no supervisor host")
			}
			p.cmd.Process.Signal(syscall.SIGHUP)
			waitFor(t, 20*time.Second, "runsvdir to exit on HUP, and every supervisor", func() bool {
				select {
				case <-p.done:
				default:
					return false
				}
				for _, d := range all {
					if okAlive(d) {
						return false
					}
				}
				return host == 0 || gone(host)
			})
		})
	}
}
