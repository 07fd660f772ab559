package gid

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"

	"tsunagu/internal/tsunagu"
)

func TestRoundTrip(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40, 9223372036854775807} {
		s := Encode(KindProduct, id)
		kind, got, err := Decode(s)
		if err != nil || kind != KindProduct || got != id {
			t.Errorf("Decode(Encode(%d)) = %q, %d, %v", id, kind, got, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, s := range map[string]string{
		"Empty":        "",
		"NotBase64":    "!!!",
		"NoKind":       Encode("", 1),
		"Zero":         Encode(KindProduct, 0),
		"Negative":     "UHJvZHVjdDotMQ", // Product:-1
		"LeadingZero":  "UHJvZHVjdDowMQ", // Product:01
		"NotANumber":   "UHJvZHVjdDp4",   // Product:x
		"NoSeparator":  "UHJvZHVjdA",     // Product
		"TooLong":      string(make([]byte, 100)),
		"Overflow":     "UHJvZHVjdDo5OTk5OTk5OTk5OTk5OTk5OTk5OQ", // Product:99999999999999999999
		"PaddedBase64": Encode(KindProduct, 1) + "==",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Decode(s); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
				t.Errorf("Decode(%q) error %v, want NOT_FOUND", s, err)
			}
		})
	}
	t.Run("WrongKind", func(t *testing.T) {
		if _, err := DecodeKind(Encode(KindFacility, 1), KindProduct); tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
			t.Errorf("error %v, want NOT_FOUND", err)
		}
	})
	t.Run("UnmarshalNotAString", func(t *testing.T) {
		if _, err := UnmarshalProductID(12); err == nil {
			t.Error("a number was taken as an ID")
		}
	})
}

// FuzzDecode: decoding never panics, and whatever decodes re-encodes to the same ID.
func FuzzDecode(f *testing.F) {
	f.Add(Encode(KindProduct, 1))
	f.Add(Encode(KindMunicipality, 131032))
	f.Add("UHJvZHVjdDowMQ")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		kind, id, err := Decode(s)
		if err != nil {
			if tsunagu.ErrorCode(err) != tsunagu.CodeNotFound {
				t.Fatalf("Decode(%q) error %v is not NOT_FOUND", s, err)
			}
			return
		}
		if id <= 0 || kind == "" {
			t.Fatalf("Decode(%q) = %q, %d", s, kind, id)
		}
		if Encode(kind, id) != s {
			t.Fatalf("Decode(%q) = %q, %d, which encodes as %q", s, kind, id, Encode(kind, id))
		}
	})
}

// FuzzDecodeAsStrings: Decode and DecodeKind, which decode without allocating,
// answer as the first version did with the standard library's strings (decodeRef).
func FuzzDecodeAsStrings(f *testing.F) {
	f.Add(Encode(KindProduct, 1))
	f.Add(Encode(KindLocation, 9223372036854775807))
	f.Add("UHJvZHVjdDowMQ")
	f.Add("UHJvZHVjdDorMQ")                       // Product:+1
	f.Add("UHJvZHVjdDo5MjIzMzcyMDM2ODU0Nzc1ODA4") // Product:9223372036854775808
	f.Add("OjE")                                  // :1
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		kind, id, err := Decode(s)
		wantKind, wantID, wantOK := decodeRef(s)
		if (err == nil) != wantOK || kind != wantKind || id != wantID {
			t.Fatalf("Decode(%q) = %q, %d, %v; want %q, %d, %v", s, kind, id, err, wantKind, wantID, wantOK)
		}
		n, err := DecodeKind(s, KindProduct)
		if ok := wantOK && wantKind == KindProduct; (err == nil) != ok || (ok && n != wantID) {
			t.Fatalf("DecodeKind(%q, Product) = %d, %v", s, n, err)
		}
	})
}

// decodeRef is Decode as first written.
func decodeRef(s string) (string, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 64 || base64.RawURLEncoding.EncodeToString(b) != s {
		return "", 0, false
	}
	kind, num, ok := strings.Cut(string(b), ":")
	if !ok || kind == "" {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != num {
		return "", 0, false
	}
	return kind, id, true
}

func TestEncodeAsStrings(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40, 9223372036854775807} {
		want := base64.RawURLEncoding.EncodeToString([]byte(KindMunicipality + ":" + strconv.FormatInt(id, 10)))
		if got := Encode(KindMunicipality, id); got != want {
			t.Errorf("Encode(%d) = %q, want %q", id, got, want)
		}
		if got := string(Append([]byte("x"), KindMunicipality, id)); got != "x"+strconv.Quote(want) {
			t.Errorf("Append(%d) = %s, want x%q", id, got, want)
		}
	}
}
