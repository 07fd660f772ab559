package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"tsunagu/graph/model"
	"tsunagu/internal/tsunagu"
)

// A cursor is the base64url of "k:<key>", the keyset position after an item.

func encodeCursor(key int64) string {
	// Made on the stack, one allocation for the string instead of three (a page
	// has a cursor per item; issue 16).
	var src [24]byte
	var out [32]byte
	return string(base64.RawURLEncoding.AppendEncode(out[:0], strconv.AppendInt(append(src[:0], "k:"...), key, 10)))
}

// pageArgs converts the connection arguments. A cursor that is not ours gives
// INVALID_INPUT.
func pageArgs(first *int, after *string) (tsunagu.PageArgs, error) {
	p := tsunagu.PageArgs{}
	if first != nil {
		p.First = *first
		if p.First == 0 {
			return p, tsunagu.Errorf(tsunagu.CodeOutOfRange, "first", "Ask for 1 to %d items per page.", tsunagu.MaxPageSize)
		}
	}
	if after != nil && *after != "" {
		b, err := base64.RawURLEncoding.DecodeString(*after)
		s, ok := strings.CutPrefix(string(b), "k:")
		key, perr := strconv.ParseInt(s, 10, 64)
		if err != nil || !ok || perr != nil || key < 0 {
			return p, tsunagu.Errorf(tsunagu.CodeInvalidInput, "after", "This cursor is not valid; start again from the first page.")
		}
		p.After = key
	}
	return p, p.Validate()
}

// An ordered product list's cursor is the base64url of "o:<order>:<id>:<key>"
// (ProductOrder.Key), so that a cursor of one order is refused by another.

func encodeProductCursor(o tsunagu.ProductOrder, p *tsunagu.Product) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + string(o) + ":" + strconv.FormatInt(int64(p.ID), 10) + ":" + o.Key(p)))
}

// productPageArgs converts the connection arguments of a product list in order o;
// a cursor of another order, or not ours, gives INVALID_INPUT.
func productPageArgs(first *int, after *string, o tsunagu.ProductOrder) (tsunagu.PageArgs, error) {
	if o == "" || o == tsunagu.ProductOrderID {
		return pageArgs(first, after)
	}
	p, err := pageArgs(first, nil)
	if err != nil || after == nil || *after == "" {
		return p, err
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	rest, ok := strings.CutPrefix(string(b), "o:"+string(o)+":")
	id, key, ok2 := strings.Cut(rest, ":")
	n, perr := strconv.ParseInt(id, 10, 64)
	if err != nil || !ok || !ok2 || perr != nil || n <= 0 {
		return p, tsunagu.Errorf(tsunagu.CodeInvalidInput, "after", "This cursor is not valid; start again from the first page.")
	}
	p.After, p.AfterKey = n, key
	return p, nil
}

// orderedProductConnection is the connection of a page of products in order o,
// presented with the references of the request of ctx. Its edges and nodes are
// made in one allocation each, where connectionBy makes two per product (a
// hundred on a catalog page of 50; issue 16).
func orderedProductConnection(ctx context.Context, p *tsunagu.Page[*tsunagu.Product], o tsunagu.ProductOrder) *model.ProductConnection {
	cursor := func(p *tsunagu.Product) string { return encodeCursor(int64(p.ID)) }
	if o != "" && o != tsunagu.ProductOrderID {
		cursor = func(p *tsunagu.Product) string { return encodeProductCursor(o, p) }
	}
	nodes := model.NewProducts(p.Items, refsOf(ctx))
	edges := make([]model.ProductEdge, len(p.Items))
	conn := &model.ProductConnection{Edges: make([]*model.ProductEdge, len(p.Items)),
		PageInfo: &model.PageInfo{HasNextPage: p.HasNextPage}}
	for i, it := range p.Items {
		edges[i].Cursor = cursor(it)
		if it != nil {
			edges[i].Node = &nodes[i]
		}
		conn.Edges[i] = &edges[i]
		conn.PageInfo.EndCursor = &edges[i].Cursor
	}
	return conn
}

// connection builds a Relay connection of a page, with one edge per item.
func connection[T any, E any, C any](page *tsunagu.Page[T], key func(T) int64,
	edge func(cursor string, node T) E, conn func(edges []E, info *model.PageInfo) C) C {
	return connectionBy(page, func(it T) string { return encodeCursor(key(it)) }, edge, conn)
}

// connectionBy is connection with the cursor of each item made by cursor.
func connectionBy[T any, E any, C any](page *tsunagu.Page[T], cursor func(T) string,
	edge func(cursor string, node T) E, conn func(edges []E, info *model.PageInfo) C) C {
	edges := make([]E, len(page.Items))
	info := &model.PageInfo{HasNextPage: page.HasNextPage}
	for i, it := range page.Items {
		c := cursor(it)
		edges[i] = edge(c, it)
		info.EndCursor = &c
	}
	return conn(edges, info)
}

func facilityConnection(p *tsunagu.Page[*tsunagu.Facility]) *model.FacilityConnection {
	return connection(p, func(f *tsunagu.Facility) int64 { return int64(f.ID) },
		func(c string, n *tsunagu.Facility) *model.FacilityEdge {
			return &model.FacilityEdge{Cursor: c, Node: n}
		},
		func(e []*model.FacilityEdge, i *model.PageInfo) *model.FacilityConnection {
			return &model.FacilityConnection{Edges: e, PageInfo: i}
		})
}

func locationConnection(p *tsunagu.Page[*tsunagu.Location]) *model.LocationConnection {
	return connection(p, func(l *tsunagu.Location) int64 { return int64(l.ID) },
		func(c string, n *tsunagu.Location) *model.LocationEdge {
			return &model.LocationEdge{Cursor: c, Node: n}
		},
		func(e []*model.LocationEdge, i *model.PageInfo) *model.LocationConnection {
			return &model.LocationConnection{Edges: e, PageInfo: i}
		})
}

func municipalityConnection(p *tsunagu.Page[*tsunagu.Municipality]) *model.MunicipalityConnection {
	return connection(p, func(m *tsunagu.Municipality) int64 { return int64(m.ID) },
		func(c string, n *tsunagu.Municipality) *model.MunicipalityEdge {
			return &model.MunicipalityEdge{Cursor: c, Node: n}
		},
		func(e []*model.MunicipalityEdge, i *model.PageInfo) *model.MunicipalityConnection {
			return &model.MunicipalityConnection{Edges: e, PageInfo: i}
		})
}
