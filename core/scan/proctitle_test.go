package scan

import (
	"slices"
	"testing"
)

func TestScroll(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"short write keeps the newest bytes at the end", []string{"ab"}, "345ab"},
		{"long write keeps only its last bytes", []string{"abcdefgh"}, "defgh"},
		{"writes accumulate", []string{"ab", "c", "d"}, "5abcd"},
		{"NUL bytes are dropped", []string{"a\x00b\x00"}, "345ab"},
		{"empty write changes nothing", []string{""}, "12345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tail := []byte("12345")
			for _, w := range tt.writes {
				scroll(tail, []byte(w))
			}
			if string(tail) != tt.want {
				t.Errorf("tail %q, want %q", tail, tt.want)
			}
		})
	}
	// No room at all (an argument of exactly five characters): must not panic.
	scroll(nil, []byte("abc"))
}

// A log argument under seven characters disables the log with runsvdir's two warnings,
// before anything touches stderr or the process title.
func TestStartProcTitleShortLog(t *testing.T) {
	var w warnings
	startProcTitle(2, "......", w.warnf)
	want := []string{"log must have at least seven characters.", "log service disabled."}
	if got := w.take(); !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
