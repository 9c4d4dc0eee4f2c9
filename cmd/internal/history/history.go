// Package history reads when each content file last changed, and how, from
// git: one git log for the whole content folder, not one per file, so that a
// site of thousands of pages builds as fast with history as without.
package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// A Change is one commit that changed a file.
type Change struct {
	Hash    string    // the commit
	Date    time.Time // the commit date, in the committer's time zone
	Subject string    // the first line of the commit message
}

// Log is the history of the files in one folder.
type Log struct {
	Changes map[string][]Change // by slash path relative to the folder (nl/x.md), newest first
	Prefix  string              // the folder's slash path in the repository, such as "content"
	Shallow bool                // the clone is shallow: changes before its oldest commit are missing
}

// Read returns the history of the files in dir. Without git, or when dir is
// not in a git work tree, it returns nil and no error: pages then fall back to
// their reviewed date. That costs one failed git command, or none without git.
// Any other failure of git, such as a repository git refuses to read
// ("dubious ownership"), is an error that says what git said.
func Read(dir string) (*Log, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, nil
	}
	out, err := exec.Command(git, "-C", dir, "rev-parse", "--is-shallow-repository", "--show-prefix", "--git-path", "shallow").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			msg := strings.TrimSpace(string(exit.Stderr))
			if strings.Contains(msg, "not a git repository") {
				return nil, nil
			}
			return nil, fmt.Errorf("git rev-parse in %s: %s", dir, msg)
		}
		return nil, fmt.Errorf("git rev-parse in %s: %w", dir, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != 3 {
		return nil, nil
	}
	l := &Log{Changes: map[string][]Change{}, Prefix: strings.TrimSuffix(lines[1], "/"), Shallow: lines[0] == "true"}

	// In a shallow clone the oldest commits have no parents, so git shows
	// them adding every file: their changes are left out.
	boundary := map[string]bool{}
	if l.Shallow {
		shallow := lines[2]
		if !filepath.IsAbs(shallow) {
			shallow = filepath.Join(dir, shallow)
		}
		data, _ := os.ReadFile(shallow)
		for _, h := range strings.Fields(string(data)) {
			boundary[h] = true
		}
	}

	// One record per commit: a line "\x1e<hash> <date> <subject>", then the
	// files it changed, relative to dir (--relative), one per line.
	cmd := exec.Command(git, "-C", dir, "-c", "core.quotePath=false", "log", "--no-merges",
		"--format=%x1e%H %cI %s", "--name-only", "--relative", "--", ".")
	out, err = cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && strings.Contains(string(exit.Stderr), "does not have any commits") {
			return l, nil // a repository without commits yet
		}
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("git log in %s: %s", dir, strings.TrimSpace(string(exit.Stderr)))
		}
		return nil, fmt.Errorf("git log in %s: %w", dir, err)
	}
	var cur *Change
	skip := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rec, ok := strings.CutPrefix(line, "\x1e"); ok {
			hash, rest, _ := strings.Cut(rec, " ")
			date, subject, _ := strings.Cut(rest, " ")
			t, err := time.Parse(time.RFC3339, date)
			skip = err != nil || boundary[hash]
			cur = &Change{Hash: hash, Date: t, Subject: subject}
			continue
		}
		if line == "" || cur == nil || skip {
			continue
		}
		l.Changes[line] = append(l.Changes[line], *cur)
	}
	return l, sc.Err()
}
