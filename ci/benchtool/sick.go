package main

// A healthy service's restart latency while a sick service misbehaves beside it in the
// same tree (issue 13: within 2x of quiet). The sick services' ./run are this program too
// (sick-fork, sick-notify, sick-log, slow-log), each bounded in rate and in time so that a
// bench killed half-way leaves nothing running for long on a shared machine.

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	healthy      = 8  // healthy services, killed in turn: each has run over a second when its turn comes
	sickSamples  = 15 // restarts measured per case
	sickWarmUp   = 400 * time.Millisecond
	helperLife   = 60 * time.Second // a sick helper ends by itself after this
	forkRate     = 200              // children a second, never more
	countEvery   = 100 * time.Millisecond
	slowLogChunk = 4096 // the slow logger reads this much every 10 ms: 400 kB/s
)

// sickCase is one sick service: its directory name and how it is made.
type sickCase struct {
	name string
	make func(dir, self string) error
	// activity reads what the sick service did (from files it leaves in its directory).
	activity func(dir string) (int, string)
}

var sickCases = []sickCase{
	{"crash", func(dir, _ string) error {
		return writeRun(dir, "#!/bin/sh\necho >> starts\nexit 1\n")
	}, func(dir string) (int, string) { return lines(filepath.Join(dir, "starts")), "starts" }},
	{"fork", func(dir, self string) error {
		return writeRun(dir, "#!/bin/sh\nexec "+self+" sick-fork\n")
	}, func(dir string) (int, string) { return counted(dir), "children" }},
	{"notify", func(dir, self string) error {
		if err := os.WriteFile(filepath.Join(dir, "notify-socket"), nil, 0o644); err != nil {
			return err
		}
		return writeRun(dir, "#!/bin/sh\nexec "+self+" sick-notify\n")
	}, func(dir string) (int, string) { return counted(dir), "datagrams" }},
	{"log", func(dir, self string) error {
		if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "log", "run"), []byte("#!/bin/sh\nexec "+self+" slow-log\n"), 0o755); err != nil {
			return err
		}
		return writeRun(dir, "#!/bin/sh\nexec "+self+" sick-log\n")
	}, func(dir string) (int, string) { return counted(dir) / 1024, "kB" }},
}

func writeRun(dir, script string) error {
	if err := os.WriteFile(filepath.Join(dir, "down"), nil, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "run"), []byte(script), 0o755)
}

func lines(path string) int {
	b, _ := os.ReadFile(path)
	return strings.Count(string(b), "\n")
}

// counted is the number a helper last wrote to ./count.
func counted(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, "count"))
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// sick starts the scanner (argv, the scan directory appended) on healthy services and one
// service per sick case, all sick ones down. It measures the healthy services' restart
// latency quiet, then with each sick service up in turn (for the few seconds its samples
// take), then quiet again, and prints one line per case, "CASE MEDIAN_MS ACTIVITY_PER_S
// UNIT SUPERVISOR_CPU_%": quiet (both quiet rounds), quiet-before, the sick cases,
// quiet-after.
func sick(argv []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	root, _ := os.MkdirTemp("", "bench-sick-")
	defer os.RemoveAll(root)
	var dirs []string
	for i := 0; i < healthy; i++ {
		dir := filepath.Join(root, fmt.Sprintf("h%d", i))
		if err := makeService(dir); err != nil {
			return err
		}
		dirs = append(dirs, dir)
	}
	for _, c := range sickCases {
		if err := os.Mkdir(filepath.Join(root, c.name), 0o755); err != nil {
			return err
		}
		if err := c.make(filepath.Join(root, c.name), self); err != nil {
			return err
		}
	}
	cmd := exec.Command(argv[0], append(argv[1:], root)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Signal(syscall.SIGHUP) // runsvdir: stop its supervisors and services too
			cmd.Wait()
			waitUntil(10*time.Second, func() bool { return len(inTree(root)) == 0 })
			for _, pid := range inTree(root) { // a stop that left some: not our measurement's business
				syscall.Kill(pid, syscall.SIGKILL)
			}
		})
	}
	defer stop()
	// An interrupted bench must not leave a crash loop or a forking service behind.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sigs
		stop()
		os.RemoveAll(root)
		os.Exit(1)
	}()
	ready := func() bool {
		for _, c := range sickCases {
			if _, err := os.Stat(filepath.Join(root, c.name, "supervise", "ok")); err != nil {
				return false
			}
		}
		for _, dir := range dirs {
			if p, _ := runningPid(dir); p == 0 {
				return false
			}
		}
		b, err := os.ReadFile(filepath.Join(root, "log", "log", "supervise", "status"))
		return err == nil && runitUp(b)
	}
	if err := waitUntil(20*time.Second, ready); err != nil {
		return fmt.Errorf("the tree never came up")
	}
	next := 0
	// measure takes sickSamples restarts, and the share of a core the supervisors used
	// from since until it is done.
	measure := func(since time.Time, cpu0 float64) ([]time.Duration, float64, error) {
		var samples []time.Duration
		for len(samples) < sickSamples {
			d, err := restartOnce(dirs[next%len(dirs)])
			next++
			if err != nil {
				return nil, 0, err
			}
			samples = append(samples, d)
		}
		return samples, 100 * (supervisorCPU(cmd.Process.Pid) - cpu0) / time.Since(since).Seconds(), nil
	}
	before, cpuBefore, err := measure(time.Now(), supervisorCPU(cmd.Process.Pid))
	if err != nil {
		return err
	}
	var rows []string
	for _, c := range sickCases {
		dir := filepath.Join(root, c.name)
		t0, cpu0 := time.Now(), supervisorCPU(cmd.Process.Pid)
		if err := control(dir, "u"); err != nil {
			return err
		}
		time.Sleep(sickWarmUp)
		samples, cpu, err := measure(t0, cpu0)
		n, unit := c.activity(dir)
		rate := float64(n) / time.Since(t0).Seconds()
		if err := control(dir, "d"); err != nil {
			return err
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		rows = append(rows, fmt.Sprintf("%s %.3f %.1f %s %.1f", c.name, median(samples), rate, unit, cpu))
		// The next case starts with this one gone: its ./run no longer runs.
		waitUntil(5*time.Second, func() bool { p, _ := runningPid(dir); return p == 0 })
	}
	// Quiet again: the baseline is both quiet rounds together, and how far they differ is
	// the shared machine's own noise meanwhile.
	after, cpuAfter, err := measure(time.Now(), supervisorCPU(cmd.Process.Pid))
	if err != nil {
		return err
	}
	fmt.Printf("quiet %.3f 0 - %.1f\n", median(append(before, after...)), (cpuBefore+cpuAfter)/2)
	fmt.Printf("quiet-before %.3f 0 - %.1f\n", median(before), cpuBefore)
	for _, l := range rows {
		fmt.Println(l)
	}
	fmt.Printf("quiet-after %.3f 0 - %.1f\n", median(after), cpuAfter)
	return nil
}

