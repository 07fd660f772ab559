package graph

import (
	"context"

	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// Helpers of the account resolvers.

// loginPayload is the payload of login and signUp: the new session's token.
func loginPayload(ctx context.Context, s *tsunagu.Session, err error) (*model.LoginPayload, error) {
	var u *tsunagu.User
	if s != nil {
		u = s.User
	}
	errs, err := primedPayload(ctx, u, err, (*primer).user, "user")
	if err != nil || len(errs) > 0 {
		return &model.LoginPayload{UserErrors: errs}, err
	}
	return &model.LoginPayload{Token: &s.Token, ExpiresAt: &s.ExpiresAt, User: s.User, UserErrors: errs}, nil
}

func invitationPayload(v *tsunagu.Invitation, err error) (*model.InviteStaffPayload, error) {
	errs, err := userErrors(err)
	if err != nil || len(errs) > 0 {
		return &model.InviteStaffPayload{UserErrors: errs}, err
	}
	return &model.InviteStaffPayload{Invitation: v, UserErrors: errs}, nil
}

func staffPayload(ctx context.Context, u *tsunagu.User, err error) (*model.StaffPayload, error) {
	errs, err := primedPayload(ctx, u, err, (*primer).user, "user")
	if err != nil || len(errs) > 0 {
		return &model.StaffPayload{UserErrors: errs}, err
	}
	return &model.StaffPayload{User: u, UserErrors: errs}, nil
}
