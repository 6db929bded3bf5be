package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestSvMetrics: `sv --metrics` on a live tree (a service with a log, a stopped one and a
// missing one) is valid Prometheus text, by the Prometheus client's own parser, with what
// sv status says in it.
func TestSvMetrics(t *testing.T) {
	root := t.TempDir()
	web := newService(t, root, "web", "#!/bin/sh\nexec sleep 1000\n")
	writeFile(t, filepath.Join(web, "log", "run"), "#!/bin/sh\nexec cat >/dev/null\n", 0o755)
	idle := newService(t, root, "idle", "#!/bin/sh\nexec sleep 1000\n")
	writeFile(t, filepath.Join(idle, "down"), "", 0o644)
	startRunsv(t, ourBin(t, "runsv"), web)
	startRunsv(t, ourBin(t, "runsv"), idle)
	waitFor(t, 10*time.Second, "web running", func() bool { return running(t, web) })
	waitStat(t, idle, "down\n")
	r := run(t, root, []string{"SVDIR=" + root}, ourBin(t, "sv"), "--metrics", "web", "idle", "missing")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (one service unreadable); stderr %q", r.code, r.stderr)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("not Prometheus text: %v\n%s", err, r.stdout)
	}
	value := func(name, service, unit string) float64 {
		for _, m := range fams[name].GetMetric() {
			l := map[string]string{}
			for _, lp := range m.Label {
				l[lp.GetName()] = lp.GetValue()
			}
			if l["service"] == service && l["unit"] == unit {
				return m.GetGauge().GetValue()
			}
		}
		t.Errorf("no %s{service=%q,unit=%q}", name, service, unit)
		return -1
	}
	for _, c := range []struct {
		name, service, unit string
		want                float64
	}{
		{"runit_service_up", "web", "main", 1}, {"runit_service_up", "web", "log", 1},
		{"runit_service_up", "idle", "main", 0}, {"runit_service_normally_up", "idle", "main", 0},
		{"runit_service_want_up", "web", "main", 1}, {"runit_service_unreadable", "missing", "main", 1},
		{"runit_service_processes", "web", "main", 1},
	} {
		if v := value(c.name, c.service, c.unit); v != c.want {
			t.Errorf("%s{service=%q,unit=%q} = %v, want %v", c.name, c.service, c.unit, v, c.want)
		}
	}
}
