package content

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Translation drift. A translation records, in its front matter, which version
// of its source page it follows:
//
//	translationOf: nl:3f2a9c1b0d4e
//
// that is, the language of the source and a short hash of what a translator
// translates there: the title, description, definition, source addresses and
// body, the notice of a law being changed (pendingChange, stateOf) and a
// decision aid's answers; not
// reviewed, weight or draft, which change nothing to translate.
// When the source changes, the hash no longer matches: kb check warns, naming
// both files, and the built translation says it may be behind, with a link to
// the source. After updating the translation, an editor runs
// kb check -fix-drift <file>, which writes the current hash.
//
// Dutch, the first language, is the source unless its page itself has
// translationOf, naming the language it was translated from.

// versionLen is how many hex digits of the hash are kept: short enough to read,
// long enough that two versions of a page never share one.
const versionLen = 12

// version is the hash of the translatable parts of p.
func (p *Page) version() string {
	if p.src == nil {
		return "" // no front matter: reported as an error
	}
	return version(p.Meta, p.src[p.bodyStart:])
}

func version(m Meta, body []byte) string {
	h := sha256.New()
	for _, s := range []string{m.Title, m.Description, m.Definition} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, s := range m.Sources {
		h.Write([]byte(s.URL))
		h.Write([]byte{0})
	}
	// The notice of a page about a changing law is translated too. Pages
	// without one keep the versions they had before these fields existed.
	if m.LinkTitle != "" { // pages without one keep their versions
		h.Write([]byte("linkTitle\x00" + m.LinkTitle + "\x00"))
	}
	if m.PendingChange != "" || !m.StateOf.IsZero() {
		h.Write([]byte("pending\x00" + m.PendingChange + "\x00" + m.StateOf.Format(time.DateOnly) + "\x00"))
	}
	// So are a decision aid's answers; pages without answers keep their versions.
	for _, a := range m.Answers {
		h.Write([]byte("answer\x00" + a.Label + "\x00" + a.Next + "\x00"))
	}
	h.Write(bytes.TrimSpace(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))))
	return hex.EncodeToString(h.Sum(nil))[:versionLen]
}

// Version returns the translationOf value that a translation of the page in
// src, a whole Markdown file in lang, should have: lang:hash. kb new uses it.
// Errors in the front matter (such as kb new's empty sources) do not matter here.
func Version(src []byte, lang string) (string, error) {
	yml, end, ok, err := splitFrontMatter(src)
	if err != nil || !ok {
		return "", fmt.Errorf("the file has no front matter")
	}
	var errs ErrorList
	m, _ := parseMeta(yml, "", &errs)
	return lang + ":" + version(m, src[end:]), nil
}

