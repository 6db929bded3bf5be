package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The boot test: a real Linux kernel (Debian's linux-image-amd64, fetched by
// ci/boot/kernel.sh) boots under QEMU (software emulation) with an initramfs made by
// ci/boot/initramfs.sh whose /sbin/init is our runit-init, /sbin/runit our runit, and the
// supervision tools ours where ./cmd/<tool> exists (Debian's C ones otherwise; the log
// says which). The guest's driver service and the stage scripts print "BOOT:" lines on the
// serial console, which the test reads with a deadline for every step.

// bootTools are the programs the initramfs gets; the C column is Debian's binary used
// when ours does not exist yet ("" = no C counterpart).
var bootTools = []struct{ name, c string }{
	{"runit", "/sbin/runit"},
	{"runit-init", "/lib/runit/runit-init"},
	{"runsvdir", "/usr/bin/runsvdir"},
	{"runsv", "/usr/bin/runsv"},
	{"sv", "/usr/bin/sv"},
	{"svlogd", "/usr/bin/svlogd"},
	{"chpst", "/usr/bin/chpst"},
	{"halt", ""},
	{"shutdown", ""},
	{"pause", ""},
}

// bootNeeds skips (or, with RUNIT_TEST_STRICT as in CI, fails) when the host cannot run the boot test, naming the
// Debian packages that provide what is missing.
func bootNeeds(t *testing.T) {
	t.Helper()
	needRoot(t)
	missing := []string{}
	for _, n := range []struct{ bin, pkg string }{
		{"qemu-system-x86_64", "qemu-system-x86"}, {"cpio", "cpio"}, {"apt-get", "apt"},
		{"dpkg-deb", "dpkg"}, {"gzip", "gzip"}, {"ldd", "libc-bin"},
	} {
		if _, err := exec.LookPath(n.bin); err != nil {
			missing = append(missing, n.bin+" ("+n.pkg+")")
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "boot test needs " + strings.Join(missing, ", ")
	if strictTests() {
		t.Fatal(msg + "; CI must install them (ci/deps.sh)")
	}
	t.Skip(msg + ": apt-get install qemu-system-x86 cpio")
}

var (
	kernelOnce sync.Once
	kernelPath string
	kernelErr  error
)

// bootKernel fetches (once, cached across runs) the kernel to boot.
func bootKernel(t *testing.T) string {
	t.Helper()
	kernelOnce.Do(func() {
		cmd := exec.Command(filepath.Join(repoRoot, "ci/boot/kernel.sh"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			kernelErr = fmt.Errorf("ci/boot/kernel.sh: %v\n%s", err, stderr.String())
			return
		}
		kernelPath = strings.TrimSpace(string(out))
	})
	if kernelErr != nil {
		t.Fatal(kernelErr)
	}
	return kernelPath
}

// buildStatic builds ./cmd/name static and stripped for the guest into dir/name.
func buildStatic(t *testing.T, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./cmd/"+name)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOOS=linux", "GOARCH=amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/%s: %v\n%s", name, err, b)
	}
	return out
}

// bootBinaries builds our static, stripped tools into dir and returns NAME=PATH pairs for
// initramfs.sh: ours where ./cmd/NAME exists, else C's when c is true and there is one.
// It logs which are ours.
func bootBinaries(t *testing.T, dir string, ours bool) []string {
	t.Helper()
	var pairs, oursList, cList []string
	for _, tool := range bootTools {
		_, err := os.Stat(filepath.Join(repoRoot, "cmd", tool.name))
		if ours && err == nil {
			pairs = append(pairs, tool.name+"="+buildStatic(t, dir, tool.name))
			oursList = append(oursList, tool.name)
			continue
		}
		if tool.c == "" {
			continue
		}
		pairs = append(pairs, tool.name+"="+cBin(t, filepath.Base(tool.c)))
		cList = append(cList, tool.name)
	}
	t.Logf("initramfs tools: ours: %s; C runit's: %s", strings.Join(oursList, " "), strings.Join(cList, " "))
	return pairs
}

// bootInitramfs runs ci/boot/initramfs.sh with args (see there).
func bootInitramfs(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(repoRoot, "ci/boot/initramfs.sh"), args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ci/boot/initramfs.sh: %v\n%s", err, b)
	}
}

// vm is one QEMU run whose serial console the test reads line by line.
type vm struct {
	t      *testing.T
	cmd    *exec.Cmd
	mon    string
	lines  chan string
	exited chan struct{}
	mu     sync.Mutex
	log    strings.Builder
}

// bootVM starts QEMU; extra are more kernel command line arguments.
func bootVM(t *testing.T, kernel, initrd, mode string, extra ...string) *vm {
	t.Helper()
	sockDir, err := os.MkdirTemp("", "rb") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	v := &vm{t: t, mon: filepath.Join(sockDir, "mon"), lines: make(chan string, 1024), exited: make(chan struct{})}
	v.cmd = exec.Command(filepath.Join(repoRoot, "ci/boot/boot.sh"), kernel, initrd, v.mon, mode, strings.Join(extra, " "))
	stdout, err := v.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	v.cmd.Stderr = v.cmd.Stdout
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				line = strings.TrimRight(strings.ReplaceAll(line, "\r", ""), "\n")
				v.mu.Lock()
				v.log.WriteString(line + "\n")
				v.mu.Unlock()
				v.lines <- line
			}
			if err != nil {
				close(v.lines)
				_ = v.cmd.Wait()
				close(v.exited)
				return
			}
		}
	}()
	t.Cleanup(func() {
		select {
		case <-v.exited:
		default:
			_ = v.cmd.Process.Kill()
			<-v.exited
		}
		if t.Failed() {
			t.Logf("serial console of the %s boot:\n%s", mode, v.console())
		}
	})
	return v
}

