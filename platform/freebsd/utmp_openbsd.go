package freebsd

// UtmpFiles: OpenBSD keeps the old utmp/wtmp (no utmpx, no ut_type).
func UtmpFiles() (layout, utmp, wtmp string) { return "openbsd", "/var/run/utmp", "/var/log/wtmp" }

// UtmpOldFiles is nil: no older login database is kept beside the one above.
var UtmpOldFiles func() (layout, utmp, wtmp string)
