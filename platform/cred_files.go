//go:build unix && !darwin

package platform

// UserDBNote is added to "unknown user/group" messages: nothing here, where /etc/passwd
// and /etc/group are the account database.
func UserDBNote() string { return "" }
