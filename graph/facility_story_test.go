package graph_test

import (
	"testing"

	"tsunagu/graph/gid"
)

const facilityStoryQuery = `query($id: ID!, $l: Locale) { node(id: $id) { ... on Facility { story(locale: $l) imageUrls } } }`

// A facility tells its story per locale (falling back to Japanese) and shows
// pictures; a picture that is not https, a locale given twice or a story too long
// is refused at its field and changes nothing.
func TestFacilityStory(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var out struct {
		CreateFacility struct {
			Facility   *struct{ ID string }
			UserErrors []userError
		}
	}
	a.ok("manager", `mutation($in: CreateFacilityInput!) { createFacility(input: $in) { facility { id } userErrors { code field message } } }`,
		map[string]any{"in": map[string]any{"municipalityId": a.id(gid.KindMunicipality, int64(a.home.ID)), "name": "パン工房こむぎ",
			"kind": "EMPLOYMENT_SUPPORT_B", "corporation": "社会福祉法人こむぎ",
			"story":     []map[string]any{{"locale": "JA", "text": "毎朝パンを焼いています。"}, {"locale": "EN", "text": "We bake bread every morning."}},
			"imageUrls": []string{"https://example.jp/bakery.jpg"}}}, &out)
	if out.CreateFacility.Facility == nil {
		t.Fatalf("createFacility: %+v", out.CreateFacility.UserErrors)
	}
	id := out.CreateFacility.Facility.ID
	for _, tc := range []struct{ locale, want string }{
		{"JA", "毎朝パンを焼いています。"}, {"EN", "We bake bread every morning."}, {"KO", "毎朝パンを焼いています。"},
	} {
		var f struct {
			Node struct {
				Story     string
				ImageUrls []string
			}
		}
		a.ok("", facilityStoryQuery, map[string]any{"id": id, "l": tc.locale}, &f)
		if f.Node.Story != tc.want || len(f.Node.ImageUrls) != 1 || f.Node.ImageUrls[0] != "https://example.jp/bakery.jpg" {
			t.Errorf("%s: %+v", tc.locale, f.Node)
		}
	}
	long := make([]rune, 2001)
	for i := range long {
		long[i] = 'あ'
	}
	for _, tc := range []struct {
		name string
		in   map[string]any
		want string
	}{
		{"ErrNotHTTPS", map[string]any{"imageUrls": []string{"http://example.jp/x.jpg"}}, "INVALID_URL@input.imageUrls.0"},
		{"ErrLocaleTwice", map[string]any{"story": []map[string]any{{"locale": "EN", "text": "a"}, {"locale": "EN", "text": "b"}}}, "DUPLICATE@input.story.1.locale"},
		{"ErrTooLong", map[string]any{"story": []map[string]any{{"locale": "JA", "text": string(long)}}}, "TOO_LONG@input.story.0.text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := a.snapshot()
			tc.in["id"] = id
			errs, code := a.mutate("manager", "updateFacility", `mutation($in: UpdateFacilityInput!) { updateFacility(input: $in) { facility { id } userErrors { code field message } } }`,
				map[string]any{"in": tc.in})
			if got := code + codes(errs); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			a.unchanged(before)
		})
	}
}
