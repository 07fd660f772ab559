// Package graph is the GraphQL API: thin resolvers that convert their input, call one
// service of the domain and return, plus the server set-up, the error presenter and
// the per-request loaders.
package graph

import "tsunagu/internal/tsunagu"

// Resolver holds the services the resolvers call.
type Resolver struct {
	Catalog   tsunagu.CatalogService
	Auth      tsunagu.AuthService
	Stock     tsunagu.StockService
	Transfers tsunagu.TransferService
	POS       tsunagu.POSService
	Orders    tsunagu.OrderService
	Audit     tsunagu.AuditService
	// Settlement is the commission rates and the monthly statements.
	Settlements tsunagu.SettlementService
	// Watch decides who may subscribe to what (subscriptions.go).
	Watch tsunagu.Watcher
	// Images keeps the links pictures are uploaded through (uploads.go).
	Images tsunagu.ImageService
}
