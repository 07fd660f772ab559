package graph_test

import "tsunagu/internal/pgtest"

// snapshot returns every row of the database as JSON, so a test can assert that a
// refused mutation changed nothing.
func (a *api) snapshot() string {
	a.t.Helper()
	return pgtest.Snapshot(a.t, a.db.SQL())
}

// unchanged fails the test when the database differs from before.
func (a *api) unchanged(before string) {
	a.t.Helper()
	if after := a.snapshot(); after != before {
		a.t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
	}
}
