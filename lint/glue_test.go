package lint

import (
	"debug/elf"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func gluePath(p string) string { return filepath.Join(repoRoot, p) }

// glueShellScripts are the shell scripts of the glue, each checked with sh -n and, when
// installed, shellcheck. rc.d scripts set variables that rc.subr reads (SC2034), source
// rc.subr (SC1091) and use what it sets (SC2154): those checks are off for them.
var glueShellScripts = []struct{ path, shell string }{
	{"pkg/freebsd/files/runsvdir.in", "sh"},
	{"pkg/openbsd/runsvdir", "ksh"},
	{"pkg/debian/postinst", "sh"},
	{"pkg/debian/postrm", "sh"},
	{"etc/runit/1", "sh"},
	{"etc/runit/2", "sh"},
	{"etc/runit/3", "sh"},
	{"etc/runit/ctrlaltdel", "sh"},
	{"etc/sv/getty-tty1/run", "sh"},
	{"etc/sv/getty-tty1/finish", "sh"},
	{"etc/sv/sulogin/run", "sh"},
	{"etc/sv/runsvdir-user/run", "sh"},
	{"etc/sv/runsvdir-user/control/t", "sh"},
	{"ci/install.sh", "sh"},
	{"ci/deb.sh", "sh"},
	{"ci/deb-test.sh", "sh"},
}

func TestGlueShellScripts(t *testing.T) {
	sc, scErr := exec.LookPath("shellcheck")
	if scErr != nil {
		if strictTests() {
			t.Error("shellcheck not installed; CI must install it (apt-get install shellcheck)")
		} else {
			t.Log("shellcheck not installed: only sh -n (apt-get install shellcheck)")
		}
	}
	for _, s := range glueShellScripts {
		p := gluePath(s.path)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", s.path, err)
			continue
		}
		if fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable (mode %v)", s.path, fi.Mode())
		}
		first, _, _ := strings.Cut(readFile(p), "\n")
		if want := "#!/bin/" + s.shell; first != want {
			t.Errorf("%s starts with %q, want %q", s.path, first, want)
		}
		// sh -n parses without running; the OpenBSD script uses nothing beyond POSIX sh.
		if r := run(t, "", nil, "sh", "-n", p); r.code != 0 {
			t.Errorf("sh -n %s: %s", s.path, r.stderr)
		}
		if scErr == nil {
			args := []string{"-s", s.shell, "-S", "warning"}
			if strings.Contains(s.path, "rc.d") || strings.HasPrefix(s.path, "pkg/freebsd") || strings.HasPrefix(s.path, "pkg/openbsd") {
				args = append(args, "-e", "SC2034,SC1091,SC2154")
			}
			if r := run(t, "", nil, sc, append(args, p)...); r.code != 0 {
				t.Errorf("shellcheck %s:\n%s", s.path, r.stdout)
			}
		}
	}
}

// The rc.d scripts follow their systems' rc.subr conventions.
func TestGlueRcScripts(t *testing.T) {
	for _, c := range []struct {
		path  string
		wants []string
	}{
		{"pkg/freebsd/files/runsvdir.in", []string{
			`(?m)^# PROVIDE: runsvdir$`, `(?m)^# REQUIRE: `, `(?m)^# KEYWORD: shutdown$`,
			`(?m)^\. /etc/rc\.subr$`, `(?m)^name=runsvdir$`, `(?m)^rcvar=runsvdir_enable$`,
			`(?m)^load_rc_config \$name$`, `(?m)^run_rc_command "\$1"$`,
			`%%PREFIX%%/bin/runsvdir`, `-P \$\{runsvdir_path\}`, `(?m)^sig_stop=HUP$`,
		}},
		{"pkg/openbsd/runsvdir", []string{
			`(?m)^daemon="/usr/local/bin/runsvdir"$`, `(?m)^daemon_flags="-P /var/service"$`,
			`(?m)^\. /etc/rc\.d/rc\.subr$`, `(?m)^rc_bg=YES$`, `(?m)^rc_cmd "\$1"$`,
			`pkill -HUP`,
		}},
	} {
		src := readFile(gluePath(c.path))
		for _, w := range c.wants {
			if !regexp.MustCompile(w).MatchString(src) {
				t.Errorf("%s: no match for %s", c.path, w)
			}
		}
	}
}

