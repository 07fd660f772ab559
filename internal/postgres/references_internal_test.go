package postgres

import "testing"

// A copy read while a change was notified is not kept (the change may have
// committed after the tables were read); nor is one read while notifications were
// not received. Tables too large to keep are not read again until they change.
func TestReferencesKeep(t *testing.T) {
	c := NewReferences()
	c.Connected(true)
	_, gen, ok := c.peek()
	if !ok {
		t.Fatal("a connected copy may not be read")
	}
	c.forget() // notified while the tables were being read
	if c.keep(&refSnapshot{}, gen) != nil || c.snap != nil {
		t.Error("a copy read before a change was kept")
	}
	_, gen, _ = c.peek()
	s := &refSnapshot{}
	if c.keep(s, gen) != s || c.snap != s {
		t.Error("a current copy was not kept")
	}

	_, gen, _ = c.peek()
	c.Connected(false)
	if c.keep(&refSnapshot{}, gen) != nil || c.snap != nil {
		t.Error("a copy was kept while not listening")
	}
	if _, _, ok := c.peek(); ok {
		t.Error("a copy may be read while not listening")
	}

	c.Connected(true)
	_, gen, _ = c.peek()
	c.keep(nil, gen) // more than MaxReferences facilities
	if _, _, ok := c.peek(); ok {
		t.Error("tables too large are read again before they change")
	}
	c.forget()
	if _, _, ok := c.peek(); !ok {
		t.Error("tables too large are not read again after a change")
	}
}
