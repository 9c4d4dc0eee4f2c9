package endpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kb-mensenhandel/kb/cmd/internal/parallel"
)

// ManifestFile lists every file of a search folder with its size and
// SHA-256, and the languages. The build writes it last; the endpoint checks
// every file against it before it opens the folder, so a damaged, half
// copied or mixed folder is refused (503, with a clear error), never served
// or crashed on. Files not in the manifest, such as a stray folder, are left
// alone.
const ManifestFile = "manifest.json"

// A Manifest is what ManifestFile holds.
type Manifest struct {
	Version string   `json:"version"` // a hash of the list below: it changes when any file does
	Langs   []string `json:"langs"`   // the languages with an index and a results page
	Files   []File   `json:"files"`
}

// A File is one file of a search folder.
type File struct {
	Name   string `json:"name"` // slash path in the folder, such as nl/bleve/store/000000000002.zap
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// WriteManifest writes the manifest of the search folder dir, with langs,
// the languages it has.
func WriteManifest(dir string, langs []string) error {
	m := Manifest{Langs: slices.Clone(langs)}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, name)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == ManifestFile {
			return nil
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, File{Name: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return fmt.Errorf("search manifest: %w", err)
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	list, _ := json.Marshal(m.Files)
	sum := sha256.Sum256(list)
	m.Version = hex.EncodeToString(sum[:8])
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(data, '\n'), 0o644)
}

// ReadManifest reads the manifest of the search folder fsys.
func ReadManifest(fsys fs.FS) (*Manifest, error) {
	data, err := fs.ReadFile(fsys, ManifestFile)
	if err != nil {
		return nil, fmt.Errorf("search folder: %w (build it with kb build)", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("search folder: %s: %w", ManifestFile, err)
	}
	if m.Version == "" || len(m.Langs) == 0 {
		return nil, fmt.Errorf("search folder: %s has no version or no languages", ManifestFile)
	}
	for _, f := range m.Files {
		if !fs.ValidPath(f.Name) {
			return nil, fmt.Errorf("search folder: %s names %q, which is not a path in the folder", ManifestFile, f.Name)
		}
	}
	return &m, nil
}

// verify reads every file of m in src, checks its size and SHA-256, and, when
// to is not "", copies it there. It returns, by language, why that
// language's files are not as the manifest says; "" is for the files the
// languages share (the results template).
func (m *Manifest) verify(src fs.FS, to string) map[string]error {
	// On all cores: reading and hashing the files is most of opening a folder.
	errs := make([]error, len(m.Files))
	parallel.For(len(m.Files), func(i int) { errs[i] = verifyFile(src, m.Files[i], to) })
	bad := map[string]error{}
	for i, f := range m.Files {
		lang, _, _ := strings.Cut(f.Name, "/")
		if !slices.Contains(m.Langs, lang) {
			lang = ""
		}
		if errs[i] != nil && bad[lang] == nil {
			bad[lang] = errs[i]
		}
	}
	return bad
}

func verifyFile(src fs.FS, f File, to string) error {
	in, err := src.Open(f.Name)
	if err != nil {
		return fmt.Errorf("search folder: %w", err)
	}
	defer in.Close()
	h := sha256.New()
	var w io.Writer = h
	var out *os.File
	if to != "" {
		name := filepath.Join(to, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if out, err = os.Create(name); err != nil {
			return err
		}
		defer out.Close()
		w = io.MultiWriter(h, out)
	}
	// One byte more than the manifest says is enough to know the file is longer.
	n, err := io.Copy(w, io.LimitReader(in, f.Size+1))
	if err != nil {
		return fmt.Errorf("search folder: %s: %w", f.Name, err)
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("search folder: %s is not the file the manifest lists (%d bytes, want %d, or other content): the folder is damaged or was changed after it was built; build it again (kb build) or publish a whole new one", path.Clean(f.Name), n, f.Size)
	}
	if out != nil {
		return out.Close()
	}
	return nil
}

// Complete reports whether every file of m is in fsys with the size m says:
// a cheap look, before checking every byte, at whether a folder being copied
// is all there yet.
func (m *Manifest) Complete(fsys fs.FS) bool {
	for _, f := range m.Files {
		info, err := fs.Stat(fsys, f.Name)
		if err != nil || info.Size() != f.Size {
			return false
		}
	}
	return true
}