func (v *vm) console() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.log.String()
}

// expect reads console lines until one contains want, failing on a "BOOT: FAIL" line,
// on QEMU's exit and on the deadline. It returns the matching line.
func (v *vm) expect(timeout time.Duration, want string) string {
	v.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case line, ok := <-v.lines:
			if !ok {
				v.t.Fatalf("QEMU exited before the console showed %q", want)
			}
			if strings.Contains(line, "BOOT: FAIL") {
				v.t.Fatalf("guest reported: %s", line)
			}
			if strings.Contains(line, want) {
				return line
			}
		case <-deadline.C:
			v.t.Fatalf("timed out after %v waiting for %q on the console", timeout, want)
		}
	}
}

// waitExit waits for QEMU to end by itself (power-off, or reboot under -no-reboot).
func (v *vm) waitExit(timeout time.Duration) {
	v.t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case _, ok := <-v.lines:
			if !ok {
				<-v.exited
				return
			}
		case <-deadline.C:
			v.t.Fatalf("QEMU still running %v after the shutdown began", timeout)
		}
	}
}

// monitor sends one command to the QEMU monitor.
func (v *vm) monitor(command string) {
	v.t.Helper()
	waitFor(v.t, 10*time.Second, "the QEMU monitor socket", func() bool {
		_, err := os.Stat(v.mon)
		return err == nil
	})
	c, err := net.DialTimeout("unix", v.mon, 5*time.Second)
	if err != nil {
		v.t.Fatalf("QEMU monitor: %v", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, command+"\n"); err != nil {
		v.t.Fatalf("QEMU monitor: %v", err)
	}
	// Read until the monitor echoes its prompt after our command, so the key has been
	// injected before we go on.
	buf := make([]byte, 4096)
	var got strings.Builder
	for strings.Count(got.String(), "(qemu)") < 2 {
		n, err := c.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			v.t.Fatalf("QEMU monitor after %q: %v (got %q)", command, err, got.String())
		}
	}
}

var ctty = regexp.MustCompile(`ctty=(\d+)`)

// bootUp checks the part every boot shares: stage 1 with the console as controlling
// terminal, stage 2, the services up under runsvdir, svlogd writing b's log, a killed
// service coming back. It returns once the driver is about to act.
func (v *vm) bootUp(ours bool) {
	v.t.Helper()
	v.expect(60*time.Second, "- runit: enter stage: /etc/runit/1")
	line := v.expect(30*time.Second, "BOOT: stage1")
	if m := ctty.FindStringSubmatch(line); ours && (m == nil || m[1] == "0") {
		v.t.Errorf("stage 1 has no controlling terminal: %s", line)
	}
	v.expect(30*time.Second, "- runit: leave stage: /etc/runit/1")
	v.expect(30*time.Second, "- runit: enter stage: /etc/runit/2")
	line = v.expect(30*time.Second, "BOOT: stage2")
	v.expect(60*time.Second, "BOOT: all-up")
	v.expect(30*time.Second, "BOOT: log ok")
	v.expect(30*time.Second, "BOOT: a came back")
	// Stage 2 is a distribution's runsvdir line (bootdistro=): its directory argument
	// must be intact with service a's stderr in the log argument.
	_, distro, _ := strings.Cut(line, " distro=")
	distro, _, _ = strings.Cut(distro, " ")
	dir := map[string]string{"debian": "/etc/service", "void": "/run/runit/runsvdir/current",
		"lfs": "/etc/runit/runsvdir/current"}[distro]
	line = v.expect(30*time.Second, "BOOT: runsvdir")
	if got, want := line[strings.Index(line, "BOOT: runsvdir"):], "BOOT: runsvdir dir="+dir+" stderr-in-log=yes"; got != want {
		v.t.Errorf("%s's stage 2: %q, want %q", distro, got, want)
	}
	v.expect(30*time.Second, "BOOT: action")
	// The one-shot service (kept up by our pause) printed before the driver saw it up;
	// its line may come anywhere before this point.
	if ours && !strings.Contains(v.console(), "BOOT: oneshot did its work") {
		v.t.Errorf("the one-shot service did not run")
	}
	// Its two concurrent bursts contend for the terminal: none of it may be lost.
	if n := strings.Count(v.console(), " of 200\n"); ours && n != 400 {
		v.t.Errorf("the console shows %d of the one-shot service's 400 burst lines", n)
	}
}

