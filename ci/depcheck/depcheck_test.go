// Package depcheck holds the line on what the supervisors link: runsv, runsvdir, runit
// and runit-init stay small, so no gopsutil, no net, no JSON.
package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

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
