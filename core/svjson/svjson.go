// Package svjson is sv's structured status: `sv --json NAME...` prints, for each service,
// everything `sv status` says plus readiness, the crash-loop state and the resource use of
// the service's process tree, as one JSON document. It is the only part of runit-go that
// uses gopsutil, and only the sv binary links it: the supervisors stay small.
package svjson

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/core/sv"
	"github.com/shirou/gopsutil/v3/process"
)

// Service is one service's entry.
type Service struct {
	Name       string     `json:"name"`
	Dir        string     `json:"dir"`
	Error      string     `json:"error,omitempty"` // why nothing else could be read
	State      string     `json:"state,omitempty"` // run, down, finish
	Pid        int        `json:"pid,omitempty"`
	Since      *time.Time `json:"since,omitempty"`
	Seconds    int64      `json:"seconds"`
	Want       string     `json:"want,omitempty"` // up, down (runit stores exit as down)
	NormallyUp bool       `json:"normally_up"`
	Paused     bool       `json:"paused"`
	GotTerm    bool       `json:"got_term"`
	// Ready is null for a service that does not declare readiness.
	Ready      *bool      `json:"ready"`
	StatusText string     `json:"status_text,omitempty"` // a notify-socket service's STATUS=
	CrashLoop  *CrashLoop `json:"crash_loop"`
	Resources  *Resources `json:"resources,omitempty"`
	Log        *Service   `json:"log,omitempty"`
}

// CrashLoop is the backoff holding a crash-looping service down.
type CrashLoop struct {
	DelaySeconds int `json:"delay_seconds"`
	Deaths       int `json:"deaths"`
}

// Resources is the use of the service's whole process tree (./run and its descendants).
// A field the system cannot give is null and named in Unavailable; it is never a zero.
type Resources struct {
	Processes   int      `json:"processes"`
	RSSBytes    *uint64  `json:"rss_bytes"`
	CPUSeconds  *float64 `json:"cpu_seconds"`
	OpenFiles   *int32   `json:"open_files"`
	Unavailable []string `json:"unavailable,omitempty"`
}

// Main runs `sv --json NAME...`: args are the service names. It returns sv's exit code:
// the number of services that could not be read (at most 99), 100 for usage.
func Main(prog string, names []string, svdir string, stdout, stderr io.Writer) int {
	if len(names) == 0 {
		fmt.Fprintf(stderr, "usage: %s --json service ...\n\n", prog)
		return 100
	}
	out := struct {
		Services []*Service `json:"services"`
	}{}
	var rc int
	out.Services, rc = Collect(names, svdir)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "fatal: unable to write: %v\n", err)
		return 100
	}
	return min(rc, 99)
}

// Collect describes each named service (looked up as sv does, in svdir), and counts
// those that could not be read.
func Collect(names []string, svdir string) ([]*Service, int) {
	now := time.Now()
	tree := processTree()
	var out []*Service
	rc := 0
	for _, n := range names {
		s := describe(n, sv.Dir(svdir, n), now, tree)
		if s.Error != "" {
			rc++
		}
		out = append(out, s)
	}
	return out, rc
}

func describe(name, dir string, now time.Time, tree *procTree) *Service {
	abs, _ := filepath.Abs(dir)
	s := &Service{Name: name, Dir: abs}
	r, err := sv.ReadReport(dir)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	fill(s, r.Status, now, tree)
	if r.Log != nil {
		l := &Service{Name: "log", Dir: filepath.Join(abs, "log")}
		fill(l, *r.Log, now, tree)
		s.Log = l
	} else if r.LogErr != nil {
		s.Log = &Service{Name: "log", Dir: filepath.Join(abs, "log"), Error: r.LogErr.Error()}
	}
	return s
}

func fill(s *Service, st sv.Status, now time.Time, tree *procTree) {
	s.State = st.State.String()
	s.Pid = st.Pid
	since := st.Since
	s.Since = &since
	s.Seconds = st.Age(now)
	s.Want = protocol.WantDown.String() // the record stores exit as down; a corrupt byte reads down too
	if st.Want == protocol.WantUp {
		s.Want = protocol.WantUp.String()
	}
	s.NormallyUp = st.NormallyUp
	s.Paused, s.GotTerm = st.Paused, st.Term
	if st.ReadyDeclared {
		ready := st.Ready
		s.Ready = &ready
	}
	s.StatusText = st.StatusText
	if st.Backoff > 0 {
		s.CrashLoop = &CrashLoop{DelaySeconds: st.Backoff, Deaths: st.Deaths}
	}
	if st.Pid != 0 && st.State != protocol.Down {
		s.Resources = tree.usage(int32(st.Pid))
	}
}

// procTree is the system's processes by parent, read once for all services.
type procTree struct {
	children map[int32][]*process.Process
	byPid    map[int32]*process.Process
}

func processTree() *procTree {
	t := &procTree{children: map[int32][]*process.Process{}, byPid: map[int32]*process.Process{}}
	procs, err := process.Processes()
	if err != nil {
		return t
	}
	for _, p := range procs {
		t.byPid[p.Pid] = p
		if pp, err := p.Ppid(); err == nil {
			t.children[pp] = append(t.children[pp], p)
		}
	}
	return t
}

// usage adds up the tree rooted at pid.
func (t *procTree) usage(pid int32) *Resources {
	root := t.byPid[pid]
	if root == nil {
		var err error
		if root, err = process.NewProcess(pid); err != nil {
			return &Resources{Unavailable: []string{"processes", "rss_bytes", "cpu_seconds", "open_files"}}
		}
	}
	var rss uint64
	var cpu float64
	var files int32
	rssOK, cpuOK, filesOK := true, true, true
	n := 0
	seen := map[int32]bool{}
	var walk func(p *process.Process)
	walk = func(p *process.Process) {
		if seen[p.Pid] {
			return
		}
		seen[p.Pid] = true
		n++
		if m, err := p.MemoryInfo(); err == nil && m != nil {
			rss += m.RSS
		} else {
			rssOK = false
		}
		if c, err := p.Times(); err == nil && c != nil {
			cpu += c.User + c.System
		} else {
			cpuOK = false
		}
		if f, err := p.NumFDs(); err == nil {
			files += f
		} else {
			filesOK = false
		}
		for _, c := range t.children[p.Pid] {
			walk(c)
		}
	}
	walk(root)
	r := &Resources{Processes: n}
	if rssOK {
		r.RSSBytes = &rss
	} else {
		r.Unavailable = append(r.Unavailable, "rss_bytes")
	}
	if cpuOK {
		r.CPUSeconds = &cpu
	} else {
		r.Unavailable = append(r.Unavailable, "cpu_seconds")
	}
	if filesOK {
		r.OpenFiles = &files
	} else {
		r.Unavailable = append(r.Unavailable, "open_files")
	}
	return r
}