// shutdownSeen checks stage 3 and the end the kernel reports.
func (v *vm) shutdownSeen(last, kernelEnd string) {
	v.t.Helper()
	v.expect(60*time.Second, "- runit: leave stage: /etc/runit/2")
	v.expect(30*time.Second, "- runit: enter stage: /etc/runit/3")
	v.expect(30*time.Second, "BOOT: stage3 done")
	v.stage3End(last, kernelEnd)
}

// stage3End checks runit's end after stage 3: the last KILL, runit's last message and
// the kernel's, then QEMU's exit.
func (v *vm) stage3End(last, kernelEnd string) {
	v.t.Helper()
	v.expect(30*time.Second, "- runit: leave stage: /etc/runit/3")
	v.expect(30*time.Second, "- runit: sending KILL signal to all processes...")
	v.expect(30*time.Second, last)
	v.expect(30*time.Second, kernelEnd)
	v.waitExit(30 * time.Second)
}

func TestBootOurRunit(t *testing.T) {
	bootNeeds(t)
	kernel := bootKernel(t)
	dir := t.TempDir()
	initrd := filepath.Join(dir, "ours.img")
	bootInitramfs(t, append([]string{initrd}, bootBinaries(t, dir, true)...)...)

	t.Run("ctrl-alt-del", func(t *testing.T) {
		v := bootVM(t, kernel, initrd, "cad")
		v.bootUp(true)
		v.monitor("sendkey ctrl-alt-delete")
		v.expect(30*time.Second, "- runit: ctrl-alt-del request...")
		v.expect(30*time.Second, "BOOT: ctrlaltdel")
		v.shutdownSeen("- runit: power off...", "reboot: Power down")
	})
	// Stages 2 and 3 end in Debian's command lines by default; these two boots take
	// Void's and runit-for-lfs's.
	t.Run("runit-init 0", func(t *testing.T) {
		v := bootVM(t, kernel, initrd, "init0", "bootdistro=void")
		v.bootUp(true)
		v.shutdownSeen("- runit: power off...", "reboot: Power down")
	})
	t.Run("runit-init 6", func(t *testing.T) {
		v := bootVM(t, kernel, initrd, "init6", "bootdistro=lfs")
		v.bootUp(true)
		v.shutdownSeen("- runit: system reboot.", "reboot: Restarting system")
	})
	t.Run("shutdown -r now", func(t *testing.T) {
		if _, err := os.Stat(filepath.Join(repoRoot, "cmd/shutdown")); err != nil {
			t.Skip("no cmd/shutdown")
		}
		v := bootVM(t, kernel, initrd, "shutdown-r")
		v.bootUp(true)
		v.expect(30*time.Second, "The system is going down for reboot NOW!")
		v.shutdownSeen("- runit: system reboot.", "reboot: Restarting system")
	})
}

// TestBootCRunit boots the same initramfs with Debian's C runit and tools: the reference
// the benchmark compares with, and a check that the harness itself tells the truth.
func TestBootCRunit(t *testing.T) {
	bootNeeds(t)
	kernel := bootKernel(t)
	dir := t.TempDir()
	initrd := filepath.Join(dir, "c.img")
	bootInitramfs(t, append([]string{initrd}, bootBinaries(t, dir, false)...)...)
	v := bootVM(t, kernel, initrd, "init0", "bootdistro=void")
	v.bootUp(false)
	v.shutdownSeen("- runit: power off...", "reboot: Power down")
}

