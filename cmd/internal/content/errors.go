package content

import (
	"fmt"
	"sort"
	"strings"
)

// A Severity says what a finding means for the build.
type Severity int

const (
	SevError   Severity = iota // the build stops: visitors would see something broken or wrong
	SevWarning                 // the build goes on; kb check -strict fails: an editor should fix it soon
	SevNote                    // information for editors, such as pages about a law that is changing; never fails
)

func (s Severity) String() string {
	switch s {
	case SevWarning:
		return "warning"
	case SevNote:
		return "note"
	}
	return "error"
}

// An Error is a finding in one content file, at a line an editor can go to.
// Despite its name it may be a warning or a note: see Severity.
type Error struct {
	File     string   // path as the editor knows it, such as content/nl/mensenhandel.md
	Line     int      // 1-based
	Severity Severity // the zero value is SevError
	Msg      string   // lower case, says what to change, no final period
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Severity, e.Msg)
}

// ErrorList is every finding of one load, in file and line order.
// It follows go/scanner.ErrorList: collect everything, then report once.
type ErrorList []*Error

func (l *ErrorList) add(file string, line int, format string, args ...any) {
	l.addSev(SevError, file, line, format, args...)
}

func (l *ErrorList) warn(file string, line int, format string, args ...any) {
	l.addSev(SevWarning, file, line, format, args...)
}

func (l *ErrorList) note(file string, line int, format string, args ...any) {
	l.addSev(SevNote, file, line, format, args...)
}

func (l *ErrorList) addSev(sev Severity, file string, line int, format string, args ...any) {
	*l = append(*l, &Error{File: file, Line: line, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// Sort puts the findings in file and line order.
func (l ErrorList) Sort() {
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

// Count returns how many findings have severity s.
func (l ErrorList) Count(s Severity) int {
	n := 0
	for _, e := range l {
		if e.Severity == s {
			n++
		}
	}
	return n
}

// Err returns the list when it holds at least one error, and nil when it holds
// only warnings and notes, so callers can write `if err := l.Err(); err != nil`.
func (l ErrorList) Err() error {
	if l.Count(SevError) == 0 {
		return nil
	}
	return l
}

// Error prints one finding per line.
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

// Summary counts the findings in words, such as "2 errors and 1 warning".
func (l ErrorList) Summary() string {
	var parts []string
	for _, s := range []Severity{SevError, SevWarning, SevNote} {
		if n := l.Count(s); n > 0 || s == SevError {
			noun := s.String()
			if n != 1 {
				noun += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, noun))
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
