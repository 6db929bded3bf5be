package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

// runsvProc is a runsv (ours or C's) supervising one directory.
type runsvProc struct {
	cmd    *exec.Cmd
	dir    string
	stderr *bytes.Buffer
	done   chan struct{}
}

func startRunsv(t testing.TB, bin, dir string) *runsvProc {
	t.Helper()
	p := &runsvProc{dir: dir, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, dir)
	p.cmd.Stderr = p.stderr
	// A service's leftover child may hold the stderr pipe after runsv exits: do not wait
	// for it forever.
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
			return
		default:
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		sendCtl(dir, "xd")
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	waitFor(t, 5*time.Second, "supervise/ok of "+dir, func() bool { return okAlive(dir) })
	return p
}

func (p *runsvProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// okAlive is sv's test for a live runsv: supervise/ok opens for writing.
func okAlive(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, "supervise", "ok"), os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func sendCtl(dir, bytes string) error {
	f, err := os.OpenFile(filepath.Join(dir, "supervise", "control"), os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(bytes)
	return err
}

func readStatus(t testing.TB, dir string) protocol.Record {
	t.Helper()
	r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
	if err != nil {
		t.Fatalf("%s: status: %v", dir, err)
	}
	return r
}

// waitStat waits until supervise/stat reads want and supervise/status says the same
// (runsv renames stat into place just before status).
func waitStat(t testing.TB, dir, want string) {
	t.Helper()
	var stat, status string
	if !poll(10*time.Second, func() bool {
		stat, status = readFile(filepath.Join(dir, "supervise", "stat")), statusSays(dir)
		return stat == want && status == want
	}) {
		t.Fatalf("timed out after 10s waiting for %s/supervise/stat = %q (stat %q, status says %q)", dir, want, stat, status)
	}
}

// statusSays renders supervise/status as stat text (want exit reads as want down).
func statusSays(dir string) string {
	r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
	if err != nil {
		return ""
	}
	return recordSays(r)
}

// recordSays renders a status record as stat text.
func recordSays(r protocol.Record) string {
	return r.StatText()
}

// shape is the part of a status record that must agree between C runsv and ours.
func shape(r protocol.Record) string {
	return fmt.Sprintf("pid:%v paused:%v wantup:%v term:%v state:%v", r.Pid != 0, r.Paused, r.Want == protocol.WantUp, r.Term, r.State)
}

func newService(t testing.TB, root, name, run string) string {
	dir := filepath.Join(root, name)
	writeFile(t, filepath.Join(dir, "run"), run, 0o755)
	return dir
}

// TestRunsvDifferential drives C runsv and ours through the same control bytes and checks
// that stat, the status record and the pid file agree at every step.
func TestRunsvDifferential(t *testing.T) {
	cRunsv := cBin(t, "runsv")
	ours := ourBin(t, "runsv")
	root := t.TempDir()
	steps := []struct{ ctl, stat string }{
		{"", "run\n"},
		{"d", "down\n"},
		{"u", "run\n"},
		{"p", "run, paused\n"},
		{"c", "run\n"},
		{"o", "run, want down\n"},
		{"d", "down\n"},
		{"p", "down, paused\n"},
		{"o", "run, want down\n"},
		{"u", "run\n"},
		{"Zz?", "run\n"}, // garbage is ignored
		{"x", ""},
	}
	dirs := map[string]string{"C": newService(t, root, "c", "#!/bin/sh\nexec sleep 1000\n"),
		"ours": newService(t, root, "ours", "#!/bin/sh\nexec sleep 1000\n")}
	procs := map[string]*runsvProc{"C": startRunsv(t, cRunsv, dirs["C"]), "ours": startRunsv(t, ours, dirs["ours"])}
	for i, st := range steps {
		got := map[string]string{}
		for _, who := range []string{"C", "ours"} {
			dir := dirs[who]
			if st.ctl != "" {
				if err := sendCtl(dir, st.ctl); err != nil {
					t.Fatalf("step %d %s: %v", i, who, err)
				}
			}
			if st.ctl == "x" {
				p := procs[who]
				waitFor(t, 10*time.Second, who+" runsv to exit after x", p.exited)
				if code := p.cmd.ProcessState.ExitCode(); code != 0 {
					t.Errorf("%s runsv exit code %d after x, want 0", who, code)
				}
				continue
			}
			// runsv renames pid, stat and status into place one after the other (C runsv
			// too), so wait until all three describe the same state.
			var r protocol.Record
			waitFor(t, 10*time.Second, fmt.Sprintf("step %d %s: stat %q with a matching status and pid file", i, who, st.stat), func() bool {
				if readFile(filepath.Join(dir, "supervise", "stat")) != st.stat {
					return false
				}
				var err error
				r, err = protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
				pid := readFile(filepath.Join(dir, "supervise", "pid"))
				// The record read once: read again, it could be newer than r.
				return err == nil && recordSays(r) == st.stat &&
					(r.Pid == 0) == (r.State == protocol.Down) &&
					(r.Pid == 0) == (pid == "") && (r.Pid == 0 || pid == fmt.Sprintf("%d\n", r.Pid))
			})
			got[who] = shape(r)
		}
		if got["C"] != got["ours"] {
			t.Errorf("step %d (%q): C %s, ours %s", i, st.ctl, got["C"], got["ours"])
		}
	}
}

// TestRunsvFiles checks the supervise/ layout: modes and types as C runsv makes them.
func TestRunsvFiles(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\nexec sleep 1000\n")
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	want := map[string]os.FileMode{"supervise": os.ModeDir | 0o700, "supervise/lock": 0o600,
		"supervise/control": os.ModeNamedPipe | 0o600, "supervise/ok": os.ModeNamedPipe | 0o600,
		"supervise/status": 0o644, "supervise/stat": 0o644, "supervise/pid": 0o644}
	old := syscall.Umask(0)
	syscall.Umask(old)
	for name, mode := range want {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if fi.Mode() != mode&^os.FileMode(old) {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode(), mode&^os.FileMode(old))
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "supervise", "status")); fi == nil || fi.Size() != protocol.Size {
		t.Errorf("status is not %d bytes", protocol.Size)
	}
}

func TestRunsvFinishArguments(t *testing.T) {
	root := t.TempDir()
	for _, impl := range []struct{ name, bin string }{{"ours", ourBin(t, "runsv")}, {"C", cBin(t, "runsv")}} {
		t.Run(impl.name, func(t *testing.T) {
			dir := newService(t, filepath.Join(root, impl.name), "svc", "#!/bin/sh\nif [ -e exit3 ]; then rm exit3; exit 3; fi\nexec sleep 1000\n")
			writeFile(t, filepath.Join(dir, "exit3"), "", 0o644)
			writeFile(t, filepath.Join(dir, "finish"), "#!/bin/sh\necho \"$1 $2\" >> finished\n", 0o755)
			startRunsv(t, impl.bin, dir)
			waitFor(t, 10*time.Second, "finish after exit 3", func() bool { return readFile(filepath.Join(dir, "finished")) == "3 0\n" })
			waitStat(t, dir, "run\n")
			pid := readStatus(t, dir).Pid
			sendCtl(dir, "k")
			waitFor(t, 10*time.Second, "finish after kill", func() bool {
				return readFile(filepath.Join(dir, "finished")) == "3 0\n-1 9\n"
			})
			waitFor(t, 10*time.Second, "restart after kill", func() bool {
				r := readStatus(t, dir)
				return r.State == protocol.Run && r.Pid != 0 && r.Pid != pid
			})
		})
	}
}

// TestRunsvLogPipe: the log pipe survives restarts of both sides; nothing is lost.
func TestRunsvLogPipe(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\necho start $$\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "log", "run"), "#!/bin/sh\nexec cat >> out\n", 0o755)
	startRunsv(t, ourBin(t, "runsv"), dir)
	out := filepath.Join(dir, "log", "out")
	waitFor(t, 10*time.Second, "first line in the log", func() bool { return strings.Count(readFile(out), "start") == 1 })
	sendCtl(filepath.Join(dir, "log"), "k") // restart the logger
	waitFor(t, 10*time.Second, "log restarted", func() bool {
		r := readStatus(t, filepath.Join(dir, "log"))
		return r.State == protocol.Run && r.Pid != 0
	})
	sendCtl(dir, "t") // restart the service
	waitFor(t, 10*time.Second, "second line in the log", func() bool { return strings.Count(readFile(out), "start") == 2 })
	// x on the log's control is ignored; x on the main one ends all (log sees EOF).
	sendCtl(filepath.Join(dir, "log"), "x")
	sendCtl(dir, "x")
	waitFor(t, 10*time.Second, "runsv gone", func() bool { return !okAlive(dir) })
}

