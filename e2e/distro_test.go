package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The distribution test: Debian's own service directories (the runit-services package)
// and stage scripts (the runit package), unpacked by ci/distro-files.sh and never
// installed, run by Debian's /etc/runit/2 as it is, once with our runsvdir, runsv, sv,
// chpst, svlogd and runsvchdir in place of C runit's and once with C runit's, then
// compared service by service. Each tree lives in namespaces of its own (mount, pid,
// network, uts, ipc): Debian's files are bind-mounted where their scripts expect them
// (/etc/sv, /etc/runit), and /run, /tmp, /dev, /var/log, /var/spool are private, so the
// machine's /etc/service, /etc/sv and daemons are never touched and the daemons that run
// (dbus, cron, rsyslog, chrony ...) see no network and write nowhere that lasts.

var (
	distroOnce sync.Once
	distroDir  string
	distroErr  error
)

// distroFiles returns the directory ci/distro-files.sh unpacked Debian's packages into
// (runit-services/ and runit/), fetching them on first use. Without them the test skips,
// or fails under RUNIT_TEST_STRICT.
func distroFiles(t *testing.T) string {
	t.Helper()
	distroOnce.Do(func() {
		cmd := exec.Command(filepath.Join(repoRoot, "ci/distro-files.sh"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			distroErr = fmt.Errorf("ci/distro-files.sh: %v\n%s", err, stderr.String())
			return
		}
		distroDir = strings.TrimSpace(string(out))
	})
	if distroErr != nil {
		if strictTests() {
			t.Fatalf("Debian's runit-services and runit packages are needed: %v", distroErr)
		}
		t.Skipf("Debian's runit-services and runit packages could not be fetched: %v", distroErr)
	}
	return distroDir
}

// distroNeeds checks what every distribution test needs: root (for namespaces and mounts),
// util-linux's unshare and nsenter, and Debian's runit installed (its /lib/runit helpers,
// the _runit-log user and the /usr/bin files the tools are mounted over).
func distroNeeds(t *testing.T) {
	t.Helper()
	needRoot(t)
	cBin(t, "runsvdir")
	for _, p := range []string{"unshare", "nsenter", "mount"} {
		if _, err := exec.LookPath(p); err != nil {
			if strictTests() {
				t.Fatalf("%s not found; CI installs util-linux (ci/deps.sh)", p)
			}
			t.Skipf("%s not found (apt-get install util-linux)", p)
		}
	}
}

// distroTools are the programs a distribution's scripts find by PATH, and where.
var distroTools = []struct{ name, dir string }{
	{"runsvdir", "/usr/bin"}, {"runsv", "/usr/bin"}, {"sv", "/usr/bin"},
	{"chpst", "/usr/bin"}, {"svlogd", "/usr/bin"}, {"runsvchdir", "/usr/sbin"},
}

// distroBinds returns "SRC:DST" bind mounts that put one implementation's tools where
// Debian has them: ours, or C runit's from the unpacked runit package (so the machine's
// own /usr/bin/sv, whatever it is, plays no part).
func distroBinds(t *testing.T, ours bool) []string {
	t.Helper()
	var binds []string
	for _, tool := range distroTools {
		src := filepath.Join(distroFiles(t), "runit", tool.dir, tool.name)
		if ours {
			src = ourBin(t, tool.name)
			if tool.name == "sv" {
				src = ourSvDebian(t)
			}
		}
		binds = append(binds, src+":"+filepath.Join(tool.dir, tool.name))
	}
	return binds
}

var (
	svDebianOnce sync.Once
	svDebian     string
	svDebianErr  error
)

// ourSvDebian builds our sv as a Debian package would: looking services up in
// /etc/service/ when SVDIR is not set, which Debian's scripts rely on (`sv start dbus`
// from a stage 2 that clears the environment).
func ourSvDebian(t *testing.T) string {
	t.Helper()
	svDebianOnce.Do(func() {
		dir, err := os.MkdirTemp(buildDir, "debian-")
		if err != nil {
			svDebianErr = err
			return
		}
		svDebian = filepath.Join(dir, "sv")
		cmd := exec.Command("go", "build", "-ldflags", "-X github.com/runit-go/runit/core/sv.DefaultSvDir=/etc/service/", "-o", svDebian, "./cmd/sv")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			svDebianErr = fmt.Errorf("go build ./cmd/sv for /etc/service/: %v\n%s", err, b)
		}
	})
	if svDebianErr != nil {
		t.Fatal(svDebianErr)
	}
	return svDebian
}

