// Command benchtool measures the supervisors for `make bench`: restart latency after
// kill -9 (also beside a sick service), supervisor PSS per service, and bring-up time
// under runsvdir. It runs one
// implementation at a time (PATH decides which runsv runsvdir starts); ci/bench/*.sh runs
// it for C runit and for ours and prints the ratios.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/platform"
)

func main() {
	// The sick services' ./run and log/run (see sick.go).
	helpers := map[string]func() error{"sick-fork": sickFork, "sick-notify": sickNotify, "sick-log": sickLog, "slow-log": slowLog, "floor": floor}
	if len(os.Args) == 2 && helpers[os.Args[1]] != nil {
		if err := helpers[os.Args[1]](); err != nil {
			fmt.Fprintln(os.Stderr, "benchtool:", os.Args[1]+":", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: benchtool restart RUNSV|SUPERVISE | restart-scan RUNSVDIR | sick RUNSVDIR [args...] | bringup RUNSVDIR N [args...] | bringup-s6 S6-SVSCAN N | bringup-log RUNSVDIR N | floor")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "idle":
		n, _ := strconv.Atoi(os.Args[2])
		err = idle(n)
	case "sick":
		err = sick(os.Args[2:])
	case "restart":
		err = restart(os.Args[2], false)
	case "restart-scan":
		err = restart(os.Args[2], true)
	case "bringup", "bringup-s6", "bringup-log":
		sc := runitScanner
		if os.Args[1] == "bringup-s6" {
			sc = s6Scanner
		}
		if os.Args[1] == "bringup-log" {
			sc = logScanner
		}
		n, _ := strconv.Atoi(os.Args[3])
		sc.argv = append([]string{os.Args[2]}, os.Args[4:]...)
		err = bringup(sc, n)
	default:
		err = fmt.Errorf("unknown measurement %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func makeService(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "run"), []byte("#!/bin/sh\nexec sleep 100000\n"), 0o755)
}

func waitUntil(d time.Duration, cond func() bool) error {
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			return fmt.Errorf("timed out")
		}
		time.Sleep(50 * time.Microsecond)
	}
	return nil
}

// runningPid reads the running pid and its start from supervise/status: runit's 20-byte
// record (state byte must say run) or daemontools' 18-byte one (pid at the same offset),
// so that daemontools' supervise can be measured beside runsv.
func runningPid(dir string) (int, time.Time) {
	b, err := os.ReadFile(filepath.Join(dir, "supervise", "status"))
	if err != nil || (len(b) != 18 && len(b) != protocol.Size) {
		return 0, time.Time{}
	}
	if len(b) == protocol.Size && protocol.State(b[19]) != protocol.Run {
		return 0, time.Time{}
	}
	var rec [protocol.Size]byte
	copy(rec[:], b)
	r, _ := protocol.Decode(rec[:])
	return r.Pid, r.Time
}

// restart prints the median time from kill -9 of a service that ran over a second until
// the new process is recorded in supervise/status, as seen by a watcher woken by the
// status file's change. The program supervises the service directory itself (runsv,
// supervise) or, with scan, a directory holding it (runsvdir: ours supervises in-process
// by default).
func restart(prog string, scan bool) error {
	root, _ := os.MkdirTemp("", "bench-restart-")
	defer os.RemoveAll(root)
	dir, arg := root, root
	if scan {
		dir = filepath.Join(root, "s")
	}
	if err := makeService(dir); err != nil {
		return err
	}
	cmd := exec.Command(prog, arg)
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		if scan {
			cmd.Process.Signal(syscall.SIGHUP) // runsvdir: stop its supervisors and services too
		} else {
			os.WriteFile(filepath.Join(dir, "supervise", "control"), []byte("dx"), 0)
		}
		cmd.Wait()
	}()
	var samples []time.Duration
	for i := 0; i < 15; i++ {
		d, err := restartOnce(dir)
		if err != nil {
			return err
		}
		samples = append(samples, d)
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	fmt.Printf("%.3f\n", float64(samples[len(samples)/2].Microseconds())/1000)
	return nil
}

// restartOnce waits until the service in dir has run for over a second (the supervisors'
// throttle), kills it with SIGKILL and returns the time until supervise/status records a
// new running pid, as seen by a watcher woken by the status file's change.
func restartOnce(dir string) (time.Duration, error) {
	var pid int
	var since time.Time
	if err := waitUntil(10*time.Second, func() bool {
		pid, since = runningPid(dir)
		return pid != 0
	}); err != nil {
		return 0, fmt.Errorf("%s: service never ran", dir)
	}
	for time.Since(since) < 1100*time.Millisecond {
		time.Sleep(10 * time.Millisecond)
	}
	old := pid
	// Woken by the status file's replacement (inotify here), not by a coarse poll.
	w, err := platform.WatchDirs(filepath.Join(dir, "supervise"))
	if err != nil {
		return 0, err
	}
	defer w.Close()
	t0 := time.Now()
	syscall.Kill(old, syscall.SIGKILL)
	end := t0.Add(10 * time.Second)
	for {
		if p, _ := runningPid(dir); p != 0 && p != old {
			return time.Since(t0), nil
		}
		if !time.Now().Before(end) {
			return 0, fmt.Errorf("%s: no restart", dir)
		}
		if _, err := w.Wait(time.Until(end)); err != nil {
			return 0, fmt.Errorf("%s: no restart: %w", dir, err)
		}
	}
}

// scanner is how one implementation's directory scanner is measured.
type scanner struct {
	argv  []string          // the command, the scan directory appended
	up    func([]byte) bool // a service's supervise/status says it runs
	names []string          // executables that count as supervisors for PSS
	stop  syscall.Signal    // stops the scanner, its supervisors and their services
	// withLog gives each service a log service and counts its loggers too
	withLog bool
}

var (
	runitScanner = scanner{up: runitUp, names: []string{"runsv", "runsvdir"}, stop: syscall.SIGHUP}
	// logScanner: runit with a log service per service (log/run: exec svlogd -tt ./main),
	// measured as a whole: runsvdir, supervisors, svlogd processes and logger pools.
	logScanner = scanner{up: runitUp, names: []string{"runsvdir", "runsv", "svlogd"}, stop: syscall.SIGHUP, withLog: true}
	s6Scanner  = scanner{up: s6Up, names: []string{"s6-svscan", "s6-supervise"}, stop: syscall.SIGTERM}
)

// bringup starts the scanner on n services, prints the seconds until all run (by their
// status records, as each implementation's own status tool sees it) and the supervisors'
// PSS per service in kB, then stops everything.
func bringup(sc scanner, n int) error {
	root, _ := os.MkdirTemp("", "bench-bringup-")
	defer os.RemoveAll(root)
	for i := 0; i < n; i++ {
		dir := filepath.Join(root, fmt.Sprintf("s%03d", i))
		if err := makeService(dir); err != nil {
			return err
		}
		if sc.withLog {
			if err := makeLog(dir); err != nil {
				return err
			}
		}
	}
	cmd := exec.Command(sc.argv[0], append(sc.argv[1:], root)...)
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	err := waitUntil(60*time.Second, func() bool {
		return allUp(root, n, sc.up) && (!sc.withLog || allLogsUp(root, n))
	})
	up := time.Since(t0)
	var pss int
	laterLine := "" // BENCH_LATER's measurement, printed after the first
	byProg := map[string]int{}
	if err == nil {
		settle := 500 * time.Millisecond // let the supervisors settle before measuring memory
		if sc.withLog {
			// Steady state: a logger pool returns the garbage of a burst of hand-overs a
			// second after the last.
			settle = 2500 * time.Millisecond
		}
		time.Sleep(settle)
		pss = supervisorPSS(cmd.Process.Pid, byProg, sc.names...)
		if sc.withLog {
			pss += poolPSS(cmd.Process.Pid, byProg)
		}
		if later, _ := strconv.Atoi(os.Getenv("BENCH_LATER")); later > 0 && sc.withLog {
			// A Go process's memory right after its start is not what it keeps: its first
			// collections (a forced one every two minutes once it has collected at all)
			// add the collector's own bitmaps. Measure the same tree again later.
			time.Sleep(time.Until(t0.Add(time.Duration(later) * time.Second)))
			byLater := map[string]int{}
			pssLater := supervisorPSS(cmd.Process.Pid, byLater, sc.names...) + poolPSS(cmd.Process.Pid, byLater)
			laterLine = fmt.Sprintf("%.3f %d %d %s\n", float64(later), pssLater/n, pssLater, progList(byLater))
		}
	}
	cmd.Process.Signal(sc.stop)
	cmd.Wait()
	waitUntil(30*time.Second, func() bool { return len(servicesRunning(root)) == 0 })
	for _, pid := range servicesRunning(root) { // a stop that left some: not our measurement's business
		syscall.Kill(pid, syscall.SIGKILL)
	}
	if err != nil {
		return fmt.Errorf("not all %d services came up", n)
	}
	if sc.withLog {
		// Then each program's share, by what ps shows as its name.
		fmt.Printf("%.3f %d %d %s\n%s", up.Seconds(), pss/n, pss, progList(byProg), laterLine)
		return nil
	}
	fmt.Printf("%.3f %d\n", up.Seconds(), pss/n)
	return nil
}

// progList is each program's PSS as name=kB, sorted, comma-separated.
func progList(byProg map[string]int) string {
	var progs []string
	for name, kb := range byProg {
		progs = append(progs, fmt.Sprintf("%s=%d", name, kb))
	}
	sort.Strings(progs)
	return strings.Join(progs, ",")
}

// makeLog gives the service dir a log service as the distributions ship it.
func makeLog(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "log", "main"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "log", "run"), []byte("#!/bin/sh\nexec svlogd -tt ./main\n"), 0o755)
}

