// Package chpst is runit's chpst: it parses a command line (chpst's options, or one of
// the argv0 personalities envdir, envuidgid, pgrphack, setuidgid, softlimit, setlock)
// into a Plan, then applies the plan in chpst's fixed order and execs the program.
package chpst

import (
	"path"
	"strings"

	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/platform"
)

// Limit names a resource limit chpst can set: one of platform's, whose list is in the
// order chpst applies them.
type Limit = platform.Rlimit

// Limit values with a meaning of their own.
const (
	limUnset = -2 // option not given
	limHard  = -1 // raise the soft limit to the hard limit (softlimit's "=")
)

// Plan is everything one chpst run will do, in the order Apply does it. The string
// options are pointers because, as in C chpst, an option given with an empty value is
// still acted on (an empty -u is an unknown user, an empty -b an empty argv[0]).
type Plan struct {
	Prog    string // personality: chpst, envdir, ...
	Name    string // the name usage messages print (see progName)
	Verbose bool

	Setsid       bool    // -P, pgrphack
	EnvDir       *string // -e, envdir
	EnvDirStrict bool    // envdir personality: a subdirectory is fatal
	Root         *string // -/
	Dir          *string // -C (runit 2.2)
	Nice         int     // -n
	EnvUser      *string // -U, envuidgid
	SetUser      *string // -u, setuidgid
	UserExt      bool    // user:group and :uid:gid forms allowed (chpst, not the personalities)
	Lock         *string // -l, -L, setlock
	LockWait     bool
	LockQuiet    bool // setlock -x: exit 0 silently when the lock or the exec fails
	Close        [3]bool
	Limits       [platform.NRlimits]int64
	LimitFlags   [platform.NRlimits]string // the option that set each limit, for messages
	Argv0        *string                   // -b
	Args         []string                  // the program and its arguments
}

// Outcome of parsing when there is nothing to run: what to print and the exit code.
type Outcome struct {
	Stderr string
	Code   int
}

const (
	// Debian's 2.1.2 text, like the version -V prints: -C (runit 2.2) works, unlisted.
	usageChpst     = " [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog"
	usageSoftlimit = " [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child"
	versionID      = "$Id: f279d44141c981dd7535a12260efcf1ef7beed26 $"
	exitUsage      = 100
	exitFatal      = 111
)

// Personality returns which program argv0 asks for: its basename with one leading 'd'
// removed when that names a personality (as runit does, so `denvdir` is envdir);
// anything else is chpst.
func Personality(argv0 string) string {
	b := progName(argv0)
	switch b {
	case "envdir", "envuidgid", "pgrphack", "setuidgid", "softlimit", "setlock":
		return b
	}
	return "chpst"
}

// progName is the name C chpst uses in usage messages: argv0's basename, a leading 'd'
// removed (so "dxyz" prints "usage: xyz ...", as runit does).
func progName(argv0 string) string {
	return strings.TrimPrefix(path.Base(argv0), "d")
}

// Parse reads argv (argv[0] included) into a Plan. When argv asks for no run (usage,
// -V, a bad option or number) it returns the Outcome to print instead.
func Parse(argv []string) (*Plan, *Outcome) {
	if len(argv) == 0 {
		argv = []string{"chpst"}
	}
	p := &Plan{Prog: Personality(argv[0]), Name: progName(argv[0])}
	for i := range p.Limits {
		p.Limits[i] = limUnset
	}
	switch p.Prog {
	case "envdir":
		return p.operands(argv, " dir child", func(a []string) { p.EnvDir, p.EnvDirStrict = &a[0], true })
	case "envuidgid":
		return p.operands(argv, " account child", func(a []string) { p.EnvUser = &a[0] })
	case "setuidgid":
		return p.operands(argv, " account child", func(a []string) { p.SetUser = &a[0] })
	case "pgrphack":
		if len(argv) < 2 {
			return nil, p.usage(" child")
		}
		p.Setsid, p.Args = true, argv[1:]
		return p, nil
	case "softlimit":
		return p.parseSoftlimit(argv)
	case "setlock":
		return p.parseSetlock(argv)
	}
	return p.parseChpst(argv)
}

// usage is runit's usage message: "usage: PROG TEXT" and strerr's extra empty line.
func (p *Plan) usage(text string) *Outcome {
	return &Outcome{"usage: " + p.Name + text + "\n\n", exitUsage}
}

// operands handles the personalities that take one operand and a child, no options.
func (p *Plan) operands(argv []string, text string, set func([]string)) (*Plan, *Outcome) {
	if len(argv) < 3 {
		return nil, p.usage(text)
	}
	set(argv[1:2])
	p.Args = argv[2:]
	return p, nil
}