// TestBootInstalled boots what users install: the image is `make install` (ci/install.sh,
// PREFIX=/usr, merged /usr) with the etc/ skeleton's own stage scripts, runlevels and
// /etc/service, the commands being busybox-static's applets. Added only: a service
// enabled from /etc/sv, an fstab, a hostname, a core-services fragment and the driver
// (ci/boot/installed.sh). Stage 1's work is checked from inside (mounts, hostname, flags,
// runlevel); stage 3's last steps, whose errors the script silences, through the
// kernel's trace of their system calls; then `runit-init 0` must power off.
func TestBootInstalled(t *testing.T) {
	bootNeeds(t)
	kernel := bootKernel(t)
	dir := t.TempDir()
	for name := range installTools { // ci/install.sh installs them all: all are built
		buildStatic(t, dir, name)
	}
	initrd := filepath.Join(t.TempDir(), "installed.img")
	bootInitramfs(t, "--installed", dir, initrd)
	start := time.Now()
	v := bootVM(t, kernel, initrd, "init0", "tp_printk")

	v.expect(60*time.Second, "- runit: enter stage: /etc/runit/1")
	v.expect(30*time.Second, "BOOT: core-services hook ran")
	v.expect(10*time.Second, "=> Remounting root file system read-write")
	v.expect(10*time.Second, "=> Mounting local file systems")
	v.expect(10*time.Second, "=> Initialization complete, entering stage 2")
	v.expect(10*time.Second, "- runit: leave stage: /etc/runit/1")
	v.expect(10*time.Second, "- runit: enter stage: /etc/runit/2")

	// Stage 2 ran runsvchdir and runsvdir on /etc/service; the driver saw the services
	// of the default runlevel up and what stage 1 set up in place.
	up := v.expect(60*time.Second, "BOOT: skel up")
	for _, want := range []string{
		" service=/etc/runit/runsvdir/current ", " current=default ", " hostname=runit-skel ",
		" stopit=0 ", " reboot=0 ", " mounted=/proc /sys /dev /dev/pts /dev/shm /run /var/tmp ",
	} {
		if !strings.Contains(up+" ", want) {
			t.Errorf("the running system is not as the skeleton sets it up: want %q in\n%s", want, up)
		}
	}
	if !strings.Contains(v.console(), "BOOT: hello from /etc/sv/hello") {
		t.Errorf("the service enabled from /etc/sv did not run")
	}
	v.expect(10*time.Second, "BOOT: action init0")
	upAt := time.Since(start)

	v.expect(60*time.Second, "- runit: leave stage: /etc/runit/2")
	v.expect(30*time.Second, "- runit: enter stage: /etc/runit/3")
	v.expect(30*time.Second, "=> Waiting for services to stop...")
	v.expect(60*time.Second, "=> Saving random seed")
	v.expect(10*time.Second, "=> Sending TERM signal to processes...")
	v.expect(30*time.Second, "=> Sending KILL signal to processes...")
	v.expect(10*time.Second, "=> Unmounting file systems, disabling swap")
	// umount -a: what can go goes; the root cannot (EINVAL), so any result will do.
	v.syscall(10*time.Second, "sys_umount(", false)
	v.expect(10*time.Second, "=> Remounting root file system read-only")
	v.syscall(10*time.Second, "sys_mount(", true, func(call string) bool {
		m := traceFlags.FindStringSubmatch(call)
		var f uint64
		if m != nil {
			_, _ = fmt.Sscanf(m[1], "%x", &f)
		}
		return f&0x21 == 0x21 // MS_REMOUNT|MS_RDONLY
	})
	v.syscall(10*time.Second, "sys_sync(", true)
	v.stage3End("- runit: power off...", "reboot: Power down")
	t.Logf("boot to services up %v, then shutdown to power-off %v (host clock)", upAt.Round(time.Second), (time.Since(start) - upAt).Round(time.Second))
}

var traceFlags = regexp.MustCompile(`flags: ([0-9a-f]+)`)

// syscall waits for the kernel's trace of a system call (tp_printk: "sys_NAME(args)"
// then "sys_NAME -> 0xRET") whose entry line contains call and satisfies every match,
// and, when ok is true, wants it to have returned 0.
func (v *vm) syscall(timeout time.Duration, call string, ok bool, match ...func(string) bool) {
	v.t.Helper()
	name := strings.TrimSuffix(call, "(")
	for {
		line := v.expect(timeout, call)
		want := true
		for _, m := range match {
			want = want && m(line)
		}
		ret := v.expect(timeout, name+" -> ")
		if !want {
			continue
		}
		if ok && !strings.HasSuffix(ret, " -> 0x0") {
			v.t.Errorf("%s failed: %s", line, ret)
		}
		return
	}
}
