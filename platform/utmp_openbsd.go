package platform

// UtmpFiles: OpenBSD keeps the old utmp/wtmp (no utmpx, no ut_type).
func UtmpFiles() (layout, utmp, wtmp string) { return "openbsd", "/var/run/utmp", "/var/log/wtmp" }

// UtmpOldFiles: no older login database is kept beside the one above.
func UtmpOldFiles() (layout, utmp, wtmp string) { return "", "", "" }
