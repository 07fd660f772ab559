// Package images turns an uploaded picture of goods into the file the web apps
// show. A picture is accepted as JPEG, PNG or WebP only; its size is read from its
// header and bounded before it is decoded; it is turned upright as the camera's
// EXIF orientation says, scaled down to at most tsunagu.ImageMaxSide pixels on
// its longer side, flattened onto white, and encoded afresh as JPEG, which also
// drops what the file carried besides the picture (a photo's location, say). It
// is stored under the SHA-256 of its bytes, so a name's content never changes and
// can be cached for good.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	_ "image/png" // the formats accepted, besides JPEG
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp"

	"tsunagu/internal/tsunagu"
)

// quality is the JPEG quality of a stored picture: photos of goods stay sharp
// at about a tenth of a lossless file's size.
const quality = 85

// accepted are the formats a picture may come in, as image.DecodeConfig names them.
var accepted = map[string]bool{"jpeg": true, "png": true, "webp": true}

// Picture is a picture ready to store: its JPEG bytes and size.
type Picture struct {
	JPEG          []byte
	Width, Height int
}

// Process checks and converts an uploaded file (see the package comment). Its
// errors are INVALID_INPUT for a file that is not a JPEG, PNG or WebP picture or
// cannot be read, and OUT_OF_RANGE for a picture of more than
// tsunagu.MaxImagePixels; the field is "file".
func Process(file []byte) (*Picture, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(file))
	if err != nil || !accepted[format] {
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "file", "Upload a JPEG, PNG or WebP picture.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > tsunagu.MaxImagePixels {
		return nil, tsunagu.Errorf(tsunagu.CodeOutOfRange, "file",
			"The picture is %d × %d pixels; send one of at most %d million pixels.", cfg.Width, cfg.Height, tsunagu.MaxImagePixels/1_000_000)
	}
	// imaging reads a JPEG's EXIF orientation; the other formats have none here.
	img, err := imaging.Decode(bytes.NewReader(file), imaging.AutoOrientation(true))
	if err != nil {
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "file", "The picture could not be read; it may be damaged.")
	}
	if b := img.Bounds(); max(b.Dx(), b.Dy()) > tsunagu.ImageMaxSide {
		img = imaging.Fit(img, tsunagu.ImageMaxSide, tsunagu.ImageMaxSide, imaging.Lanczos)
	}
	// JPEG has no transparency: what was transparent shows white, as on a page.
	b := img.Bounds()
	flat := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(flat, flat.Bounds(), img, b.Min, draw.Over)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, flat, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("images: encode: %w", err)
	}
	return &Picture{JPEG: out.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

// Store keeps pictures as files in Dir, named by content. With several API
// processes, Dir must be storage they share.
type Store struct{ Dir string }

// nameRE is a stored picture's name.
var nameRE = regexp.MustCompile(`^[0-9a-f]{64}\.jpg$`)

// Save writes p under its name, unless a picture of that name is there already
// (the same bytes), and returns the name. The file appears whole or not at all.
func (s *Store) Save(p *Picture) (string, error) {
	sum := sha256.Sum256(p.JPEG)
	name := hex.EncodeToString(sum[:]) + ".jpg"
	path := filepath.Join(s.Dir, name)
	if _, err := os.Stat(path); err == nil {
		return name, nil
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(s.Dir, ".upload-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // after the rename, nothing is there to remove
	if _, err := tmp.Write(p.JPEG); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	return name, os.Rename(tmp.Name(), path)
}

// ServeHTTP serves GET /images/{name}: a stored picture, cacheable for a year and
// never revalidated (its name is its content), or 404.
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !nameRE.MatchString(name) {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(s.Dir, name))
	if errors.Is(err, os.ErrNotExist) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		http.Error(w, "The picture cannot be read just now.", http.StatusServiceUnavailable)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "The picture cannot be read just now.", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+name[:64]+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, st.ModTime(), f)
}
