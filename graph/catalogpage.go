package graph

import (
	"context"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"tsunagu/graph/generated"
	"tsunagu/graph/gid"
	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// catalogPage writes the JSON of a Query.products field itself, from the page its
// resolver returns and primes, instead of through gqlgen's executor.
//
// Why: gqlgen 0.17.98 spends on every field of every object a field context, a boxed
// result, a marshaller, a field set, a deferred group with the object's path and a
// map of written keys, and on every list element a goroutine
// (MarshalSliceConcurrently). For a catalog page of 50 products with facility,
// municipality and stock that was 85 % of the page's 15,273 allocations and 838 kB,
// and most of its 3.1 ms of Go CPU, ten times the SQL it serves (issue 16). The page's
// values are already loaded when the resolver returns (prime.go), so writing them is
// a walk over the selection and appends to one buffer: see README's Benchmark section
// for the figures after.
//
// What it writes is gqlgen's bytes exactly (catalogpage_test.go compares the two for
// many query shapes, and FuzzCatalogPage for random ones). It takes only what it
// knows: the fields in pageTypes below, no @defer, arguments that parse; anything
// else, and any error of a reference or null where the schema promises a value
// (which gqlgen would report on its path), leaves the whole field to gqlgen, which
// runs the resolver again (the loaders keep what was loaded). The resolver's own
// error it reports itself, as gqlgen would. The resolver, its priming and the
// references' methods are the ones gqlgen calls, so what a user may see is decided
// where it always is; the limits, the request log and the cache are around the
// operation and see no difference.
type catalogPage struct{ r *Resolver }

var _ interface {
	graphql.HandlerExtension
	graphql.RootFieldInterceptor
} = catalogPage{}

func (catalogPage) ExtensionName() string                   { return "CatalogPage" }
func (catalogPage) Validate(graphql.ExecutableSchema) error { return nil }

func (c catalogPage) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rf := graphql.GetRootFieldContext(ctx)
	if rf == nil || rf.Field.Name != "products" || rf.Field.ObjectDefinition == nil ||
		rf.Field.ObjectDefinition.Name != "Query" {
		return next(ctx)
	}
	if b, ok := c.page(ctx, rf.Field); ok {
		if b == nil {
			return graphql.Null
		}
		return &writtenJSON{b}
	}
	return next(ctx)
}

// writtenJSON is a field's value already written, in a buffer of answerBuffers,
// which goes back to the pool once gqlgen has copied the bytes into its answer.
type writtenJSON struct{ b *[]byte }

func (j *writtenJSON) MarshalGQL(w io.Writer) {
	w.Write(*j.b)
	putBuffer(j.b)
	j.b = nil // gqlgen marshals a field once; the bytes are no longer this field's
}

// page resolves and writes the products field into a buffer of answerBuffers; false
// leaves it to gqlgen. When the resolver fails, page reports the error as gqlgen's
// ResolveField does (on the field's path and position, through the error
// presenter) and returns nil, true:
// the field is null, and the operation's data with it (the field is non-null).
// Left to gqlgen, the resolver and its statements would run again only to fail
// again (a statement timeout twice as long).
func (c catalogPage) page(ctx context.Context, field graphql.CollectedField) (b *[]byte, ok bool) {
	defer func() {
		if recover() != nil { // gqlgen, running it again, reports the panic as it does
			b, ok = nil, false
		}
	}()
	oc := graphql.GetOperationContext(ctx)
	plan, ok := compilePage(oc, field.Selections, "ProductConnection")
	if !ok {
		return nil, false
	}
	args, ok := productsArgs(ctx, field.ArgumentMap(oc.Variables))
	if !ok {
		return nil, false
	}
	// The field context gqlgen would give the resolver: priming reads the selection
	// from it.
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: field, Args: args,
		IsMethod: true, IsResolver: true})
	conn, err := c.r.Query().Products(ctx, args["filter"].(*tsunagu.ProductFilter), args["first"].(*int),
		args["after"].(*string), args["locale"].(*tsunagu.Locale), args["orderBy"].(*tsunagu.ProductOrder))
	if err != nil {
		oc.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		return nil, true
	}
	if conn == nil {
		return nil, false
	}
	buf := getBuffer()
	w := pageWriter{ctx: ctx, r: c.r, b: (*buf)[:0]}
	w.connection(plan, conn)
	*buf = w.b
	if !w.ok() {
		putBuffer(buf)
		return nil, false
	}
	return buf, true
}