func TestRunsvControlScripts(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\ntrap 'echo got-hup >> events' HUP\necho run >> events\nwhile :; do sleep 0.05; done\n")
	writeFile(t, filepath.Join(dir, "control", "t"), "#!/bin/sh\necho control-t >> events\nexit 0\n", 0o755)
	writeFile(t, filepath.Join(dir, "control", "d"), "#!/bin/sh\necho control-d >> events\n", 0o755)
	writeFile(t, filepath.Join(dir, "control", "h"), "#!/bin/sh\necho control-h \"$1\" >> events\nexit 1\n", 0o755)
	writeFile(t, filepath.Join(dir, "control", "u"), "#!/bin/sh\necho control-u >> events\n", 0o755)
	startRunsv(t, ourBin(t, "runsv"), dir)
	events := filepath.Join(dir, "events")
	waitStat(t, dir, "run\n")
	waitFor(t, 5*time.Second, "run started", func() bool { return strings.Contains(readFile(events), "run") })
	pid := readStatus(t, dir).Pid
	sendCtl(dir, "h")
	// control/h exits 1, so HUP is sent as well; it gets the pid as its argument (runit 2.3).
	waitFor(t, 10*time.Second, "HUP delivered", func() bool { return strings.Contains(readFile(events), "got-hup") })
	if !strings.Contains(readFile(events), fmt.Sprintf("control-h %d\n", pid)) {
		t.Errorf("control/h did not get the pid %d: %q", pid, readFile(events))
	}
	// control/t exits 0: no TERM, no "got TERM"; control/d still runs.
	sendCtl(dir, "d")
	waitStat(t, dir, "run, want down\n")
	waitFor(t, 10*time.Second, "control-d", func() bool { return strings.Contains(readFile(events), "control-t\ncontrol-d\n") })
	if !strings.HasPrefix(readFile(events), "control-u\nrun\n") {
		t.Errorf("control/u should run before ./run: %q", readFile(events))
	}
	syscall.Kill(pid, syscall.SIGKILL)
	waitStat(t, dir, "down\n")
}

