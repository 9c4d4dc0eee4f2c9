// Package lang declares the languages of the knowledge base: the one place in
// the code that names them. Content, site, search and kb new read them from
// here, so that adding a language is one folder in content/, one message file
// in theme/i18n/ and one line in All.
package lang

import "slices"

// A Language is one language of the site.
type Language struct {
	Code   string // BCP 47, such as "nl": the folder content/<code>/, the message file theme/i18n/<code>.toml, the URL prefix /<code>/
	Name   string // in the language itself, as the language switch shows it (never a flag or a code)
	Locale string // for Open Graph, such as nl_NL
	Dir    string // text direction: "ltr" or "rtl"

	// Analyzer names the search package's text analysis for the language's
	// index (search.Build); "" uses a plain one (Unicode words, lower case,
	// diacritics folded).
	Analyzer string

	// Readability names the plain-language formula kb check scores pages with:
	// "flesch-douma" (Dutch), "flesch" (English), or "" for a language that has
	// no calibrated formula, whose pages are not scored.
	Readability string

	// Fallback makes a partial language: one that has the pages a victim
	// needs first, not every page. A link to a page it does not have goes
	// to that page in the Fallback language, and says so; its menu shows the
	// pages it has. "" for a whole language, where such a link is an error.
	Fallback string

	// NativeCheck: the language's pages say, in one line at the top, that no
	// native speaker has checked the translation yet, until their front
	// matter has nativeReviewed (the day one did).
	NativeCheck bool
}

// All are the site's languages, the default first: the root and x-default
// point to it, and it is the source that translations follow.
var All = []Language{
	{Code: "nl", Name: "Nederlands", Locale: "nl_NL", Dir: "ltr", Analyzer: "nl", Readability: "flesch-douma"},
	{Code: "en", Name: "English", Locale: "en_GB", Dir: "ltr", Analyzer: "en", Readability: "flesch"},
	// The pages a victim needs first, for the people exploited here who read
	// neither Dutch nor English well: Polish, Romanian and Bulgarian workers,
	// refugees from Ukraine, and Arabic readers who came by smuggling routes.
	{Code: "pl", Name: "Polski", Locale: "pl_PL", Dir: "ltr", Analyzer: "pl", Fallback: "en", NativeCheck: true},
	{Code: "ro", Name: "Română", Locale: "ro_RO", Dir: "ltr", Analyzer: "ro", Fallback: "en", NativeCheck: true},
	{Code: "bg", Name: "Български", Locale: "bg_BG", Dir: "ltr", Analyzer: "bg", Fallback: "en", NativeCheck: true},
	{Code: "uk", Name: "Українська", Locale: "uk_UA", Dir: "ltr", Analyzer: "uk", Fallback: "en", NativeCheck: true},
	{Code: "ar", Name: "العربية", Locale: "ar_AR", Dir: "rtl", Analyzer: "ar", Fallback: "en", NativeCheck: true},
}

// Default is the site's first language.
func Default() Language { return All[0] }

// Codes returns the language codes, the default first.
func Codes() []string {
	var out []string
	for _, l := range All {
		out = append(out, l.Code)
	}
	return out
}

// Get returns the language with code.
func Get(code string) (Language, bool) {
	i := slices.IndexFunc(All, func(l Language) bool { return l.Code == code })
	if i < 0 {
		return Language{}, false
	}
	return All[i], true
}

// Others returns the languages other than code, in the order of All.
func Others(code string) []Language {
	var out []Language
	for _, l := range All {
		if l.Code != code {
			out = append(out, l)
		}
	}
	return out
}
