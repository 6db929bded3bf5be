package e2e

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// manPages maps every program name a user can type to the page that documents it.
var manPages = map[string]string{
	"runit": "runit.8", "runit-init": "runit-init.8", "runsvdir": "runsvdir.8",
	"runsv": "runsv.8", "sv": "sv.8", "svlogd": "svlogd.8", "chpst": "chpst.8",
	"utmpset": "utmpset.8", "runsvchdir": "runsvchdir.8",
	"envdir": "envdir.8", "envuidgid": "envuidgid.8", "pgrphack": "pgrphack.8",
	"setuidgid": "setuidgid.8", "softlimit": "softlimit.8", "setlock": "setlock.8",
	"halt": "halt.8", "poweroff": "halt.8", "reboot": "halt.8",
	"shutdown": "shutdown.8", "pause": "pause.8",
}

// manPersonality names the program that plays a role chosen by argv[0].
var manPersonality = map[string]string{
	"envdir": "chpst", "envuidgid": "chpst", "pgrphack": "chpst", "setuidgid": "chpst",
	"softlimit": "chpst", "setlock": "chpst", "poweroff": "halt", "reboot": "halt",
}

func manPath(page string) string { return filepath.Join(repoRoot, "docs", "man", page) }

// Every page lints clean: mandoc -Tlint at warning level, or groff -ww when mandoc is
// missing. CI installs mandoc; elsewhere a machine with neither skips.
func TestManLint(t *testing.T) {
	pages, _ := filepath.Glob(manPath("*.8"))
	if len(pages) == 0 {
		t.Fatal("no pages in docs/man")
	}
	mandoc, errM := exec.LookPath("mandoc")
	groff, errG := exec.LookPath("groff")
	switch {
	case errM == nil:
	case errG == nil:
		t.Log("mandoc not installed: linting with groff -ww")
	case strictTests():
		t.Fatal("neither mandoc nor groff installed; CI must install mandoc")
	default:
		t.Skip("neither mandoc nor groff installed (apt-get install mandoc)")
	}
	for _, p := range pages {
		var r result
		if errM == nil {
			r = run(t, "", nil, mandoc, "-Tlint", "-W", "warning", p)
		} else {
			r = run(t, "", nil, groff, "-ww", "-mdoc", "-z", p)
		}
		if r.code != 0 || strings.TrimSpace(r.stdout+r.stderr) != "" {
			t.Errorf("%s is not lint clean:\n%s%s", filepath.Base(p), r.stdout, r.stderr)
		}
	}
}

// Every program has a page naming it in NAME, and every page belongs to a program.
func TestManPageForEveryProgram(t *testing.T) {
	used := map[string]bool{}
	for prog, page := range manPages {
		src := readFile(manPath(page))
		if src == "" {
			t.Errorf("%s: no page docs/man/%s", prog, page)
			continue
		}
		used[page] = true
		if !regexp.MustCompile(`(?m)^\.Nm ` + regexp.QuoteMeta(prog) + `( ,)?$`).MatchString(src) {
			t.Errorf("%s does not name %s in its NAME section", page, prog)
		}
	}
	pages, _ := filepath.Glob(manPath("*.8"))
	for _, p := range pages {
		if !used[filepath.Base(p)] {
			t.Errorf("docs/man/%s documents no installed program", filepath.Base(p))
		}
	}
}

// manUsage runs prog (or the program playing its role, through a link of its name) with
// an option no tool has and returns the usage line it prints. Tools that take a bad
// option as an operand (runsvdir, runsv, runsvchdir) print their usage when run without
// arguments; halt and shutdown are never run without arguments.
func manUsage(t *testing.T, prog string) string {
	t.Helper()
	var bin string
	if real, ok := manPersonality[prog]; ok {
		bin = filepath.Join(t.TempDir(), prog)
		if err := os.Symlink(ourBin(t, real), bin); err != nil {
			t.Fatal(err)
		}
	} else {
		bin = ourBin(t, prog)
	}
	try := func(args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = t.TempDir()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		_ = cmd.Run() // the exit code is each tool's business; the text is what counts
		for _, l := range strings.Split(out.String(), "\n") {
			if i := strings.Index(l, "usage: "); i >= 0 {
				return l[i+len("usage: "):]
			}
		}
		return ""
	}
	if prog == "runsvdir" { // it would run on a directory named "-\x01" until killed
		return try()
	}
	if u := try("-\x01"); u != "" {
		return u
	}
	switch prog {
	case "halt", "poweroff", "reboot", "shutdown":
		return ""
	}
	return try()
}