// TestRunsvControlDuringThrottle: runit 2.1.2 sleeps a whole second after a quick exit and
// does not read control meanwhile, so a `d` sent then is lost until after the next start.
// Ours honours it at once: the service is not started again.
func TestRunsvControlDuringThrottle(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\necho x >> starts\nexit 0\n")
	startRunsv(t, ourBin(t, "runsv"), dir)
	starts := filepath.Join(dir, "starts")
	waitFor(t, 5*time.Second, "first start", func() bool { return readFile(starts) == "x\n" })
	waitFor(t, 5*time.Second, "down after the quick exit", func() bool { return readStatus(t, dir).State == protocol.Down })
	if err := sendCtl(dir, "d"); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	waitFor(t, 5*time.Second, "want down recorded", func() bool { return readStatus(t, dir).Want != protocol.WantUp })
	t.Logf("d honoured %v after sending, during the restart pause", time.Since(down))
	// Let the throttle period pass completely: the service must not have run again.
	waitFor(t, 5*time.Second, "throttle period to pass", func() bool { return time.Since(readStatus(t, dir).Time) > 1500*time.Millisecond })
	if got := readFile(starts); got != "x\n" {
		t.Errorf("service was started again after d during the pause: %q", got)
	}
}

// TestRunsvThrottle: a run script that exits at once is started at most once a second.
func TestRunsvThrottle(t *testing.T) {
	dir := newService(t, t.TempDir(), "svc", "#!/bin/sh\necho x >> starts\nexit 1\n")
	begin := time.Now()
	startRunsv(t, ourBin(t, "runsv"), dir)
	starts := filepath.Join(dir, "starts")
	waitFor(t, 10*time.Second, "three starts", func() bool { return strings.Count(readFile(starts), "x") >= 3 })
	n := strings.Count(readFile(starts), "x")
	if max := int(time.Since(begin)/time.Second) + 2; n > max {
		t.Errorf("%d starts in %v: not throttled", n, time.Since(begin))
	}
}

