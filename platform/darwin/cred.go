//go:build darwin

package darwin

import (
	"github.com/runit-go/runit/platform/posix"
)

// dsclPath is dscl(1). macOS keeps most accounts in Directory Services (opendirectoryd),
// not in /etc/passwd and /etc/group, which hold only the accounts single-user mode needs;
// without cgo we cannot call its API, so a name the files lack is asked of dscl, in the
// /Search node that getpwnam and getgrnam search too. A fixed path: chpst often runs as
// root with the caller's environment.
var dsclPath = "/usr/bin/dscl"

// LookupUser asks Directory Services for a user missing from /etc/passwd.
func LookupUser(name string) (uid, gid int, ok bool) {
	v := dscl("/Users/"+name, "UniqueID", "PrimaryGroupID")
	u, ok1 := posix.ParseID(v["UniqueID"])
	g, ok2 := posix.ParseID(v["PrimaryGroupID"])
	return u, g, ok1 && ok2
}

// LookupGroup asks Directory Services for a group missing from /etc/group.
func LookupGroup(name string) (gid int, ok bool) {
	return posix.ParseID(dscl("/Groups/"+name, "PrimaryGroupID")["PrimaryGroupID"])
}

// dscl reads attributes of a record, or nothing when it fails (no such record: exit 56).
func dscl(record string, attrs ...string) map[string]string {
	out, err := posix.Output(dsclPath, append([]string{"dscl", "/Search", "-read", record}, attrs...)...)
	if err != nil {
		return nil
	}
	return dsclValues(out)
}