// productsArgs parses Query.products' arguments as gqlgen's generated parser does
// (raw has the defaults filled in); false for anything it would report.
func productsArgs(ctx context.Context, raw map[string]any) (map[string]any, bool) {
	var filter *tsunagu.ProductFilter
	if v := raw["filter"]; v != nil {
		f, err := generated.UnmarshalProductFilter(ctx, v)
		if err != nil {
			return nil, false
		}
		filter = &f
	}
	first, err1 := optionalArg(raw["first"], graphql.UnmarshalInt)
	after, err2 := optionalArg(raw["after"], graphql.UnmarshalString)
	locale, err3 := optionalArg(raw["locale"], func(v any) (tsunagu.Locale, error) {
		s, err := graphql.UnmarshalString(v)
		return tsunagu.Locale(s), err
	})
	order, err4 := optionalArg(raw["orderBy"], func(v any) (tsunagu.ProductOrder, error) {
		s, err := graphql.UnmarshalString(v)
		return tsunagu.ProductOrder(s), err
	})
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return nil, false
	}
	return map[string]any{"filter": filter, "first": first, "after": after, "locale": locale, "orderBy": order}, true
}

func optionalArg[T any](v any, parse func(any) (T, error)) (*T, error) {
	if v == nil {
		return nil, nil
	}
	t, err := parse(v)
	return &t, err
}

// pageTypes are the types catalogPage writes: for each, gqlgen's implementors (what
// fragments on it may name) and its fields it knows, each with the type of its
// object ("" for a leaf).
var pageTypes = map[string]struct {
	implementors []string
	fields       map[string]string
}{
	"ProductConnection": {[]string{"ProductConnection"}, map[string]string{"edges": "ProductEdge", "pageInfo": "PageInfo"}},
	"ProductEdge":       {[]string{"ProductEdge"}, map[string]string{"cursor": "", "node": "Product"}},
	"PageInfo":          {[]string{"PageInfo"}, map[string]string{"hasNextPage": "", "endCursor": ""}},
	"Product": {[]string{"Product", "Node"}, map[string]string{"id": "", "facility": "Facility",
		"municipality": "Municipality", "name": "", "nameReading": "", "description": "",
		"translations": "Translation", "category": "", "code": "", "codeKind": "", "price": "",
		"taxClass": "", "taxRate": "", "allergens": "", "status": "", "imageUrls": "", "imageAlts": "",
		"stock": "StockLevel", "createdAt": "", "updatedAt": ""}},
	"Facility": {[]string{"Facility", "Node"}, map[string]string{"id": "", "municipality": "Municipality",
		"name": "", "nameKana": "", "kind": "", "corporation": "", "registrationNumber": "",
		"isQualifiedInvoiceIssuer": "", "imageUrls": "", "createdAt": "", "updatedAt": ""}},
	"Municipality": {[]string{"Municipality", "Node"}, map[string]string{"id": "", "code": "", "name": "",
		"nameKana": "", "nameEn": "", "prefecture": "", "isHome": ""}},
	"StockLevel": {[]string{"StockLevel"}, map[string]string{"onHand": "", "reserved": "", "available": "",
		"updatedAt": "", "version": ""}},
	"Translation": {[]string{"Translation"}, map[string]string{"locale": "", "name": "", "description": ""}},
}

// A pageField is one field of the answer: its key as written (`"alias":`), its name,
// the fields of its object, and the location of Product.stock.
type pageField struct {
	key      []byte
	name     string
	sub      []pageField
	location string
}

