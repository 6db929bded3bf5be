package platform

// UtmpFiles: Solaris and illumos keep utmpx and wtmpx (struct futmpx) in /var/adm.
func UtmpFiles() (layout, utmp, wtmp string) { return "solaris", "/var/adm/utmpx", "/var/adm/wtmpx" }

// UtmpOldFiles: no older login database is kept beside the one above.
func UtmpOldFiles() (layout, utmp, wtmp string) { return "", "", "" }
