package getopt

import "strings"

// Spec is the command line a program accepts, as its man page documents it. Each
// program's package exports its Spec; a test beside the parser checks the parser against
// it (Probe), and the man page check (lint/) reads it, so that the code, the spec and the
// page cannot drift apart.
type Spec struct {
	// Letters are the one-letter options in Parse's form: "w:vV", a ':' after a letter
	// that takes an argument.
	Letters string
	// Words are the options that are whole words, such as "--json".
	Words []string
}

// Names returns the options as a man page names them after Fl: "v" for -v, "-json" for
// --json.
func (s Spec) Names() []string {
	var out []string
	for i := 0; i < len(s.Letters); i++ {
		if s.Letters[i] != ':' {
			out = append(out, s.Letters[i:i+1])
		}
	}
	for _, w := range s.Words {
		out = append(out, strings.TrimPrefix(w, "-"))
	}
	return out
}

// unknownWord is a word option no program has: a parser that takes it takes any word.
const unknownWord = "--no-such-option"

// Probe checks a parser against s. accepts reports whether the parser takes a word of
// the command line as an option (each program's test knows how to ask its parser, and
// gives an option that takes an argument its argument). Probe tries "-c" for every
// printable ASCII character c but '-', each of s's words and a word no program has, and
// returns one line for each difference from s.
func Probe(s Spec, accepts func(word string) bool) []string {
	var problems []string
	for c := byte('!'); c <= '~'; c++ {
		if c == '-' {
			continue
		}
		want := c != ':' && strings.IndexByte(s.Letters, c) >= 0
		if got := accepts("-" + string(c)); got != want {
			problems = append(problems, mismatch("-"+string(c), got))
		}
	}
	for _, w := range s.Words {
		if !accepts(w) {
			problems = append(problems, mismatch(w, false))
		}
	}
	if accepts(unknownWord) {
		problems = append(problems, mismatch(unknownWord, true))
	}
	return problems
}

func mismatch(word string, accepted bool) string {
	if accepted {
		return "the parser accepts " + word + ", which the spec does not list"
	}
	return "the spec lists " + word + ", which the parser does not accept"
}
