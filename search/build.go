package search

import (
	"compress/gzip"
	"encoding/gob"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

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

// Build writes the index of one language into dir, a new folder of a build's
// tree: the bleve index, and the glossary and vocabulary that search uses
// beside it. analyzer names the text analysis (Dutch, English or Plain). It
// uses bleve's offline builder: the endpoint never indexes.
func Build(dir, analyzer string, docs []Doc, terms []Term) error {
	counts := vocabulary(docs, terms)
	m, err := indexMapping(analyzer, compoundParts(counts))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The builder's scratch files go beside the index, not to the system's temporary
	// folder: it renames them into place, which fails across file systems.
	scratch, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	b, err := bleve.NewBuilder(filepath.Join(dir, bleveDir), m, map[string]any{"batchSize": 2000, "buildPathPrefix": scratch})
	if err != nil {
		return fmt.Errorf("index %s: %w", dir, err)
	}
	for _, d := range docs {
		if err := b.Index(d.URL, fields(d)); err != nil {
			b.Close()
			return fmt.Errorf("index %s: %w", d.URL, err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("index %s: %w", dir, err)
	}
	sections := map[string]string{}
	for _, d := range docs {
		if d.Heading == "" {
			sections[d.URL] = d.Section
		}
	}
	if err := writeSidecar(filepath.Join(dir, termsFile), sidecar{Terms: terms, Vocab: counts, Sections: sections}); err != nil {
		return err
	}
	// bleve writes its files for its own user only (0600, 0700); the index is
	// public data, and an intranet may run kb search as another user than kb build.
	return filepath.WalkDir(filepath.Join(dir, bleveDir), func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(name, mode)
	})
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
		if len(d.SearchTerms) > 0 {
			var asks []string
			for _, s := range d.SearchTerms {
				asks = append(asks, asked(s))
			}
			f["asks"] = asks
		}
	} else {
		f["heading"] = d.Heading
	}
	return f
}

// sidecarFile is sidecar as written: maps as sorted lists, so that the same
// site gives the same file.
type sidecarFile struct {
	Terms        []Term
	Words        []string // the vocabulary, sorted
	Counts       []int    // how often each word of Words is used
	PageURLs     []string // sorted
	PageSections []string // the section of each page of PageURLs
}

func writeSidecar(name string, side sidecar) error {
	var sf sidecarFile
	sf.Terms = side.Terms
	for w := range side.Vocab {
		sf.Words = append(sf.Words, w)
	}
	sort.Strings(sf.Words)
	for _, w := range sf.Words {
		sf.Counts = append(sf.Counts, side.Vocab[w])
	}
	for u := range side.Sections {
		sf.PageURLs = append(sf.PageURLs, u)
	}
	sort.Strings(sf.PageURLs)
	for _, u := range sf.PageURLs {
		sf.PageSections = append(sf.PageSections, side.Sections[u])
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	err = gob.NewEncoder(zw).Encode(sf)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func readSidecar(name string) (sidecar, error) {
	side := sidecar{Vocab: map[string]int{}, Sections: map[string]string{}}
	f, err := os.Open(name)
	if err != nil {
		return side, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return side, fmt.Errorf("%s: %w", name, err)
	}
	var sf sidecarFile
	if err := gob.NewDecoder(zr).Decode(&sf); err != nil {
		return side, fmt.Errorf("%s: %w", name, err)
	}
	if len(sf.Words) != len(sf.Counts) || len(sf.PageURLs) != len(sf.PageSections) {
		return side, fmt.Errorf("%s: the lists do not match; build the index again", name)
	}
	side.Terms = sf.Terms
	for i, w := range sf.Words {
		side.Vocab[w] = sf.Counts[i]
	}
	for i, u := range sf.PageURLs {
		side.Sections[u] = sf.PageSections[i]
	}
	return side, nil
}
