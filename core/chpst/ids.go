package chpst

import (
	"errors"
	"strings"
)

// UserDB is the account database chpst resolves names in. The real one is platform's
// /etc/passwd and /etc/group reader; tests and fuzzing pass a fake.
type UserDB interface {
	// User returns the uid and primary gid of the named account; ErrNoEntry when there is
	// none, another error when the database could not be read.
	User(name string) (uid, gid int, err error)
	// Group returns the gid of the named group, with User's errors.
	Group(name string) (gid int, err error)
}

// ErrNoEntry is a UserDB's answer for a name it does not have.
var ErrNoEntry = errors.New("no such entry")

// IDs is a resolved user: its uid and the group list, the first being the primary group.
type IDs struct {
	UID  int
	GIDs []int
}

// maxGroups bounds the group list as runit does (its array holds 60 groups).
const maxGroups = 60

// resolveIDs turns a -u/-U operand into IDs. ext allows the chpst forms
// `user:group[:group...]` and `:uid:gid[:gid...]`; without it (setuidgid, envuidgid)
// the operand is an account name only. On failure it returns C chpst's message, and the
// error when the account database could not be read (C's errno after getpwnam).
func resolveIDs(db UserDB, s string, ext bool) (IDs, string, error) {
	if !ext {
		uid, gid, err := db.User(s)
		if err != nil {
			return lookupFail(err, "unable to get password file entry", "unknown account: "+s)
		}
		return IDs{uid, []int{gid}}, "", nil
	}
	if strings.HasPrefix(s, ":") {
		ids, msg := numericIDs(s[1:])
		return ids, msg, nil
	}
	fail := func(err error) (IDs, string, error) {
		return lookupFail(err, "unable to get password/group file entry", "unknown user/group: "+s)
	}
	user, groups, hasGroups := strings.Cut(s, ":")
	uid, gid, err := db.User(user)
	if err != nil {
		return fail(err)
	}
	if !hasGroups {
		return IDs{uid, []int{gid}}, "", nil
	}
	var gids []int
	for _, g := range strings.Split(groups, ":") {
		// C runit stops at its array's end: later names are not even looked up.
		if len(gids) == maxGroups {
			break
		}
		id, err := db.Group(g)
		if err != nil {
			return fail(err)
		}
		gids = append(gids, id)
	}
	return IDs{uid, gids}, "", nil
}

// lookupFail is resolveIDs' answer to a failed lookup: the unknown message for a name
// the database lacks, the unreadable one and the error when it could not be read.
func lookupFail(err error, unreadable, unknown string) (IDs, string, error) {
	if errors.Is(err, ErrNoEntry) {
		return IDs{}, unknown, nil
	}
	return IDs{}, unreadable, err
}

// maxID is the largest id the numeric form accepts: uid_t and gid_t are 32 bits. C runit
// takes a larger number modulo 2^32, so that `:4294967296:1` is root; we refuse it
// instead, deliberately. 4294967295 ((uid_t)-1) is accepted, as in C, and refused by the
// kernel at setuid/setgroups.
const maxID = 1<<32 - 1

// numericIDs parses `uid:gid[:gid...]` (the part after the leading ':'). As in C runit an
// empty number is 0, so `::` is uid 0 gid 0 and a trailing ':' adds group 0, except after
// the 60th group, where C's loop has ended; a 61st group is an error, as in C.
func numericIDs(s string) (IDs, string) {
	bad := "invalid uid/gids: " + s
	uid, n := scanUlong(s)
	if n >= len(s) || s[n] != ':' || uid > maxID {
		return IDs{}, bad
	}
	p := s[n+1:]
	var gids []int
	for {
		g, n := scanUlong(p)
		if g > maxID {
			return IDs{}, bad
		}
		gids = append(gids, int(g))
		p = p[n:]
		if p == "" {
			break
		}
		if p[0] != ':' {
			return IDs{}, bad
		}
		p = p[1:]
		if len(gids) == maxGroups {
			if p != "" {
				return IDs{}, bad
			}
			break
		}
	}
	return IDs{int(uid), gids}, ""
}
