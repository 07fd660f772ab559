package tsunagu

import (
	"context"
	"time"
)

// Pictures of goods are uploaded through a signed link (createImageUpload): the
// server checks, re-encodes and scales each picture (package images) and keeps it
// under a content-addressed name, whose URL a product's imageUrls then names.

// Limits of an uploaded picture.
const (
	// MaxImageBytes bounds the file uploaded.
	MaxImageBytes = 10 << 20
	// MaxImagePixels bounds the picture's width × height, read from its header
	// before it is decoded, so that a small file cannot claim a huge picture.
	MaxImagePixels = 40_000_000
	// ImageMaxSide is the longest side of a stored picture, in pixels.
	ImageMaxSide = 1600
	// ImageUploadTTL is how long an upload link stays usable.
	ImageUploadTTL = 15 * time.Minute
)

// ImageUpload is a signed link to upload one picture to: PUT the file to URL
// before ExpiresAt. Token is the link's secret (only its hash is stored).
type ImageUpload struct {
	Token     string
	ExpiresAt time.Time
}

// MayUploadPictures reports whether u may upload pictures of goods: those who edit
// products (admins, managers and facility staff).
func (u *User) MayUploadPictures() bool {
	return u != nil && (u.Role == RoleAdmin || u.Role == RoleManager || u.Role == RoleFacility)
}

// ImageService keeps the signed upload links of pictures.
type ImageService interface {
	// CreateImageUpload makes a link for the signed-in user to upload one picture
	// to, usable once within ImageUploadTTL. Admins, managers and facility staff
	// may; UNAUTHENTICATED for an anonymous caller, FORBIDDEN for a clerk or a
	// shopper.
	CreateImageUpload(ctx context.Context) (*ImageUpload, error)
	// CheckImageUpload reports whether token is a link that can still be used
	// (not used, not expired, its user still active), without using it; NOT_FOUND
	// otherwise. Anyone holding the link may call it: the link is the permission.
	CheckImageUpload(ctx context.Context, token string) error
	// UseImageUpload records that the picture stored as name was uploaded through
	// token; it succeeds once per link, and returns NOT_FOUND for a link used,
	// expired or unknown, changing nothing.
	UseImageUpload(ctx context.Context, token, name string) error
}
