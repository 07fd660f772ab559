package graph

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tsunagu/internal/images"
	"tsunagu/internal/tsunagu"
)

// Pictures of goods: createImageUpload hands out a link (uploadPath); the file is
// PUT to it and stored by Options.Images, which also serves it at /images/{name}.

// uploadPath is where the picture of upload link token is PUT.
func uploadPath(token string) string { return "/uploads/" + url.PathEscape(token) }

// pictureSlots bounds the pictures decoded at once to one: a picture of the
// largest size allowed can take 300 MB or more while it is decoded (a 16-bit
// PNG), turned and scaled; uploads are rare enough to wait their turn.
var pictureSlots = make(chan struct{}, 1)

// uploadTimeout bounds one upload, the file's transfer included.
const uploadTimeout = 2 * time.Minute

// uploadHandler serves PUT /uploads/{token}: the link is checked before the body
// is read, the file is converted (images.Process) and stored, and only then is
// the link used, so that a refused file leaves it usable.
func (res *Resolver) uploadHandler(o Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", newRequestID())
		ctx, cancel := context.WithTimeout(r.Context(), uploadTimeout)
		defer cancel()
		// Counted against the client's address like every API request.
		ctx = tsunagu.WithClientAddr(ctx, o.TrustedProxies.clientAddress(r))
		if o.RateLimits.throttle(ctx, o, w, r) {
			return
		}
		token := r.PathValue("token")
		if err := res.Images.CheckImageUpload(ctx, token); err != nil {
			writeUploadError(w, o, r, err)
			return
		}
		file, err := io.ReadAll(http.MaxBytesReader(w, r.Body, tsunagu.MaxImageBytes))
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, tsunagu.Errorf(tsunagu.CodeOutOfRange, "file",
				"The file is larger than %d MiB; send a smaller picture.", tsunagu.MaxImageBytes>>20))
			return
		} else if err != nil {
			writeError(w, http.StatusBadRequest, tsunagu.Errorf(tsunagu.CodeInvalidInput, "file", "The file could not be read."))
			return
		}
		select {
		case pictureSlots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		pic, err := images.Process(file)
		<-pictureSlots
		if err != nil {
			writeUploadError(w, o, r, err)
			return
		}
		name, err := o.Images.Save(pic)
		if err != nil {
			writeUploadError(w, o, r, err)
			return
		}
		if err := res.Images.UseImageUpload(ctx, token, name); err != nil {
			writeUploadError(w, o, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"url": publicBase(o, r) + "/images/" + name,
			"width": pic.Width, "height": pic.Height})
	})
}

// writeUploadError answers an upload's refusal with its status: 404 for a link
// used or expired, 400 for a file refused, 503 for anything else (logged).
func writeUploadError(w http.ResponseWriter, o Options, r *http.Request, err error) {
	switch tsunagu.ErrorCode(err) {
	case tsunagu.CodeNotFound:
		writeError(w, http.StatusNotFound, err)
	case tsunagu.CodeInvalidInput, tsunagu.CodeOutOfRange:
		writeError(w, http.StatusBadRequest, err)
	default:
		o.Log.ErrorContext(r.Context(), "upload", "err", err, "request_id", w.Header().Get("X-Request-ID"))
		writeError(w, http.StatusServiceUnavailable, tsunagu.Errorf(tsunagu.CodeUnavailable, "",
			"The picture could not be stored just now; try again."))
	}
}

// publicBase is the origin the web apps reach the server at: Options.PublicURL,
// or this request's.
func publicBase(o Options, r *http.Request) string {
	if o.PublicURL != "" {
		return strings.TrimSuffix(o.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
