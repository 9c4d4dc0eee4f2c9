package content

import (
	"math"
	"testing"
)

func TestSyllables(t *testing.T) {
	for _, tc := range []struct {
		word, lang string
		want       int
	}{
		{"mensenhandel", "nl", 4},
		{"verblijfsvergunning", "nl", 5},
		{"bedenktijd", "nl", 3},
		{"ideeën", "nl", 3},
		{"coördinator", "nl", 5},
		{"mooi", "nl", 1},
		{"nieuw", "nl", 1},
		{"de", "nl", 1},
		{"trafficking", "en", 3},
		{"residence", "en", 3},
		{"people", "en", 2},
		{"police", "en", 2},
		{"the", "en", 1},
		{"used", "en", 1},
		{"wanted", "en", 2},
		{"victim", "en", 2},
	} {
		if got := syllables([]byte(tc.word), readabilityOf(tc.lang)); got != tc.want {
			t.Errorf("syllables(%q, %s) = %d; want %d", tc.word, tc.lang, got, tc.want)
		}
	}
}

func TestReadabilityScore(t *testing.T) {
	var p prose
	// Two sentences of 4 and 2 words; "art. 12" does not end a sentence; names
	// (Politie inside a sentence) count as words but not for syllables; the
	// newline ends the list item's sentence.
	p.write([]byte("De kat zit hier. Zie art. 12 van de Politie.\nkorte zin"), 100)
	r := p.score(FleschDouma)
	if r.Words != 11 || r.Sentences != 3 || r.Names != 1 || r.Longest != 5 || r.LongestAt != 117 {
		t.Fatalf("score = %+v; want 11 words, 3 sentences, 1 name, longest 5 at 117", r)
	}
	// syllables: de kat zit hier (4) zie art 12→not a word van de (4) korte zin (3): 11
	if r.Syllables != 11 {
		t.Errorf("syllables = %d; want 11", r.Syllables)
	}
	want := 206.835 - 0.93*11.0/3 - 77.0*11.0/10
	if math.Abs(r.Score-want) > 1e-9 {
		t.Errorf("Flesch-Douma = %f; want %f", r.Score, want)
	}
	en := p.score(Flesch)
	if want := 206.835 - 1.015*11.0/3 - 84.6*float64(en.Syllables)/10; math.Abs(en.Score-want) > 1e-9 {
		t.Errorf("Flesch reading ease = %f; want %f", en.Score, want)
	}
}

// TestPlainPageScores checks that the plain Dutch page of the readability
// fixture is scored, and well above the threshold: the warning there is not
// for every page.
func TestPlainPageScores(t *testing.T) {
	set, _, err := Load(archiveFS(t, "readability.txt"), fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range set.Pages {
		if p.File == "content/nl/index.md" {
			if r := set.Render(p).Readability; r.Words < MinReadabilityWords || r.Score < MinReadability+10 {
				t.Errorf("plain page: %+v; want at least %d words and a score of %d or more", r, MinReadabilityWords, MinReadability+10)
			}
			return
		}
	}
	t.Fatal("no content/nl/index.md")
}
