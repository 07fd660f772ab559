package tsunagu

import "strconv"

// fieldIndex names element i of a list input, as in "input.lines.2".
func fieldIndex(list string, i int) string { return list + "." + strconv.Itoa(i) }
