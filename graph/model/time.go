package model

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"tsunagu/internal/tsunagu"
)

// MarshalTime writes a time as RFC 3339 with nanoseconds, as gqlgen's Time does.
func MarshalTime(t time.Time) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(AppendTime(nil, t))
		return err
	})
}

// AppendTime appends what MarshalTime writes to b: the zero time as null.
func AppendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	return strconv.AppendQuote(b, t.Format(time.RFC3339Nano))
}

// UnmarshalTime reads an RFC 3339 time. A time that is not one, or a date that does
// not exist (2026-02-30), is INVALID_INPUT on the input field it was given for
// (filter.since), saying so, never an internal error.
func UnmarshalTime(ctx context.Context, v any) (time.Time, error) {
	s, ok := v.(string)
	field := argumentPath(ctx)
	if !ok {
		return time.Time{}, tsunagu.Errorf(tsunagu.CodeInvalidInput, field, "A time is a string such as 2026-02-28T09:00:00+09:00, not %T.", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, tsunagu.Errorf(tsunagu.CodeInvalidInput, field,
			"%q is not a date and time that exists: give one such as 2026-02-28T09:00:00+09:00.", s)
	}
	return t, nil
}

// argumentPath is where in the arguments of its field the value being read is, as
// userErrors name fields (filter.since): the input's path without the field's own.
func argumentPath(ctx context.Context) string {
	pc := graphql.GetPathContext(ctx)
	if pc == nil {
		return ""
	}
	path := pc.Path()
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		if own := len(fc.Path()); own <= len(path) {
			path = path[own:]
		}
	}
	return path.String()
}