// compilePage collects the fields of sel on typ as gqlgen does (fragments, @include
// and @skip with the operation's variables, aliases merged), recursively; false when
// one is not in pageTypes or is deferred.
func compilePage(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) ([]pageField, bool) {
	t := pageTypes[typ]
	fields := graphql.CollectFields(oc, sel, t.implementors)
	out := make([]pageField, 0, len(fields))
	for _, f := range fields {
		if len(f.Deferrables) > 0 {
			return nil, false
		}
		pf := pageField{key: append(appendQuoted(nil, f.Alias), ':'), name: f.Name}
		child, known := t.fields[f.Name]
		switch {
		case f.Name == "__typename":
		case !known:
			return nil, false
		case child != "":
			sub, ok := compilePage(oc, f.Selections, child)
			if !ok {
				return nil, false
			}
			pf.sub = sub
		}
		if typ == "Product" && f.Name == "stock" {
			// A location that is not one is an error on each product: gqlgen's to report.
			loc, ok := f.ArgumentMap(oc.Variables)["locationId"].(string)
			if _, err := gid.DecodeKind(loc, gid.KindLocation); !ok || err != nil {
				return nil, false
			}
			pf.location = loc
		}
		out = append(out, pf)
	}
	return out, true
}

// pageWriter appends a page's JSON to b. failed notes a value it cannot write as
// gqlgen would (an error, or null for a non-null field): the page is then gqlgen's.
type pageWriter struct {
	ctx    context.Context
	r      *Resolver
	b      []byte
	failed bool
}

func (w *pageWriter) ok() bool { return !w.failed }

// object writes {"key":value,…} for fs, each value by value.
func (w *pageWriter) object(fs []pageField, value func(*pageField)) {
	w.b = append(w.b, '{')
	for i := range fs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, fs[i].key...)
		value(&fs[i])
	}
	w.b = append(w.b, '}')
}

// list writes [v0,…] for n elements, each by elem.
func (w *pageWriter) list(n int, elem func(int)) {
	w.b = append(w.b, '[')
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		elem(i)
	}
	w.b = append(w.b, ']')
}

func (w *pageWriter) str(s string)            { w.b = appendQuoted(w.b, s) }
func (w *pageWriter) id(kind string, n int64) { w.b = gid.Append(w.b, kind, n) }
func (w *pageWriter) int(n int64)             { w.b = strconv.AppendInt(w.b, n, 10) }
func (w *pageWriter) bool(v bool)             { w.b = strconv.AppendBool(w.b, v) }
func (w *pageWriter) null()                   { w.b = append(w.b, "null"...) }

func (w *pageWriter) optStr(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

func (w *pageWriter) strs(ss []string) { w.list(len(ss), func(i int) { w.str(ss[i]) }) }

func (w *pageWriter) connection(fs []pageField, c *model.ProductConnection) {
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("ProductConnection")
		case "edges":
			w.list(len(c.Edges), func(i int) { w.edge(f.sub, c.Edges[i]) })
		case "pageInfo":
			if c.PageInfo == nil {
				w.failed = true
				return
			}
			w.pageInfo(f.sub, c.PageInfo)
		}
	})
}

func (w *pageWriter) pageInfo(fs []pageField, p *model.PageInfo) {
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("PageInfo")
		case "hasNextPage":
			w.bool(p.HasNextPage)
		case "endCursor":
			w.optStr(p.EndCursor)
		}
	})
}

func (w *pageWriter) edge(fs []pageField, e *model.ProductEdge) {
	if e == nil {
		w.failed = true
		return
	}
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("ProductEdge")
		case "cursor":
			w.str(e.Cursor)
		case "node":
			w.product(f.sub, e.Node)
		}
	})
}

