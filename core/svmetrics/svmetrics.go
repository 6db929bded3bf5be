// Package svmetrics is `sv --metrics NAME...`: what `sv --json` reports, in the
// Prometheus text exposition format, for a node exporter's textfile collector or a
// scrape through any small HTTP wrapper. One sample per service and unit (the service
// itself, its log), labelled service="NAME" and unit="main" or "log".
package svmetrics

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/runit-go/runit/core/protocol"
	"github.com/runit-go/runit/core/svjson"
)

// metric is one family: its name, help and type, and how to read it off a unit. ok false
// means the unit has no such value (a service that declares no readiness has no ready).
type metric struct {
	name, help, kind string
	value            func(u *svjson.Service) (v float64, ok bool)
}

func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var metrics = []metric{
	{"runit_service_up", "Whether the unit's process runs (1) or not (0).", "gauge",
		func(u *svjson.Service) (float64, bool) { return flag(u.State == protocol.Run.String()), u.Error == "" }},
	{"runit_service_finishing", "Whether the unit's ./finish runs.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			return flag(u.State == protocol.Finish.String()), u.Error == ""
		}},
	{"runit_service_want_up", "Whether the unit is wanted up.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			return flag(u.Want == protocol.WantUp.String()), u.Error == ""
		}},
	{"runit_service_normally_up", "Whether the unit has no down file.", "gauge",
		func(u *svjson.Service) (float64, bool) { return flag(u.NormallyUp), u.Error == "" }},
	{"runit_service_paused", "Whether the unit was sent STOP by sv pause.", "gauge",
		func(u *svjson.Service) (float64, bool) { return flag(u.Paused), u.Error == "" }},
	{"runit_service_state_seconds", "Seconds since the unit's last change of state.", "gauge",
		func(u *svjson.Service) (float64, bool) { return float64(u.Seconds), u.Error == "" }},
	{"runit_service_ready", "Whether a unit that declares readiness said it is ready.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.Ready == nil {
				return 0, false
			}
			return flag(*u.Ready), true
		}},
	{"runit_service_crash_loop", "Whether the unit is held down by its crash-loop backoff.", "gauge",
		func(u *svjson.Service) (float64, bool) { return flag(u.CrashLoop != nil), u.Error == "" }},
	{"runit_service_crash_loop_deaths", "Quick deaths in a row of a crash-looping unit.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.CrashLoop == nil {
				return 0, false
			}
			return float64(u.CrashLoop.Deaths), true
		}},
	{"runit_service_processes", "Processes in the unit's process tree.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.Resources == nil {
				return 0, false
			}
			return float64(u.Resources.Processes), true
		}},
	{"runit_service_rss_bytes", "Resident memory of the unit's process tree.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.Resources == nil || u.Resources.RSSBytes == nil {
				return 0, false
			}
			return float64(*u.Resources.RSSBytes), true
		}},
	{"runit_service_cpu_seconds", "CPU time of the unit's live process tree.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.Resources == nil || u.Resources.CPUSeconds == nil {
				return 0, false
			}
			return *u.Resources.CPUSeconds, true
		}},
	{"runit_service_open_files", "Open descriptors of the unit's process tree.", "gauge",
		func(u *svjson.Service) (float64, bool) {
			if u.Resources == nil || u.Resources.OpenFiles == nil {
				return 0, false
			}
			return float64(*u.Resources.OpenFiles), true
		}},
	{"runit_service_unreadable", "Whether the unit's status could not be read (runsv not running ...).", "gauge",
		func(u *svjson.Service) (float64, bool) { return flag(u.Error != ""), true }},
}

// Main runs `sv --metrics NAME...` and returns sv's exit code: the number of services that
// could not be read (at most 99), 100 for usage. Unreadable services still have their
// runit_service_unreadable sample.
func Main(prog string, names []string, svdir string, stdout, stderr io.Writer) int {
	if len(names) == 0 {
		fmt.Fprintf(stderr, "usage: %s --metrics service ...\n\n", prog)
		return 100
	}
	svcs, rc := svjson.Collect(names, svdir)
	w := bufio.NewWriter(stdout)
	Write(w, svcs)
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "fatal: unable to write: %v\n", err)
		return 100
	}
	return min(rc, 99)
}

// Write renders the services in the text exposition format, family by family.
func Write(w io.Writer, svcs []*svjson.Service) {
	type unit struct {
		service, name string
		u             *svjson.Service
	}
	var units []unit
	for _, s := range svcs {
		units = append(units, unit{s.Name, "main", s})
		if s.Log != nil {
			units = append(units, unit{s.Name, "log", s.Log})
		}
	}
	for _, m := range metrics {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", m.name, m.help, m.name, m.kind)
		for _, u := range units {
			if v, ok := m.value(u.u); ok {
				fmt.Fprintf(w, "%s{service=\"%s\",unit=\"%s\"} %s\n", m.name, escape(u.service), u.name,
					strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
	}
}

// escape quotes a label value as the exposition format asks: backslash, double quote and
// newline escaped.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