// supervisorCPU is the CPU time in seconds that the scanner (pid) and the supervisors
// under it (runsvdir, runsv; ours' host is runsvdir's executable too) have used so far.
func supervisorCPU(pid int) float64 {
	ticks := 0
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, _ := os.Readlink("/proc/" + e.Name() + "/exe")
		if b := filepath.Base(exe); (b != "runsvdir" && b != "runsv") || !descends(p, pid) {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// After the command's closing parenthesis: state (field 3), ..., utime (14), stime (15).
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.Atoi(f[11])
			s, _ := strconv.Atoi(f[12])
			ticks += u + s
		}
	}
	return float64(ticks) / 100 // USER_HZ, 100 on Linux
}

// median in milliseconds.
func median(samples []time.Duration) float64 {
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	return float64(samples[len(samples)/2].Microseconds()) / 1000
}

// control writes to the service's supervise/control, as sv does.
func control(dir, cmd string) error {
	f, err := os.OpenFile(filepath.Join(dir, "supervise", "control"), os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(cmd)
	return err
}

// inTree lists the processes, but this one, whose working directory is under root: the
// services, their loggers and children, whatever supervises them.
func inTree(root string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err == nil && strings.HasPrefix(cwd, root+"/") {
			pids = append(pids, pid)
		}
	}
	return pids
}

// keepCount writes *n to ./count every countEvery, for the bench to read the sick service's
// activity, and ends the helper after helperLife.
func keepCount(n *atomic.Int64) {
	end := time.Now().Add(helperLife)
	go func() {
		for time.Now().Before(end) {
			time.Sleep(countEvery)
			os.WriteFile("count", []byte(strconv.FormatInt(n.Load(), 10)), 0o644)
		}
		os.Exit(0)
	}()
}

// sickFork starts forkRate short-lived children a second, for ever.
func sickFork() error {
	var n atomic.Int64
	keepCount(&n)
	tick := time.NewTicker(time.Second / forkRate)
	for range tick.C {
		c := exec.Command("/bin/true")
		if err := c.Start(); err != nil {
			continue
		}
		n.Add(1)
		go c.Wait()
	}
	return nil
}

// sickNotify sends datagrams to $NOTIFY_SOCKET as fast as they are taken. Without one (C
// runit has no notify-socket) it only waits.
func sickNotify() error {
	var n atomic.Int64
	keepCount(&n)
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		select {}
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return err
	}
	c.Write([]byte("READY=1\n"))
	for {
		if _, err := c.Write([]byte("STATUS=flood " + strconv.FormatInt(n.Load(), 10) + "\n")); err != nil {
			return err
		}
		n.Add(1)
	}
}

// sickLog writes to stdout, the log pipe, as fast as it is taken.
func sickLog() error {
	var n atomic.Int64
	keepCount(&n)
	line := []byte(strings.Repeat("x", 4095) + "\n")
	for {
		w, err := os.Stdout.Write(line)
		n.Add(int64(w))
		if err != nil {
			return err
		}
	}
}

// slowLog is a slow logger: it reads slowLogChunk bytes every 10 ms and drops them.
func slowLog() error {
	buf := make([]byte, slowLogChunk)
	for {
		if _, err := os.Stdin.Read(buf); err != nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}
