package shopweb

import (
	"regexp"
	"sort"
	"testing"

	"tsunagu/internal/tsunagu"
)

// Every string of the pages is written in Japanese and in やさしい日本語, and
// every kanji of the latter carries its reading ({漢字|かんじ}), so that the
// furigana the language promises are there on every page.
func TestEveryKanjiHasItsReading(t *testing.T) {
	ruby := regexp.MustCompile(`\{[^{}|]*\|[^{}]*\}|\{[a-zA-Z]+\}`)
	var keys []string
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		for _, l := range []tsunagu.Locale{tsunagu.LocaleJA, tsunagu.LocaleJAEasy} {
			if _, ok := messages[key][l]; !ok {
				t.Errorf("%s has no text in %s", key, l)
			}
		}
		if bare := ruby.ReplaceAllString(messages[key][tsunagu.LocaleJAEasy], ""); hasKanji(bare) {
			t.Errorf("%s in やさしい日本語 has kanji without their reading: %s", key, bare)
		}
	}
}