// plistValue decodes one plist value (dict, array, string, integer, true, false) whose
// start element has been read.
func plistValue(d *xml.Decoder, start xml.StartElement) (any, error) {
	switch start.Name.Local {
	case "dict":
		m := map[string]any{}
		key := ""
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				if tk.Name.Local == "key" {
					var k string
					if err := d.DecodeElement(&k, &tk); err != nil {
						return nil, err
					}
					if _, dup := m[k]; dup {
						return nil, fmt.Errorf("duplicate key %q", k)
					}
					key = k
					continue
				}
				if key == "" {
					return nil, fmt.Errorf("<%s> without a <key> in a dict", tk.Name.Local)
				}
				v, err := plistValue(d, tk)
				if err != nil {
					return nil, err
				}
				m[key], key = v, ""
			case xml.EndElement:
				if key != "" {
					return nil, fmt.Errorf("key %q without a value", key)
				}
				return m, nil
			}
		}
	case "array":
		var a []any
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tk := tok.(type) {
			case xml.StartElement:
				v, err := plistValue(d, tk)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			case xml.EndElement:
				return a, nil
			}
		}
	case "string":
		var s string
		err := d.DecodeElement(&s, &start)
		return s, err
	case "integer":
		var s string
		if err := d.DecodeElement(&s, &start); err != nil {
			return nil, err
		}
		return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	case "true", "false":
		return start.Name.Local == "true", d.Skip()
	}
	return nil, fmt.Errorf("unknown plist element <%s>", start.Name.Local)
}

