package edit

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"mensenhandel", "mensenhandel", 3, 0},
		{"mensenhndel", "mensenhandel", 3, 1},
		{"titel", "title", 3, 2},
		{"financiële", "financiele", 3, 1}, // runes, not bytes
		{"bedenktijd", "uitbuiting", 3, 3}, // stops at the limit
		{"", "abc", 5, 3},
	} {
		if got := Distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("Distance(%q, %q, %d) = %d; want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}