func (w *pageWriter) product(fs []pageField, p *model.Product) {
	if p == nil {
		w.failed = true
		return
	}
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("Product")
		case "id":
			w.id(gid.KindProduct, int64(p.ID))
		case "facility":
			fa, err := p.Facility()
			w.facility(f.sub, fa, err)
		case "municipality":
			m, err := p.Municipality()
			w.municipality(f.sub, m, err)
		case "name":
			w.str(p.Name())
		case "nameReading":
			w.optStr(p.NameReading)
		case "description":
			w.str(p.Description())
		case "translations":
			ts := p.Translations()
			w.list(len(ts), func(i int) { w.translation(f.sub, ts[i]) })
		case "category":
			w.str(string(p.Category))
		case "code":
			w.optStr(p.Code)
		case "codeKind":
			if p.CodeKind == nil {
				w.null()
			} else {
				w.str(string(*p.CodeKind))
			}
		case "price":
			w.int(p.Price)
		case "taxClass":
			w.str(string(p.TaxClass))
		case "taxRate":
			w.int(int64(p.TaxRate()))
		case "allergens":
			w.list(len(p.Allergens), func(i int) { w.str(string(p.Allergens[i])) })
		case "status":
			w.str(string(p.Status))
		case "imageUrls":
			w.strs(p.ImageURLs)
		case "imageAlts":
			w.strs(p.ImageAlts)
		case "stock":
			s, err := p.Stock(f.location)
			w.stockLevel(f.sub, s, err)
		case "createdAt":
			w.b = model.AppendTime(w.b, p.CreatedAt)
		case "updatedAt":
			w.b = model.AppendTime(w.b, p.UpdatedAt)
		}
	})
}

func (w *pageWriter) facility(fs []pageField, fa *tsunagu.Facility, err error) {
	if err != nil || fa == nil {
		w.failed = true
		return
	}
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("Facility")
		case "id":
			w.id(gid.KindFacility, int64(fa.ID))
		case "municipality":
			m, err := w.r.Facility().Municipality(w.ctx, fa)
			w.municipality(f.sub, m, err)
		case "name":
			w.str(fa.Name)
		case "nameKana":
			w.str(fa.NameKana)
		case "kind":
			w.str(string(fa.Kind))
		case "corporation":
			w.str(fa.Corporation)
		case "registrationNumber":
			w.optStr(fa.RegistrationNumber)
		case "isQualifiedInvoiceIssuer":
			w.bool(fa.IsQualifiedInvoiceIssuer())
		case "imageUrls":
			w.strs(fa.ImageURLs)
		case "createdAt":
			w.b = model.AppendTime(w.b, fa.CreatedAt)
		case "updatedAt":
			w.b = model.AppendTime(w.b, fa.UpdatedAt)
		}
	})
}

func (w *pageWriter) municipality(fs []pageField, m *tsunagu.Municipality, err error) {
	if err != nil || m == nil {
		w.failed = true
		return
	}
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("Municipality")
		case "id":
			w.id(gid.KindMunicipality, int64(m.ID))
		case "code":
			w.str(m.Code)
		case "name":
			w.str(m.Name)
		case "nameKana":
			w.str(m.NameKana)
		case "nameEn":
			w.str(m.NameEn)
		case "prefecture":
			w.str(m.Prefecture)
		case "isHome":
			w.bool(m.IsHome)
		}
	})
}

// stockLevel writes Product.stock: null when there is none (or the user may not see it).
func (w *pageWriter) stockLevel(fs []pageField, s *tsunagu.StockLevel, err error) {
	if err != nil {
		w.failed = true
		return
	}
	if s == nil {
		w.null()
		return
	}
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("StockLevel")
		case "onHand":
			w.int(int64(s.OnHand))
		case "reserved":
			w.int(int64(s.Reserved))
		case "available":
			w.int(int64(s.Available()))
		case "version":
			w.int(s.Version)
		case "updatedAt":
			w.b = model.AppendTime(w.b, s.UpdatedAt)
		}
	})
}

func (w *pageWriter) translation(fs []pageField, t *model.Translation) {
	w.object(fs, func(f *pageField) {
		switch f.name {
		case "__typename":
			w.str("Translation")
		case "locale":
			w.str(string(t.Locale))
		case "name":
			w.str(t.Name)
		case "description":
			w.str(t.Description)
		}
	})
}

// appendQuoted appends s as a JSON string exactly as gqlgen's graphql.MarshalString
// writes it (its writeQuotedString): only control characters, \ and " escaped, the
// rest, invalid UTF-8 included, as it is.
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, `\t`...)
		case '\r':
			b = append(b, `\r`...)
		case '\n':
			b = append(b, `\n`...)
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
