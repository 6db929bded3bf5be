//go:build linux

package linux

// UtmpFiles names the login-record layout (a core/utmp layout name) and the paths of
// the current-logins and login-log files: glibc's utmp and wtmp (_PATH_UTMP, _PATH_WTMP).
// The record differs between architectures (see utmp_glibc*.go).
func UtmpFiles() (layout, utmp, wtmp string) {
	return glibcUtmpLayout, "/var/run/utmp", "/var/log/wtmp"
}