// allLogsUp reports whether every log service's record names a running svlogd (for ours,
// once handed over, the pool: a pool process, or runsvdir serving its own identity):
// log/run's shell has exec'd it, and any hand-over is done.
func allLogsUp(root string, n int) bool {
	for i := 0; i < n; i++ {
		b, err := os.ReadFile(filepath.Join(root, fmt.Sprintf("s%03d", i), "log", "supervise", "status"))
		if err != nil || !runitUp(b) {
			return false
		}
		r, _ := protocol.Decode(b)
		cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(r.Pid) + "/cmdline")
		a0, _, _ := strings.Cut(string(cmd), "\x00")
		c := filepath.Base(a0)
		if c != "svlogd" && c != "svlogd-pool" && c != "runsvdir" {
			return false
		}
		// BENCH_POOLED: ours, whose loggers must all have reached their pool.
		if c == "svlogd" && os.Getenv("BENCH_POOLED") != "" {
			return false
		}
	}
	return true
}

// poolPSS is the PSS of the logger pools (svlogd-pool) that the tree under root does not
// already count: a pool outside it (reparented elsewhere), run from the directory of the
// svlogd in PATH (a pool runs from its supervisor's executable).
func poolPSS(root int, byProg map[string]int) int {
	self, _ := exec.LookPath("svlogd")
	total := 0
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmd, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		exe, _ := os.Readlink("/proc/" + e.Name() + "/exe")
		if string(cmd) != "svlogd-pool\x00" || filepath.Dir(exe) != filepath.Dir(self) || descends(pid, root) {
			continue
		}
		kb := pss(pid)
		total += kb
		byProg["svlogd-pool"] += kb
	}
	return total
}

