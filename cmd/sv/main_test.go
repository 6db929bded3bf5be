package main

import (
	"testing"

	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/core/sv"
)

// The reports sv's first argument can ask for are exactly the words of sv's Spec.
func TestSpecWords(t *testing.T) {
	spec := getopt.Spec{Words: sv.Specs["sv"].Words}
	for _, problem := range getopt.Probe(spec, func(w string) bool { return reporter(w) != nil }) {
		t.Error(problem)
	}
	if len(spec.Words) == 0 {
		t.Error("sv's Spec lists no words: --json and --metrics are missing")
	}
}
