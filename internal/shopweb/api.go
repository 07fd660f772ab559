package shopweb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
)

// api calls the public GraphQL API in process: each call is an HTTP request to
// POST /graphql served by the API's own handler, so it passes the same limits,
// rate buckets (the shopper's address, not ours), catalog cache and
// authentication as a request from outside. The storefront never reads around it.
type api struct{ h http.Handler }

// userError is one entry of a payload's userErrors.
type userError struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// gqlError is a GraphQL error: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED…
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// apiError is an answer with GraphQL errors and no usable data.
type apiError struct {
	status int
	errs   []gqlError
}

func (e *apiError) Error() string {
	if len(e.errs) == 0 {
		return fmt.Sprintf("graphql: HTTP %d", e.status)
	}
	return fmt.Sprintf("graphql: %s (%s)", e.errs[0].Message, e.errs[0].Extensions.Code)
}

// code is the first error's extensions.code ("" when there is none).
func (e *apiError) code() string {
	if len(e.errs) == 0 {
		return ""
	}
	return e.errs[0].Extensions.Code
}

// errorCode gives the GraphQL error code of err, or "" for another error.
func errorCode(err error) string {
	if e, ok := err.(*apiError); ok {
		return e.code()
	}
	return ""
}

// do runs one operation for the shopper's request r (its address and, when given,
// the session's bearer token) and decodes data into out. A GraphQL error fails
// the call.
func (a api) do(r *http.Request, token, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(r.Context())
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	// The shopper's address as the API would see it: the TCP peer, and behind a
	// trusted proxy the addresses it forwarded.
	req.RemoteAddr = r.RemoteAddr
	for _, v := range r.Header.Values("X-Forwarded-For") {
		req.Header.Add("X-Forwarded-For", v)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		return fmt.Errorf("graphql: HTTP %d: %s", rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	if len(res.Errors) > 0 {
		return &apiError{status: rec.Code, errs: res.Errors}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(res.Data, out)
}
