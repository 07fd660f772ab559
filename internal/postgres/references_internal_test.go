package postgres

import (
	"context"
	"errors"
	"testing"
	"time"
)

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

// A request that needs the copy while another reads it waits for that read no
// longer than its own context allows: the reader's deadline is not its own.
func TestReferencesWaitEnds(t *testing.T) {
	c := NewReferences()
	c.Connected(true)
	if !c.lockLoading(context.Background()) {
		t.Fatal("the load's lock was not taken")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.current(ctx, nil) // another is reading the tables
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("waiting past its deadline: %v, want the deadline's error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waits for another's read of the tables past its own deadline")
	}
	c.unlockLoading()
}
