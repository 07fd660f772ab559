package tsunagu

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// StockLevel is the stock of one product at one location. OnHand is on the shelf,
// Reserved of it is promised to unpaid online orders, Incoming is shipped to the
// location and not yet received.
type StockLevel struct {
	ProductID  ProductID
	LocationID LocationID
	// MunicipalityID is the location's municipality, LocationFacilityID the facility
	// whose own location it is (nil for shops and warehouses): who sees the level's
	// plans (PlansVisibleTo).
	MunicipalityID     MunicipalityID
	LocationFacilityID *FacilityID
	OnHand             int
	Reserved           int
	Incoming           int
	ReorderPoint       int
	UpdatedAt          time.Time
	// Version counts the level's changes: of two reads, the higher is the newer.
	Version int64
}

// Available is what can still be sold or shipped: on hand less reserved.
func (l *StockLevel) Available() int { return l.OnHand - l.Reserved }

// BelowReorderPoint reports whether the available stock has fallen below the
// reorder point (a reorder point of 0 means none is set).
func (l *StockLevel) BelowReorderPoint() bool {
	return l.ReorderPoint > 0 && l.Available() < l.ReorderPoint
}

// PlansVisibleTo reports whether u may see the level's plans: what is on its way
// (Incoming), its reorder point and whether stock is below it. Its location's
// staff may (User.SeesPlansAt); shoppers, the public catalog and other
// municipalities' staff see how much is there, not what is planned.
func (l *StockLevel) PlansVisibleTo(u *User) bool {
	return u.SeesPlansAt(l.MunicipalityID, l.LocationFacilityID)
}

// Bucket is the quantity of a level that a movement changes.
type Bucket string

const (
	BucketOnHand   Bucket = "ON_HAND"
	BucketReserved Bucket = "RESERVED"
	BucketIncoming Bucket = "INCOMING"
)

// DocumentType is the kind of document a stock movement belongs to.
type DocumentType string

const (
	DocumentAdjustment DocumentType = "ADJUSTMENT"
	DocumentStocktake  DocumentType = "STOCKTAKE"
	DocumentTransfer   DocumentType = "TRANSFER"
	DocumentSale       DocumentType = "SALE"
	DocumentOrder      DocumentType = "ORDER"
)

// MovementReason says why stock moved.
type MovementReason string

const (
	ReasonProduction      MovementReason = "PRODUCTION"
	ReasonCountCorrection MovementReason = "COUNT_CORRECTION"
	ReasonDamaged         MovementReason = "DAMAGED"
	ReasonLost            MovementReason = "LOST"
	ReasonExpired         MovementReason = "EXPIRED"
	ReasonFound           MovementReason = "FOUND"
	ReasonStocktake       MovementReason = "STOCKTAKE"
	// ReasonTransferOut leaves the source when a transfer ships; ReasonInTransit is
	// the same quantity arriving as incoming at the destination.
	ReasonTransferOut MovementReason = "TRANSFER_OUT"
	ReasonInTransit   MovementReason = "IN_TRANSIT"
	// ReasonTransferIn turns received incoming stock into stock on hand (two rows:
	// incoming down, on hand up); ReasonTransitLoss writes off incoming stock that
	// did not arrive in a sellable state.
	ReasonTransferIn  MovementReason = "TRANSFER_IN"
	ReasonTransitLoss MovementReason = "TRANSIT_LOSS"
	ReasonSale        MovementReason = "SALE"
	ReasonSaleVoid    MovementReason = "SALE_VOID"
	ReasonRefund      MovementReason = "REFUND"
	ReasonReserve     MovementReason = "RESERVE"
	ReasonRelease     MovementReason = "RELEASE"
	ReasonOrderPickup MovementReason = "ORDER_FULFILLED"
)

// StockMovement is one row of the append-only ledger.
type StockMovement struct {
	ID         MovementID
	ProductID  ProductID
	LocationID LocationID
	// OwnerFacilityID is the facility the goods belong to (consignment) until sold.
	OwnerFacilityID FacilityID
	Bucket          Bucket
	Quantity        int
	Reason          MovementReason
	DocumentType    DocumentType
	DocumentID      int64
	ActorID         *UserID
	CreatedAt       time.Time
}

// AdjustmentReason is why a person corrects stock by hand.
type AdjustmentReason = MovementReason

// AdjustStockInput corrects the stock on hand of one product at one location.
// Quantity is signed: DAMAGED, LOST and EXPIRED take stock out (negative), FOUND and
// PRODUCTION bring it in (positive), COUNT_CORRECTION goes either way.
type AdjustStockInput struct {
	LocationID     LocationID
	ProductID      ProductID
	Quantity       int
	Reason         AdjustmentReason
	Note           string
	IdempotencyKey string
}

// StockAdjustment is the document of an adjustment, with its result.
type StockAdjustment struct {
	ID         AdjustmentID
	LocationID LocationID
	ProductID  ProductID
	Quantity   int
	Reason     AdjustmentReason
	Note       string
	ActorID    UserID
	CreatedAt  time.Time
	Level      *StockLevel
}

