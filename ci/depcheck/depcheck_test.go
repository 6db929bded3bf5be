// Package depcheck holds the line on what the supervisors link: runsv, runsvdir, runit
// and runit-init stay small, so no gopsutil, no net, no JSON; and no program links the
// Prometheus client, which only the tests use to check sv --metrics.
package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

// No program links the Prometheus client: the tests alone use its parser.
func TestPrometheusOnlyInTests(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/runit-go/runit/cmd/...").Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/...: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		if strings.HasPrefix(d, "github.com/prometheus/") || strings.HasPrefix(d, "google.golang.org/protobuf") {
			t.Errorf("a program links %s", d)
		}
	}
}

func TestSupervisorsStaySmall(t *testing.T) {
	forbidden := []string{"github.com/shirou/gopsutil", "net", "net/http", "encoding/json"}
	for _, tool := range []string{"runsv", "runsvdir", "runit", "runit-init"} {
		out, err := exec.Command("go", "list", "-deps", "github.com/runit-go/runit/cmd/"+tool).Output()
		if err != nil {
			t.Fatalf("go list -deps ./cmd/%s: %v", tool, err)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		for _, f := range forbidden {
			for d := range deps {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s links %s", tool, d)
				}
			}
		}
	}
}
