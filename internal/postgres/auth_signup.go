package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

// SignUp creates a shopper's account (role CUSTOMER), e-mails the link that
// verifies its address, and signs it in: the orders of its checkouts are then its
// own. Returns validation errors (input.email, input.password) or DUPLICATE
// (input.email) for an address in use, and then creates nothing.
func (s *AuthService) SignUp(ctx context.Context, in tsunagu.SignUpInput) (_ *tsunagu.Session, err error) {
	defer wrap(&err, "AuthService.SignUp")
	// CreateUser decides who may create accounts; a sign-up creates only a customer,
	// which anyone may.
	sys := tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	u, err := s.CreateUser(sys, NewUserInput{Email: in.Email, Password: in.Password, Name: in.Name, Role: tsunagu.RoleCustomer})
	if err != nil {
		return nil, err
	}
	// A link lost here (the account is made already) is asked for again with
	// requestEmailVerification.
	if err := sendVerification(ctx, s.db.q(), u, in.Locale); err != nil {
		return nil, err
	}
	return s.Login(ctx, tsunagu.LoginInput{Email: in.Email, Password: in.Password})
}
