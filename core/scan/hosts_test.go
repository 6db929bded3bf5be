package scan

import (
	"testing"
	"time"
)

// reportDeath delivers every death even when the loop is slower than a burst (a host
// dying with more services than the channel holds), and never blocks the reporter.
func TestReportDeathDropsNone(t *testing.T) {
	deaths := make(chan ended, 4)
	const n = 100
	done := make(chan struct{})
	go func() {
		for id := 0; id < n; id++ {
			reportDeath(deaths, ended{id: id})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reportDeath blocked with nobody reading")
	}
	got := map[int]bool{}
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case e := <-deaths:
			got[e.id] = true
		case <-timeout:
			t.Fatalf("%d of %d deaths delivered", len(got), n)
		}
	}
}
