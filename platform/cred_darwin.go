package platform

// UserDBNote is added to "unknown user/group" messages. macOS keeps its accounts in
// Directory Services (opendirectoryd), not in /etc/passwd and /etc/group, which hold only
// the system accounts used in single-user mode; without cgo we cannot call its API, and
// running dscl for every chpst would be slow and fragile. So we read the files, and say so
// when a name is missing: the numeric form `-u :uid:gid` always works.
func UserDBNote() string {
	return " (macOS: only /etc/passwd and /etc/group are read, not Directory Services; use -u :uid:gid)"
}
