package chpst

import "strings"

// UserDB is the account database chpst resolves names in. The real one is platform's
// /etc/passwd and /etc/group reader; tests and fuzzing pass a fake.
type UserDB interface {
	// User returns the uid and primary gid of the named account.
	User(name string) (uid, gid int, ok bool)
	// Group returns the gid of the named group.
	Group(name string) (gid int, ok bool)
}

// IDs is a resolved user: its uid and the group list, the first being the primary group.
type IDs struct {
	UID  int
	GIDs []int
}

// maxGroups bounds the group list as runit does (its array holds 60 groups).
const maxGroups = 60

// resolveIDs turns a -u/-U operand into IDs. ext allows the chpst forms
// `user:group[:group...]` and `:uid:gid[:gid...]`; without it (setuidgid, envuidgid)
// the operand is an account name only. The returned string is the message for failure.
func resolveIDs(db UserDB, s string, ext bool) (IDs, string) {
	if !ext {
		uid, gid, ok := db.User(s)
		if !ok {
			return IDs{}, "unknown account: " + s
		}
		return IDs{uid, []int{gid}}, ""
	}
	if strings.HasPrefix(s, ":") {
		return numericIDs(s[1:])
	}
	user, groups, hasGroups := strings.Cut(s, ":")
	uid, gid, ok := db.User(user)
	if !ok {
		return IDs{}, "unknown user/group: " + s
	}
	if !hasGroups {
		return IDs{uid, []int{gid}}, ""
	}
	var gids []int
	for _, g := range strings.Split(groups, ":") {
		// C runit stops at its array's end: later names are not even looked up.
		if len(gids) == maxGroups {
			break
		}
		id, ok := db.Group(g)
		if !ok {
			return IDs{}, "unknown user/group: " + s
		}
		gids = append(gids, id)
	}
	return IDs{uid, gids}, ""
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
