package model

import "tsunagu/internal/tsunagu"

// ArchiveProductInput names the product to archive.
type ArchiveProductInput struct {
	ID tsunagu.ProductID `json:"id"`
}
