package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"tsunagu/internal/tsunagu"
)

// ImageService keeps the signed links pictures are uploaded through
// (tsunagu.ImageService), in image_uploads, by the hash of their token.
type ImageService struct{ db *DB }

func NewImageService(db *DB) *ImageService { return &ImageService{db: db} }

var _ tsunagu.ImageService = (*ImageService)(nil)

var errUploadGone = tsunagu.Errorf(tsunagu.CodeNotFound, "",
	"This upload link has been used or has expired; ask for a new one.")

// CreateImageUpload inserts the link's row: one statement.
func (s *ImageService) CreateImageUpload(ctx context.Context) (_ *tsunagu.ImageUpload, err error) {
	defer wrap(&err, "ImageService.CreateImageUpload")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if !u.MayUploadPictures() {
		return nil, tsunagu.ErrForbidden
	}
	token, hash := newToken()
	up := &tsunagu.ImageUpload{Token: token}
	err = s.db.q().GetContext(ctx, &up.ExpiresAt, `INSERT INTO image_uploads (token_hash, user_id, expires_at)
		VALUES ($1, $2, now() + $3 * interval '1 second') RETURNING expires_at`, hash, u.ID, tsunagu.ImageUploadTTL.Seconds())
	if err != nil {
		return nil, err
	}
	return up, nil
}

// uploader reads the user of an unused, unexpired link (locking the link in a
// transaction) and checks that they may still upload.
func uploader(ctx context.Context, q queryer, token string, lock string) error {
	var u struct {
		Role     tsunagu.Role
		Disabled *time.Time `db:"disabled_at"`
	}
	err := q.GetContext(ctx, &u, `SELECT us.role, us.disabled_at FROM image_uploads iu JOIN users us ON us.id = iu.user_id
		WHERE iu.token_hash = $1 AND iu.used_at IS NULL AND iu.expires_at > now()`+lock, hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return errUploadGone
	} else if err != nil {
		return err
	}
	if u.Disabled != nil || !(&tsunagu.User{Role: u.Role}).MayUploadPictures() {
		return errUploadGone
	}
	return nil
}

// CheckImageUpload reads the link and its user: one statement.
func (s *ImageService) CheckImageUpload(ctx context.Context, token string) (err error) {
	defer wrap(&err, "ImageService.CheckImageUpload")
	return uploader(ctx, s.db.q(), token, "")
}

// UseImageUpload locks the link, checks it again and marks it used, in one
// transaction: of two uploads through one link, the second finds it used.
func (s *ImageService) UseImageUpload(ctx context.Context, token, name string) (err error) {
	defer wrap(&err, "ImageService.UseImageUpload")
	return s.db.transact(ctx, func(tx queryer) error {
		if err := uploader(ctx, tx, token, ` FOR UPDATE OF iu`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE image_uploads SET used_at = now(), image_name = $2 WHERE token_hash = $1`,
			hashToken(token), name)
		return err
	})
}
