package platform

// UtmpFiles names the login-record layout (a core/utmp layout name) and the paths of the
// current-logins and login-log files. The log path is empty where the system keeps no
// log file (macOS logs through ASL).
func UtmpFiles() (layout, utmp, wtmp string) { return sys.UtmpFiles() }

// UtmpOldFiles names an older login database the system's tools still read beside the
// current one (NetBSD's utmp and wtmp beside utmpx and wtmpx), or returns empty strings.
func UtmpOldFiles() (layout, utmp, wtmp string) {
	if sys.UtmpOldFiles == nil {
		return "", "", ""
	}
	return sys.UtmpOldFiles()
}
