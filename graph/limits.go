package graph

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tsunagu/internal/tsunagu"
)

// queryLimits refuses, before any resolver runs, an operation with a NUL character in
// an argument's text (INVALID_INPUT on that field: PostgreSQL would refuse it as an
// internal error), or one that is too deep, has
// too many aliases or selections, reaches introspection outside dev mode, or costs
// more than the limit (cost.go: the rows it may return).
//
// All of it is measured in one walk that visits each fragment once: a fragment's
// figures are kept and reused wherever it is spread, so a chain of fragments that
// each spread the next twice (2^n selections from n lines) costs n steps to measure
// and is refused by its expanded size. gqlgen's own complexity walk expands every
// spread: a 25-link chain of 1.2 KB took 16 s of CPU in it, past the request timeout.
type queryLimits struct {
	maxDepth, maxAliases, maxSelections, maxCost int
	introspection                                bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*queryLimits)(nil)

func (*queryLimits) ExtensionName() string { return "QueryLimits" }

func (*queryLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses op with the code of the first limit it exceeds,
// checked in this order: NUL characters, introspection, depth, aliases, selections,
// cost.
func (q *queryLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	w := &measure{vars: op.Variables, fragments: map[string]*facts{}}
	f := w.set(op.Operation.SelectionSet)
	refuse := func(code, format string, args ...any) *gqlerror.Error {
		err := gqlerror.Errorf(format, args...)
		err.Extensions = map[string]any{"code": code}
		return err
	}
	switch {
	case f.nul != "":
		err := refuse(string(tsunagu.CodeInvalidInput), "%s holds a NUL character (\\0), which no text may hold: remove it.", f.nul)
		err.Extensions["field"] = f.nul
		return err
	case f.introspects && !q.introspection:
		return refuse("INTROSPECTION_DISABLED", "Introspection is turned off on this server; the schema is in schema.graphqls.")
	case f.depth > q.maxDepth:
		return refuse("DEPTH_LIMIT_EXCEEDED", "The query nests %d levels deep; at most %d are allowed.", f.depth, q.maxDepth)
	case f.aliases > q.maxAliases:
		return refuse("ALIAS_LIMIT_EXCEEDED", "The query has %s aliased fields; at most %d are allowed.", count(f.aliases), q.maxAliases)
	case f.selections > q.maxSelections:
		return refuse("SIZE_LIMIT_EXCEEDED", "The query selects %s fields once its fragments are spread; at most %d are allowed.", count(f.selections), q.maxSelections)
	case f.cost > q.maxCost:
		return refuse("COMPLEXITY_LIMIT_EXCEEDED", "The query may cost %s (list fields count their children once per item); at most %d is allowed: ask for fewer items with first.", count(f.cost), q.maxCost)
	}
	return nil
}

// count writes a figure that may have saturated.
func count(n int) string {
	if n >= saturated {
		return "more than a billion"
	}
	return strconv.Itoa(n)
}

// facts are what the limits measure of a selection set, its fragments spread.
type facts struct {
	depth       int // levels of fields
	aliases     int // aliased fields
	selections  int // fields
	cost        int // rows it may return (cost.go)
	introspects bool
	nul         string // the first argument whose text holds a NUL character
}

type measure struct {
	vars      map[string]any
	fragments map[string]*facts // by name, each measured once
}

// saturated caps every figure, so that sums and products of huge expansions never
// overflow.
const saturated = math.MaxInt32

func add(a, b int) int { return min(a+b, saturated) }

func (m *measure) set(set ast.SelectionSet) facts {
	var f facts
	for _, sel := range set {
		var g facts
		switch s := sel.(type) {
		case *ast.Field:
			g = m.field(s)
		case *ast.InlineFragment:
			g = m.set(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			memo, ok := m.fragments[s.Name]
			if !ok {
				// Validation refuses cycles before this runs; the entry is made
				// first so that one could not recurse anyway.
				memo = &facts{}
				m.fragments[s.Name] = memo
				*memo = m.set(s.Definition.SelectionSet)
			}
			g = *memo
		}
		f.depth = max(f.depth, g.depth)
		f.aliases = add(f.aliases, g.aliases)
		f.selections = add(f.selections, g.selections)
		f.cost = add(f.cost, g.cost)
		f.introspects = f.introspects || g.introspects
		if f.nul == "" {
			f.nul = g.nul
		}
	}
	return f
}

// nulAt returns the path (input.lines.0.code) of the first string in v, the value of
// argument path, that holds a NUL character, which PostgreSQL refuses in text; "" if
// none does.
func nulAt(path string, v any) string {
	switch v := v.(type) {
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			return path
		}
	case map[string]any:
		for k, e := range v {
			if p := nulAt(path+"."+k, e); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range v {
			if p := nulAt(path+"."+strconv.Itoa(i), e); p != "" {
				return p
			}
		}
	}
	return ""
}

func (m *measure) field(s *ast.Field) facts {
	child := m.set(s.SelectionSet)
	f := facts{depth: child.depth + 1, aliases: child.aliases, selections: add(child.selections, 1),
		introspects: child.introspects || s.Name == "__schema" || s.Name == "__type"}
	if s.Alias != "" && s.Alias != s.Name {
		f.aliases = add(f.aliases, 1)
	}
	f.nul = child.nul
	if len(s.Arguments) > 0 && f.nul == "" {
		for name, v := range s.ArgumentMap(m.vars) {
			if p := nulAt(name, v); p != "" {
				f.nul = p
				break
			}
		}
	}
	if s.Definition != nil && s.ObjectDefinition != nil {
		f.cost = fieldCost(s.ObjectDefinition.Name, s.Definition, len(s.SelectionSet) == 0, child.cost, func() map[string]any { return s.ArgumentMap(m.vars) })
	}
	return f
}
