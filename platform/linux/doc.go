//go:build linux

// Package linux is the Linux backend of package platform: the calls and /proc files only
// Linux has (cgroups, inotify, renameat2, abstract sockets, the subreaper...). Only package
// platform imports it, in system_linux.go, which puts these functions into platform's OS
// hooks; core calls platform. Files are named for their concern.
package linux
