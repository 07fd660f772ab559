package graph

import (
	"tsunagu/internal/tsunagu"
)

// userErrors splits a service's error for a mutation payload. Business and
// validation failures, and unknown objects that the input refers to (a NOT_FOUND
// naming a field), go into the payload's userErrors. Missing or wrong credentials,
// forbidden access, an unknown object acted on (NOT_FOUND without a field), a
// timeout and internal failures are returned as the GraphQL error.
func userErrors(err error) ([]*tsunagu.Error, error) {
	if err == nil {
		return []*tsunagu.Error{}, nil
	}
	errs := tsunagu.UserErrors(err)
	if errs == nil {
		return nil, err
	}
	for _, e := range errs {
		switch {
		case e.Code == tsunagu.CodeUnauthenticated, e.Code == tsunagu.CodeForbidden,
			e.Code == tsunagu.CodeTimeout, e.Code == tsunagu.CodeUnavailable, e.Code == tsunagu.CodeNotFound && e.Field == "":
			return nil, e
		}
	}
	return errs, nil
}
