package pgcluster

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// osUser is the OS user the PostgreSQL programs run as when the process is root.
type osUser struct {
	name   string
	uid    int
	gid    int
	groups []uint32
}

// postgresOwner returns the "postgres" OS user when the process runs as root, for
// initdb, pg_ctl and postgres all refuse root; otherwise nil, meaning the current
// user owns the cluster.
func postgresOwner() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root, PostgreSQL must run as the postgres OS user, which is missing (%v): %s", err, installHint)
	}
	o := &osUser{name: u.Username}
	if o.uid, err = strconv.Atoi(u.Uid); err != nil {
		return nil, fmt.Errorf("pgcluster: postgres uid %q: %w", u.Uid, err)
	}
	if o.gid, err = strconv.Atoi(u.Gid); err != nil {
		return nil, fmt.Errorf("pgcluster: postgres gid %q: %w", u.Gid, err)
	}
	gids, err := u.GroupIds()
	if err != nil {
		gids = []string{u.Gid}
	}
	for _, g := range gids {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			o.groups = append(o.groups, uint32(n))
		}
	}
	return o, nil
}

func (o *osUser) credential() *syscall.Credential {
	return &syscall.Credential{Uid: uint32(o.uid), Gid: uint32(o.gid), Groups: o.groups}
}

// chown hands path to the user; a nil user owns everything already.
func (o *osUser) chown(path string) error {
	if o == nil {
		return nil
	}
	if err := os.Chown(path, o.uid, o.gid); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

// checkReachable fails, naming the folder and the fix, when the user cannot enter
// a parent folder of dir, or cannot enter and write dir itself. This is the usual
// trap when running as root: os.MkdirTemp and t.TempDir create 0700 folders, and
// root's home is 0700. The check reads permission bits only, not ACLs.
func (o *osUser) checkReachable(dir string) error {
	if o == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if !o.may(fi, 1) {
			return fmt.Errorf("pgcluster: the %s OS user cannot enter %s (mode %v), which holds %s; PostgreSQL runs as %[1]s because it refuses root: run `chmod o+x %[2]s`, or choose a folder outside it",
				o.name, p, fi.Mode(), dir)
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if !o.may(fi, 3) {
		return fmt.Errorf("pgcluster: the %s OS user cannot write in %s (mode %v); PostgreSQL runs as %[1]s because it refuses root: run `chown %[1]s %[2]s`, or choose another folder",
			o.name, dir, fi.Mode())
	}
	return nil
}

// may reports whether the user has the permission bits want (1 search, 2 write,
// 4 read) on fi, applying the owner, group or other bits as the kernel does.
func (o *osUser) may(fi os.FileInfo, want os.FileMode) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	perm := fi.Mode().Perm()
	switch {
	case int(st.Uid) == o.uid:
		perm >>= 6
	case int(st.Gid) == o.gid || slices.Contains(o.groups, st.Gid):
		perm >>= 3
	}
	return perm&want == want
}