// The launchd job is a well-formed property list with what launchd needs to keep
// runsvdir running on /usr/local/var/service (plutil -lint would accept it).
func TestGlueLaunchdPlist(t *testing.T) {
	path := gluePath("pkg/darwin/org.runit-go.runsvdir.plist")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	var doctype string
	var root any
	for root == nil {
		tok, err := d.Token()
		if err == io.EOF {
			t.Fatal("no <plist> element")
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.Directive:
			doctype = string(tk)
		case xml.StartElement:
			if tk.Name.Local != "plist" || attr(tk, "version") != "1.0" {
				t.Fatalf("root element <%s version=%q>, want <plist version=\"1.0\">", tk.Name.Local, attr(tk, "version"))
			}
			for root == nil {
				tok, err := d.Token()
				if err != nil {
					t.Fatalf("plist: %v", err)
				}
				if se, ok := tok.(xml.StartElement); ok {
					if root, err = plistValue(d, se); err != nil {
						t.Fatalf("plist: %v", err)
					}
				}
			}
		}
	}
	if !strings.Contains(doctype, `"-//Apple//DTD PLIST 1.0//EN"`) {
		t.Errorf("DOCTYPE %q is not Apple's plist DTD", doctype)
	}
	// </plist>, then nothing but whitespace and comments.
	closed := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after the plist: %v", err)
		}
		switch tk := tok.(type) {
		case xml.CharData:
			if strings.TrimSpace(string(tk)) != "" {
				t.Errorf("text after </plist>: %q", tk)
			}
		case xml.EndElement:
			if closed || tk.Name.Local != "plist" {
				t.Errorf("unexpected </%s>", tk.Name.Local)
			}
			closed = true
		case xml.StartElement:
			t.Errorf("element after the plist's value: <%s>", tk.Name.Local)
		}
	}
	job, ok := root.(map[string]any)
	if !ok {
		t.Fatalf("top-level value is %T, want a dict", root)
	}
	// Keys launchd.plist(5) knows that a job like this uses; anything else is a typo.
	known := map[string]bool{"Label": true, "ProgramArguments": true, "Program": true,
		"EnvironmentVariables": true, "RunAtLoad": true, "KeepAlive": true, "ProcessType": true,
		"StandardOutPath": true, "StandardErrorPath": true, "WorkingDirectory": true,
		"UserName": true, "GroupName": true, "ThrottleInterval": true, "ExitTimeOut": true}
	for k := range job {
		if !known[k] {
			t.Errorf("key %q is not a launchd job key", k)
		}
	}
	if l, _ := job["Label"].(string); !regexp.MustCompile(`^[A-Za-z0-9.-]+\.runsvdir$`).MatchString(l) {
		t.Errorf("Label %q: want a reverse-DNS label ending in .runsvdir", job["Label"])
	}
	if l := job["Label"]; filepath.Base(path) != fmt.Sprint(l)+".plist" {
		t.Errorf("file name %s does not match Label %v", filepath.Base(path), l)
	}
	var args []string
	raw, _ := job["ProgramArguments"].([]any)
	for _, a := range raw {
		s, ok := a.(string)
		if !ok {
			t.Errorf("ProgramArguments holds a %T", a)
		}
		args = append(args, s)
	}
	if want := []string{"/usr/local/bin/runsvdir", "-P", "/usr/local/var/service"}; strings.Join(args, " ") != strings.Join(want, " ") {
		t.Errorf("ProgramArguments %q, want %q", args, want)
	}
	if job["KeepAlive"] != true {
		t.Errorf("KeepAlive %v, want true (launchd restarts runsvdir)", job["KeepAlive"])
	}
	if job["RunAtLoad"] != true {
		t.Errorf("RunAtLoad %v, want true (start at boot)", job["RunAtLoad"])
	}
	// launchd makes no directories: the comment's install steps must make runsvdir's and
	// the log's.
	comment := regexp.MustCompile(`(?s)<!--(.*?)-->`).FindStringSubmatch(readFile(path))
	mkdir := map[string]bool{}
	if comment != nil {
		for _, m := range regexp.MustCompile(`(?m)^\s*mkdir -p (.+)$`).FindAllStringSubmatch(comment[1], -1) {
			for _, d := range strings.Fields(m[1]) {
				mkdir[d] = true
			}
		}
	}
	need := []string{args[len(args)-1]}
	for _, k := range []string{"StandardOutPath", "StandardErrorPath"} {
		if p, ok := job[k].(string); ok {
			need = append(need, filepath.Dir(p))
		}
	}
	for _, d := range need {
		if !mkdir[d] {
			t.Errorf("the plist's install steps do not make %s (want a \"mkdir -p %s\" line in its comment)", d, d)
			mkdir[d] = true // once is enough
		}
	}
	env, _ := job["EnvironmentVariables"].(map[string]any)
	if p, _ := env["PATH"].(string); !strings.Contains(p, "/usr/local/bin") {
		t.Errorf("EnvironmentVariables PATH %q must hold /usr/local/bin (runsvdir starts runsv by PATH)", p)
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// smfDTD is an excerpt of illumos' service_bundle.dtd.1: the declarations, whole, of
// the elements the manifest uses (see its header).
var smfDTD = filepath.Join("testdata", "service_bundle.dtd.1")

// smfValidate runs xmllint --dtdvalid with the excerpt of the DTD. A catalog maps the
// manifest's DOCTYPE (/usr/share/lib/xml/dtd/service_bundle.dtd.1, absent off illumos)
// to the same file, so that xmllint does not warn about loading it.
func smfValidate(t *testing.T, xmllint, manifest string) result {
	t.Helper()
	dtd, err := filepath.Abs(smfDTD)
	if err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(t.TempDir(), "catalog.xml")
	writeFile(t, catalog, `<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
<system systemId="/usr/share/lib/xml/dtd/service_bundle.dtd.1" uri="file://`+dtd+`"/>
</catalog>
`, 0o644)
	return run(t, "", []string{"XML_CATALOG_FILES=" + catalog}, xmllint, "--noout", "--dtdvalid", dtd, manifest)
}

// The SMF manifest is valid against the service bundle DTD (with xmllint, against the
// excerpt in testdata, and on illumos against the installed DTD too), and has what SMF
// needs to run runsvdir. Manifests broken in ways only the DTD knows are rejected, so
// the validation is real.
func TestGlueSMFManifest(t *testing.T) {
	path := gluePath("pkg/illumos/runsvdir.xml")
	src := readFile(path)
	const dtd = "/usr/share/lib/xml/dtd/service_bundle.dtd.1"
	if !strings.Contains(src, `<!DOCTYPE service_bundle SYSTEM "`+dtd+`">`) {
		t.Errorf("DOCTYPE does not name %s", dtd)
	}
	xmllint, lintErr := exec.LookPath("xmllint")
	switch {
	case lintErr == nil:
		if r := smfValidate(t, xmllint, path); r.code != 0 || r.stderr != "" {
			t.Errorf("xmllint --dtdvalid %s (exit %d):\n%s", smfDTD, r.code, r.stderr)
		}
		for _, bad := range []struct{ why, old, new string }{
			{"stability before the methods", `<stability value="Unstable"/>`, ""},
			{"an unknown restart_on", `restart_on="none"`, `restart_on="never"`},
			{"an exec_method without timeout_seconds", ` timeout_seconds="60"/>`, `/>`},
			{"an unknown stability", `value="Unstable"`, `value="Stableish"`},
		} {
			if !strings.Contains(src, bad.old) {
				t.Fatalf("the manifest no longer holds %q: update this test", bad.old)
			}
			broken := strings.Replace(src, bad.old, bad.new, 1)
			if bad.new == "" { // moved, not dropped
				broken = strings.Replace(broken, "<method_context>", bad.old+"<method_context>", 1)
			}
			p := filepath.Join(t.TempDir(), "bad.xml")
			writeFile(t, p, broken, 0o644)
			if r := smfValidate(t, xmllint, p); r.code == 0 || !strings.Contains(r.stderr, "validity error") {
				t.Errorf("a manifest with %s passes the DTD (exit %d): %s", bad.why, r.code, r.stderr)
			}
		}
		if _, err := os.Stat(dtd); err == nil { // illumos/Solaris: the real DTD too
			if r := run(t, "", nil, xmllint, "--noout", "--valid", path); r.code != 0 || r.stderr != "" {
				t.Errorf("xmllint --valid (DTD %s):\n%s", dtd, r.stderr)
			}
		}
	case strictTests():
		t.Error("xmllint not installed; CI must install libxml2-utils")
	default:
		t.Log("xmllint not installed: no DTD validation, checks in Go only (apt-get install libxml2-utils)")
	}

	type depend struct {
		Name      string `xml:"name,attr"`
		Grouping  string `xml:"grouping,attr"`
		RestartOn string `xml:"restart_on,attr"`
		Type      string `xml:"type,attr"`
		FMRIs     []struct {
			Value string `xml:"value,attr"`
		} `xml:"service_fmri"`
	}
	type method struct {
		Type    string `xml:"type,attr"`
		Name    string `xml:"name,attr"`
		Exec    string `xml:"exec,attr"`
		Timeout string `xml:"timeout_seconds,attr"`
	}
	var bundle struct {
		XMLName xml.Name `xml:"service_bundle"`
		Type    string   `xml:"type,attr"`
		Name    string   `xml:"name,attr"`
		Service []struct {
			Name    string `xml:"name,attr"`
			Type    string `xml:"type,attr"`
			Version string `xml:"version,attr"`
			Default *struct {
				Enabled string `xml:"enabled,attr"`
			} `xml:"create_default_instance"`
			Depends   []depend `xml:"dependency"`
			Methods   []method `xml:"exec_method"`
			Stability *struct {
				Value string `xml:"value,attr"`
			} `xml:"stability"`
		} `xml:"service"`
	}
	if err := xml.Unmarshal([]byte(src), &bundle); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	if bundle.Type != "manifest" || bundle.Name == "" {
		t.Errorf("service_bundle type=%q name=%q, want type manifest and a name", bundle.Type, bundle.Name)
	}
	if len(bundle.Service) != 1 {
		t.Fatalf("%d <service> elements, want 1", len(bundle.Service))
	}
	svc := bundle.Service[0]
	if svc.Name == "" || svc.Type != "service" || svc.Version == "" {
		t.Errorf("service name=%q type=%q version=%q: all required", svc.Name, svc.Type, svc.Version)
	}
	if svc.Default == nil || (svc.Default.Enabled != "true" && svc.Default.Enabled != "false") {
		t.Error("no <create_default_instance enabled=...>: the service would have no instance to enable")
	}
	for _, dp := range svc.Depends {
		if dp.Name == "" || dp.Grouping == "" || dp.RestartOn == "" || dp.Type == "" || len(dp.FMRIs) == 0 {
			t.Errorf("dependency %+v lacks a required attribute or a service_fmri", dp)
		}
		for _, f := range dp.FMRIs {
			if !strings.HasPrefix(f.Value, "svc:/") {
				t.Errorf("dependency %s: FMRI %q", dp.Name, f.Value)
			}
		}
	}
	methods := map[string]method{}
	for _, m := range svc.Methods {
		if m.Type != "method" || m.Exec == "" {
			t.Errorf("exec_method %+v: type must be method and exec set", m)
		}
		if _, err := strconv.Atoi(m.Timeout); err != nil {
			t.Errorf("exec_method %s: timeout_seconds %q", m.Name, m.Timeout)
		}
		methods[m.Name] = m
	}
	// runsvdir does not fork: the start method backgrounds it and SMF follows its contract.
	if s := methods["start"].Exec; !strings.Contains(s, "runsvdir -P /var/service") || !strings.HasSuffix(s, "&") {
		t.Errorf("start method %q: want runsvdir -P /var/service started in the background", s)
	}
	if s := methods["stop"].Exec; s != ":kill -HUP" {
		t.Errorf("stop method %q: want \":kill -HUP\" (runsvdir stops every runsv on HUP)", s)
	}
	if svc.Stability == nil || svc.Stability.Value == "" {
		t.Error("no <stability value=...>")
	}
}

// The FreeBSD port skeleton has what a port needs, and its pkg-plist lists exactly
// what the install layout puts under PREFIX (man pages compressed, as ports do).
func TestGlueFreeBSDPort(t *testing.T) {
	mk := readFile(gluePath("pkg/freebsd/Makefile"))
	for _, w := range []string{`PORTNAME=`, `DISTVERSION=`, `CATEGORIES=`, `MAINTAINER=`, `COMMENT=`,
		`WWW=`, `LICENSE=`, `USES=\s+go:modules`, `USE_RC_SUBR=\s+runsvdir`, `CONFLICTS_INSTALL=\s+runit`} {
		if !regexp.MustCompile(`(?m)^` + w).MatchString(mk) {
			t.Errorf("pkg/freebsd/Makefile: no %s", w)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(mk), ".include <bsd.port.mk>") {
		t.Error("pkg/freebsd/Makefile does not end with .include <bsd.port.mk>")
	}
	for _, f := range []string{"pkg-descr", "files/runsvdir.in", "files/pkg-message.in"} {
		if readFile(gluePath("pkg/freebsd/"+f)) == "" {
			t.Errorf("pkg/freebsd/%s missing or empty", f)
		}
	}

	// What ci/install.sh installs (any binaries will do for the layout).
	bin := t.TempDir()
	for n := range installTools {
		writeFile(t, filepath.Join(bin, n), "#!/bin/sh\n", 0o755)
	}
	dest := t.TempDir()
	if r := installRun(t, dest, "/usr/local", bin, "INSTALL_ETC=no"); r.code != 0 {
		t.Fatalf("install.sh: %d %s", r.code, r.stderr)
	}
	root := filepath.Join(dest, "usr/local")
	var installed []string
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(root, p)
			if strings.HasPrefix(rel, "share/man/") {
				rel += ".gz"
			}
			installed = append(installed, rel)
		}
		return nil
	})
	sort.Strings(installed)
	var plist []string
	for _, l := range strings.Split(readFile(gluePath("pkg/freebsd/pkg-plist")), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "@") {
			plist = append(plist, l)
		}
	}
	sort.Strings(plist)
	if strings.Join(plist, "\n") != strings.Join(installed, "\n") {
		t.Errorf("pkg-plist differs from the install layout:\npkg-plist:\n%s\ninstalled:\n%s", strings.Join(plist, "\n"), strings.Join(installed, "\n"))
	}
	freebsdPortReplay(t, mk, plist)
}

