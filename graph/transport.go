package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/internal/tsunagu"
)

// The media types of the GraphQL-over-HTTP specification
// (graphql.github.io/graphql-over-http/draft): requests are application/json;
// answers are application/graphql-response+json when the client accepts it, whose
// status codes say whether the request was executed, else application/json, which
// answers every well-formed request with 200.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// graphqlPOST is the POST transport of the GraphQL-over-HTTP specification. Unlike
// gqlgen's transport.POST it answers a request that fails before execution (parse or
// validation, the limits of limits.go) without a "data" entry, as the GraphQL
// specification says, with 400 under application/graphql-response+json and 200
// under application/json (gqlgen answers 422 there, which clients and proxies read
// as a failed request).
type graphqlPOST struct{}

var _ graphql.Transport = graphqlPOST{}

func (graphqlPOST) Supports(r *http.Request) bool {
	return r.Method == http.MethodPost && r.Header.Get("Upgrade") == "" && jsonRequest(r)
}

// jsonRequest reports whether r's body is declared as application/json (any charset).
func jsonRequest(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == mediaJSON
}

// acceptsGraphQLResponse reports whether the Accept header lists
// application/graphql-response+json (with a q above 0).
func acceptsGraphQLResponse(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == mediaGraphQLResponse && params["q"] != "0" {
			return true
		}
	}
	return false
}

func (graphqlPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	strict := acceptsGraphQLResponse(r.Header.Get("Accept"))
	if strict {
		w.Header().Set("Content-Type", mediaGraphQLResponse)
	} else {
		w.Header().Set("Content-Type", mediaJSON)
	}
	start := graphql.Now()
	var params graphql.RawParams
	body, err := io.ReadAll(r.Body)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		err = dec.Decode(&params)
	}
	if err != nil {
		// Not a GraphQL-over-HTTP request at all: 400 whatever the media type.
		e := tsunagu.Errorf(tsunagu.CodeInvalidInput, "", "The body is not a GraphQL request in JSON ({\"query\": \"…\", \"variables\": {…}}).")
		infoFrom(ctx).result = string(tsunagu.ErrorCode(e))
		writeError(w, http.StatusBadRequest, e)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if len(resp.Errors) > 0 {
			infoFrom(ctx).result = "ERROR"
			if c, ok := resp.Errors[0].Extensions["code"]; ok {
				infoFrom(ctx).result = fmt.Sprint(c)
			}
		}
		if strict {
			w.WriteHeader(http.StatusBadRequest)
		}
		json.NewEncoder(w).Encode(struct {
			Errors     gqlerror.List  `json:"errors"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	buf := getBuffer()
	b, err := encodeResponse((*buf)[:0], resp)
	if err != nil {
		panic(err) // as gqlgen's transports: a response that cannot be encoded is a bug
	}
	if resp != nil {
		// Written whole in one Write, and with its length: net/http sends a
		// catalog page in two write(2)s instead of three chunked (the closing
		// chunk is the third), and write(2) was 17 % of the server's CPU in
		// make bench's catalog cases. Not for "null" (the request's time ran
		// out), which deadlineWriter replaces with a longer answer.
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	}
	w.Write(b)
	*buf = b
	putBuffer(buf)
}

// htmlSafe says whether json.HTMLEscape would leave b as it is: no <, > or &, and
// no U+2028 or U+2029. HTMLEscape looks at every byte in a loop; these are a few
// vectorised scans (most answers have nothing to escape): json.HTMLEscape was
// 1.5 % of the uncached catalog's CPU in make bench (issue 16).
func htmlSafe(b []byte) bool {
	return bytes.IndexByte(b, '<') < 0 && bytes.IndexByte(b, '>') < 0 && bytes.IndexByte(b, '&') < 0 &&
		!bytes.Contains(b, []byte("\u2028")) && !bytes.Contains(b, []byte("\u2029"))
}

// encodeResponse appends json.Marshal(r) to dst, but for r.Data, which gqlgen wrote
// compact and valid: json.Marshal runs a json.RawMessage through its scanner byte by
// byte to compact it, and copies it twice; here it is only HTML-escaped as
// json.Marshal escapes it, so the bytes are the same. That scan was 3 % of an
// uncached catalog page's CPU and 15 kB of its allocations (issue 16).
func encodeResponse(dst []byte, r *graphql.Response) ([]byte, error) {
	if r == nil { // no response: the request's time ran out
		return append(dst, "null"...), nil
	}
	start := len(dst)
	b := bytes.NewBuffer(dst)
	b.Grow(len(r.Data) + len(r.Data)/16 + 64)
	b.WriteByte('{')
	// The fields in the order, and with the omitempty, of graphql.Response's tags.
	for _, f := range []struct {
		name string
		v    any
		ok   bool
	}{
		{"errors", r.Errors, len(r.Errors) > 0},
		{"data", r.Data, true},
		{"label", r.Label, r.Label != ""},
		{"path", r.Path, len(r.Path) > 0},
		{"hasNext", r.HasNext, r.HasNext != nil},
		{"extensions", r.Extensions, len(r.Extensions) > 0},
	} {
		if !f.ok {
			continue
		}
		if b.Len() > start+1 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + f.name + `":`)
		if f.name == "data" && r.Data != nil {
			if htmlSafe(r.Data) {
				b.Write(r.Data)
			} else {
				json.HTMLEscape(b, r.Data)
			}
			continue
		}
		j, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(j)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
