package search

import (
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// Layout of an index folder: one folder per language, each with the bleve
// index and the glossary and vocabulary that search uses beside it.
const (
	bleveDir  = "bleve"
	termsFile = "terms.gob.gz" // gob decodes several times faster than JSON; gzip makes it a third
)

// sidecar is what Build writes to terms.gob.gz.
type sidecar struct {
	Terms    []Term            `json:"terms"`
	Vocab    map[string]int    `json:"vocab"`    // word → how often the site uses it, for "did you mean"
	Sections map[string]string `json:"sections"` // page URL → its site section, for facets
}

// Build writes the index of one language to dir/lang, replacing what was there
// only when it is complete. It uses bleve's offline builder: the endpoint never indexes.
func Build(dir, lang string, docs []Doc, terms []Term) error {
	counts := vocabulary(docs, terms)
	m, err := indexMapping(lang, compoundParts(counts))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(dir, "."+lang+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after a successful rename this is a no-op
	// The builder's scratch files go beside the index, not to the system's temporary
	// folder: it renames them into place, which fails across file systems.
	b, err := bleve.NewBuilder(filepath.Join(tmp, bleveDir), m, map[string]any{"batchSize": 2000, "buildPathPrefix": tmp})
	if err != nil {
		return fmt.Errorf("index %s: %w", lang, err)
	}
	for _, d := range docs {
		if err := b.Index(d.URL, fields(d)); err != nil {
			b.Close()
			return fmt.Errorf("index %s: %s: %w", lang, d.URL, err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("index %s: %w", lang, err)
	}
	sections := map[string]string{}
	for _, d := range docs {
		if d.Heading == "" {
			sections[d.URL] = d.Section
		}
	}
	if err := writeSidecar(filepath.Join(tmp, termsFile), sidecar{Terms: terms, Vocab: counts, Sections: sections}); err != nil {
		return err
	}
	// bleve writes its files for its own user only (0600, 0700); the index is
	// public data, and an intranet may run kb search as another user than kb build.
	err = filepath.WalkDir(tmp, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(name, mode)
	})
	if err != nil {
		return err
	}
	final := filepath.Join(dir, lang)
	old := tmp + ".old"
	if err := os.Rename(final, old); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Rename(old, final)
		return err
	}
	return os.RemoveAll(old)
}

// fields maps a Doc to the index's fields. A page's doc holds its title,
// description and the text before its first h2; each h2 section is a
// doc of its own, so the text is indexed once and a hit can link to page/#section.
func fields(d Doc) map[string]any {
	f := map[string]any{"name": d.Title, "section": d.Section, "text": d.Text}
	if d.Heading == "" {
		f["title"] = d.Title
		f["description"] = d.Description
		f["summary"] = d.Description
	} else {
		f["heading"] = d.Heading
	}
	return f
}

func writeSidecar(name string, side sidecar) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	err = gob.NewEncoder(zw).Encode(side)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func readSidecar(name string) (sidecar, error) {
	var side sidecar
	f, err := os.Open(name)
	if err != nil {
		return side, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return side, fmt.Errorf("%s: %w", name, err)
	}
	if err := gob.NewDecoder(zr).Decode(&side); err != nil {
		return side, fmt.Errorf("%s: %w", name, err)
	}
	return side, nil
}