// portMake reads a ports Makefile the little way this port needs: variables (NAME=,
// NAME+=, NAME?=, lines continued by a backslash) and each target's recipe, with
// ${VAR} expansion and .for/.endfor loops.
type portMake struct {
	vars    map[string]string
	targets map[string][]string
}

func parsePortMake(src string) *portMake {
	m := &portMake{vars: map[string]string{}, targets: map[string][]string{}}
	src = strings.ReplaceAll(src, "\\\n", " ")
	assign := regexp.MustCompile(`^([A-Z_][A-Z0-9_]*)\s*([+?]?=)\s*(.*)$`)
	target := regexp.MustCompile(`^([a-z][a-z-]*):\s*$`)
	cur := ""
	for _, l := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(l, "#"):
		case cur != "" && (strings.HasPrefix(l, "\t") || strings.HasPrefix(l, ".for ") || l == ".endfor"):
			m.targets[cur] = append(m.targets[cur], l)
		case assign.MatchString(l):
			a := assign.FindStringSubmatch(l)
			switch a[2] {
			case "+=":
				m.vars[a[1]] = strings.TrimSpace(m.vars[a[1]] + " " + a[3])
			case "?=":
				if _, ok := m.vars[a[1]]; !ok {
					m.vars[a[1]] = a[3]
				}
			default:
				m.vars[a[1]] = a[3]
			}
			cur = ""
		case target.MatchString(l):
			cur = target.FindStringSubmatch(l)[1]
			m.targets[cur] = nil
		default:
			cur = ""
		}
	}
	return m
}

var portMakeVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

func (m *portMake) expand(s string, local map[string]string) string {
	for range 10 { // variables hold variables; ten levels is plenty here
		s = portMakeVar.ReplaceAllStringFunc(s, func(v string) string {
			name := v[2 : len(v)-1]
			if x, ok := local[name]; ok {
				return x
			}
			return m.vars[name]
		})
	}
	return s
}

// recipe returns a target's commands with its .for loops unrolled and variables expanded.
func (m *portMake) recipe(t *testing.T, target string) []string {
	var out []string
	lines := m.targets[target]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if f, ok := strings.CutPrefix(l, ".for "); ok {
			v, list, ok := strings.Cut(f, " in ")
			end := i + 1
			for end < len(lines) && lines[end] != ".endfor" {
				end++
			}
			if !ok || end == len(lines) {
				t.Fatalf("%s: bad .for loop at %q", target, l)
			}
			for _, x := range strings.Fields(m.expand(list, nil)) {
				for _, b := range lines[i+1 : end] {
					out = append(out, m.expand(strings.TrimPrefix(b, "\t"), map[string]string{strings.TrimSpace(v): x}))
				}
			}
			i = end
			continue
		}
		out = append(out, m.expand(strings.TrimPrefix(l, "\t"), nil))
	}
	return out
}

