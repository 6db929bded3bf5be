//go:build darwin

package darwin

// UtmpFiles: macOS keeps current logins in /var/run/utmpx and sends the login log to
// the Apple System Log instead of a wtmp file, so there is no log file to append to:
// utmpset -w says so rather than writing a file nothing reads.
func UtmpFiles() (layout, utmp, wtmp string) { return "darwin", "/var/run/utmpx", "" }