// nsScript sets up one tree's namespaces and becomes their process 1. Arguments: the
// tree's directory T (T/stage is a scratch mount point), then SRC:DST bind mounts, then
// "--", then the stage command, started in the background as runit starts stage 2. /tmp
// is covered last, since T and the tools may live under it. Process 1 stays and reaps
// (dash's wait collects any child), as runit does, so that stage 2 can end and stage 3
// run in the same namespaces.
const nsScript = `set -e
T=$1; shift
mkdir -p "$T/stage"
while [ "$1" != -- ]; do mount --bind "${1%%:*}" "${1#*:}"; shift; done; shift
# invoke-run asks policy-rc.d (container images ship one that forbids everything).
if [ -e /usr/sbin/policy-rc.d ]; then mount --bind /dev/null /usr/sbin/policy-rc.d; fi
# /dev of our own: rsyslog makes /dev/log.
mount -t tmpfs -o mode=755 tmpfs "$T/stage"
for n in null zero full random urandom tty; do : >"$T/stage/$n"; mount --bind "/dev/$n" "$T/stage/$n"; done
ln -s /proc/self/fd "$T/stage/fd"; ln -s fd/0 "$T/stage/stdin"; ln -s fd/1 "$T/stage/stdout"; ln -s fd/2 "$T/stage/stderr"
mkdir "$T/stage/pts" "$T/stage/shm"
mount --move "$T/stage" /dev
# private DIR [cp option]: DIR becomes a tmpfs holding a copy of it.
private() {
	mount -t tmpfs -o mode=755 tmpfs "$T/stage"
	cp -a $2 "$1/." "$T/stage/"
	mount --move "$T/stage" "$1"
}
private /var/log --attributes-only
private /var/spool
if [ -d /var/lib/chrony ]; then private /var/lib/chrony; fi
if [ -n "$NS_VAR" ]; then
	mount -t tmpfs -o mode=755 tmpfs /var
	ln -s /run /var/run
	ln -s "$NS_VAR" /var/service
fi
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -m 1777 /run/lock
mkdir -p /run/runit
# Debian's stage 1 leaves this behind; its stage 2 takes it to mean runit is process 1.
: >/run/runit.stopit
mount -t tmpfs -o mode=1777 tmpfs /tmp
ip link set lo up 2>/dev/null || true
"$@" &
echo $! >/run/stage2.pid
while :; do wait; sleep 1; done
`

// nsTree is one set of namespaces running a stage 2.
type nsTree struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	init int // process 1 of the namespaces, as the machine numbers it
	// stage2pid is stage 2's pid as the machine numbers it, found by stage2.
	stage2pid int
	out       *fileBuf
	done      chan struct{}
}

// startNS starts nsScript with T, binds and the stage command; env may set NS_VAR (a
// tmpfs on /var with /var/service pointing there). The namespaces are killed (all their
// processes with process 1) at cleanup.
func startNS(t *testing.T, name, T string, env, binds, stage []string) *nsTree {
	t.Helper()
	outFile, err := os.CreateTemp("", "ns-out-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { outFile.Close(); os.Remove(outFile.Name()) })
	args := []string{"-m", "-p", "-n", "-u", "-i", "-f", "--mount-proc", "sh", "-c", nsScript, "ns", T}
	args = append(append(append(args, binds...), "--"), stage...)
	n := &nsTree{t: t, name: name, out: &fileBuf{outFile.Name()}, done: make(chan struct{})}
	n.cmd = exec.Command("unshare", args...)
	n.cmd.Env = append([]string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, env...)
	n.cmd.Stdout, n.cmd.Stderr = outFile, outFile
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { n.cmd.Wait(); close(n.done) }()
	t.Cleanup(func() {
		if n.init != 0 {
			syscall.Kill(n.init, syscall.SIGKILL)
		}
		select {
		case <-n.done:
		case <-time.After(10 * time.Second):
			n.cmd.Process.Kill()
			t.Errorf("%s: unshare did not end after its process 1 was killed", name)
		}
	})
	children := fmt.Sprintf("/proc/%d/task/%d/children", n.cmd.Process.Pid, n.cmd.Process.Pid)
	waitFor(t, 10*time.Second, name+": the namespaces' process 1", func() bool {
		n.init, _ = strconv.Atoi(strings.TrimSpace(readFile(children)))
		return n.init != 0
	})
	return n
}

// path is p as seen inside the namespaces.
func (n *nsTree) path(p string) string { return fmt.Sprintf("/proc/%d/root%s", n.init, p) }

// sh runs a shell script inside the namespaces, with an administrator's PATH and nothing
// else in the environment. It may run from any goroutine: a failure to start nsenter is
// reported as exit code -1.
func (n *nsTree) sh(script string) result {
	cmd := exec.Command("nsenter", "-t", strconv.Itoa(n.init), "-m", "-p", "-n", "-u", "-i", "--", "sh", "-c", script)
	cmd.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code <= 0 {
		return result{o.String(), e.String() + err.Error(), -1}
	}
	return result{o.String(), e.String(), code}
}

// leftOver waits up to 10 s for the namespaces to hold nothing but process 1 and its
// sleep (`sv exit` does not wait for the supervisors to go), and returns what is left.
func (n *nsTree) leftOver() string {
	var left string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		r := n.sh(`ps -e -o pid=,ppid=,args= | awk -v me=$$ '$1 != 1 && $1 != me && $2 != me && !($2 == 1 && $3 == "sleep")'`)
		if left = strings.TrimSpace(r.stdout); left == "" || time.Now().After(deadline) {
			return left
		}
	}
}