func TestRunsvBadInput(t *testing.T) {
	ours := ourBin(t, "runsv")
	root := t.TempDir()
	t.Run("usage", func(t *testing.T) {
		r := run(t, root, nil, ours)
		if r.code != 1 || r.stderr != "usage: "+ours+" dir\n\n" { // argv[0], as C's
			t.Errorf("got %d %q", r.code, r.stderr)
		}
	})
	t.Run("missing dir", func(t *testing.T) {
		r := run(t, root, nil, ours, "nosuch")
		if r.code != 111 || r.stderr != "runsv nosuch: fatal: unable to change to directory: file does not exist\n" {
			t.Errorf("got %d %q", r.code, r.stderr)
		}
	})
	t.Run("second runsv", func(t *testing.T) {
		dir := newService(t, root, "locked", "#!/bin/sh\nexec sleep 1000\n")
		startRunsv(t, ours, dir)
		r := run(t, root, nil, ours, "locked")
		if r.code != 111 || r.stderr != "runsv locked: fatal: unable to lock supervise/lock: temporary failure\n" {
			t.Errorf("got %d %q", r.code, r.stderr)
		}
		// The same message when C runsv holds the lock, and the other way round.
		if c := cBin(t, "runsv"); c != "" {
			r := run(t, root, nil, c, "locked")
			if r.code != 111 || r.stderr != "runsv locked: fatal: unable to lock supervise/lock: temporary failure\n" {
				t.Errorf("C runsv on our locked dir: %d %q", r.code, r.stderr)
			}
		}
	})
	t.Run("control not a fifo", func(t *testing.T) {
		dir := newService(t, root, "notfifo", "#!/bin/sh\nexec sleep 1000\n")
		writeFile(t, filepath.Join(dir, "supervise", "control"), "", 0o600)
		r := run(t, root, nil, ours, "notfifo")
		if r.code != 111 || r.stderr != "runsv notfifo: fatal: supervise/control exists but is not a fifo\n" {
			t.Errorf("got %d %q", r.code, r.stderr)
		}
	})
	for _, c := range []struct{ name, setup, msg string }{
		{"missing run", "", "runsv missingrun: fatal: unable to start ./run: file does not exist\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := strings.ReplaceAll(c.name, " ", "")
			dir := filepath.Join(root, name)
			os.MkdirAll(dir, 0o755)
			if c.setup != "" {
				writeFile(t, filepath.Join(dir, "run"), c.setup, 0o644)
			}
			p := exec.Command(ours, name)
			p.Dir = root
			var stderr bytes.Buffer
			p.Stderr = &stderr
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { p.Process.Signal(syscall.SIGTERM); p.Wait() }()
			waitFor(t, 5*time.Second, "the start failure message", func() bool { return strings.Contains(stderr.String(), c.msg) })
			if !okAlive(dir) {
				t.Errorf("runsv died on a bad run script")
			}
		})
	}
	t.Run("log not a directory", func(t *testing.T) {
		dir := newService(t, root, "logfile", "#!/bin/sh\nexec sleep 1000\n")
		writeFile(t, filepath.Join(dir, "log"), "", 0o644)
		p := startRunsv(t, ours, dir)
		waitStat(t, dir, "run\n")
		if got := p.stderr.String(); !strings.Contains(got, "warning: ./log: not a directory.") {
			t.Errorf("stderr %q", got)
		}
	})
	t.Run("supervise symlink", func(t *testing.T) {
		dir := newService(t, root, "symlinked", "#!/bin/sh\nexec sleep 1000\n")
		target := filepath.Join(root, "elsewhere-supervise")
		os.Symlink(target, filepath.Join(dir, "supervise"))
		startRunsv(t, ours, dir)
		waitStat(t, dir, "run\n")
		if _, err := os.Stat(filepath.Join(target, "status")); err != nil {
			t.Errorf("status not in the symlink's target: %v", err)
		}
	})
}

