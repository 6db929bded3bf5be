package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/runit-go/runit/core/tune"
)

// floor prints what any long-running Go process costs on this machine, whatever it does:
// the private (anonymous) PSS in kB of a process that only waits for a signal, with
// core/tune's settings, as started and after four collections. A Go daemon that has run
// for a while has collected (the runtime forces a collection every two minutes once it
// has collected at all), and the collector keeps its bitmaps from then on. The program
// text comes on top, shared by the processes that map the same file.
func floor() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var kb []string
	for _, gcs := range []string{"0", "4"} {
		cmd := exec.Command(self, "idle", gcs)
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			return fmt.Errorf("idle process said %q", line)
		}
		kb = append(kb, strconv.Itoa(smapsField(cmd.Process.Pid, "Pss_Anon:")))
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	fmt.Println(strings.Join(kb, " "))
	return nil
}

// idle is floor's process: tuned as runit's daemons are, it collects n times, says
// ready and waits for TERM.
func idle(n int) error {
	tune.Daemon()
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	for i := 0; i < n; i++ {
		time.Sleep(20 * time.Millisecond)
		runtime.GC()
	}
	time.Sleep(200 * time.Millisecond) // the background sweeper and scavenger finish
	fmt.Println("ready")
	<-c
	return nil
}

// smapsField reads one kB figure of /proc/PID/smaps_rollup.
func smapsField(pid int, field string) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == field {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}