// Limits on stock inputs.
const (
	MaxLineQuantity = 100_000
	MaxLines        = 500
	MaxNoteLength   = 500
)

// Validate checks the input alone, reporting every problem at once.
func (in *AdjustStockInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateNote(&errs, &in.Note)
	q := in.Quantity
	switch in.Reason {
	case ReasonDamaged, ReasonLost, ReasonExpired:
		if q >= 0 {
			errs.Add(CodeOutOfRange, "input.quantity", "Stock that is %s leaves the shelf: give a negative quantity.", strings.ToLower(string(in.Reason)))
		}
	case ReasonFound, ReasonProduction:
		if q <= 0 {
			errs.Add(CodeOutOfRange, "input.quantity", "Stock that is %s comes in: give a positive quantity.", strings.ToLower(string(in.Reason)))
		}
	case ReasonCountCorrection:
		if q == 0 {
			errs.Add(CodeOutOfRange, "input.quantity", "A correction of zero changes nothing.")
		}
	default:
		errs.Add(CodeInvalidInput, "input.reason", "Choose a reason: PRODUCTION, COUNT_CORRECTION, DAMAGED, LOST, EXPIRED or FOUND.")
	}
	if q > MaxLineQuantity || q < -MaxLineQuantity {
		errs.Add(CodeOutOfRange, "input.quantity", "A quantity can be at most %d.", MaxLineQuantity)
	}
	return errs.Err()
}

// StocktakeLine is one counted product.
type StocktakeLine struct {
	ProductID ProductID
	Counted   int
}

// RecordStocktakeInput is a count of a location's stock.
type RecordStocktakeInput struct {
	LocationID LocationID
	Lines      []StocktakeLine
	// Complete counts every product stocked at the location: those not listed are
	// counted as zero.
	Complete       bool
	Note           string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *RecordStocktakeInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateNote(&errs, &in.Note)
	if len(in.Lines) == 0 && !in.Complete {
		errs.Add(CodeRequired, "input.lines", "Enter at least one counted product.")
	}
	if len(in.Lines) > MaxLines {
		errs.Add(CodeOutOfRange, "input.lines", "A stocktake can have at most %d lines; split it.", MaxLines)
	}
	seen := map[ProductID]bool{}
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if l.Counted < 0 || l.Counted > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".counted", "Enter a count from 0 to %d.", MaxLineQuantity)
		}
		if seen[l.ProductID] {
			errs.Add(CodeDuplicate, f+".productId", "This product is counted twice; enter it once.")
		}
		seen[l.ProductID] = true
	}
	return errs.Err()
}

// StocktakeResultLine is what a stocktake found for one product.
type StocktakeResultLine struct {
	ProductID ProductID
	Expected  int
	Counted   int
}

// Difference is counted less expected: the movement the stocktake posted.
func (l StocktakeResultLine) Difference() int { return l.Counted - l.Expected }

// Stocktake is a recorded count with what it changed.
type Stocktake struct {
	ID         StocktakeID
	LocationID LocationID
	Complete   bool
	Note       string
	ActorID    UserID
	CreatedAt  time.Time
	Lines      []StocktakeResultLine
}

// StockLevelFilter narrows the levels of a location.
type StockLevelFilter struct {
	ProductID         *ProductID
	BelowReorderPoint bool
}

// StockMovementFilter narrows the ledger. LocationID or ProductID is required.
type StockMovementFilter struct {
	LocationID   *LocationID
	ProductID    *ProductID
	DocumentType *DocumentType
	DocumentID   *int64
	Since, Until *time.Time
}

// SetReorderPointInput sets the level below which a location should restock.
type SetReorderPointInput struct {
	LocationID   LocationID
	ProductID    ProductID
	ReorderPoint int
}