// freebsdPortReplay does what the ports framework would with the port: go.mk's do-build
// (for each GO_TARGET entry "pkg[:path]", go build -o ${WRKDIR}/bin/<basename of path
// or pkg> pkg, here for FreeBSD), go.mk's do-install (each program to path, or to
// ${PREFIX}/bin), then the port's post-install, into a staging directory; the staged tree
// must be exactly pkg-plist.
func freebsdPortReplay(t *testing.T, mk string, plist []string) {
	m := parsePortMake(mk)
	for _, own := range []string{"do-build", "do-install"} {
		if _, ok := m.targets[own]; ok {
			t.Errorf("pkg/freebsd/Makefile defines %s: this test replays go.mk's", own)
		}
	}
	tmp := t.TempDir()
	stage, work := filepath.Join(tmp, "stage"), filepath.Join(tmp, "work")
	m.vars["PREFIX"], m.vars["STAGEDIR"], m.vars["WRKDIR"], m.vars["WRKSRC"] = "/usr/local", stage, work, repoRoot
	m.vars["INSTALL_PROGRAM"], m.vars["INSTALL_MAN"] = "install -m 555", "install -m 444"
	m.vars["INSTALL_DATA"] = "install -m 444"
	m.vars["RLN"], m.vars["MKDIR"] = "ln -sf", "mkdir -p"
	targets := strings.Fields(m.expand("${GO_TARGET}", nil))
	if len(targets) == 0 {
		t.Fatal("pkg/freebsd/Makefile: no GO_TARGET")
	}
	built := map[string]string{}
	for _, tg := range targets {
		pkg, dst, hasDst := strings.Cut(tg, ":")
		out := filepath.Base(pkg)
		if hasDst {
			out = filepath.Base(dst)
		}
		if pkg == m.vars["PORTNAME"] {
			pkg = "."
		}
		if out == "." {
			out = m.vars["PORTNAME"]
		}
		if n, ok := installTools[out]; !ok || !hasDst || dst != "/usr/local/"+n+"/"+out {
			t.Errorf("GO_TARGET %s: want %s installed to /usr/local/%s/%s as ci/install.sh does", tg, out, n, out)
		}
		r := run(t, repoRoot, []string{"GOOS=freebsd", "GOARCH=amd64", "CGO_ENABLED=0"}, "go", "build", "-buildvcs=false", "-o", filepath.Join(work, "bin", out), pkg)
		if r.code != 0 {
			t.Fatalf("go build -o ${WRKDIR}/bin/%s %s (GOOS=freebsd): %s", out, pkg, r.stderr)
		}
		built[out] = dst
	}
	for n := range installTools {
		if _, ok := built[n]; !ok {
			t.Errorf("GO_TARGET does not build %s", n)
		}
	}
	for out, dst := range built {
		if !filepath.IsAbs(dst) {
			dst = "/usr/local/bin/" + out
		}
		if r := run(t, "", nil, "sh", "-c", `mkdir -p "$(dirname "$2")" && install -m 555 "$1" "$2"`, "sh", filepath.Join(work, "bin", out), stage+dst); r.code != 0 {
			t.Fatalf("installing %s: %s", out, r.stderr)
		}
	}
	steps := m.recipe(t, "post-install")
	if len(steps) == 0 {
		t.Fatal("pkg/freebsd/Makefile: no post-install (links, man pages)")
	}
	if err := os.MkdirAll(filepath.Join(stage, "usr/local/share/man/man8"), 0o755); err != nil {
		t.Fatal(err) // the ports framework makes the man directories before staging
	}
	for _, c := range steps {
		if r := run(t, "", nil, "sh", "-c", c); r.code != 0 {
			t.Fatalf("post-install %q: %s", c, r.stderr)
		}
	}

	var staged []string
	filepath.Walk(stage, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(stage, "usr/local"), p)
		if strings.HasPrefix(rel, "share/man/") {
			rel += ".gz" // the framework compresses man pages (and re-points their links)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("staged link %s is dangling: %v", rel, err)
			}
		}
		staged = append(staged, rel)
		return nil
	})
	sort.Strings(staged)
	if strings.Join(plist, "\n") != strings.Join(staged, "\n") {
		t.Errorf("pkg-plist differs from what the port stages:\npkg-plist:\n%s\nstaged:\n%s", strings.Join(plist, "\n"), strings.Join(staged, "\n"))
	}
	for _, l := range strings.Split(readFile(gluePath("pkg/freebsd/pkg-plist")), "\n") {
		if d, ok := strings.CutPrefix(l, "@dir "); ok {
			if !filepath.IsAbs(d) {
				d = "/usr/local/" + d
			}
			if fi, err := os.Stat(stage + d); err != nil || !fi.IsDir() {
				t.Errorf("pkg-plist has @dir %s, which the port does not stage", d)
			}
		}
	}
	// The programs were built for FreeBSD, as the port builds them.
	if f, err := elf.Open(filepath.Join(work, "bin", "sv")); err != nil {
		t.Error(err)
	} else {
		if f.OSABI != elf.ELFOSABI_FREEBSD {
			t.Errorf("${WRKDIR}/bin/sv has ELF OS ABI %v, want FreeBSD", f.OSABI)
		}
		f.Close()
	}
}

