package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/kb-mensenhandel/kb/cmd/internal/lang"
	"github.com/kb-mensenhandel/kb/cmd/internal/site"
	"github.com/kb-mensenhandel/kb/theme"
)

// TestPubliccodeYml checks ../../publiccode.yml against the required fields of
// the publiccode.yml standard (yml.publiccode.tools, core 0.5) and against the
// project itself: the module path, the licence and the site's languages.
func TestPubliccodeYml(t *testing.T) {
	data, err := os.ReadFile("../../publiccode.yml")
	if err != nil {
		t.Fatal(err)
	}
	var pc struct {
		Version           string   `yaml:"publiccodeYmlVersion"`
		Name              string   `yaml:"name"`
		URL               string   `yaml:"url"`
		SoftwareType      string   `yaml:"softwareType"`
		Platforms         []string `yaml:"platforms"`
		Categories        []string `yaml:"categories"`
		DevelopmentStatus string   `yaml:"developmentStatus"`
		Description       map[string]struct {
			ShortDescription string   `yaml:"shortDescription"`
			LongDescription  string   `yaml:"longDescription"`
			Features         []string `yaml:"features"`
		} `yaml:"description"`
		Legal struct {
			License string `yaml:"license"`
		} `yaml:"legal"`
		Maintenance struct {
			Type     string `yaml:"type"`
			Contacts []struct {
				Name string `yaml:"name"`
			} `yaml:"contacts"`
		} `yaml:"maintenance"`
		Localisation struct {
			LocalisationReady  *bool    `yaml:"localisationReady"`
			AvailableLanguages []string `yaml:"availableLanguages"`
		} `yaml:"localisation"`
	}
	if err := yaml.Unmarshal(data, &pc); err != nil {
		t.Fatalf("publiccode.yml: %v", err)
	}
	need := func(field string, ok bool) {
		if !ok {
			t.Errorf("publiccode.yml: %s is missing or invalid", field)
		}
	}
	need("publiccodeYmlVersion", regexp.MustCompile(`^0\.[0-9]+$`).MatchString(pc.Version))
	need("name", pc.Name != "")
	need("platforms", len(pc.Platforms) > 0)
	need("softwareType", slices.Contains([]string{"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend", "standalone/other", "addon", "library", "configurationFiles"}, pc.SoftwareType))
	need("developmentStatus", slices.Contains([]string{"concept", "development", "beta", "stable", "obsolete"}, pc.DevelopmentStatus))
	need("maintenance.type", slices.Contains([]string{"internal", "contract", "community", "none"}, pc.Maintenance.Type))
	if pc.Maintenance.Type == "internal" || pc.Maintenance.Type == "community" {
		need("maintenance.contacts with a name", len(pc.Maintenance.Contacts) > 0 && pc.Maintenance.Contacts[0].Name != "")
	}
	need("localisation.localisationReady", pc.Localisation.LocalisationReady != nil)

	// The project's own facts.
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.Fields(strings.SplitN(string(gomod), "\n", 2)[0])[1]
	need("url (the repository, as go.mod's module path "+module+")", pc.URL == "https://"+module)
	need("legal.license (EUPL-1.2, as LICENSE)", pc.Legal.License == "EUPL-1.2")
	s, err := site.New(theme.FS())
	if err != nil {
		t.Fatal(err)
	}
	need("localisation.availableLanguages (the site's languages)", slices.Equal(pc.Localisation.AvailableLanguages, s.Langs()))
	for _, code := range s.Langs() {
		if l, _ := lang.Get(code); l.Fallback != "" {
			continue // the catalogue's description is in the full languages; the site has the partial ones too
		}
		lang := code
		d, ok := pc.Description[lang]
		need("description."+lang, ok)
		need("description."+lang+".shortDescription (at most 150 characters)", d.ShortDescription != "" && utf8.RuneCountInString(d.ShortDescription) <= 150)
		need("description."+lang+".longDescription (150 to 10,000 characters)", utf8.RuneCountInString(d.LongDescription) >= 150 && utf8.RuneCountInString(d.LongDescription) <= 10000)
		need("description."+lang+".features", len(d.Features) > 0)
	}
}