func (p *Plan) setLimit(flag string, v int64, ls ...Limit) {
	for _, l := range ls {
		p.Limits[l] = v
		p.LimitFlags[l] = flag
	}
}

// limitLetters maps the limit options chpst and softlimit share to their limits.
var limitLetters = map[byte][]Limit{
	'm': {platform.RlimitData, platform.RlimitStack, platform.RlimitMemlock, platform.RlimitAS},
	'd': {platform.RlimitData},
	'o': {platform.RlimitNofile},
	'p': {platform.RlimitNproc},
	'f': {platform.RlimitFsize},
	'c': {platform.RlimitCore},
	'r': {platform.RlimitRSS},
	't': {platform.RlimitCPU},
	// softlimit only:
	'a': {platform.RlimitAS},
	'l': {platform.RlimitMemlock},
	's': {platform.RlimitStack},
}

func (p *Plan) parseChpst(argv []string) (*Plan, *Outcome) {
	prefix := path.Base(argv[0])
	var out *Outcome
	var stderr strings.Builder
	i := getopt.Parse(argv, "u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V", func(c byte, arg string) bool {
		switch c {
		case 'u':
			p.SetUser, p.UserExt = &arg, true
		case 'U':
			p.EnvUser, p.UserExt = &arg, true
		case 'b':
			p.Argv0 = &arg
		case 'e':
			p.EnvDir = &arg
		case '/':
			p.Root = &arg
		case 'C':
			p.Dir = &arg
		case 'n':
			n, ok := parseNice(arg)
			if !ok {
				out = p.usage(usageChpst)
				return false
			}
			p.Nice = n
		case 'l', 'L':
			if p.Lock != nil {
				out = p.usage(usageChpst)
				return false
			}
			p.Lock, p.LockWait = &arg, c == 'l'
		case 'v':
			p.Verbose = true
		case 'P':
			p.Setsid = true
		case '0', '1', '2':
			p.Close[c-'0'] = true
		case 'V': // C prints its version and falls through to the usage
			stderr.WriteString(versionID + "\n")
			out = p.usage(usageChpst)
			return false
		default:
			v, ok := parseLimit(arg)
			if !ok {
				out = p.usage(usageChpst)
				return false
			}
			p.setLimit("-"+string(c), v, limitLetters[c]...)
		}
		return true
	}, func(msg string) {
		stderr.WriteString(prefix + ": " + msg + "\n")
		out = p.usage(usageChpst)
	})
	if out == nil && (i < 0 || i >= len(argv)) {
		out = p.usage(usageChpst)
	}
	if out != nil {
		out.Stderr = stderr.String() + out.Stderr
		return nil, out
	}
	p.Args = argv[i:]
	return p, nil
}

func (p *Plan) parseSoftlimit(argv []string) (*Plan, *Outcome) {
	prefix := path.Base(argv[0])
	var out *Outcome
	i := getopt.Parse(argv, "a:c:d:f:l:m:o:p:r:s:t:", func(c byte, arg string) bool {
		v := int64(limHard)
		if arg != "=" {
			n, ok := parseLimit(arg)
			if !ok {
				// runit prints chpst's usage text here (with softlimit's name): kept.
				out = p.usage(usageChpst)
				return false
			}
			v = n
		}
		p.setLimit("-"+string(c), v, limitLetters[c]...)
		return true
	}, func(msg string) {
		out = p.usage(usageSoftlimit)
		out.Stderr = prefix + ": " + msg + "\n" + out.Stderr
	})
	if out != nil {
		return nil, out
	}
	if i < 0 || i >= len(argv) {
		return nil, p.usage(usageSoftlimit)
	}
	p.Args = argv[i:]
	return p, nil
}

func (p *Plan) parseSetlock(argv []string) (*Plan, *Outcome) {
	const text = " [ -nNxX ] file program [ arg ... ]"
	prefix := path.Base(argv[0])
	var out *Outcome
	i := getopt.Parse(argv, "nNxX", func(c byte, _ string) bool {
		switch c {
		case 'n':
			p.LockWait = true
		case 'N':
			p.LockWait = false
		case 'x':
			p.LockQuiet = true
		case 'X':
			p.LockQuiet = false
		}
		return true
	}, func(msg string) {
		out = p.usage(text)
		out.Stderr = prefix + ": " + msg + "\n" + out.Stderr
	})
	if out != nil {
		return nil, out
	}
	if i < 0 || i+1 >= len(argv) {
		return nil, p.usage(text)
	}
	p.Lock, p.Args = &argv[i], argv[i+1:]
	return p, nil
}