// `make deb` (ci/deb.sh) builds runit-go and runit-go-init from the built tools (here
// stand-ins: the packages hold them as they are); the packages are inspected with
// dpkg-deb -I and -c and unpacked with dpkg-deb -x. Installing them is e2e's
// TestDebInstall.
func TestGlueDeb(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		if strictTests() {
			t.Fatal("dpkg-deb not installed")
		}
		t.Skip("dpkg-deb not installed")
	}
	bin := standIns(t)
	out := t.TempDir()
	r := run(t, repoRoot, []string{"VERSION=1.2.3", "DEB_COMPRESS=gzip"}, "sh", gluePath("ci/deb.sh"), bin, out)
	if r.code != 0 {
		t.Fatalf("ci/deb.sh: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	debs := strings.Fields(r.stdout)
	if len(debs) != 2 || !strings.Contains(debs[0], "/runit-go_1.2.3_") || !strings.Contains(debs[1], "/runit-go-init_1.2.3_") {
		t.Fatalf("ci/deb.sh printed %q, want the two .deb paths", r.stdout)
	}
	field := func(deb, f string) string {
		r := run(t, "", nil, "dpkg-deb", "-f", deb, f)
		return strings.TrimSpace(r.stdout)
	}
	listing := func(deb string) map[string]string {
		r := run(t, "", nil, "dpkg-deb", "-c", deb)
		if r.code != 0 {
			t.Fatalf("dpkg-deb -c %s: %s", deb, r.stderr)
		}
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			// mode owner size date time path [-> target]
			fs := strings.Fields(l)
			if len(fs) < 6 {
				continue
			}
			p, target := fs[5], ""
			if len(fs) == 8 && fs[6] == "->" {
				target = fs[7]
			}
			if len(fs) == 9 && fs[6] == "link" && fs[7] == "to" { // a hard link
				target = strings.TrimPrefix(fs[8], ".")
			}
			m[strings.TrimPrefix(p, ".")] = fs[0][:1] + target
		}
		return m
	}
	mainDeb, initDeb := debs[0], debs[1]
	if info := run(t, "", nil, "dpkg-deb", "-I", mainDeb); info.code != 0 {
		t.Fatalf("dpkg-deb -I: %s", info.stderr)
	}
	for f, want := range map[string]string{"Package": "runit-go", "Version": "1.2.3",
		"Provides": "runit", "Conflicts": "runit, daemontools", "Replaces": "runit"} {
		if got := field(mainDeb, f); got != want {
			t.Errorf("runit-go %s: %q, want %q", f, got, want)
		}
	}
	if got := field(mainDeb, "Architecture"); got == "" || got == "all" {
		t.Errorf("runit-go Architecture %q", got)
	}
	if got := field(initDeb, "Depends"); got != "runit-go (= 1.2.3)" {
		t.Errorf("runit-go-init Depends %q", got)
	}
	if got := field(initDeb, "Conflicts"); !strings.Contains(got, "systemd-sysv") {
		t.Errorf("runit-go-init Conflicts %q: must conflict with systemd-sysv (same /sbin/halt)", got)
	}

	files := listing(mainDeb)
	for n, dir := range installTools {
		switch n {
		case "halt", "shutdown":
			if _, ok := files["/usr/sbin/"+n]; ok {
				t.Errorf("runit-go ships /usr/sbin/%s (belongs to runit-go-init)", n)
			}
			continue
		}
		if files["/usr/"+dir+"/"+n] != "-" && n != "runit" {
			t.Errorf("runit-go lacks /usr/%s/%s: %q", dir, n, files["/usr/"+dir+"/"+n])
		}
		if p, ok := manPages[n]; ok && files["/usr/share/man/man8/"+p+".gz"] != "-" {
			t.Errorf("runit-go lacks the man page %s.gz", p)
		}
	}
	// runit is runsvdir's program (one program text for process 1 and the tree).
	// runit is runsvdir's program, under the path Debian's runit ships it (dpkg tells
	// /sbin/runit and /usr/sbin/runit apart, the merged /usr does not).
	if files["/sbin/runit"] != "l/usr/bin/runsvdir" {
		t.Errorf("runit-go /sbin/runit: %q, want a link to /usr/bin/runsvdir", files["/sbin/runit"])
	}
	for _, l := range []string{"envdir", "envuidgid", "pgrphack", "setuidgid", "softlimit", "setlock"} {
		if files["/usr/bin/"+l] != "lchpst" {
			t.Errorf("runit-go /usr/bin/%s: %q, want a link to chpst", l, files["/usr/bin/"+l])
		}
	}
	for _, f := range []string{"/etc/runit/1", "/etc/runit/2", "/etc/runit/3", "/etc/runit/ctrlaltdel", "/etc/sv/getty-tty1/run"} {
		if files[f] != "-" {
			t.Errorf("runit-go lacks %s", f)
		}
	}
	conff := run(t, "", nil, "dpkg-deb", "-I", mainDeb, "conffiles").stdout
	for _, f := range []string{"/etc/runit/1", "/etc/runit/2", "/etc/runit/3", "/etc/runit/ctrlaltdel"} {
		if !strings.Contains(conff, f+"\n") {
			t.Errorf("%s is not a conffile:\n%s", f, conff)
		}
	}
	for _, s := range []string{"postinst", "postrm"} {
		sc := run(t, "", nil, "dpkg-deb", "-I", mainDeb, s)
		if sc.code != 0 || !strings.HasPrefix(sc.stdout, "#!/bin/sh") {
			t.Errorf("runit-go %s missing: %s", s, sc.stderr)
		}
	}
	ifiles := listing(initDeb)
	// The commands are links (postinst makes them again when replacing another init
	// package took them: see ci/deb-replace-test.sh), to programs under /usr/lib.
	for p, want := range map[string]string{"/usr/lib/runit-go/halt": "-", "/usr/lib/runit-go/shutdown": "-",
		"/usr/sbin/halt": "l../lib/runit-go/halt", "/usr/sbin/shutdown": "l../lib/runit-go/shutdown",
		"/usr/sbin/reboot": "l../lib/runit-go/halt", "/usr/sbin/poweroff": "l../lib/runit-go/halt",
		"/usr/sbin/init":                "lrunit-init",
		"/usr/share/man/man8/halt.8.gz": "-", "/usr/share/man/man8/reboot.8.gz": "lhalt.8.gz"} {
		if ifiles[p] != want {
			t.Errorf("runit-go-init %s: %q, want %q", p, ifiles[p], want)
		}
	}
	post := run(t, "", nil, "dpkg-deb", "-I", initDeb, "postinst").stdout
	for _, l := range strings.Split(strings.TrimSpace(readFile(filepath.Join(repoRoot, "pkg/debian/links-init"))), "\n") {
		f := strings.Fields(l)
		if !strings.Contains(post, "\n"+l+"\n") || ifiles["/usr/sbin/"+f[0]] != "l"+f[1] {
			t.Errorf("runit-go-init: link %q not both shipped and made again by postinst:\n%s", l, post)
		}
	}

	// Unpacked, the binaries are the built ones.
	x := t.TempDir()
	if r := run(t, "", nil, "dpkg-deb", "-x", mainDeb, x); r.code != 0 {
		t.Fatalf("dpkg-deb -x: %s", r.stderr)
	}
	if readFile(filepath.Join(x, "usr/bin/sv")) != readFile(filepath.Join(bin, "sv")) {
		t.Error("the packaged /usr/bin/sv is not the built sv")
	}
}

