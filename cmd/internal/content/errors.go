package content

import (
	"fmt"
	"sort"
	"strings"
)

// An Error is a problem in one content file, at a line an editor can go to.
type Error struct {
	File string // path as the editor knows it, such as content/nl/mensenhandel.md
	Line int    // 1-based
	Msg  string // lower case, says what to change, no final period
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ErrorList is every problem found in one load, in file and line order.
// It follows go/scanner.ErrorList: collect everything, then report once.
type ErrorList []*Error

func (l *ErrorList) add(file string, line int, format string, args ...any) {
	*l = append(*l, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Msg < l[j].Msg
	})
}

// Err returns nil for an empty list, so callers can write `if err := l.Err(); err != nil`.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error prints one problem per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
