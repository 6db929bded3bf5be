package freebsd

// UtmpFiles: FreeBSD (9 and later) has no utmp, only utmpx kept by libc in its own
// packed format: utx.active for current logins, utx.log for the log (see core/utmp).
func UtmpFiles() (layout, utmp, wtmp string) {
	return "freebsd", "/var/run/utx.active", "/var/log/utx.log"
}

// UtmpOldFiles is nil: no older login database is kept beside the one above.
var UtmpOldFiles func() (layout, utmp, wtmp string)