// The FreeBSD port builds sv for /var/service/, the directory its rc.d runsvdir scans:
// its GO_BUILDFLAGS, as go.mk passes them to go build, set the default. (The sv built so
// is run once, for what `sv --json foo` resolves foo to with SVDIR unset.)
func TestSvDefaultDirFreeBSDPort(t *testing.T) {
	m := parsePortMake(readFile(filepath.Join(repoRoot, "pkg/freebsd/Makefile")))
	flags := m.expand(m.vars["GO_BUILDFLAGS"], nil)
	if flags == "" {
		t.Fatal("pkg/freebsd/Makefile: no GO_BUILDFLAGS")
	}
	bin := filepath.Join(t.TempDir(), "sv")
	r := run(t, repoRoot, []string{"CGO_ENABLED=0", "GOTOOLCHAIN=local"}, "sh", "-c", `go build `+flags+` -o "$1" ./cmd/sv`, "sh", bin)
	if r.code != 0 {
		t.Fatalf("go build %s ./cmd/sv: %s", flags, r.stderr)
	}
	r = run(t, t.TempDir(), nil, "env", "-u", "SVDIR", bin, "--json", "foo")
	m2 := regexp.MustCompile(`"dir": "([^"]*)"`).FindStringSubmatch(r.stdout)
	if m2 == nil {
		t.Fatalf("%s --json foo: no dir in %q (stderr %q)", bin, r.stdout, r.stderr)
	}
	if d := m2[1]; d != "/var/service/foo" {
		t.Errorf("the port's sv resolves foo (SVDIR unset) to %s, want /var/service/foo", d)
	}
}
