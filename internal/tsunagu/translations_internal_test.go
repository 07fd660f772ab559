package tsunagu

import "testing"

// UnmarshalJSON keeps a value per locale in an array of numLocales.
func TestNumLocales(t *testing.T) {
	if numLocales != len(Locales) {
		t.Errorf("numLocales = %d, len(Locales) = %d", numLocales, len(Locales))
	}
}