// stage2 returns the host pid of the namespaces' stage 2 (Debian's /etc/runit/2 execs
// runsvdir), which nsScript numbers inside in /run/stage2.pid.
func (n *nsTree) stage2() int {
	n.t.Helper()
	if n.stage2pid != 0 {
		return n.stage2pid
	}
	var inner string
	for deadline := time.Now().Add(10 * time.Second); inner == ""; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			n.t.Fatalf("%s: stage 2 not started within 10 s:\n%s", n.name, n.out)
		}
		inner = strings.TrimSpace(readFile(n.path("/run/stage2.pid")))
	}
	// NSpid: the pid in each namespace, outermost first.
	for _, f := range strings.Fields(readFile(fmt.Sprintf("/proc/%d/task/%d/children", n.init, n.init))) {
		for _, l := range strings.Split(readFile("/proc/"+f+"/status"), "\n") {
			if ids := strings.Fields(strings.TrimPrefix(l, "NSpid:")); strings.HasPrefix(l, "NSpid:") && len(ids) == 2 && ids[1] == inner {
				n.stage2pid, _ = strconv.Atoi(f)
				return n.stage2pid
			}
		}
	}
	n.t.Fatalf("%s: stage 2 (pid %s inside) is not a child of process 1", n.name, inner)
	return 0
}

// debianLayout lays out, under T, what Debian's maintainer scripts make of the two
// packages: T/etc-sv (mounted on /etc/sv) holds every runit-services directory, copied and
// linked by Debian's own cpsv (supervise -> /run/runit/supervise/NAME, log/run ->
// /etc/sv/svlogd/run), with runit's default-syslog and svlogd; T/etc-runit (mounted on
// /etc/runit) is the runit package's, with every service whose .meta/enable says yes
// enabled in runsvdir/default, as trigger_sv does (it would enable only those whose
// daemon is installed: the others are enabled too, to run their scripts' failure paths).
// Stage 2 is told not to run the machine's sysv scripts (no.emulate.sysv) and stage 3
// not to stop them (native.boot.run with an empty shutdown-run).
const debianLayout = `set -e
D=$1 T=$2
src=$D/runit-services/usr/share/runit/sv
mkdir -p "$T/etc-sv"
cp -a "$D/runit/etc/runit" "$T/etc-runit"
names=$(cd "$src" && ls)
# shellcheck disable=SC2086
CPSV_DEST=$T/etc-sv CPSV_SOURCE=$src "$D/runit/usr/bin/cpsv" a $names
cp -a "$D/runit/etc/sv/default-syslog" "$D/runit/etc/sv/svlogd" "$T/etc-sv/"
CPSV_DEST=$T/etc-sv CPSV_SOURCE=$src "$D/runit/usr/bin/cpsv" p default-syslog
ln -s /etc/sv/default-syslog "$T/etc-runit/runsvdir/default/default-syslog"
for n in $names; do
	if [ "$(cat "$src/$n/.meta/enable")" = yes ]; then ln -s "/etc/sv/$n" "$T/etc-runit/runsvdir/default/$n"; fi
done
ln -s /etc/runit/runsvdir/default "$T/etc-runit/runsvdir/current"
: >"$T/etc-runit/no.emulate.sysv"
: >"$T/etc-runit/native.boot.run"
mkdir "$T/etc-runit/shutdown-run"
`

// debianDaemons are the daemons ci/deps.sh installs for the services of the same name:
// under RUNIT_TEST_STRICT each must be there, so that CI runs them, not only their
// scripts' "binary not installed" path.
var debianDaemons = map[string]string{
	"acpi-fakekey": "/usr/sbin/acpi_fakekeyd", "anacron": "/usr/sbin/anacron", "atd": "/usr/sbin/atd",
	"chrony": "/usr/sbin/chronyd", "cron": "/usr/sbin/cron", "dbus": "/usr/bin/dbus-daemon",
	"haveged": "/usr/sbin/haveged", "rsyslog": "/usr/sbin/rsyslogd",
}

