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
// the same transaction as the level; on hand never goes below zero.
type StockService interface {
	// StockLevels lists a location's levels in product order. Anyone signed in as
	// staff may read them.
	StockLevels(ctx context.Context, location LocationID, f StockLevelFilter, page PageArgs) (*Page[*StockLevel], error)
	// StockLevelsAt returns the levels of products at one location, for loaders.
	StockLevelsAt(ctx context.Context, keys []StockKey) (map[StockKey]*StockLevel, error)
	// StockMovements lists the ledger, newest first; the page key is the movement ID.
	StockMovements(ctx context.Context, f StockMovementFilter, page PageArgs) (*Page[*StockMovement], error)
	// Movement, Adjustment and Stocktake return one stock record by ID (for
	// node(id)) to staff who may see its location's stock (a manager also sees the
	// movements of goods their facilities own elsewhere); NOT_FOUND (field "") when
	// there is none or the caller may not see it, so that nobody learns which exist.
	Movement(ctx context.Context, id MovementID) (*StockMovement, error)
	Adjustment(ctx context.Context, id AdjustmentID) (*StockAdjustment, error)
	Stocktake(ctx context.Context, id StocktakeID) (*Stocktake, error)
	// AdjustStock corrects stock on hand by a manager of the location's municipality
	// or a clerk of that shop. Returns INSUFFICIENT_STOCK when it would take more than
	// is available, FORBIDDEN, NOT_FOUND (input.productId / input.locationId), or
	// validation errors; a repeated idempotency key returns the first adjustment.
	AdjustStock(ctx context.Context, in AdjustStockInput) (*StockAdjustment, error)
	// RecordStocktake posts the differences between the counts and the stock on hand
	// as movements in one transaction, and reports them.
	RecordStocktake(ctx context.Context, in RecordStocktakeInput) (*Stocktake, error)
	// SetReorderPoint sets a level's reorder point (creating an empty level).
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
