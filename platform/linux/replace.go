//go:build linux

package linux

import "golang.org/x/sys/unix"

// Replace makes path name the file now at tmp, atomically: a reader opening path sees the
// old file or the new one, never a mix, and a reader that has the old one open keeps it
// unchanged. It is rename(2)'s guarantee, reached another way: ext4 flushes the new file's
// data on a rename over an existing file (its replace-via-rename heuristic), which costs
// about 150 µs per supervise/ file here; exchanging the two names and then unlinking the
// old file skips that flush and puts the unlink after the moment the new file is visible.
// Where the file system cannot exchange (or path does not exist yet), it renames.
func Replace(tmp, path string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, path, unix.RENAME_EXCHANGE)
	if err != nil {
		return unix.Rename(tmp, path)
	}
	// Should the unlink fail, the new file is still in place; the old one lingers under
	// tmp until the next write truncates it, as after a crash between write and rename.
	_ = unix.Unlink(tmp)
	return nil
}
