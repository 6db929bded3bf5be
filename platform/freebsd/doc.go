//go:build freebsd || openbsd || netbsd

// Package freebsd is the backend for FreeBSD, OpenBSD and NetBSD of package platform. Only package platform imports it;
// core reaches it through platform's forwarders. Files here are named for their concern
// (reboot_, console_, cred_, rlimit_, utmp_, proc_ ...).
package freebsd
