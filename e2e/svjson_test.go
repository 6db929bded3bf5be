package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSvWaitsForReadiness: `sv -w N up` on a service that declares readiness returns
// when the service says it is ready, and sv status shows it; others are unchanged.
func TestSvWaitsForReadiness(t *testing.T) {
	root := t.TempDir()
	dir := newService(t, root, "svc", "#!/bin/sh\nwhile [ ! -e go ]; do sleep 0.02; done\necho >&4\nexec sleep 1000\n")
	writeFile(t, filepath.Join(dir, "notification-fd"), "4\n", 0o644)
	writeFile(t, filepath.Join(dir, "down"), "", 0o644)
	startRunsv(t, ourBin(t, "runsv"), dir)
	svBin := ourBin(t, "sv")
	cmd := exec.Command(svBin, "-w", "20", "up", dir)
	out := &strings.Builder{}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	waitStat(t, dir, "run\n")
	st := run(t, root, nil, svBin, "status", dir)
	if !strings.Contains(st.stdout, ", normally down, not ready") {
		t.Errorf("status before readiness: %q", st.stdout)
	}
	// Give a wrong sv every chance to return before readiness, then make it ready.
	time.Sleep(200 * time.Millisecond)
	writeFile(t, filepath.Join(dir, "go"), "", 0o644)
	select {
	case err := <-done:
		if err != nil || !strings.HasPrefix(out.String(), "ok: run: "+dir+": (pid ") || !strings.HasSuffix(out.String(), ", normally down, ready\n") {
			t.Errorf("sv -w up: %v %q", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("sv -w up did not return after readiness")
	}
	if st := run(t, root, nil, svBin, "status", dir); !strings.HasSuffix(st.stdout, ", normally down, ready\n") {
		t.Errorf("status after readiness: %q", st.stdout)
	}
}

func TestSvJSON(t *testing.T) {
	root := t.TempDir()
	up := newService(t, root, "up", "#!/bin/sh\nsleep 1000 &\nexec sleep 1000\n")
	writeFile(t, filepath.Join(up, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
	writeFile(t, filepath.Join(up, "stop-tree"), "", 0o644) // the background sleep goes too
	down := newService(t, root, "down", "#!/bin/sh\nexec sleep 1000\n")
	writeFile(t, filepath.Join(down, "down"), "", 0o644)
	runsv := ourBin(t, "runsv")
	startRunsv(t, runsv, up)
	startRunsv(t, runsv, down)
	waitStat(t, up, "run\n")
	waitStat(t, filepath.Join(up, "log"), "run\n")
	r := run(t, root, []string{"SVDIR=" + root}, ourBin(t, "sv"), "--json", "up", "down", "missing")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (one service missing); stderr %q", r.code, r.stderr)
	}
	var doc struct {
		Services []struct {
			Name, Dir, Error, State, Want string
			Pid                           int
			NormallyUp                    bool `json:"normally_up"`
			Ready                         *bool
			CrashLoop                     *struct{} `json:"crash_loop"`
			Resources                     *struct {
				Processes  int
				RSSBytes   *uint64  `json:"rss_bytes"`
				CPUSeconds *float64 `json:"cpu_seconds"`
				OpenFiles  *int32   `json:"open_files"`
			}
			Log *struct{ State string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.Services) != 3 {
		t.Fatalf("%d services", len(doc.Services))
	}
	u, d, m := doc.Services[0], doc.Services[1], doc.Services[2]
	if u.State != "run" || u.Pid != readStatus(t, up).Pid || u.Want != "up" || !u.NormallyUp || u.Ready != nil || u.CrashLoop != nil {
		t.Errorf("up: %+v", u)
	}
	if u.Resources == nil || u.Resources.Processes != 2 || u.Resources.RSSBytes == nil || *u.Resources.RSSBytes == 0 ||
		u.Resources.CPUSeconds == nil || u.Resources.OpenFiles == nil {
		t.Errorf("up resources: %+v", u.Resources)
	}
	if u.Log == nil || u.Log.State != "run" {
		t.Errorf("up log: %+v", u.Log)
	}
	if d.State != "down" || d.Pid != 0 || d.NormallyUp || d.Resources != nil {
		t.Errorf("down: %+v", d)
	}
	if m.Error == "" || m.State != "" {
		t.Errorf("missing: %+v", m)
	}
}