func descends(pid, root int) bool {
	for pid > 1 {
		if pid == root {
			return true
		}
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return false
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 2 {
			return false
		}
		pid, _ = strconv.Atoi(f[1])
	}
	return false
}

// allUp reports whether the n services under root are all up by their supervisor's
// status file.
func allUp(root string, n int, up func([]byte) bool) bool {
	for i := 0; i < n; i++ {
		b, err := os.ReadFile(filepath.Join(root, fmt.Sprintf("s%03d", i), "supervise", "status"))
		if err != nil || !up(b) {
			return false
		}
	}
	return true
}

// runitUp: runit's 20-byte record says run and names a pid.
func runitUp(b []byte) bool {
	r, err := protocol.Decode(b)
	return err == nil && r.State == protocol.Run && r.Pid != 0
}

// s6Up: s6-supervise's 35-byte record (two TAI64N stamps, then the pid as a big-endian
// 64-bit number) names a pid.
func s6Up(b []byte) bool {
	return len(b) >= 32 && binary.BigEndian.Uint64(b[24:32]) != 0
}

// servicesRunning lists the processes named sleep whose working directory is a service
// directory under root: the services' ./run, whatever supervises them.
func servicesRunning(root string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm"); strings.TrimSpace(string(comm)) != "sleep" {
			continue
		}
		if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err == nil && strings.HasPrefix(cwd, root+"/") {
			pids = append(pids, pid)
		}
	}
	return pids
}

// supervisorPSS sums the PSS (kB) of the process root and every descendant whose
// executable has one of the supervisors' names, not the services; byProg, if not nil,
// gets each one's PSS added under its argv[0]'s base name.
func supervisorPSS(root int, byProg map[string]int, names ...string) int {
	children := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 2 {
			pp, _ := strconv.Atoi(f[1])
			children[pp] = append(children[pp], pid)
		}
	}
	total := 0
	var walk func(int)
	walk = func(pid int) {
		exe, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
		base := filepath.Base(exe)
		for _, n := range names {
			if base == n {
				kb := pss(pid)
				total += kb
				if byProg != nil {
					cmd, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
					a0, _, _ := strings.Cut(string(cmd), "\x00")
					byProg[filepath.Base(a0)] += kb
				}
			}
		}
		for _, c := range children[pid] {
			walk(c)
		}
	}
	walk(root)
	return total
}

func pss(pid int) int { return smapsField(pid, "Pss:") }
