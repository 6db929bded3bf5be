package e2e

// Faults injected through a service's own files: option files that are FIFOs or endless,
// numbers that overflow, more services than one process's descriptor limit, a hostile
// readiness socket. Each must stay with the service that has it.

import (
	"fmt"
	"golang.org/x/sys/unix"
	"io"
	"net"
	"os"
	"os/exec"
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
					err = unix.Mkfifo(p, 0o600)
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

// startTreeLimited is startTree under the open-files limits soft and hard, as a boot's
// stage 2 gets them.
func startTreeLimited(t *testing.T, tr tree, scan string, soft, hard int) *runsvdirProc {
	t.Helper()
	runsvdir := filepath.Join(binDir(t, "runsvdir", "runsv"), "runsvdir")
	if tr.name == "C" {
		runsvdir = cBin(t, "runsvdir")
		cBin(t, "runsv")
	}
	errFile, err := os.CreateTemp("", "runsvdir-stderr-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { errFile.Close(); os.Remove(errFile.Name()) })
	p := &runsvdirProc{stderr: &fileBuf{errFile.Name()}, done: make(chan struct{})}
	p.cmd = exec.Command("/bin/sh", append([]string{"-c", fmt.Sprintf(`ulimit -Sn %d && ulimit -Hn %d && exec "$@"`, soft, hard),
		"sh", runsvdir}, append(tr.args, scan)...)...)
	p.cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(runsvdir)+":"+os.Getenv("PATH"))
	p.cmd.Stderr = errFile
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGHUP)
		<-p.done
		stopSupervisors(t, scan, 90*time.Second)
	})
	return p
}

// limitsScript records the open-files limits a program got, as "SOFT HARD", in file $1.
const limitsScript = `echo "$(ulimit -Sn) $(ulimit -Hn)" > $1.tmp; mv $1.tmp $1`