// TestRunsvNonExecutableRun runs as any user: a run script without an x bit cannot be
// executed, by root either.
func TestRunsvNonExecutableRun(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "noexec")
	writeFile(t, filepath.Join(dir, "run"), "#!/bin/sh\nexit 0\n", 0o644)
	p := exec.Command(ourBin(t, "runsv"), "noexec")
	p.Dir = root
	var stderr bytes.Buffer
	p.Stderr = &stderr
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { p.Process.Signal(syscall.SIGTERM); p.Wait() }()
	want := "runsv noexec: fatal: unable to start ./run: access denied\n"
	waitFor(t, 5*time.Second, "the start failure message", func() bool { return strings.Contains(stderr.String(), want) })
	if !okAlive(dir) {
		t.Errorf("runsv died on a non-executable run script")
	}
}

// TestRunsvDirRecreated: the service directory is removed and created again under a
// running runsv (runit still breaks here); ours moves supervise/ into the new directory
// and runs the new ./run.
func TestRunsvDirRecreated(t *testing.T) {
	root := t.TempDir()
	dir := newService(t, root, "svc", "#!/bin/sh\nexec sleep 1000\n")
	startRunsv(t, ourBin(t, "runsv"), dir)
	waitStat(t, dir, "run\n")
	old := readStatus(t, dir).Pid
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	newService(t, root, "svc", "#!/bin/sh\necho new > marker\nexec sleep 1000\n")
	waitFor(t, 10*time.Second, "supervise/ in the new directory", func() bool { return okAlive(dir) })
	syscall.Kill(old, syscall.SIGTERM)
	waitFor(t, 10*time.Second, "the new run script to run", func() bool { return readFile(filepath.Join(dir, "marker")) == "new\n" })
	waitStat(t, dir, "run\n")
}

// FuzzControlBytes feeds random control bytes to one runsv, kept across inputs so that a
// run costs milliseconds (thousands a minute), and checks after each that runsv is alive,
// has taken every byte, and wants what the last u, d or o asked for.
func FuzzControlBytes(f *testing.F) {
	f.Add([]byte("udopcx"))
	f.Add([]byte{0, 0xff, 'Z', '\n'})
	f.Add([]byte("tkdhaiq12u"))
	dir := newService(f, f.TempDir(), "svc", "#!/bin/sh\nexec sleep 1000\n")
	startRunsv(f, ourBin(f, "runsv"), dir)
	waitStat(f, dir, "run\n")
	f.Fuzz(func(t *testing.T, ctl []byte) {
		if len(ctl) > 64 {
			ctl = ctl[:64]
		}
		// x would end runsv; p and c are this test's acknowledgement, below.
		ctl = bytes.Map(func(r rune) rune {
			if r == 'x' || r == 'p' || r == 'c' {
				return -1
			}
			return r
		}, ctl)
		wantUp := readStatus(t, dir).Want == protocol.WantUp
		for _, c := range ctl {
			switch c {
			case 'u':
				wantUp = true
			case 'd', 'o':
				wantUp = false
			}
		}
		// Bytes are taken in order: once the p after them shows, and then the c, runsv
		// has taken all of them.
		if err := sendCtl(dir, string(ctl)+"p"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "the acknowledging pause", func() bool { return statusOK(dir, func(r protocol.Record) bool { return r.Paused }) })
		if err := sendCtl(dir, "c"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "the acknowledging continue", func() bool {
			return statusOK(dir, func(r protocol.Record) bool { return !r.Paused })
		})
		if !okAlive(dir) {
			t.Fatalf("runsv died after %q", ctl)
		}
		if r := readStatus(t, dir); (r.Want == protocol.WantUp) != wantUp {
			t.Fatalf("after %q: want up %v, status says %v", ctl, wantUp, r.Want == protocol.WantUp)
		}
	})
}

// statusOK reports whether supervise/status decodes and satisfies cond.
func statusOK(dir string, cond func(protocol.Record) bool) bool {
	r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
	return err == nil && cond(r)
}
