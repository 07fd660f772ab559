package tsunagu

import "strconv"

// fieldIndex names element i of a list input, as in "input.lines.2".
func fieldIndex(list string, i int) string { return list + "." + strconv.Itoa(i) }

// LineField names a field of line i of a mutation's input, as in
// "input.lines.2.quantity" (sub ".quantity"), or with sub "" the line itself.
func LineField(i int, sub string) string { return fieldIndex("input.lines", i) + sub }
