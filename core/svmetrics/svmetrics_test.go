package svmetrics

import (
	"bytes"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/runit-go/runit/core/svjson"
)

// What Write prints is read by the Prometheus client's own exposition-format parser,
// with the values it was given, for every kind of unit: running with a ready log, a
// crash loop, an unreadable one, and a name that needs escaping.
func TestWriteParses(t *testing.T) {
	yes := true
	rss, cpu, files := uint64(4096), 1.5, int32(7)
	svcs := []*svjson.Service{
		{Name: "web", State: "run", Want: "up", NormallyUp: true, Seconds: 42, Ready: &yes,
			Resources: &svjson.Resources{Processes: 3, RSSBytes: &rss, CPUSeconds: &cpu, OpenFiles: &files},
			Log:       &svjson.Service{Name: "log", State: "run", Want: "up", Seconds: 40}},
		{Name: "flappy", State: "down", Want: "up", CrashLoop: &svjson.CrashLoop{DelaySeconds: 4, Deaths: 3}},
		{Name: "gone", Error: "unable to change to service directory: file does not exist"},
		{Name: "odd \"name\"\\\nx", State: "down", Want: "down"},
	}
	var b bytes.Buffer
	Write(&b, svcs)
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("the Prometheus parser refused it: %v\n%s", err, b.String())
	}
	get := func(name, service, unit string) (float64, bool) {
		f := fams[name]
		if f == nil {
			return 0, false
		}
		for _, m := range f.Metric {
			labels := map[string]string{}
			for _, l := range m.Label {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["service"] == service && labels["unit"] == unit {
				return m.GetGauge().GetValue(), true
			}
		}
		return 0, false
	}
	tests := []struct {
		name, service, unit string
		want                float64
		present             bool
	}{
		{"runit_service_up", "web", "main", 1, true},
		{"runit_service_up", "web", "log", 1, true},
		{"runit_service_state_seconds", "web", "main", 42, true},
		{"runit_service_ready", "web", "main", 1, true},
		{"runit_service_ready", "web", "log", 0, false}, // declares no readiness
		{"runit_service_rss_bytes", "web", "main", 4096, true},
		{"runit_service_cpu_seconds", "web", "main", 1.5, true},
		{"runit_service_processes", "web", "main", 3, true},
		{"runit_service_up", "flappy", "main", 0, true},
		{"runit_service_crash_loop", "flappy", "main", 1, true},
		{"runit_service_crash_loop_deaths", "flappy", "main", 3, true},
		{"runit_service_unreadable", "gone", "main", 1, true},
		{"runit_service_up", "gone", "main", 0, false},
		{"runit_service_want_up", "odd \"name\"\\\nx", "main", 0, true},
	}
	for _, tt := range tests {
		v, ok := get(tt.name, tt.service, tt.unit)
		if ok != tt.present || v != tt.want {
			t.Errorf("%s{service=%q,unit=%q}: %v present %v, want %v present %v", tt.name, tt.service, tt.unit, v, ok, tt.want, tt.present)
		}
	}
	for name, f := range fams {
		if !model.LegacyValidation.IsValidMetricName(name) || f.GetHelp() == "" {
			t.Errorf("family %s: invalid name or no help", name)
		}
	}
}
