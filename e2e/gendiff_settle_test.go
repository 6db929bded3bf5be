package e2e

// What TestGenDiff (gendiff_test.go) compares after each step, how it waits until both
// trees have settled, and what it leaves out because timing decides it.

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

var (
	gdCLine = regexp.MustCompile(`(?m)^c\n`)
	gdPidRe = regexp.MustCompile(`\(pid [0-9]+\)`)
	gdAgeRe = regexp.MustCompile(`\b[0-9]+s\b`)
)

// norm makes a tree's text comparable with the other's: the root path, pids and ages
// differ between trees.
func (tr *gdTree) norm(s string) string {
	s = strings.ReplaceAll(s, tr.root, "ROOT")
	s = gdPidRe.ReplaceAllString(s, "(pid P)")
	return gdAgeRe.ReplaceAllString(s, "Ns")
}

// gdDistinct is the sorted set of non-empty lines: how often a crash-looping service
// printed a line is timing.
func gdDistinct(s string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// gdLoose is what a crash loop left in a file, made comparable: how often each line
// was written is timing, and so is whatever a control command did to a process it may
// have caught alive (C runsv runs control/<c> other than u, and sends a signal, only
// while ./run runs): so the distinct lines of ./finish arguments but those of a signal
// death (a crashing ./run's own -1 9 stays), and of control/ scripts only u, which runs
// before every start.
func gdLoose(v *gdSvc, file, text string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range strings.Split(text, "\n") {
		switch {
		case l == "" || seen[l]:
			continue
		case file == "finish" && strings.HasPrefix(l, "-1 ") && !(v.spec.kind == gdCrash && l == "-1 9"):
			continue
		case file == "control" && l != "u":
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// field is a file of a service as compared: the part written while the service
// crash-looped (all of it while the current step touches a crash loop) loosely, the rest
// exactly.
func (tr *gdTree) field(v *gdSvc, file, text string, looping bool) string {
	key := v.spec.id + " " + file
	b := min(tr.base[key], len(text))
	if looping {
		b = len(text)
		tr.next[key] = b
	}
	if !v.looped && !looping {
		return text
	}
	return "while crash-looping: " + gdLoose(v, file, text[:b]) + "\nsince: " + text[b:]
}

// gdSvcState is what the settle loop reads of one service.
type gdSvcState struct {
	alive       bool
	rec, logRec protocol.Record
	ok, logOK   bool
}

func gdReadStatus(dir string) (protocol.Record, bool) {
	r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
	return r, err == nil
}

// meets returns "" when the service is where the model says it settles, else why not.
func (v *gdSvc) meets(s gdSvcState) string {
	switch {
	case v.alive == gdYes && !s.alive:
		return "not supervised"
	case v.alive == gdNo && s.alive:
		return "still supervised"
	case !s.alive:
		return ""
	case !s.ok:
		return "no status"
	case s.rec.State == protocol.Finish && !v.looping():
		return "in ./finish"
	case v.want != 0 && (v.want == 'u') != (s.rec.Want == protocol.WantUp):
		return "want is not " + string(v.want)
	case v.want == 'u' && v.up == gdYes && s.rec.State != protocol.Run:
		return "not running"
	case v.want == 'd' && v.up == gdNo && s.rec.State != protocol.Down:
		return "not down"
	case v.spec.log != 0 && !s.logOK:
		return "no log status"
	case v.spec.log != 0 && v.logWant == 'u' && s.logRec.State != protocol.Run:
		return "log not running"
	case v.spec.log != 0 && v.logWant == 'd' && s.logRec.Want == protocol.WantUp:
		return "log wants up"
	}
	return ""
}

// gdStatusText is the part of a status record both sides must agree on: not the pid, not
// the time. A crash-looping service's state, pid and flags change faster than we read.
func gdStatusText(r protocol.Record, ok, looping bool) string {
	if !ok {
		return "unreadable"
	}
	want := "d"
	if r.Want == protocol.WantUp {
		want = "u"
	}
	if looping {
		return "want " + want + " (crash-looping: state, pid and flags not compared)"
	}
	return fmt.Sprintf("state %v, pid %v, want %s, paused %v, term %v", r.State, r.Pid != 0, want, r.Paused, r.Term)
}

// snap reads everything compared in the tree, and whether every service is where the
// model says it settles ("" if so, else the first that is not, and why).
func (tr *gdTree) snap(m *gdModel, involved map[string]bool) (map[string]string, string) {
	s := map[string]string{}
	s["runsvdir"] = "running"
	if !tr.running() {
		s["runsvdir"] = fmt.Sprintf("exited %d", tr.exit)
	}
	s["runsvdir stdout, distinct lines"] = gdDistinct(tr.norm(readFile(tr.path("runsvdir.out"))))
	s["runsvdir stderr, distinct lines"] = gdDistinct(tr.norm(readFile(tr.path("runsvdir.err"))))
	unmet := ""
	for _, v := range m.svcs {
		dir := tr.path(v.dir())
		p := v.spec.id + " (" + v.dir() + ") "
		var st gdSvcState
		st.alive = okAlive(dir)
		st.rec, st.ok = gdReadStatus(dir)
		looping := v.looping()
		s[p+"supervised"] = fmt.Sprint(st.alive)
		s[p+"supervise/status"] = gdStatusText(st.rec, st.ok, looping)
		s[p+"supervise/stat"] = readFile(filepath.Join(dir, "supervise/stat"))
		if looping {
			s[p+"supervise/stat"] = "(crash-looping: not compared)"
		}
		loose := involved[v.spec.id]
		if v.spec.log != 0 {
			st.logRec, st.logOK = gdReadStatus(filepath.Join(dir, "log"))
			s[p+"log/supervise/status"] = gdStatusText(st.logRec, st.logOK, false)
			s[p+"log/supervise/stat"] = readFile(filepath.Join(dir, "log/supervise/stat"))
			s[p+"log lines"] = tr.field(v, "log", readFile(filepath.Join(dir, []string{"", "log/main/current", "log/out"}[v.spec.log])), loose || v.heldLoop)
		}
		if v.spec.finish {
			s[p+"./finish arguments"] = tr.field(v, "finish", readFile(filepath.Join(dir, "finish.args")), loose)
		}
		if v.spec.controls != "" {
			text := readFile(filepath.Join(dir, "control.log"))
			if v.cRacy {
				// A c right after a t (restart, try-restart, force-reload send "tc") finds
				// ./run still running, and runs control/c, only if the TERM has not ended
				// it yet: timing.
				text = gdCLine.ReplaceAllString(text, "")
			}
			s[p+"control/ scripts run"] = tr.field(v, "control", text, loose)
		}
		if v.spec.kind == gdTrapper {
			s[p+"signals ./run got"] = readFile(filepath.Join(dir, "sigs"))
		}
		if why := v.meets(st); why != "" && unmet == "" {
			unmet = v.spec.id + ": " + why
		}
	}
	return s, unmet
}

func gdDiff(c, o map[string]string) []string {
	var keys []string
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		if c[k] != o[k] {
			diffs = append(diffs, fmt.Sprintf("%s:\n  C:    %q\n  ours: %q", k, c[k], o[k]))
		}
	}
	return diffs
}

// gdSettle waits until both trees agree, have not changed for a while, and are where the
// model says they settle; then it compares them, and sv status of every service in scan/.
// slow steps (directory changes, exits) wait longer and send runsvdir ALRMs meanwhile:
// C runsvdir rescans at most once a second, and only a second after the directory last
// changed. It returns the differences.
func gdSettle(t *testing.T, c, o *gdTree, m *gdModel, involved map[string]bool, slow bool) []string {
	quiet := 300 * time.Millisecond
	if slow {
		quiet = 1200 * time.Millisecond
	}
	start := time.Now()
	var cs, ours map[string]string
	var cUnmet, oUnmet string
	changed, lastAlarm := start, start
	for {
		cn, cu := c.snap(m, involved)
		on, ou := o.snap(m, involved)
		now := time.Now()
		if gdDiff(cn, cs) != nil || gdDiff(on, ours) != nil {
			changed = now
		}
		cs, ours, cUnmet, oUnmet = cn, on, cu, ou
		same := len(gdDiff(cs, ours)) == 0
		if same && now.Sub(changed) >= quiet && cUnmet == "" && oUnmet == "" {
			break
		}
		if same && now.Sub(changed) >= 3*time.Second {
			t.Logf("gendiff: settled where the model did not expect: C %s; ours %s", cUnmet, oUnmet)
			break
		}
		if now.Sub(start) > 20*time.Second {
			break
		}
		if slow && now.Sub(lastAlarm) > 500*time.Millisecond {
			c.alarm()
			o.alarm()
			lastAlarm = now
		}
		time.Sleep(20 * time.Millisecond)
	}
	if d := gdDiff(cs, ours); len(d) > 0 {
		return d
	}
	// What a crash loop wrote up to now is compared loosely from now on.
	for _, tr := range []*gdTree{c, o} {
		for k, n := range tr.next {
			tr.base[k] = n
		}
		clear(tr.next)
	}
	var args []string
	for _, v := range m.svcs {
		if v.inScan {
			args = append(args, v.name)
		}
	}
	if len(args) == 0 {
		return nil
	}
	st := gdStep{op: gdSv, cmd: gdCommand{word: "status"}, args: append([]string{"status"}, args...)}
	for _, a := range args {
		st.targets = append(st.targets, gdTarget{arg: a, id: m.byName(a).spec.id})
	}
	var cr, or gdResult
	gdBoth(c, o, func(tr *gdTree) {
		if tr == c {
			cr = tr.sv(st.args...)
		} else {
			or = tr.sv(st.args...)
		}
	})
	if d := gdSvDiff(st, gdSvOut(c, st, m, nil, cr), gdSvOut(o, st, m, nil, or), cr, or); d != "" {
		return []string{"after settling, " + d}
	}
	return nil
}

func (m *gdModel) byName(name string) *gdSvc {
	for _, v := range m.svcs {
		if v.inScan && v.name == name {
			return v
		}
	}
	return nil
}

// gdSvOut is an sv step's output made comparable. Left out, with the reason in its place:
//
//   - the status of a crash-looping service (before or after the step): C sv polls every
//     420 ms and sees whichever state the loop is in;
//
//   - the status printed right after a signal the service may die of (hup, alarm, ... wait
//     for nothing, so the status is read while the service dies or restarts).
//
//   - whether sv exit/shutdown saw the runsv of a service in scan/ gone: C runsvdir starts a
//     new one at its next wake-up, which may fall between two of C sv's polls.
//
// And where our design differs, as README.md's "Where we differ from runit 2.1.2" says:
//   - sv bullet "It returns as soon as the service changes state": the status after once
//     of a ./run that ends at once (ours sees it run, C sv 420 ms later sees it down), and
//     the order of the lines of several services (C prints those done in a round in
//     argument order, ours each as it is done): sorted;
//   - sv bullet "check waits for the requested state": check on a service that is not in
//     the state it wants (C says ok at once);
//   - runsv bullet "A control command sent during the one-second restart pause is honoured
//     at once": a command to the log service of a crash-looping service (C runsv reads it
//     only after its sleep).
func gdSvOut(tr *gdTree, st gdStep, m *gdModel, prev map[string]gdSvc, r gdResult) string {
	if r.err != "" {
		return "error: " + r.err
	}
	out := tr.norm(r.r.stdout)
	code := fmt.Sprint(r.r.code)
	for _, tg := range st.targets {
		v := m.svc(tg.id)
		if v == nil {
			continue
		}
		re := regexp.MustCompile(`(?m)^((?:ok|timeout|kill): )?(?:run|down|finish): ` + regexp.QuoteMeta(tg.arg) + `: [^;\n]*`)
		pv, known := prev[tg.id]
		looping := v.looping() || (known && pv.looping())
		mask := ""
		switch {
		case !tg.log && looping:
			mask = "<" + tg.arg + ": crash-looping, not compared>"
		case tg.log && looping && st.waited:
			mask = "<" + tg.arg + ": log of a crash-looping service, not compared (README: runsv honours a command during the restart pause)>"
		case st.waited && st.cmd.ctl == "x" && !tg.log && v.inScan:
			mask = "<" + tg.arg + ": exit, not compared: runsvdir may start a new runsv between two of C sv's polls>"
		case st.cmd.word == "check" && tg.log && v.logWant != 'u',
			st.cmd.word == "check" && !tg.log && (v.want != 'd' || v.up != gdNo) && (v.want != 'u' || v.up != gdYes):
			// A logger wanted down may run still (after once); one wanted up runs.
			mask = "<" + tg.arg + ": check while not in the wanted state, not compared (README: check waits for the requested state)>"
		case st.waited && strings.Contains(st.cmd.ctl, "o") && !tg.log && !(v.spec.lasts() && v.spec.runExec):
			out = re.ReplaceAllString(out, "${1}"+tg.arg+": <status after once of a ./run that ends at once, not compared (README: sv returns as soon as the service changes state)>")
		case st.waited && len(st.cmd.ctl) == 1 && strings.Contains("hai12q", st.cmd.ctl) && (tg.log || v.spec.diesOn(st.cmd.ctl[0])):
			out = re.ReplaceAllString(out, "${1}"+tg.arg+": <status right after a signal it may die of, not compared>")
		}
		// C sv checks once right after it sent the command; if the service already was
		// where up or down takes it, C prints the record runsv had not yet rewritten,
		// with the want of before.
		if st.waited && known && !tg.log && (st.cmd.ctl == "u" && pv.up == gdYes || st.cmd.ctl == "d" && pv.up == gdNo) {
			stale := map[string]string{"u": ", want down", "d": ", want up"}[st.cmd.ctl]
			out = re.ReplaceAllStringFunc(out, func(l string) string { return strings.Replace(l, stale, "", 1) })
		}
		if st.cmd.ctl == "x" && mask != "" {
			// "ok: NAME: runsv not running" too.
			re = regexp.MustCompile(`(?m)^(?:ok|timeout|kill): (?:(?:run|down|finish): )?` + regexp.QuoteMeta(tg.arg) + `: [^\n]*`)
		}
		if mask != "" && re.MatchString(out) {
			out = re.ReplaceAllString(out, mask)
			if st.cmd.word != "status" {
				code = "(not compared)"
			}
		}
	}
	if st.waited && len(st.targets) > 1 {
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		sort.Strings(lines)
		out = strings.Join(lines, "\n") + "\n"
	}
	return out + "\nstderr: " + tr.norm(r.r.stderr) + "\nexit: " + code
}

// gdWaitAge waits, before an sv command whose check C sv decides in whole seconds (once,
// term, kill, restart...), until each target's last change is over a second old in both
// trees. C sv takes a status changed in the second it started as the command's effect, so
// it would report at once what was there before; and C runsv, when ./run ends within a
// second of its start, sleeps a second before it reads the next command.
func gdWaitAge(c, o *gdTree, m *gdModel, st gdStep) {
	deadline := time.Now().Add(3 * time.Second)
	for _, tg := range st.targets {
		v := m.svc(tg.id)
		if v == nil || v.alive != gdYes || v.looping() {
			continue
		}
		for _, tr := range []*gdTree{c, o} {
			dir := tr.path(v.dir())
			if tg.log {
				dir = filepath.Join(dir, "log")
			}
			for time.Now().Before(deadline) {
				r, ok := gdReadStatus(dir)
				if !ok || time.Since(r.Time) > 1050*time.Millisecond {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	}
}
