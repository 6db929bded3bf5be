package platform

import "testing"

func TestShutdownString(t *testing.T) {
	for _, c := range []struct {
		s    Shutdown
		want string
	}{{Halt, "halt"}, {PowerOff, "poweroff"}, {Reboot, "reboot"}, {Shutdown(9), "unknown"}} {
		if got := c.s.String(); got != c.want {
			t.Errorf("%d: %q, want %q", c.s, got, c.want)
		}
	}
}

// Every OS names a signal for a power failure (SIGPWR or its stand-in).
func TestPowerFailSignal(t *testing.T) {
	if PowerFailSignal() == nil {
		t.Fatal("no power-failure signal")
	}
}
