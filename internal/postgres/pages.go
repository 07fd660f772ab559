package postgres

import (
	"strconv"

	"tsunagu/internal/tsunagu"
)

// Nested lists (a municipality's facilities, a facility's products) are read for
// every parent of a page at once, so that a page costs one statement per nested
// list whatever its size.

// firstPages is the statement that reads a page of a nested list for many parents
// at once: for each parent, the rows of table (aliased alias) whose parentCol is
// that parent and that meet cond, in ID order after page.After, at most
// page.First+1 of them (the extra row tells whether there is a next page). The
// LATERAL join lets each parent's page come from the (parent, id) index.
func firstPages(cols, table, alias, parentCol, cond string, parents any, page tsunagu.PageArgs, a *args) string {
	return `SELECT ` + cols + ` FROM unnest(` + a.add(parents) + `::bigint[]) AS parent(parent_id)
		CROSS JOIN LATERAL (
			SELECT * FROM ` + table + ` ` + alias + `
			WHERE ` + alias + `.` + parentCol + ` = parent.parent_id AND ` + alias + `.id > ` + a.add(page.After) + ` AND ` + cond + `
			ORDER BY ` + alias + `.id LIMIT ` + a.add(page.First+1) + `
		) ` + alias + `
		ORDER BY parent.parent_id, ` + alias + `.id`
}

// groupPages splits items, ordered by parent, into a page for each of parents (an
// empty page for a parent without items).
func groupPages[P comparable, T any](parents []P, items []T, parentOf func(T) P, first int) map[P]*tsunagu.Page[T] {
	by := make(map[P][]T, len(parents))
	for _, it := range items {
		p := parentOf(it)
		by[p] = append(by[p], it)
	}
	out := make(map[P]*tsunagu.Page[T], len(parents))
	for _, p := range parents {
		out[p] = pageOf(by[p], first)
	}
	return out
}

// pageLimit is the LIMIT of a page of first items, one more than first (the extra
// row tells whether there is a next page), as SQL text. A page size that
// PageArgs.Validate accepts (1 to MaxPageSize) is written as the number. As a
// parameter, the generic plan of the prepared statement (stmtCache) is costed for
// a tenth of the table's rows rather than a page, so on a large table PostgreSQL
// rejects it and plans the statement afresh on every call (EXPLAIN in README,
// Benchmark). A number it has not validated goes as a parameter of a, as before:
// first is an int, never text, and only a checked one is written into the SQL.
func pageLimit(first int, a *args) string {
	if first < 1 || first > tsunagu.MaxPageSize {
		return a.add(first + 1)
	}
	return strconv.Itoa(first + 1)
}
