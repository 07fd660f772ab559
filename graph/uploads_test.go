package graph_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/graph"
	"tsunagu/graph/gid"
	"tsunagu/internal/images"
	"tsunagu/internal/tsunagu"
)

// pngOf is a w × h PNG of one colour.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xC0
	}
	img.Set(0, 0, color.Black) // not all one colour: two uploads differ from a blank
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

type uploaded struct {
	Status int
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Errors []struct {
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (u uploaded) code() string {
	if len(u.Errors) == 0 {
		return ""
	}
	c, _ := u.Errors[0].Extensions["code"].(string)
	return c
}

// put sends file to the upload link path on the server at base.
func put(t *testing.T, base, path string, file []byte) uploaded {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, base+path, bytes.NewReader(file))
	req.Header.Set("Content-Type", "image/png")
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	var u uploaded
	body, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(body, &u); err != nil {
		t.Fatalf("PUT %s: %d %s", path, res.StatusCode, body)
	}
	u.Status = res.StatusCode
	return u
}

// A manager uploads a picture through a link, once; the picture is scaled,
// stored, served for good and taken by a product. Refused files leave the link
// usable; a used, expired or unknown link stores nothing.
func TestImageUpload(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	dir := t.TempDir()
	srv := httptest.NewServer(a.server(graph.Options{Images: &images.Store{Dir: dir}}))
	t.Cleanup(srv.Close)
	link := func() string {
		t.Helper()
		r := post(t, srv.URL, a.tokens["manager"], `mutation { createImageUpload { upload { url expiresAt } userErrors { code } } }`, nil)
		var d struct {
			CreateImageUpload struct {
				Upload struct {
					URL       string
					ExpiresAt time.Time
				}
			}
		}
		must(t, json.Unmarshal(r.Data, &d))
		up := d.CreateImageUpload.Upload
		if !strings.HasPrefix(up.URL, "/uploads/") || time.Until(up.ExpiresAt) > 15*time.Minute || time.Until(up.ExpiresAt) < 14*time.Minute {
			t.Fatalf("upload %+v (errors %+v), want a link on /uploads/ for 15 minutes", up, r.Errors)
		}
		return up.URL
	}
	stored := func() int {
		es, err := os.ReadDir(dir)
		must(t, err)
		return len(es)
	}

	l := link()
	got := put(t, srv.URL, l, pngOf(t, 3200, 1000))
	if got.Status != http.StatusCreated || got.Width != 1600 || got.Height != 500 || !strings.HasPrefix(got.URL, srv.URL+"/images/") {
		t.Fatalf("upload: %+v, want 201 with a 1600 × 500 picture under %s/images/", got, srv.URL)
	}
	res, err := http.Get(got.URL)
	must(t, err)
	pic, err := jpeg.Decode(res.Body)
	res.Body.Close()
	if err != nil || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || pic.Bounds().Dx() != 1600 {
		t.Errorf("GET the picture: %v, %v, %v", err, res.Header, pic)
	}
	// The product takes the picture's URL.
	p := a.product(a.homeFac, "写真の品", tsunagu.StatusActive)
	r := a.do("manager", `mutation($in: UpdateProductInput!) { updateProduct(input: $in) { product { imageUrls } userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"id": a.id(gid.KindProduct, int64(p.ID)), "imageUrls": []string{got.URL}}})
	if !strings.Contains(string(r.Data), got.URL) {
		t.Errorf("updateProduct with the picture: %s %+v", r.Data, r.Errors)
	}

	t.Run("OnlyOnce", func(t *testing.T) {
		before := a.snapshot()
		if again := put(t, srv.URL, l, pngOf(t, 20, 20)); again.Status != http.StatusNotFound || again.code() != "NOT_FOUND" {
			t.Errorf("a used link: %+v, want 404 NOT_FOUND", again)
		}
		a.unchanged(before)
		if n := stored(); n != 1 {
			t.Errorf("%d files stored, want 1", n)
		}
	})
	t.Run("RefusedFilesLeaveTheLink", func(t *testing.T) {
		l := link()
		before := a.snapshot()
		for _, c := range []struct {
			name   string
			file   []byte
			status int
			code   string
		}{
			{"text", []byte("これは写真ではありません"), http.StatusBadRequest, "INVALID_INPUT"},
			{"too large", make([]byte, tsunagu.MaxImageBytes+1), http.StatusRequestEntityTooLarge, "OUT_OF_RANGE"},
		} {
			if got := put(t, srv.URL, l, c.file); got.Status != c.status || got.code() != c.code {
				t.Errorf("%s: %+v, want %d %s", c.name, got, c.status, c.code)
			}
		}
		a.unchanged(before)
		if got := put(t, srv.URL, l, pngOf(t, 30, 20)); got.Status != http.StatusCreated || got.Width != 30 {
			t.Errorf("a picture after the refusals: %+v, want 201", got)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		l := link()
		_, err := a.db.SQL().Exec(`UPDATE image_uploads SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`)
		must(t, err)
		before, files := a.snapshot(), stored()
		for _, path := range []string{l, "/uploads/tsu_no-such-link"} {
			if got := put(t, srv.URL, path, pngOf(t, 10, 10)); got.Status != http.StatusNotFound || got.code() != "NOT_FOUND" {
				t.Errorf("%s: %+v, want 404 NOT_FOUND", path, got)
			}
		}
		a.unchanged(before)
		if stored() != files {
			t.Error("a refused link stored a file")
		}
	})
	t.Run("TwoAtOnce", func(t *testing.T) {
		l := link()
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Go(func() { statuses[i] = put(t, srv.URL, l, pngOf(t, 40+i, 40)).Status })
		}
		wg.Wait()
		if !(statuses[0] == 201 && statuses[1] == 404 || statuses[0] == 404 && statuses[1] == 201) {
			t.Errorf("two uploads through one link: %v, want one 201 and one 404", statuses)
		}
		var used int
		must(t, a.db.SQL().QueryRow(`SELECT count(*) FROM image_uploads WHERE used_at IS NOT NULL`).Scan(&used))
		if used != 3 {
			t.Errorf("%d links used, want 3", used)
		}
	})
}

// Uploads count against the client's address like every API request: a client
// trying link after link is held up.
func TestImageUploadRateLimited(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	srv := httptest.NewServer(a.server(graph.Options{Images: &images.Store{Dir: t.TempDir()},
		RateLimits: graph.RateLimits{Limiter: a.limiter(t), IPRate: 0.01, IPBurst: 2}}))
	t.Cleanup(srv.Close)
	for i := range 2 {
		if got := put(t, srv.URL, "/uploads/tsu_guess", pngOf(t, 10, 10)); got.Status != http.StatusNotFound {
			t.Fatalf("try %d: %+v, want 404", i+1, got)
		}
	}
	if got := put(t, srv.URL, "/uploads/tsu_guess", pngOf(t, 10, 10)); got.Status != http.StatusTooManyRequests || got.code() != "RATE_LIMITED" {
		t.Errorf("third try: %+v, want 429 RATE_LIMITED", got)
	}
}