// StockService keeps the stock and its ledger. Every change writes its movements in
// the same transaction as the level; on hand never goes below zero. Mutations are
// for the staff who work at the location (User.WorksAt: admins, the managers of its
// municipality, the clerks of that shop, facility staff at their facility's own
// locations): UNAUTHENTICATED for an anonymous request, FORBIDDEN for anyone else.
// Every mutation that takes an idempotency key (Keyed) returns the first result on
// a retry with the same key and request and moves nothing, and IDEMPOTENCY_CONFLICT
// (input.idempotencyKey) for the same key with another request. Errors are *Error
// values with the codes below; any other error is internal.
type StockService interface {
	// StockLevels lists a location's levels in product order (the page key is the
	// product ID). Any staff member may read them, facility staff only at their
	// facility's own locations; only those who see the location's plans
	// (User.SeesPlansAt) may filter on the reorder point. Returns UNAUTHENTICATED,
	// FORBIDDEN for customers and for facility staff elsewhere, NOT_FOUND (field "")
	// for an unknown location, FORBIDDEN (filter.belowReorderPoint) for the filter,
	// or OUT_OF_RANGE (first).
	StockLevels(ctx context.Context, location LocationID, f StockLevelFilter, page PageArgs) (*Page[*StockLevel], error)
	// StockLevelsAt returns the levels that exist among keys; a key without a level
	// is absent. Anyone may call it: the storefront shows stock at a shop
	// (StockLevel.PlansVisibleTo says who sees the plans). It returns no error of
	// its own.
	StockLevelsAt(ctx context.Context, keys []StockKey) (map[StockKey]*StockLevel, error)
	// StockMovements lists the ledger that matches f, newest first (the page key is
	// the movement ID; a page after k holds older movements). The filter must name a
	// location or a product. Staff see the movements at the locations whose stock
	// they see (User.SeesStockAt), managers also those of goods their municipality's
	// facilities own, wherever they sit; others are left out, not refused. Returns
	// UNAUTHENTICATED, FORBIDDEN for customers, OUT_OF_RANGE (first), or REQUIRED
	// (filter) when it names neither a location nor a product.
	StockMovements(ctx context.Context, f StockMovementFilter, page PageArgs) (*Page[*StockMovement], error)
	// Movement returns one stock movement by ID (for node(id)) to the staff who see
	// it, as in StockMovements. Returns NOT_FOUND (field "") when there is none or
	// the caller may not see it, so that nobody learns which exist.
	Movement(ctx context.Context, id MovementID) (*StockMovement, error)
	// Adjustment returns one stock adjustment by ID (for node(id)), with its level
	// as it is now, to the staff who see its location's stock (User.SeesStockAt).
	// Returns NOT_FOUND (field "") when there is none or the caller may not see it,
	// so that nobody learns which exist.
	Adjustment(ctx context.Context, id AdjustmentID) (*StockAdjustment, error)
	// Stocktake returns one stocktake by ID (for node(id)), with its lines, to the
	// staff who see its location's stock (User.SeesStockAt). Returns NOT_FOUND
	// (field "") when there is none or the caller may not see it, so that nobody
	// learns which exist.
	Stocktake(ctx context.Context, id StocktakeID) (*Stocktake, error)
	// AdjustStock corrects the stock on hand of one product at one location, by the
	// staff who work there; the adjustment's movement is owned by the product's
	// facility, and the result carries the level after it. New goods (PRODUCTION)
	// come in only at a location of the product's own municipality, and never for an
	// archived product (goods reach other cities by transfer); other reasons apply
	// to any product, so that stock no longer sold can still be written off or
	// found. A retry with the same key returns the first adjustment, with the level
	// as it is now.
	//
	// Returns validation errors (AdjustStockInput.Validate), NOT_FOUND
	// (input.locationId), UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (input.productId),
	// INVALID_STATE (input.productId) or INVALID_INPUT (input.reason) for PRODUCTION
	// as above, INSUFFICIENT_STOCK (input.quantity) when it would take more than is
	// available (on hand less reserved), or IDEMPOTENCY_CONFLICT; and then changes
	// nothing.
	AdjustStock(ctx context.Context, in AdjustStockInput) (*StockAdjustment, error)
	// RecordStocktake records a count of a location's stock, by the staff who work
	// there, and posts each difference between count and stock on hand as a
	// STOCKTAKE movement, all at once: nothing moves between the reading and the
	// posting. A product counted where it has no level yet is expected at 0; with
	// Complete, every product with stock on hand there that is not listed is counted
	// as 0. The result lists every line in product order, the unchanged ones
	// included (and for Complete the unlisted products it zeroed). A retry with the
	// same key returns the first stocktake.
	//
	// Returns validation errors (RecordStocktakeInput.Validate), NOT_FOUND
	// (input.locationId, input.lines.N.productId), UNAUTHENTICATED, FORBIDDEN,
	// OUT_OF_RANGE (input.lines.N.counted, or input.complete for an unlisted
	// product) when fewer are counted than are reserved for orders, or
	// IDEMPOTENCY_CONFLICT; and then changes nothing.
	RecordStocktake(ctx context.Context, in RecordStocktakeInput) (*Stocktake, error)
	// SetReorderPoint sets the reorder point of a product at a location (0 removes
	// it), creating an empty level where there is none, by the staff who work there.
	// It moves no stock, so it writes no movement and takes no idempotency key:
	// setting it twice is setting it once. Returns UNAUTHENTICATED, FORBIDDEN,
	// OUT_OF_RANGE (input.reorderPoint), or NOT_FOUND (input.locationId,
	// input.productId); and then changes nothing.
	SetReorderPoint(ctx context.Context, in SetReorderPointInput) (*StockLevel, error)
}

// StockKey names a level.
type StockKey struct {
	ProductID  ProductID
	LocationID LocationID
}

func validateNote(errs *ValidationErrors, note *string) {
	*note = strings.TrimSpace(*note)
	if utf8.RuneCountInString(*note) > MaxNoteLength {
		errs.Add(CodeTooLong, "input.note", "A note can be at most %d characters.", MaxNoteLength)
	}
}
