package tai64n

import (
	"testing"
	"time"
)

func TestLabel(t *testing.T) {
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(0, 0), "@400000000000000a00000000"},
		{time.Unix(1795863598, 123456789), "@400000006b0ab438075bcd15"},
	}
	for _, c := range cases {
		if got := Label(c.t); got != c.want {
			t.Errorf("Label(%v) = %s, want %s", c.t, got, c.want)
		}
		if got := Unpack(Pack(c.t)); !got.Equal(c.t) {
			t.Errorf("Unpack(Pack(%v)) = %v", c.t, got)
		}
	}
}