// validTranslationOf reports whether s is lang:hash.
func validTranslationOf(s string) bool {
	lang, hash, ok := strings.Cut(s, ":")
	if !ok || lang == "" || len(hash) != versionLen {
		return false
	}
	for _, r := range lang {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	_, err := hex.DecodeString(hash)
	return err == nil
}

// sourceOf returns the page that p translates, or nil when p is itself a source.
func sourceOf(p *Page, defaultLang string) *Page {
	if lang, _, ok := strings.Cut(p.TranslationOf, ":"); ok {
		return p.Translations[lang]
	}
	if p.Lang == defaultLang {
		return nil
	}
	if src := p.Translations[defaultLang]; src != nil && src.TranslationOf == "" {
		return src
	}
	return nil
}

// checkDrift reports translations whose source changed, and sets their Behind.
func checkDrift(p *Page, defaultLang string, errs *ErrorList) {
	line := p.lines["translationOf"]
	if p.TranslationOf == "" {
		if src := sourceOf(p, defaultLang); src != nil {
			errs.warn(p.File, 1, "this page translates %s but has no translationOf, so nobody is told when that page changes; check that this page says the same, then run kb check -fix-drift %s", src.File, p.File)
		}
		return
	}
	lang, hash, _ := strings.Cut(p.TranslationOf, ":")
	src := p.Translations[lang]
	switch {
	case lang == p.Lang:
		errs.add(p.File, line, "field translationOf: %s is this page's own language; name the language of the page it was translated from", lang)
	case src == nil:
		errs.add(p.File, line, "field translationOf: there is no page in %s with the same path or translationKey to follow; add it, or remove translationOf", path.Join(path.Dir(strings.TrimSuffix(p.File, p.Path)), lang))
	case src.TranslationOf != "":
		errs.add(p.File, line, "field translationOf: %s is itself a translation (it has translationOf too); only translations have translationOf, so remove it from the original page", src.File)
	case src.version() != hash:
		p.Behind = src
		errs.warn(p.File, line, "%s changed after this translation was last updated; bring this page up to date, then run kb check -fix-drift %s", src.File, p.File)
	}
}

// A Fix is a translationOf value that kb check -fix-drift writes.
type Fix struct {
	File   string // the translation, as editors know it: content/en/x.md
	Name   string // its name in the content file system: en/x.md
	Source string // the page it translates: content/nl/x.md
	Value  string // the new translationOf value
}

// DriftFixes returns the translationOf values that make the named files follow
// the current version of their source. A name is a file as the editor knows
// it (content/en/x.md), or "all" for every translation. Naming a source page
// fixes its translations. Other errors in the content do not stop it.
func DriftFixes(fsys fs.FS, opt Options, names []string) ([]Fix, error) {
	pages, _, _, err := read(fsys, opt)
	if err != nil {
		return nil, err
	}
	def := opt.Langs[0]
	byFile := map[string]*Page{}
	translations := map[*Page][]*Page{}
	for _, p := range pages {
		byFile[p.File] = p
		if p.src == nil {
			continue // its front matter could not be read
		}
		if src := sourceOf(p, def); src != nil && src.src != nil {
			translations[src] = append(translations[src], p)
		}
	}
	var fixes []Fix
	add := func(p *Page) {
		src := sourceOf(p, def)
		lang, _, _ := strings.Cut(p.TranslationOf, ":")
		lang = cmp.Or(lang, src.Lang)
		fixes = append(fixes, Fix{File: p.File, Name: path.Join(p.Lang, p.Path), Source: src.File, Value: lang + ":" + src.version()})
	}
	for _, name := range names {
		if name == "all" {
			for _, p := range pages {
				if src := sourceOf(p, def); src != nil && src.src != nil && p.src != nil {
					add(p)
				}
			}
			continue
		}
		p := byFile[path.Clean(strings.ReplaceAll(name, `\`, "/"))]
		switch {
		case p == nil:
			return nil, fmt.Errorf("%s is not a page of the site; name a file such as %s/%s/index.md, or all", name, opt.Root, def)
		case p.src == nil:
			return nil, fmt.Errorf("%s: its front matter has errors; run kb check and fix them first", name)
		case sourceOf(p, def) != nil:
			add(p)
		case len(translations[p]) > 0:
			for _, t := range translations[p] {
				add(t)
			}
		default:
			return nil, fmt.Errorf("%s has no translation to update", name)
		}
	}
	return fixes, nil
}

// SetField sets a front matter field of a Markdown file to value, on the line
// where it is, or on a new line before the closing --- when it is missing.
// The rest of the file stays as it is, byte for byte.
func SetField(src []byte, field, value string) ([]byte, error) {
	_, end, ok, err := splitFrontMatter(src)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("the file has no front matter")
	}
	newLine := field + ": " + value
	lines := bytes.SplitAfter(src[:end], []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	var out bytes.Buffer
	done := false
	for i, l := range lines {
		trimmed := bytes.TrimRight(l, "\r\n")
		if !done && i > 0 && bytes.HasPrefix(trimmed, []byte(field+":")) {
			out.WriteString(newLine + string(l[len(trimmed):]))
			done = true
			continue
		}
		if !done && i == len(lines)-1 { // the closing ---
			out.WriteString(newLine + "\n")
			done = true
		}
		out.Write(l)
	}
	out.Write(src[end:])
	return out.Bytes(), nil
}
