package freebsd

// UtmpFiles: NetBSD's utmpx files, which its login writes (see UtmpOldFiles for the old ones).
func UtmpFiles() (layout, utmp, wtmp string) { return "netbsd", "/var/run/utmpx", "/var/log/wtmpx" }

// UtmpOldFiles: NetBSD's who and w (built with SUPPORT_UTMP, as releases long were) also
// read the old utmp, and show its entry for a line that has no live utmpx entry, which
// is what a logout leaves; C runit's utmpset writes only these files there.
var UtmpOldFiles = func() (layout, utmp, wtmp string) {
	return "netbsd-utmp", "/var/run/utmp", "/var/log/wtmp"
}
