package images_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"tsunagu/internal/images"
	"tsunagu/internal/tsunagu"
)

// picture is a w × h picture, red on its left half and blue on its right, with
// its top 16 rows (a JPEG block's colour) transparent when alpha.
func picture(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 200, A: 255}
			if x >= w/2 {
				c = color.NRGBA{B: 200, A: 255}
			}
			if alpha && y < 16 {
				c.A = 0
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation is a JPEG of img whose EXIF says the camera was turned
// (orientation 6: the picture is to be turned 90° clockwise to stand upright).
func withOrientation(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	// TIFF header (big-endian), one IFD entry: Orientation (0x0112), SHORT, 1, 6.
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	jpg := b.Bytes()
	return append(append(append([]byte{}, jpg[:2]...), append(seg, payload...)...), jpg[2:]...)
}

func TestProcess(t *testing.T) {
	webp, err := os.ReadFile("testdata/tiny.webp") // 40 × 30, made by Chromium's canvas
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		file []byte
		w, h int
	}{
		{"PNG", encodePNG(t, picture(40, 30, false)), 40, 30},
		{"WebP", webp, 40, 30},
		{"a large picture is scaled down to 1600 on its longer side", encodePNG(t, picture(3200, 1000, false)), 1600, 500},
		{"turned upright by its EXIF orientation", withOrientation(t, picture(40, 30, false)), 30, 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := images.Process(c.file)
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(p.JPEG))
			if err != nil || format != "jpeg" {
				t.Fatalf("stored %s, %v; want a JPEG", format, err)
			}
			if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h || p.Width != c.w || p.Height != c.h {
				t.Errorf("stored %v (said %d × %d), want %d × %d", b, p.Width, p.Height, c.w, c.h)
			}
		})
	}
	t.Run("transparent shows white", func(t *testing.T) {
		p, err := images.Process(encodePNG(t, picture(40, 30, true)))
		if err != nil {
			t.Fatal(err)
		}
		img, _ := jpeg.Decode(bytes.NewReader(p.JPEG))
		if r, g, b, _ := img.At(5, 4).RGBA(); r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
			t.Errorf("the transparent row is (%d, %d, %d), want white", r>>8, g>>8, b>>8)
		}
	})
	t.Run("refused", func(t *testing.T) {
		var gifFile bytes.Buffer
		gif.Encode(&gifFile, picture(4, 4, false), nil)
		// A PNG header claiming 100,000 × 100,000 pixels: refused before decoding.
		bomb := encodePNG(t, picture(1, 1, false))
		binary.BigEndian.PutUint32(bomb[16:], 100_000)
		binary.BigEndian.PutUint32(bomb[20:], 100_000)
		binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29])) // the IHDR chunk's CRC
		for _, c := range []struct {
			name string
			file []byte
			code tsunagu.Code
		}{
			{"text", []byte("not a picture at all"), tsunagu.CodeInvalidInput},
			{"GIF", gifFile.Bytes(), tsunagu.CodeInvalidInput},
			{"empty", nil, tsunagu.CodeInvalidInput},
			{"a truncated PNG", encodePNG(t, picture(40, 30, false))[:60], tsunagu.CodeInvalidInput},
			{"too many pixels", bomb, tsunagu.CodeOutOfRange},
		} {
			_, err := images.Process(c.file)
			var e *tsunagu.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Field != "file" {
				t.Errorf("%s: %v, want %s on file", c.name, err, c.code)
			}
		}
	})
}

func TestStore(t *testing.T) {
	s := &images.Store{Dir: t.TempDir()}
	p, err := images.Process(encodePNG(t, picture(40, 30, false)))
	if err != nil {
		t.Fatal(err)
	}
	name, err := s.Save(p)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.Save(p); err != nil || again != name {
		t.Errorf("saved again as %s (%v), want %s", again, err, name)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /images/{name}", s)
	get := func(path string, h http.Header) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range h {
			req.Header[k] = v
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec
	}
	rec := get("/images/"+name, nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), p.JPEG) || rec.Header().Get("Content-Type") != "image/jpeg" ||
		rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET: %d %v", rec.Code, rec.Header())
	}
	if rec := get("/images/"+name, http.Header{"If-None-Match": {rec.Header().Get("ETag")}}); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", rec.Code)
	}
	for _, bad := range []string{"/images/" + name[:63] + "0.jpg", "/images/..%2fimages.go", "/images/" + name + ".png"} {
		if rec := get(bad, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, rec.Code)
		}
	}
}
