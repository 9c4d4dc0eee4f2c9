// Package out holds the output of one build: the pages, assets and feeds of
// the site, and the search index with its results-page template, as one tree
// of files. A build writes the tree through Tree; it goes to memory (Mem, for
// kb serve and tests) or to a new folder that is then swapped in whole (Dir,
// for kb build), so that site and index always change together.
package out

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// A Tree receives the files of one build. Names are slash paths without a
// leading slash, such as "nl/index.html" or "_search/nl/terms.gob.gz".
// Write may be called from many goroutines at once; it does not keep data,
// which the caller may reuse once Write returns.
type Tree interface {
	Write(name string, data []byte) error
	// Folder returns a real folder for the files under name, for a tool that
	// writes files itself, such as bleve writing an index.
	Folder(name string) (string, error)
}

// Valid reports whether name may be a file in a tree: a clean slash path,
// not absolute, not leaving the tree.
func Valid(name string) bool {
	return name != "" && fs.ValidPath(name) && name != "."
}

// Mem is a tree in memory. Its folders (Folder) are temporary folders on
// disk, removed by Close.
type Mem struct {
	mu      sync.Mutex
	files   map[string][]byte
	folders map[string]string // tree name → folder on disk
}

// NewMem returns an empty tree in memory.
func NewMem() *Mem { return &Mem{files: map[string][]byte{}, folders: map[string]string{}} }

func (m *Mem) Write(name string, data []byte) error {
	if !Valid(name) {
		return fmt.Errorf("out: invalid file name %q", name)
	}
	data = bytes.Clone(data)
	m.mu.Lock()
	m.files[name] = data
	m.mu.Unlock()
	return nil
}

func (m *Mem) Folder(name string) (string, error) {
	if !Valid(name) {
		return "", fmt.Errorf("out: invalid folder name %q", name)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if dir, ok := m.folders[name]; ok {
		return dir, nil
	}
	dir, err := os.MkdirTemp("", "kb-"+strings.ReplaceAll(name, "/", "-")+"-")
	if err != nil {
		return "", err
	}
	m.folders[name] = dir
	return dir, nil
}

// File returns the file at name and whether it exists. The data must not be changed.
func (m *Mem) File(name string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[name]
	return data, ok
}

// Files returns the names of the files, in no order.
func (m *Mem) Files() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	return names
}

// Clone returns a tree with the same files, which can be changed without
// changing m: kb serve's incremental rebuilds start from the tree it serves.
// Folders are not cloned.
func (m *Mem) Clone() *Mem {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := &Mem{files: make(map[string][]byte, len(m.files)), folders: map[string]string{}}
	for n, d := range m.files {
		c.files[n] = d
	}
	return c
}

// Remove removes the file at name, if there is one.
func (m *Mem) Remove(name string) {
	m.mu.Lock()
	delete(m.files, name)
	m.mu.Unlock()
}

// Close removes the tree's folders from disk.
func (m *Mem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, dir := range m.folders {
		errs = append(errs, os.RemoveAll(dir))
	}
	m.folders = map[string]string{}
	return errors.Join(errs...)
}

// Dir is a tree written to a new folder beside its final place; Publish puts
// it there in one step. Until then the folder it replaces is untouched, and
// Discard removes what was written.
type Dir struct {
	final string // the folder the tree replaces, such as public
	tmp   string
	mu    sync.Mutex
	made  map[string]bool // folders made, so each is made once
}

const (
	newMark = ".new-" // a tree being written: final.new-<random>
	oldMark = ".old-" // a replaced tree being removed: final.old-<random>
)

// NewDir starts a tree that will replace the folder final. It first tidies
// up after builds that were killed: a half-written tree is removed, and a
// tree that was replaced but not yet removed is removed, or put back when it
// was killed between the two renames of Publish.
func NewDir(final string) (*Dir, error) {
	final = filepath.Clean(final)
	if err := Recover(final); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), filepath.Base(final)+newMark)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Dir{final: final, tmp: tmp, made: map[string]bool{"": true}}, nil
}

// Path is the folder being written, for messages and tests.
func (d *Dir) Path() string { return d.tmp }

func (d *Dir) Write(name string, data []byte) error {
	if !Valid(name) {
		return fmt.Errorf("out: invalid file name %q", name)
	}
	if err := d.mkdir(path.Dir(name)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(name)), data, 0o644)
}

func (d *Dir) Folder(name string) (string, error) {
	if !Valid(name) {
		return "", fmt.Errorf("out: invalid folder name %q", name)
	}
	if err := d.mkdir(name); err != nil {
		return "", err
	}
	return filepath.Join(d.tmp, filepath.FromSlash(name)), nil
}

// mkdir makes the folder dir of the tree and those above it, once.
func (d *Dir) mkdir(dir string) error {
	if dir == "." {
		dir = ""
	}
	d.mu.Lock()
	done := d.made[dir]
	d.mu.Unlock()
	if done {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
		return err
	}
	d.mu.Lock()
	for ; dir != "" && dir != "."; dir = path.Dir(dir) {
		d.made[dir] = true
	}
	d.mu.Unlock()
	return nil
}

// Publish puts the tree in the place of the folder it replaces: the old
// folder is renamed aside, the new one into its place, and the old one
// removed. A reader that opens files by path sees the old tree or the new,
// never a mix. A build killed between the renames is mended by the next
// NewDir (Recover).
func (d *Dir) Publish() error {
	old := ""
	if _, err := os.Stat(d.final); err == nil {
		old = strings.Replace(d.tmp, newMark, oldMark, 1)
		if err := os.Rename(d.final, old); err != nil {
			d.Discard()
			return fmt.Errorf("move the previous %s aside: %w", d.final, err)
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
		}
		d.Discard()
		return err
	}
	if old != "" {
		// A failure here leaves a folder that the next build removes; the
		// new tree is in place all the same (on Windows, a reader may still hold the old files open).
		os.RemoveAll(old)
	}
	return nil
}

// Discard removes the tree without publishing it.
func (d *Dir) Discard() error { return os.RemoveAll(d.tmp) }

// Recover tidies up after killed builds of the tree at final: it removes
// half-written trees (final.new-*) and replaced ones (final.old-*), except
// that when final itself is missing and a replaced tree is there, the build
// was killed between the renames of Publish, and that tree is put back.
func Recover(final string) error {
	final = filepath.Clean(final)
	parent, base := filepath.Dir(final), filepath.Base(final)
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, statErr := os.Stat(final)
	missing := errors.Is(statErr, fs.ErrNotExist)
	var errs []error
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, base+oldMark) && missing:
			if err := os.Rename(filepath.Join(parent, name), final); err != nil {
				errs = append(errs, err)
			}
			missing = false
		case strings.HasPrefix(name, base+oldMark), strings.HasPrefix(name, base+newMark):
			errs = append(errs, os.RemoveAll(filepath.Join(parent, name)))
		}
	}
	return errors.Join(errs...)
}