// manOptions returns the options of a usage line: every character of each word that
// starts with one '-' (after '[', '|', or a space), so "[-ttv] [-r c] [-l|-L lock]" gives
// t, v, r, l, L; a long option "--name" gives "-name".
func manOptions(usage string) []string {
	set := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:^|[\[|\s])-([A-Za-z0-9/]+)`).FindAllStringSubmatch(usage, -1) {
		for _, c := range m[1] {
			set[string(c)] = true
		}
	}
	for _, m := range regexp.MustCompile(`(?:^|[\[|\s])--([A-Za-z0-9][A-Za-z0-9-]*)`).FindAllStringSubmatch(usage, -1) {
		set["-"+m[1]] = true
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func TestManOptionsParse(t *testing.T) {
	for _, tc := range []struct{ usage, want string }{
		{"sv [-v] [-w sec] command service ...", "v w"},
		{"svlogd [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...", "R b l r t v"},
		{"chpst [-vVP012] [-u user[:group]] [-/ root] [-l|-L lock] prog", "/ 0 1 2 L P V l u v"},
		{"setlock [ -nNxX ] file program [ arg ... ]", "N X n x"},
		{"runit-init 0|6", ""},
		{"runsvdir [-P] dir", "P"},
		{"sv [-v] [--json] [-w sec] command service ...", "-json v w"},
		{"halt [-fndw] [--dry-run]", "-dry-run d f n w"},
	} {
		if got := strings.Join(manOptions(tc.usage), " "); got != tc.want {
			t.Errorf("manOptions(%q) = %q, want %q", tc.usage, got, tc.want)
		}
	}
}

// Options are read from the Go sources, not from usage lines (runit's usage strings are
// kept byte for byte and leave options out). The sources read options in these ways,
// each recognised in the syntax tree:
//
//   - getopt.Parse(argv, "spec", ...): every letter of spec (core/getopt);
//   - a comparison (== or != or a switch case) with a string such as "-V", "--json" or a
//     constant holding one (initctl.DryRunFlag);
//   - strings.Trim(word[1:], "PCs") (runsvdir: a word made of these letters only);
//   - for _, c := range word[1:] { switch c { case 'f': ... } } (halt).
//
// Options are written "x" for -x and "-name" for --name.

// manCode is the parsed Go code of the commands and core: functions by "dir.name",
// methods by "dir.Type.name", and string constants by "dir.name".
type manCode struct {
	fset    *token.FileSet
	module  string
	funcs   map[string][]manFunc
	methods map[string][]string // "dir.name": the keys of every method of that name
	consts  map[string]string
}

// manRecv names a method's receiver type: T for T, *T and T[P].
func manRecv(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

type manFunc struct {
	dir  string
	file *ast.File
	decl *ast.FuncDecl
}

// manSite is one place in the code that accepts an option.
type manSite struct{ opt, fn, pos string } // fn: the function, or the path to it from a root

func manLoadCode(t *testing.T, root string) *manCode {
	t.Helper()
	mod := regexp.MustCompile(`(?m)^module (\S+)$`).FindStringSubmatch(readFile(filepath.Join(root, "go.mod")))
	if mod == nil {
		t.Fatalf("no module line in %s/go.mod", root)
	}
	c := &manCode{fset: token.NewFileSet(), module: mod[1], funcs: map[string][]manFunc{}, methods: map[string][]string{}, consts: map[string]string{}}
	files, _ := filepath.Glob(filepath.Join(root, "cmd", "*", "*.go"))
	core, _ := filepath.Glob(filepath.Join(root, "core", "*", "*.go"))
	for _, p := range append(files, core...) {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(c.fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		dir := filepath.ToSlash(rel)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					key := dir + "." + d.Name.Name
					if d.Recv != nil {
						key = dir + "." + manRecv(d.Recv.List[0].Type) + "." + d.Name.Name
						c.methods[dir+"."+d.Name.Name] = append(c.methods[dir+"."+d.Name.Name], key)
					}
					c.funcs[key] = append(c.funcs[key], manFunc{dir, f, d})
				}
			case *ast.GenDecl:
				if d.Tok != token.CONST {
					continue
				}
				for _, sp := range d.Specs {
					vs := sp.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								c.consts[dir+"."+n.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	if len(c.funcs) == 0 {
		t.Fatalf("no Go code under %s/cmd and %s/core", root, root)
	}
	return c
}

// imported returns the module directory an identifier names as a package in f ("" if none).
func (c *manCode) imported(f *ast.File, name string) string {
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		rest, ok := strings.CutPrefix(path, c.module+"/")
		if !ok {
			continue
		}
		alias := filepath.Base(rest)
		if im.Name != nil {
			alias = im.Name.Name
		}
		if alias == name {
			return rest
		}
	}
	return ""
}

// str is the string a literal or a constant of the module holds.
func (c *manCode) str(fn manFunc, e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		s, ok := c.consts[fn.dir+"."+e.Name]
		return s, ok
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if dir := c.imported(fn.file, x.Name); dir != "" {
				s, ok := c.consts[dir+"."+e.Sel.Name]
				return s, ok
			}
		}
	}
	return "", false
}

// isWordTail reports whether e is w[1:]: the letters of a word after its '-'.
func isWordTail(e ast.Expr) bool {
	s, ok := e.(*ast.SliceExpr)
	if !ok || s.High != nil {
		return false
	}
	lit, ok := s.Low.(*ast.BasicLit)
	return ok && lit.Value == "1"
}

// scan returns the options fn accepts and the functions it refers to (calls them or
// passes them on), by key.
func (c *manCode) scan(key string, fn manFunc) (sites []manSite, refs []string) {
	add := func(n ast.Node, opt string) {
		p := c.fset.Position(n.Pos())
		sites = append(sites, manSite{opt, key, filepath.Base(filepath.Dir(p.Filename)) + "/" + filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)})
	}
	letters := func(n ast.Node, s string) {
		for _, r := range s {
			if r != ':' {
				add(n, string(r))
			}
		}
	}
	long := func(n ast.Node, e ast.Expr) {
		if s, ok := c.str(fn, e); ok && len(s) >= 2 && s[0] == '-' && s != "--" {
			add(n, s[1:])
		}
	}
	var visit func(ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				break
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok {
				break
			}
			switch {
			case c.imported(fn.file, x.Name) == "core/getopt" && sel.Sel.Name == "Parse" && len(n.Args) > 1:
				if s, ok := c.str(fn, n.Args[1]); ok {
					letters(n, s)
				}
			case x.Name == "strings" && strings.HasPrefix(sel.Sel.Name, "Trim") && len(n.Args) == 2 && isWordTail(n.Args[0]):
				if s, ok := c.str(fn, n.Args[1]); ok {
					letters(n, s)
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				long(n, n.X)
				long(n, n.Y)
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				long(e, e)
			}
		case *ast.RangeStmt:
			v, ok := n.Value.(*ast.Ident)
			if !ok || !isWordTail(n.X) {
				break
			}
			ast.Inspect(n.Body, func(m ast.Node) bool {
				sw, ok := m.(*ast.SwitchStmt)
				if !ok {
					return true
				}
				if tag, ok := sw.Tag.(*ast.Ident); ok && tag.Name == v.Name {
					for _, cc := range sw.Body.List {
						for _, e := range cc.(*ast.CaseClause).List {
							if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.CHAR {
								r, _, _, _ := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
								add(lit, string(r))
							}
						}
					}
				}
				return true
			})
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok {
				if dir := c.imported(fn.file, x.Name); dir != "" {
					refs = append(refs, dir+"."+n.Sel.Name)
					return false
				}
			}
			// x.name: a method of the package's types (or a field, or another package's
			// method, which lead nowhere here). The receiver's type is not resolved, so
			// every method of that name counts.
			refs = append(refs, c.methods[fn.dir+"."+n.Sel.Name]...)
			ast.Inspect(n.X, visit)
			return false
		case *ast.Ident:
			if _, ok := c.funcs[fn.dir+"."+n.Name]; ok {
				refs = append(refs, fn.dir+"."+n.Name)
			}
		}
		return true
	}
	ast.Inspect(fn.decl.Body, visit)
	return sites, refs
}

// manRoots names, for each program, the functions its command line is read from: main
// of cmd/<program> or of the program it is a name of; the chpst personalities that take
// options start at their own parser. A program's options are those of every function
// reachable from its roots that is not another program's root.
func manRoots(prog string) []string {
	switch prog {
	case "softlimit":
		return []string{"core/chpst.Plan.parseSoftlimit"}
	case "setlock":
		return []string{"core/chpst.Plan.parseSetlock"}
	case "envdir", "envuidgid", "pgrphack", "setuidgid":
		return nil // no options: chpst's Parse hands them their operands
	}
	if real, ok := manPersonality[prog]; ok {
		prog = real
	}
	return []string{"cmd/" + prog + ".main"}
}

// manCodeOptions returns every program's options with where the code accepts each, and
// the option sites no program reaches.
func manCodeOptions(t *testing.T, c *manCode, progs []string) (map[string]map[string][]manSite, []manSite) {
	t.Helper()
	sites := map[string][]manSite{}
	refs := map[string][]string{}
	for key, fns := range c.funcs {
		for _, fn := range fns {
			s, r := c.scan(key, fn)
			sites[key] = append(sites[key], s...)
			refs[key] = append(refs[key], r...)
		}
	}
	isRoot := map[string]bool{}
	for _, p := range progs {
		for _, r := range manRoots(p) {
			if _, ok := c.funcs[r]; !ok {
				t.Errorf("%s: its root %s is not in the code: manRoots is stale", p, r)
			}
			isRoot[r] = true
		}
	}
	out := map[string]map[string][]manSite{}
	reached := map[string]bool{}
	for _, p := range progs {
		out[p] = map[string][]manSite{}
		own := map[string]bool{}
		var queue []string
		for _, r := range manRoots(p) {
			own[r] = true
			queue = append(queue, r)
		}
		seen := map[string]bool{}
		from := map[string]string{} // how the search came to each function
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			if seen[k] || (isRoot[k] && !own[k]) {
				continue
			}
			seen[k], reached[k] = true, true
			for _, s := range sites[k] {
				path := k
				for f := from[k]; f != ""; f = from[f] {
					path = f + " > " + path
				}
				s.fn = path
				out[p][s.opt] = append(out[p][s.opt], s)
			}
			for _, r := range refs[k] {
				if _, ok := from[r]; !ok && !own[r] {
					from[r] = k
				}
				queue = append(queue, r)
			}
		}
	}
	var orphans []manSite
	for k, ss := range sites {
		if !reached[k] {
			orphans = append(orphans, ss...)
		}
	}
	return out, orphans
}

var manFl = regexp.MustCompile(`\bFl (\S+)`)

// manDocumented returns the options a page documents: every "Fl x" of its ".It" lines,
// with mdoc's "\-" read as "-".
func manDocumented(page string) map[string]bool {
	set := map[string]bool{}
	for _, l := range strings.Split(page, "\n") {
		if !strings.HasPrefix(l, ".It ") {
			continue
		}
		for _, m := range manFl.FindAllStringSubmatch(l, -1) {
			set[strings.ReplaceAll(m[1], `\-`, "-")] = true
		}
	}
	return set
}

// manCheck compares the options of the code with those of a page, both ways.
func manCheck(prog, page string, code map[string][]manSite, doc map[string]bool) []string {
	var problems []string
	var opts []string
	for o := range code {
		opts = append(opts, o)
	}
	sort.Strings(opts)
	for _, o := range opts {
		if !doc[o] {
			problems = append(problems, fmt.Sprintf("%s: option -%s (accepted at %s) is not documented in %s (want an \".It Fl %s\" item)",
				prog, o, code[o][0].pos, page, strings.ReplaceAll(o, "-", `\-`)))
		}
	}
	var docs []string
	for o := range doc {
		docs = append(docs, o)
	}
	sort.Strings(docs)
	for _, o := range docs {
		if _, ok := code[o]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s documents -%s, which the code does not accept", prog, page, o))
		}
	}
	return problems
}

func manAllPrograms() []string {
	progs := make([]string, 0, len(manPages))
	for p := range manPages {
		progs = append(progs, p)
	}
	sort.Strings(progs)
	return progs
}

// Every option a tool's code accepts is documented in an item of its page's lists
// (".It Fl x ..."), and every option a page documents is accepted by the code. The
// options come from the sources (see manCode), so a new option without documentation
// fails here, and so does an option parsed somewhere no tool's main reaches. As a check
// on the reading of the sources, every option the built tools' usage lines show must be
// among them.
func TestManOptionsDocumented(t *testing.T) {
	code := manLoadCode(t, repoRoot)
	progs := manAllPrograms()
	opts, orphans := manCodeOptions(t, code, progs)
	for _, s := range orphans {
		t.Errorf("option -%s at %s (in %s) is read where no tool's main reaches: teach manRoots or the reading of the sources", s.opt, s.pos, s.fn)
	}
	for _, prog := range progs {
		t.Run(prog, func(t *testing.T) {
			page := manPages[prog]
			var found []string
			for o, ss := range opts[prog] {
				found = append(found, "-"+o+" ("+ss[0].pos+" in "+ss[0].fn+")")
			}
			sort.Strings(found)
			t.Logf("options in the code: %s", strings.Join(found, " "))
			for _, p := range manCheck(prog, page, opts[prog], manDocumented(readFile(manPath(page)))) {
				t.Error(p)
			}
			if usage := manUsage(t, prog); usage != "" {
				for _, o := range manOptions(usage) {
					if _, ok := opts[prog][o]; !ok {
						t.Errorf("%s's usage line (%s) shows -%s, which was not found in the code: the reading of the sources misses a way of parsing options", prog, usage, o)
					}
				}
			}
		})
	}
}

// The check cannot pass vacuously: with an item taken out of a page, an option added to
// the code (in each way the sources read options), an item documenting nothing, or an
// option read where no tool reaches, it reports each. The code is a copy of cmd/ and
// core/ with those edits.
func TestManOptionsCatchGaps(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, "", nil, "cp", "-R", filepath.Join(repoRoot, "go.mod"), filepath.Join(repoRoot, "cmd"), filepath.Join(repoRoot, "core"), dir); r.code != 0 {
		t.Fatalf("cp: %s", r.stderr)
	}
	edit := func(rel, old, new string) {
		p := filepath.Join(dir, rel)
		src := readFile(p)
		if !strings.Contains(src, old) {
			t.Fatalf("%s no longer holds %q: update this test to the code", rel, old)
		}
		writeFile(t, p, strings.Replace(src, old, new, 1), 0o644)
	}
	edit("core/scan/scan.go", `"PCs")`, `"PCsz")`)                                                         // strings.Trim
	edit("cmd/sv/main.go", `os.Args[1] == "--json"`, `(os.Args[1] == "--json" || os.Args[1] == "--frob")`) // comparison
	edit("core/utmp/utmpset.go", `"wV"`, `"wVq"`)                                                          // getopt.Parse
	edit("core/initctl/initctl.go", `"-V"`, `"-V" || args[1] == "-Z"`)                                     // comparison
	edit("core/initctl/sysv.go", `case 'f':`, `case 'f', 'Q':`)                                            // letter switch
	edit("core/initctl/sysv.go", `DryRunFlag = "--dry-run"`, `DryRunFlag = "--dry-run-x"`)                 // constant
	writeFile(t, filepath.Join(dir, "core/scan/orphan.go"), "package scan\n\nfunc orphan(a string) bool { return a == \"--orphan\" }\n", 0o644)

	progs := manAllPrograms()
	realOpts, _ := manCodeOptions(t, manLoadCode(t, repoRoot), progs)
	opts, orphans := manCodeOptions(t, manLoadCode(t, dir), progs)
	if len(orphans) != 1 || orphans[0].opt != "-orphan" {
		t.Errorf("orphans %v, want the one --orphan", orphans)
	}
	page := func(prog, drop, add string) map[string]bool {
		src := readFile(manPath(manPages[prog]))
		if drop != "" {
			if !strings.Contains(src, drop+"\n") {
				t.Fatalf("%s has no line %q: update this test to the page", manPages[prog], drop)
			}
			src = strings.Replace(src, drop+"\n", "", 1)
		}
		return manDocumented(src + add)
	}
	for _, c := range []struct {
		prog, drop, add string
		want            []string
	}{
		{"runsvdir", ".It Fl s", "", []string{"option -s ", "option -z "}},
		{"sv", `.It Fl \-json`, "", []string{"option --json ", "option --frob "}},
		{"utmpset", "", ".Bl -tag\n.It Fl y\n.El\n", []string{"option -q ", "documents -y,"}},
		{"runit-init", ".It Fl V", "", []string{"option -V ", "option -Z "}},
		{"halt", "", "", []string{"option -Q ", "option --dry-run-x ", "documents --dry-run,"}},
	} {
		// Only what the edits add counts: the tree may have problems of its own, which
		// TestManOptionsDocumented reports.
		before := map[string]bool{}
		for _, p := range manCheck(c.prog, manPages[c.prog], realOpts[c.prog], page(c.prog, "", "")) {
			before[p] = true
		}
		var added []string
		for _, p := range manCheck(c.prog, manPages[c.prog], opts[c.prog], page(c.prog, c.drop, c.add)) {
			if !before[p] {
				added = append(added, p)
			}
		}
		got := strings.Join(added, "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the check does not report %q; it reports:\n%s", c.prog, w, got)
			}
		}
		if len(added) != len(c.want) {
			t.Errorf("%s: %d new problems reported, want %d:\n%s", c.prog, len(added), len(c.want), got)
		}
	}
}
