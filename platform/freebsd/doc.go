//go:build freebsd || openbsd || netbsd

// Package freebsd is the backend of package platform for the BSDs: FreeBSD, OpenBSD and
// NetBSD, which share most of their calls. Where they differ, a file's build constraint
// (or its _freebsd.go, _openbsd.go or _netbsd.go suffix) picks the system. Only package platform imports
// it, in system_bsd.go, which puts these functions into platform's OS hooks; core calls
// platform. Files are named for their concern.
package freebsd