// debianTree is Debian's stage 2 running on Debian's files with one implementation's tools.
type debianTree struct {
	*nsTree
	root     string
	services []string // enabled in runsvdir/default
	disabled []string // shipped disabled (.meta/enable says no)
}

func startDebian(t *testing.T, name string, ours bool) *debianTree {
	t.Helper()
	T := t.TempDir()
	if r := run(t, "", nil, "sh", "-c", debianLayout, "layout", distroFiles(t), T); r.code != 0 {
		t.Fatalf("laying out Debian's files: %s%s", r.stdout, r.stderr)
	}
	entries, err := os.ReadDir(filepath.Join(T, "etc-runit/runsvdir/default"))
	if err != nil {
		t.Fatal(err)
	}
	d := &debianTree{root: T}
	enabled := map[string]bool{}
	for _, e := range entries {
		d.services = append(d.services, e.Name())
		enabled[e.Name()] = true
	}
	dirs, err := os.ReadDir(filepath.Join(T, "etc-sv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dirs {
		if !enabled[e.Name()] && fileExists(filepath.Join(T, "etc-sv", e.Name(), ".meta/enable")) {
			d.disabled = append(d.disabled, e.Name())
		}
	}
	binds := append(distroBinds(t, ours), filepath.Join(T, "etc-sv")+":/etc/sv", filepath.Join(T, "etc-runit")+":/etc/runit")
	d.nsTree = startNS(t, name, T, nil, binds, []string{"/etc/runit/2"})
	d.stage2()
	return d
}

// svState is what one service's supervise/stat files say, service and log.
type svState struct {
	stat, log string
	pid       int
}

func (d *debianTree) state(name string) svState {
	sup := d.path("/run/runit/supervise/" + name)
	st := svState{stat: readFile(sup + "/stat"), log: readFile(sup + ".log/stat")}
	st.pid, _ = strconv.Atoi(strings.TrimSpace(readFile(sup + "/pid")))
	return st
}

// supervised reports whether the service's supervisor is alive (sv's test: supervise/ok
// opens for writing). The path avoids /etc/service, whose links are absolute.
func (d *debianTree) supervised(name string) bool {
	f, err := os.OpenFile(d.path("/run/runit/supervise/"+name+"/ok"), os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// states renders every service's stat and log stat, one line each.
func (d *debianTree) states() string {
	var b strings.Builder
	for _, s := range d.services {
		st := d.state(s)
		fmt.Fprintf(&b, "%s: %s; log: %s\n", s, st.stat, st.log)
	}
	return b.String()
}

// logShape is what a service's log directory under /var/log/runit holds: each file's
// name, mode and owner, whether current is empty, and current's first line without its
// timestamp and with numbers made N (pids and dates differ from run to run).
func (d *debianTree) logShape(name string) string {
	dir := d.path("/var/log/runit/" + name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "no log directory"
	}
	var parts []string
	for _, e := range entries {
		fi, err := os.Lstat(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		st := fi.Sys().(*syscall.Stat_t)
		parts = append(parts, fmt.Sprintf("%s %v %d:%d", e.Name(), fi.Mode(), st.Uid, st.Gid))
	}
	cur := readFile(filepath.Join(dir, "current"))
	first, _, _ := strings.Cut(cur, "\n")
	if _, rest, ok := strings.Cut(first, " "); ok {
		first = rest // svlogd -tt's timestamp
	}
	parts = append(parts, fmt.Sprintf("current empty: %v, first line: %q", cur == "", distroDigits.ReplaceAllString(first, "N")))
	return strings.Join(parts, "; ")
}

var distroDigits = regexp.MustCompile(`[0-9]+`)

// distinctLines is s's distinct lines, sorted: how often a check script complains
// depends on how often sv looks.
func distinctLines(s string) string {
	seen := map[string]bool{}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if l != "" && !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, " | ")
}

// settle waits until, in every tree, no run script is waiting in sv (`sv start dbus`,
// the display managers' `sv start elogind`, which waits sv's 7 s) and no service's state
// has changed for two seconds (longer than runsv's one-second pause before restarting a
// ./run that exited at once), or until the deadline; it reports whether they settled.
func settle(trees []*debianTree, deadline time.Duration) bool {
	last := make([]string, len(trees))
	since := time.Now()
	for end := time.Now().Add(deadline); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		changed := false
		for i, d := range trees {
			if s := d.states(); s != last[i] || d.running("sv") {
				last[i], changed = s, true
			}
		}
		if changed {
			since = time.Now()
		} else if time.Since(since) >= 2*time.Second {
			return true
		}
	}
	return false
}

// running reports whether a process named comm runs in the namespaces.
func (n *nsTree) running(comm string) bool {
	procs, _ := os.ReadDir(n.path("/proc"))
	for _, p := range procs {
		if strings.TrimSpace(readFile(n.path("/proc/"+p.Name()+"/comm"))) == comm {
			return true
		}
	}
	return false
}

// distroExplained holds the differences between C runit and ours on Debian's files that
// are understood, keyed "SERVICE ASPECT"; each says why it is kept. Any other difference
// fails the test.
var distroExplained = map[string]string{
	// anacron's ./run sends `sv once anacron` itself, a moment after it starts: whether
	// sv start's status line already says "want down" depends on whether sv looks before
	// or after that (C sv looks 420 ms after sending, ours once the run has lasted 100 ms).
	"anacron sv start": "the run script's own sv once races sv start's look",
}

// differ reports a difference unless it is explained.
func differ(t *testing.T, key, c, ours string) {
	t.Helper()
	if c == ours {
		return
	}
	if why, ok := distroExplained[key]; ok {
		t.Logf("%s differs (explained: %s):\n  C:    %s\n  ours: %s", key, why, c, ours)
		return
	}
	t.Errorf("%s differs:\n  C:    %s\n  ours: %s", key, c, ours)
}

// diagnose logs what the trees say about a service whose state differs: sv status, and
// the stage 2 runsvdir's log argument, where services without a log service complain.
func diagnose(t *testing.T, trees []*debianTree, name string) {
	t.Helper()
	for _, d := range trees {
		title := strings.Split(readFile(fmt.Sprintf("/proc/%d/cmdline", d.stage2())), "\x00")
		t.Logf("%s: %s  runsvdir's log: %q", d.name, d.sh("sv status "+name).stdout, title[len(title)-2])
	}
}

// TestDistroDebianServices: every service directory of Debian's runit-services, started by
// Debian's own /etc/runit/2 (`runsvdir -P /etc/service 'log: ...'` from an emptied
// environment) with our tools and with C runit's side by side, must end in the same
// state, crash-loop or not alike, log alike, answer `sv stop` and `sv start` alike, and be
// stopped alike by Debian's own /etc/runit/3.
func TestDistroDebianServices(t *testing.T) {
	t.Parallel()
	distroNeeds(t)
	files := distroFiles(t)
	var absent []string
	for svc, bin := range debianDaemons {
		if _, err := os.Stat(bin); err != nil {
			absent = append(absent, svc+" ("+bin+")")
		}
	}
	if len(absent) > 0 {
		msg := "daemons not installed, their services run only their failure path: " + strings.Join(absent, ", ")
		if strictTests() {
			t.Fatal(msg + "; ci/deps.sh installs them")
		}
		t.Log(msg)
	}
	t.Logf("runit-services %s, runit %s", strings.TrimSpace(readFile(filepath.Join(files, "runit-services/VERSION"))),
		strings.TrimSpace(readFile(filepath.Join(files, "runit/VERSION"))))

	c := startDebian(t, "C", false)
	o := startDebian(t, "ours", true)
	trees := []*debianTree{c, o}
	for _, d := range trees {
		waitFor(t, 20*time.Second, d.name+": a supervisor for every service", func() bool {
			for _, s := range d.services {
				if !d.supervised(s) {
					return false
				}
			}
			return true
		})
	}
	if !settle(trees, 40*time.Second) {
		t.Log("services still changing state after 40 s; comparing anyway")
	}

	// State after stage 2, and crash loops: a pid that changes within 3 s.
	before := [2]map[string]svState{{}, {}}
	for i, d := range trees {
		for _, s := range d.services {
			before[i][s] = d.state(s)
		}
	}
	time.Sleep(3 * time.Second)
	for _, s := range c.services {
		var seen [2]string
		for i, d := range trees {
			now := d.state(s)
			loop := before[i][s].pid != 0 && now.pid != 0 && before[i][s].pid != now.pid
			seen[i] = fmt.Sprintf("stat %q, log %q, crash-looping %v", now.stat, now.log, loop)
		}
		if seen[0] != seen[1] {
			diagnose(t, trees, s)
		}
		differ(t, s+" state", seen[0], seen[1])
		differ(t, s+" log directory", c.logShape(s), o.logShape(s))
	}

	// The services Debian ships disabled are enabled now, while stage 2 runs, as
	// `update-service --add` does (a link in the runlevel, which /etc/service is):
	// runsvdir's rescan, every 5 s, must start them (checked below, after sv stop and sv
	// start have given it the time).
	for _, d := range trees {
		for _, s := range d.disabled {
			if err := os.Symlink("/etc/sv/"+s, filepath.Join(d.root, "etc-runit/runsvdir/default", s)); err != nil {
				t.Fatal(err)
			}
		}
	}

	// sv stop, then sv start, of every service at once, each tree with its own sv. A
	// service that stage 2 left down stopped itself (its daemon is not installed, or its
	// settings say no): its ./run, started again by sv start, takes itself down within a
	// moment, and whether sv sees it running depends on when sv looks (C sv looks every
	// 420 ms: it says "timeout" or "ok" by the timing of the run), so for those only the
	// state that follows is compared.
	selfStopped := map[string]bool{}
	for _, s := range c.services {
		selfStopped[s] = strings.HasPrefix(before[0][s].stat, "down")
	}
	for _, cmd := range []string{"stop", "start"} {
		res := [2]map[string]string{{}, {}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, d := range trees {
			for _, s := range d.services {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := d.sh("sv " + cmd + " " + s)
					mu.Lock()
					res[i][s] = fmt.Sprintf("exit %d: %s; stderr: %s", r.code, svNorm(r.stdout), distinctLines(svNorm(r.stderr)))
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		for _, s := range c.services {
			if cmd == "start" && selfStopped[s] {
				continue
			}
			differ(t, s+" sv "+cmd, res[0][s], res[1][s])
		}
	}
	if !settle(trees, 20*time.Second) {
		t.Log("services still changing state 20 s after sv start; comparing anyway")
	}
	for _, s := range c.services {
		differ(t, s+" state after sv start", c.state(s).stat+"; log: "+c.state(s).log, o.state(s).stat+"; log: "+o.state(s).log)
	}
	for _, d := range trees {
		for _, s := range d.disabled {
			waitFor(t, 15*time.Second, d.name+": "+s+", enabled while stage 2 ran, supervised", func() bool { return d.supervised(s) })
		}
		d.services = append(d.services, d.disabled...)
	}
	if !settle(trees, 20*time.Second) {
		t.Log("services enabled late still changing state after 20 s; comparing anyway")
	}
	for _, s := range c.disabled {
		differ(t, s+" state when enabled late", c.state(s).stat+"; log: "+c.state(s).log, o.state(s).stat+"; log: "+o.state(s).log)
		differ(t, s+" log directory", c.logShape(s), o.logShape(s))
	}

	// Stage 3: runit sends stage 2 a TERM, then runs /etc/runit/3.
	var out [2]string
	for i, d := range trees {
		pid := d.stage2()
		if !alive(pid) {
			t.Fatalf("%s: stage 2 is gone before stage 3:\n%s", d.name, d.out)
		}
		syscall.Kill(pid, syscall.SIGTERM)
		waitFor(t, 10*time.Second, d.name+": stage 2 to exit on TERM", func() bool { return !alive(pid) })
		r := d.sh("/etc/runit/3")
		// Sorted: sv prints each service as it goes down, C sv in rounds 420 ms apart,
		// so the order is the timing's.
		out[i] = fmt.Sprintf("exit %d: %s", r.code, distinctLines(svNorm(r.stdout+r.stderr)))
	}
	differ(t, "stage 3 output", out[0], out[1])
	for _, d := range trees {
		if left := d.leftOver(); left != "" {
			t.Errorf("%s: left running 10 s after stage 3:\n%s", d.name, left)
		}
	}
	if t.Failed() {
		t.Logf("C console:\n%s\nours console:\n%s", c.out, o.out)
	}
}

// distroLog is the log argument of Debian's, Void's and runit-for-lfs's stage 2 (and
// upstream runit's): "log: " and 395 dots.
var distroLog = "'log: " + strings.Repeat(".", 395) + "'"

// distroStage is one distribution's stage 2 and stage 3 command lines.
type distroStage struct {
	distro   string
	runlevel string // the runlevel directory the services are in
	current  bool   // Debian's package makes runsvdir/current at install; the others' stage 2 does
	// varService is where /var/service points ("" when the distribution has none).
	varService     string
	stage2, stage3 string
	scan           string // the directory runsvdir is given, as it reaches runsvdir
}

// distroStages are the stage 2 and stage 3 command lines of three distributions as their
// stage scripts write them: the runsvdir line with the lines that set up for it, and
// the sv lines that stop the services. Debian's are checked against its /etc/runit/2 and
// /etc/runit/3 (the runit package); Void's are void-runit's 2 and
// shutdown.d/10-sv-stop.sh, runit-for-lfs's its 2 and 3 (neither can be installed here,
// so they are written out).
var distroStages = []distroStage{
	{distro: "Debian", runlevel: "default", current: true, scan: "/etc/service",
		stage2: "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/usr/sbin:/bin:/usr/bin\n" +
			"SVDIR=/etc/service\n" +
			"exec env - PATH=$PATH \\\n" +
			"runsvdir -P \"${SVDIR}\" " + distroLog,
		stage3: "PATH=/sbin:/usr/sbin:/bin:/usr/bin\n" +
			"sv force-stop /etc/service/*\n" +
			"sv exit /etc/service/*"},
	{distro: "Void", runlevel: "default", varService: "/run/runit/runsvdir/current", scan: "/run/runit/runsvdir/current",
		stage2: "PATH=/usr/bin:/usr/sbin\n" +
			"runlevel=default\n" +
			"    mkdir -p /run/runit/runsvdir\n" +
			"    ln -s /etc/runit/runsvdir/${runlevel} /run/runit/runsvdir/current\n" +
			"exec env - PATH=$PATH \\\n" +
			"    runsvdir -P /run/runit/runsvdir/current " + distroLog,
		stage3: "PATH=/usr/bin:/usr/sbin\n" +
			"sv force-stop /var/service/*\n" +
			"sv exit /var/service/*"},
	{distro: "runit-for-lfs", runlevel: "multi", varService: "/etc/runit/runsvdir/current", scan: "/etc/runit/runsvdir/current",
		stage2: "PATH=/bin:/sbin:/usr/bin:/usr/sbin\n" +
			"runlevel=multi\n" +
			"    ln -s /etc/runit/runsvdir/${runlevel} /etc/runit/runsvdir/current\n" +
			"exec env - PATH=$PATH \\\n" +
			"    runsvdir -P /etc/runit/runsvdir/current " + distroLog,
		stage3: "PATH=/bin:/sbin:/usr/bin:/usr/sbin\n" +
			"sv -w10 force-stop /var/service/*\n" +
			"sv exit /var/service/*"},
}

// distroStageServices are the services the stage lines run: one that writes to stderr
// all the time (into runsvdir's log argument), one that ignores TERM (force-stop must
// kill it), one with a log service, one that is removed while stage 2 runs.
var distroStageServices = map[string]string{
	// Ignoring PIPE: once stage 2 has exited, nothing reads its stderr; it must not die
	// of that into the restart pause that stage 3's first look may or may not catch.
	"noisy/run":      "#!/bin/sh\ntrap '' PIPE\nwhile :; do echo noise-from-service >&2; sleep 0.1; done\n",
	"deaf/run":       "#!/bin/sh\ntrap '' TERM\nexec sleep 1000\n",
	"logged/run":     "#!/bin/sh\necho hello from logged\nexec sleep 1000\n",
	"logged/log/run": "#!/bin/sh\nexec svlogd -tt main\n",
	"plain/run":      "#!/bin/sh\nexec sleep 1000\n",
}

// TestDistroStageLines runs the stage 2 and stage 3 command lines of Debian, Void and
// runit-for-lfs with our tools and with C runit's, each in namespaces of its own where
// the paths they name exist. Stage 2: a service's stderr must scroll into the log
// argument and leave the directory argument alone, a service added later must be
// started and one removed must have its supervisor stopped. Stage 3 (after the TERM
// runit sends stage 2): the sv lines must say the same as C's and leave nothing running.
func TestDistroStageLines(t *testing.T) {
	t.Parallel()
	distroNeeds(t)
	files := distroFiles(t)
	for _, st := range distroStages {
		t.Run(st.distro, func(t *testing.T) {
			t.Parallel()
			if st.distro == "Debian" {
				for stage, lines := range map[string]string{"2": st.stage2, "3": st.stage3} {
					script := "\n" + readFile(filepath.Join(files, "runit/etc/runit", stage)) + "\n"
					for _, l := range strings.Split(lines, "\n") {
						if !strings.Contains(script, "\n"+l+"\n") {
							t.Errorf("Debian's /etc/runit/%s has no line %q", stage, l)
						}
					}
				}
			}
			// C runit's and ours side by side: the checks wait, mostly.
			runs := [2]*stageRun{startStageLines(t, st, false), startStageLines(t, st, true)}
			var got [2]stageOutcome
			var wg sync.WaitGroup
			for i, r := range runs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i] = r.exercise(t, st)
				}()
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			differ(t, st.distro+" stage 2", got[0].stage2, got[1].stage2)
			differ(t, st.distro+" stage 3", got[0].stage3, got[1].stage3)
		})
	}
}

// stageOutcome is what one run of a distribution's stage lines gives to compare: the
// stage 2 checks' results and stage 3's output.
type stageOutcome struct{ stage2, stage3 string }

// stageRun is one distribution's stage 2 running with one implementation's tools.
type stageRun struct {
	name, T, level string
	n              *nsTree
	pid            int // stage 2
}

// startStageLines lays out the services in the distribution's runlevel and starts its
// stage 2 lines with one implementation's tools.
func startStageLines(t *testing.T, st distroStage, ours bool) *stageRun {
	t.Helper()
	r := &stageRun{name: st.distro + " C", T: t.TempDir()}
	if ours {
		r.name = st.distro + " ours"
	}
	r.level = filepath.Join(r.T, "etc-runit/runsvdir", st.runlevel)
	for f, content := range distroStageServices {
		writeFile(t, filepath.Join(r.level, f), content, 0o755)
	}
	if err := os.Mkdir(filepath.Join(r.level, "logged/log/main"), 0o755); err != nil {
		t.Fatal(err)
	}
	if st.current {
		if err := os.Symlink("/etc/runit/runsvdir/"+st.runlevel, filepath.Join(r.T, "etc-runit/runsvdir/current")); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	if st.varService != "" {
		env = append(env, "NS_VAR="+st.varService)
	}
	binds := append(distroBinds(t, ours), filepath.Join(r.T, "etc-runit")+":/etc/runit")
	r.n = startNS(t, r.name, r.T, env, binds, []string{"sh", "-c", st.stage2})
	r.pid = r.n.stage2()
	return r
}

// exercise checks stage 2, ends it as runit does and runs stage 3. It reports through
// t.Errorf only, so it may run beside another.
func (r *stageRun) exercise(t *testing.T, st distroStage) stageOutcome {
	name, level, n, pid := r.name, r.level, r.n, r.pid
	var res []string
	check := func(what string, timeout time.Duration, cond func() bool) {
		deadline := time.Now().Add(timeout)
		for !cond() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		ok := cond()
		if !ok {
			t.Errorf("%s: %s: not within %v\n%s", name, what, timeout, n.out)
		}
		res = append(res, fmt.Sprintf("%s: %v", what, ok))
	}
	args := func() []string { return strings.Split(readFile(fmt.Sprintf("/proc/%d/cmdline", pid)), "\x00") }
	check("runsvdir runs with -P", 10*time.Second, func() bool {
		a := args()
		return len(a) == 5 && a[0] == "runsvdir" && a[1] == "-P" && a[2] == st.scan
	})
	check("the noise in the log argument, the directory argument intact", 15*time.Second, func() bool {
		a := args()
		return len(a) == 5 && strings.Contains(a[3], "noise-from-service") && a[2] == st.scan
	})
	// Made aside and renamed in, so that no scan sees it half made.
	if err := os.Mkdir(filepath.Join(r.T, "late"), 0o755); err != nil {
		t.Error(err)
	}
	if err := os.WriteFile(filepath.Join(r.T, "late/run"), []byte("#!/bin/sh\nexec sleep 1000\n"), 0o755); err != nil {
		t.Error(err)
	}
	if err := os.Rename(filepath.Join(r.T, "late"), filepath.Join(level, "late")); err != nil {
		t.Error(err)
	}
	check("a service added later supervised", 15*time.Second, func() bool { return okAlive(filepath.Join(level, "late")) })
	gone := filepath.Join(r.T, "plain-gone")
	if err := os.Rename(filepath.Join(level, "plain"), gone); err != nil {
		t.Error(err)
	}
	check("a removed service's supervisor gone", 15*time.Second, func() bool { return !okAlive(gone) })
	check("logged's log service writing", 15*time.Second, func() bool {
		return strings.Contains(readFile(filepath.Join(level, "logged/log/main/current")), "hello from logged")
	})
	check("stage 2 still running", 0, func() bool { return alive(pid) })

	// runit ends stage 2 with a TERM, then runs stage 3.
	syscall.Kill(pid, syscall.SIGTERM)
	check("stage 2 gone on TERM", 10*time.Second, func() bool { return !alive(pid) })
	res3 := n.sh(st.stage3)
	out := fmt.Sprintf("exit %d: %s", res3.code, distinctLines(svNorm(res3.stdout+res3.stderr)))
	if left := n.leftOver(); left != "" {
		t.Errorf("%s: left running 10 s after stage 3:\n%s", name, left)
	}
	return stageOutcome{strings.Join(res, "; "), out}
}
