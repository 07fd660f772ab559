package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/graph/generated"
	"tsunagu/internal/tsunagu"
)

// depthLimit refuses operations whose fields nest deeper than max, before any
// resolver runs.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if depth := selectionDepth(op.Operation.SelectionSet); depth > d.max {
		err := gqlerror.Errorf("The query nests %d levels deep; at most %d are allowed.", depth, d.max)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			d = 1 + selectionDepth(s.SelectionSet)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// noIntrospection refuses __schema and __type outside dev mode, with an error that
// says so, before any resolver runs.
type noIntrospection struct{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && introspects(op.Operation.SelectionSet) {
		err := gqlerror.Errorf("Introspection is turned off on this server; the schema is in schema.graphqls.")
		err.Extensions = map[string]any{"code": "INTROSPECTION_DISABLED"}
		return err
	}
	return nil
}

func introspects(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" || introspects(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if introspects(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && introspects(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// listCost is the complexity of a list field: its children's cost once per item it
// may return.
func listCost(child int, first *int) int {
	n := tsunagu.DefaultPageSize
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + n*child
}

// setComplexity weighs every list field by the number of items it may return.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.Municipalities = func(child int, first *int, _ *string) int { return listCost(child, first) }
	c.Query.Facilities = func(child int, _ *tsunagu.FacilityFilter, first *int, _ *string) int {
		return listCost(child, first)
	}
	c.Query.Locations = func(child int, _ *tsunagu.LocationFilter, first *int, _ *string) int {
		return listCost(child, first)
	}
	c.Query.Products = func(child int, _ *tsunagu.ProductFilter, first *int, _ *string, _ *tsunagu.Locale) int {
		return listCost(child, first)
	}
	c.Municipality.Facilities = func(child int, first *int, _ *string) int { return listCost(child, first) }
	c.Municipality.Locations = func(child int, first *int, _ *string) int { return listCost(child, first) }
	c.Facility.Products = func(child int, _ *tsunagu.ProductFilter, first *int, _ *string, _ *tsunagu.Locale) int {
		return listCost(child, first)
	}
	c.Query.Orders = func(child int, _ *tsunagu.OrderFilter, first *int, _ *string) int {
		return listCost(child, first)
	}
	// A municipality has a handful of partners; count them as ten.
	ten := 10
	c.Municipality.Partners = func(child int) int { return listCost(child, &ten) }
}
