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
		id, ok := db.Group(g)
		if !ok {
			return IDs{}, "unknown user/group: " + s
		}
		if len(gids) < maxGroups {
			gids = append(gids, id)
		}
	}
	return IDs{uid, gids}, ""
}

// numericIDs parses `uid:gid[:gid...]` (the part after the leading ':'). As in C runit an
// empty number is 0, so `::` is uid 0 gid 0 and a trailing ':' adds group 0.
func numericIDs(s string) (IDs, string) {
	bad := "invalid uid/gids: " + s
	uid, n := scanUlong(s)
	if n >= len(s) || s[n] != ':' || uid > 1<<31-1 {
		return IDs{}, bad
	}
	p := s[n+1:]
	var gids []int
	for {
		g, n := scanUlong(p)
		if g > 1<<31-1 {
			return IDs{}, bad
		}
		if len(gids) < maxGroups {
			gids = append(gids, int(g))
		}
		p = p[n:]
		if p == "" {
			break
		}
		if p[0] != ':' {
			return IDs{}, bad
		}
		p = p[1:]
	}
	return IDs{int(uid), gids}, ""
}