// TestManyServicesUnderBootLimits: under the open-files limits a boot gets (soft 1024,
// hard 4096), 1000 services with log services all run (one host's descriptors ran out at
// about 400: it holds ten per service, so runsvdir starts as many hosts as needed), and ./run and log/run get the soft limit
// C runsv gives them, not the one the host raised for itself.
func TestManyServicesUnderBootLimits(t *testing.T) {
	// With CAP_SYS_RESOURCE one host raises its own hard limit; without it (root in a
	// container, or not root) runsvdir shares the services among as many hosts as the
	// limit requires. Either way every service starts.
	t.Logf("CAP_SYS_RESOURCE: %v", hasCap(t, 24))
	const many, soft, hard = 999, 1024, 4096 // with "limits", runsvdir's most: 1000
	got := map[string]string{}
	for _, tr := range trees {
		scan := t.TempDir()
		svc := newService(t, scan, "limits", "#!/bin/sh\n"+strings.ReplaceAll(limitsScript, "$1", "run.limits")+
			"\nexec sleep 1000\n")
		writeFile(t, filepath.Join(svc, "log", "run"), "#!/bin/sh\n"+strings.ReplaceAll(limitsScript, "$1", "../log.limits")+
			"\nexec cat >/dev/null\n", 0o755)
		var all []string
		if tr.name == "host" {
			for i := 0; i < many; i++ {
				d := newService(t, scan, fmt.Sprintf("s%03d", i), "#!/bin/sh\nexec sleep 1000\n")
				writeFile(t, filepath.Join(d, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
				all = append(all, d)
			}
		}
		p := startTreeLimited(t, tr, scan, soft, hard)
		waitFor(t, 60*time.Second, tr.name+": limits recorded", func() bool {
			return readFile(filepath.Join(svc, "run.limits")) != "" && readFile(filepath.Join(svc, "log.limits")) != ""
		})
		up := 0
		deadline := time.Now().Add(90 * time.Second)
		for up < len(all) && time.Now().Before(deadline) {
			time.Sleep(250 * time.Millisecond)
			up = 0
			for _, d := range all {
				if running(t, d) && running(t, filepath.Join(d, "log")) {
					up++
				}
			}
		}
		if up < len(all) {
			t.Errorf("%s: %d of %d services with logs running after 90 s; stderr ends:\n%s", tr.name, up, len(all),
				lastLines(p.stderr.String(), 5))
		}
		if tr.name == "host" {
			hosts, _ := exec.Command("pgrep", "-c", "-f", "^runsvdir-host "+scan+"$").Output()
			t.Logf("host: %d services with logs up in %s, in %s host processes", up,
				time.Since(deadline.Add(-90*time.Second)).Round(time.Second), strings.TrimSpace(string(hosts)))
		}
		for _, f := range []string{"run.limits", "log.limits"} {
			got[tr.name+" "+f] = strings.TrimSpace(readFile(filepath.Join(svc, f)))
		}
	}
	for _, f := range []string{"run.limits", "log.limits"} {
		for _, tr := range trees {
			g := strings.Fields(got[tr.name+" "+f])
			if len(g) != 2 || g[0] != strconv.Itoa(soft) {
				t.Errorf("%s: %s got open-files limits %q, want soft %d", tr.name, f, got[tr.name+" "+f], soft)
			}
		}
		t.Logf("%s: host %q, classic %q, C %q (soft hard)", f, got["host "+f], got["classic "+f], got["C "+f])
	}
}

// hasCap reports whether this process holds capability number c (Linux; false elsewhere).
func hasCap(t *testing.T, c uint) bool {
	caps, ok := procStatusMask("/proc/self/status", "CapEff")
	return ok && caps&(1<<c) != 0
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// notifier builds the sdnotify test helper into a directory any user may read, so that
// it can run as nobody too.
func notifier(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "runit-sdnotify-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "sdnotify")
	build := exec.Command("go", "build", "-o", bin, "./e2e/testdata/sdnotify")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the notifier: %v\n%s", err, out)
	}
	return bin
}

// notifyEnv returns the NOTIFY_SOCKET a running process was given.
func notifyEnv(t *testing.T, pid int) string {
	t.Helper()
	for _, kv := range strings.Split(readFile("/proc/"+strconv.Itoa(pid)+"/environ"), "\x00") {
		if v, ok := strings.CutPrefix(kv, "NOTIFY_SOCKET="); ok {
			return v
		}
	}
	t.Fatalf("process %d has no NOTIFY_SOCKET", pid)
	return ""
}

// cpuTicks is a process's user and system time in clock ticks.
func cpuTicks(t *testing.T, pid int) int {
	t.Helper()
	stat := readFile("/proc/" + strconv.Itoa(pid) + "/stat")
	f := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

// TestNotifySocketOnlyFromService: a service's notify socket takes messages from the
// service's own processes only. As nobody, a spoofed READY=1 and STATUS= to a root
// service are ignored (with a warning); a name bound first by someone else does not stop
// readiness; a flood from outside costs the supervisor little CPU. The abstract socket
// used to take anyone's messages at a name anyone could bind first, and a flood of
// STATUS= cost the host 80 % of a core.
func TestNotifySocketOnlyFromService(t *testing.T) {
	needRoot(t)
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("needs /proc to find the service's NOTIFY_SOCKET")
	}
	sdnotify := notifier(t)
	for _, tr := range trees[:2] {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			scan := t.TempDir()
			victim := newService(t, scan, "victim", "#!/bin/sh\nwhile [ ! -e go ]; do sleep 0.02; done\n"+
				sdnotify+" READY=1 STATUS=real\nexec sleep 1000\n")
			writeFile(t, filepath.Join(victim, "notify-socket"), "", 0o644)
			// The name the socket used to have, bound first by another process.
			pre := newService(t, scan, "prebound", "#!/bin/sh\n"+sdnotify+" READY=1\nexec sleep 1000\n")
			writeFile(t, filepath.Join(pre, "notify-socket"), "", 0o644)
			squat, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: "@runit-go/notify" + pre, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			defer squat.Close()
			p := startTree(t, tr, scan)
			waitFor(t, 15*time.Second, "victim running", func() bool { return running(t, victim) })
			pid := readStatus(t, victim).Pid
			addr := notifyEnv(t, pid)

			spoof := exec.Command(sdnotify, "READY=1", "STATUS=spoofed")
			spoof.Env = append(os.Environ(), "NOTIFY_SOCKET="+addr)
			spoof.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			if out, err := spoof.CombinedOutput(); err != nil {
				t.Fatalf("spoofing as nobody: %v %s", err, out)
			}
			waitFor(t, 15*time.Second, "the spoofed message ignored with a warning", func() bool {
				return strings.Contains(p.stderr.String(), "runsv victim: warning: notify-socket: ignored")
			})
			if r, s := readFile(filepath.Join(victim, "supervise", "ready")), readFile(filepath.Join(victim, "supervise", "notify-status")); r != "" || s != "" {
				t.Errorf("spoofed as nobody: ready %q, notify-status %q", r, s)
			}

			// A flood from outside the service, as fast as the socket takes it.
			sup := ppid(t, pid)
			before := cpuTicks(t, sup)
			c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			c.SetWriteDeadline(start.Add(2 * time.Second))
			sent := 0
			for {
				if _, err := c.Write([]byte("STATUS=flood " + strconv.Itoa(sent))); err != nil {
					break
				}
				sent++
			}
			c.Close()
			used := time.Duration(cpuTicks(t, sup)-before) * time.Second / 100 // USER_HZ
			t.Logf("flood: %d datagrams in %v cost the supervisor %v of CPU", sent, time.Since(start), used)
			if used > time.Since(start)/4 {
				t.Errorf("a flood of %d datagrams cost the supervisor %v of CPU in %v", sent, used, time.Since(start))
			}

			writeFile(t, filepath.Join(victim, "go"), "", 0o644)
			waitFor(t, 20*time.Second, "the service's own READY=1 and STATUS=", func() bool {
				return readFile(filepath.Join(victim, "supervise", "ready")) == strconv.Itoa(pid)+"\n" &&
					readFile(filepath.Join(victim, "supervise", "notify-status")) == "real\n"
			})
			waitFor(t, 15*time.Second, "prebound ready though its old name was taken", func() bool {
				r := readFile(filepath.Join(pre, "supervise", "ready"))
				return r != "" && r == strconv.Itoa(readStatus(t, pre).Pid)+"\n"
			})
		})
	}
}
