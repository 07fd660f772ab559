package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"tsunagu/internal/tsunagu"
)

// MarshalTime writes a time as RFC 3339 with nanoseconds, as gqlgen's Time does.
func MarshalTime(t time.Time) graphql.Marshaler {
	if t.IsZero() {
		return graphql.Null
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 time. A time that is not one, or a date that does
// not exist (2026-02-30), is INVALID_INPUT saying so, never an internal error.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, tsunagu.Errorf(tsunagu.CodeInvalidInput, "", "A time is a string such as 2026-02-28T09:00:00+09:00, not %T.", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, tsunagu.Errorf(tsunagu.CodeInvalidInput, "",
			"%q is not a date and time that exists: give one such as 2026-02-28T09:00:00+09:00.", s)
	}
	return t, nil
}
