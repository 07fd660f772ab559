package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/alexedwards/argon2id"
)

// New passwords are hashed in the hash slots too, as sign-in's checks are: with
// every slot taken, a request waits, and gives up when it ends, having hashed
// nothing; a free slot lets it through.
func TestHashPasswordWaitsForASlot(t *testing.T) {
	s := &AuthService{PasswordParams: &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}}
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if h, err := s.hashPassword(ctx, "a long enough password"); !errors.Is(err, context.Canceled) || h != "" {
		t.Errorf("with every slot taken: %q, %v; want no hash and context.Canceled", h, err)
	}
	<-hashSlots
	h, err := s.hashPassword(context.Background(), "a long enough password")
	if err != nil || h == "" {
		t.Errorf("with a slot free: %q, %v", h, err)
	}
	for range cap(hashSlots) - 1 {
		<-hashSlots
	}
}
