package postgres

import "testing"

// A slab's pointers stay valid as it grows, each T is new and zero, and it makes
// no more than max Ts in all: 4 arrays for a page of 50, one of 3 for a page of 3.
func TestSlab(t *testing.T) {
	for _, c := range []struct{ max, arrays int }{{50, 4}, {3, 1}, {100, 5}, {1, 1}} {
		s := slab[[2]int]{max: c.max}
		var ps []*[2]int
		arrays := 0
		for i := range c.max {
			made := s.made
			p := s.next()
			if s.made != made {
				arrays++
			}
			if *p != [2]int{} {
				t.Fatalf("max %d: next %d is not zero: %v", c.max, i, *p)
			}
			*p = [2]int{i, -i}
			ps = append(ps, p)
		}
		for i, p := range ps {
			if *p != [2]int{i, -i} {
				t.Errorf("max %d: T %d holds %v after the slab grew", c.max, i, *p)
			}
		}
		if arrays != c.arrays || s.made != c.max {
			t.Errorf("max %d: %d arrays making %d Ts, want %d arrays making %d", c.max, arrays, s.made, c.arrays, c.max)
		}
	}
}
