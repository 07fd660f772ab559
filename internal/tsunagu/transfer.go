package tsunagu

import (
	"context"
	"strings"
	"time"
)

// TransferStatus is where a transfer is in its life:
// REQUESTED → APPROVED → SHIPPED → RECEIVED, or CANCELLED before anything ships. A
// partly shipped transfer whose rest will not ship is closed by cancelling the rest
// (CancelUnshipped): it is RECEIVED once what did ship is accounted for.
type TransferStatus string

const (
	TransferRequested TransferStatus = "REQUESTED"
	TransferApproved  TransferStatus = "APPROVED"
	// TransferShipped: some or all of the approved goods are on their way; more
	// shipments and receipts may follow.
	TransferShipped   TransferStatus = "SHIPPED"
	TransferReceived  TransferStatus = "RECEIVED"
	TransferCancelled TransferStatus = "CANCELLED"
)

// TransferAction is a step of the transfer state machine.
type TransferAction string

const (
	ActionApprove TransferAction = "approve"
	ActionShip    TransferAction = "ship"
	ActionReceive TransferAction = "receive"
	ActionCancel  TransferAction = "cancel"
)

// CanTransition returns nil when action may be taken on a transfer in status from,
// and INVALID_STATE with a sentence saying why not otherwise. Shipping and receiving
// may repeat while the transfer is SHIPPED (partial shipments and receipts).
func CanTransition(from TransferStatus, action TransferAction) error {
	ok := false
	switch action {
	case ActionApprove:
		ok = from == TransferRequested
	case ActionShip:
		ok = from == TransferApproved || from == TransferShipped
	case ActionReceive:
		ok = from == TransferShipped
	case ActionCancel:
		// In SHIPPED only what has not shipped is cancelled (CancelUnshipped).
		ok = from == TransferRequested || from == TransferApproved || from == TransferShipped
	}
	if ok {
		return nil
	}
	why := map[TransferStatus]string{
		TransferRequested: "it has not been approved yet",
		TransferApproved:  "nothing has been shipped yet",
		TransferShipped:   "goods are already on their way",
		TransferReceived:  "it has been received in full",
		TransferCancelled: "it was cancelled",
	}[from]
	if action == ActionApprove && from != TransferRequested {
		why = "it is " + strings.ToLower(string(from)) + ", not waiting for approval"
	}
	return Errorf(CodeInvalidState, "input.transferId", "This transfer cannot be %s: %s.", pastTense[action], why)
}

var pastTense = map[TransferAction]string{
	ActionApprove: "approved", ActionShip: "shipped", ActionReceive: "received", ActionCancel: "cancelled",
}

// StatusAfterMovement is the status of a transfer whose lines stand as given after a
// shipment or a receipt: RECEIVED once every approved unit has shipped and every
// shipped unit is accounted for (received or short), SHIPPED otherwise.
func StatusAfterMovement(lines []*TransferLine) TransferStatus {
	for _, l := range lines {
		if l.Shipped < l.Approved || l.Received+l.Short < l.Shipped {
			return TransferShipped
		}
	}
	return TransferReceived
}

// CancelUnshipped cancels what was approved on a SHIPPED transfer and has not
// shipped (each line's approved becomes its shipped), so that a partial shipment
// whose rest will never come can be closed; it returns the transfer's status after:
// RECEIVED when what shipped is accounted for, SHIPPED while some is on its way.
// Returns INVALID_STATE (field input.transferId) when everything approved has
// shipped: there is nothing to cancel, only goods to receive.
func CancelUnshipped(lines []*TransferLine) (TransferStatus, error) {
	rest := false
	for _, l := range lines {
		rest = rest || l.Shipped < l.Approved
	}
	if !rest {
		return "", Errorf(CodeInvalidState, "input.transferId",
			"This transfer cannot be cancelled: goods are already on their way and nothing else is left to ship; receive them instead.")
	}
	for _, l := range lines {
		l.Approved = l.Shipped
	}
	return StatusAfterMovement(lines), nil
}

// Transfer moves goods from one location to another, usually between partner
// municipalities.
type Transfer struct {
	ID                 TransferID
	FromLocationID     LocationID
	ToLocationID       LocationID
	FromMunicipalityID MunicipalityID
	ToMunicipalityID   MunicipalityID
	Status             TransferStatus
	Note               string
	CreatedBy          UserID
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Version counts the transfer's changes: of two reads, the higher is the newer.
	Version int64
}

// TransferLine is one product of a transfer and how far it has come.
type TransferLine struct {
	TransferID      TransferID
	ProductID       ProductID
	OwnerFacilityID FacilityID
	Requested       int
	Approved        int
	Shipped         int
	Received        int
	// Short is what was shipped but reported lost or damaged on receipt.
	Short     int
	UnitPrice int64
}

// Outstanding is what has been shipped and not yet received or reported short.
func (l *TransferLine) Outstanding() int { return l.Shipped - l.Received - l.Short }

// Unshipped is what has been approved and not yet shipped.
func (l *TransferLine) Unshipped() int { return l.Approved - l.Shipped }

// TransferShipment is one parcel of a transfer.
type TransferShipment struct {
	ID             int64
	TransferID     TransferID
	Carrier        string
	TrackingNumber string
	ShippedBy      UserID
	ShippedAt      time.Time
	Lines          []TransferQuantity
}

// TransferReceipt is one receiving of goods at the destination.
type TransferReceipt struct {
	ID         int64
	TransferID TransferID
	ReceivedBy UserID
	ReceivedAt time.Time
	Lines      []ReceiptLineInput
}

// ShortReason says why shipped goods were not accepted.
type ShortReason string

const (
	ShortLost             ShortReason = "LOST"
	ShortDamagedInTransit ShortReason = "DAMAGED_IN_TRANSIT"
	ShortOther            ShortReason = "OTHER"
)

// TransferEventType names a step in a transfer's history.
type TransferEventType string

const (
	EventRequested TransferEventType = "REQUESTED"
	EventOffered   TransferEventType = "OFFERED"
	EventApproved  TransferEventType = "APPROVED"
	EventShipped   TransferEventType = "SHIPPED"
	EventReceived  TransferEventType = "RECEIVED"
	EventCancelled TransferEventType = "CANCELLED"
)

// TransferEvent records who took a step of a transfer, and when.
type TransferEvent struct {
	ID         int64
	TransferID TransferID
	Type       TransferEventType
	ActorID    UserID
	Note       string
	At         time.Time
}

// TransferQuantity is a quantity of one product.
type TransferQuantity struct {
	ProductID ProductID
	Quantity  int
}

// RequestTransferInput asks for goods to move. When the user is on the destination
// side it is a request that the source must approve; when they manage the source it is
// an offer, approved as it is made.
type RequestTransferInput struct {
	FromLocationID LocationID
	ToLocationID   LocationID
	Lines          []TransferQuantity
	Note           string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *RequestTransferInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateNote(&errs, &in.Note)
	if in.FromLocationID == in.ToLocationID {
		errs.Add(CodeInvalidInput, "input.toLocationId", "Goods cannot be transferred to the location they are at.")
	}
	if len(in.Lines) == 0 {
		errs.Add(CodeRequired, "input.lines", "Add at least one product.")
	}
	validateQuantities(&errs, "input.lines", in.Lines, true)
	return errs.Err()
}

// ApproveTransferInput approves a request, optionally for less than was asked.
type ApproveTransferInput struct {
	TransferID TransferID
	// Lines lowers the approved quantity of some products (0 approves none of it);
	// products not listed are approved as requested.
	Lines          []TransferQuantity
	Note           string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *ApproveTransferInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateNote(&errs, &in.Note)
	validateQuantities(&errs, "input.lines", in.Lines, false)
	return errs.Err()
}

// ShipTransferInput ships goods of an approved transfer.
type ShipTransferInput struct {
	TransferID TransferID
	// Lines ships part of the approved quantities; empty ships all that is left.
	Lines          []TransferQuantity
	Carrier        string
	TrackingNumber string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *ShipTransferInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	in.Carrier, in.TrackingNumber = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNumber)
	limitText(&errs, "input.carrier", in.Carrier)
	limitText(&errs, "input.trackingNumber", in.TrackingNumber)
	validateQuantities(&errs, "input.lines", in.Lines, true)
	return errs.Err()
}

// ReceiptLineInput is what arrived of one product: Accepted goes on hand; Short
// (lost or damaged, with a reason) is written off and stays visible on the transfer.
type ReceiptLineInput struct {
	ProductID   ProductID
	Accepted    int
	Short       int
	ShortReason *ShortReason
	Note        string
}

// ReceiveTransferInput records goods arriving at the destination.
type ReceiveTransferInput struct {
	TransferID TransferID
	// Lines lists what arrived; empty accepts everything outstanding.
	Lines          []ReceiptLineInput
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *ReceiveTransferInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	if len(in.Lines) > MaxLines {
		errs.Add(CodeOutOfRange, "input.lines", "At most %d lines at once.", MaxLines)
	}
	seen := map[ProductID]bool{}
	for i, l := range in.Lines {
		f := fieldIndex("input.lines", i)
		if seen[l.ProductID] {
			errs.Add(CodeDuplicate, f+".productId", "This product is listed twice; list it once.")
		}
		seen[l.ProductID] = true
		if l.Accepted < 0 || l.Short < 0 || l.Accepted > MaxLineQuantity || l.Short > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f, "Quantities must be from 0 to %d.", MaxLineQuantity)
		} else if l.Accepted+l.Short == 0 {
			errs.Add(CodeOutOfRange, f, "Enter how many arrived or were short; leave out products that did not arrive yet.")
		}
		switch {
		case l.Short > 0 && l.ShortReason == nil:
			errs.Add(CodeRequired, f+".shortReason", "Say why goods are short: LOST, DAMAGED_IN_TRANSIT or OTHER.")
		case l.Short == 0 && l.ShortReason != nil:
			errs.Add(CodeInvalidInput, f+".shortReason", "A reason is only needed when goods are short.")
		}
		validateNote(&errs, &in.Lines[i].Note)
	}
	return errs.Err()
}

// CancelTransferInput cancels a transfer before anything ships.
type CancelTransferInput struct {
	TransferID     TransferID
	Reason         string
	IdempotencyKey string
}

// Validate checks the input alone.
func (in *CancelTransferInput) Validate() error {
	var errs ValidationErrors
	validateKey(&errs, in.IdempotencyKey)
	validateNote(&errs, &in.Reason)
	return errs.Err()
}

func validateQuantities(errs *ValidationErrors, field string, lines []TransferQuantity, positive bool) {
	if len(lines) > MaxLines {
		errs.Add(CodeOutOfRange, field, "At most %d lines at once.", MaxLines)
	}
	seen := map[ProductID]bool{}
	for i, l := range lines {
		f := fieldIndex(field, i)
		if seen[l.ProductID] {
			errs.Add(CodeDuplicate, f+".productId", "This product is listed twice; list it once.")
		}
		seen[l.ProductID] = true
		min := 0
		if positive {
			min = 1
		}
		if l.Quantity < min || l.Quantity > MaxLineQuantity {
			errs.Add(CodeOutOfRange, f+".quantity", "Enter a quantity from %d to %d.", min, MaxLineQuantity)
		}
	}
}

// TransferFilter narrows the list of transfers; all set fields must hold.
type TransferFilter struct {
	Status             []TransferStatus
	FromMunicipalityID *MunicipalityID
	ToMunicipalityID   *MunicipalityID
	// MunicipalityID matches transfers from or to the municipality.
	MunicipalityID *MunicipalityID
	FromLocationID *LocationID
	ToLocationID   *LocationID
}

// TransferService runs the exchange of goods between municipalities. The source
// municipality's managers approve and ship; the destination's clerks (of that shop)
// or managers receive; both sides and admins see a transfer, and facility staff see
// none. Every mutation takes an idempotency key (Keyed): a retry with the same key
// and request returns the first result, as it is now, and moves nothing; the same
// key with another request gives IDEMPOTENCY_CONFLICT (input.idempotencyKey).
// Mutations check the user first: UNAUTHENTICATED for an anonymous request,
// FORBIDDEN for customers. Errors are *Error values with the codes below; any other
// error is internal.
type TransferService interface {
	// Transfers lists the transfers the user may see that match f, newest first (the
	// page key is the transfer ID): all for an admin, those from or to their
	// municipality for a manager, from or to their shop for a clerk. Returns
	// UNAUTHENTICATED, FORBIDDEN for customers, or OUT_OF_RANGE (first); facility
	// staff get an empty page.
	Transfers(ctx context.Context, f TransferFilter, page PageArgs) (*Page[*Transfer], error)
	// TransfersByID returns the transfers among ids the user may see, as in
	// Transfers. Anyone may call it; the rest are absent, and it returns no error of
	// its own.
	TransfersByID(ctx context.Context, ids []TransferID) (map[TransferID]*Transfer, error)
	// TransferLines returns the lines of the transfers among transferIDs that the
	// user may see, in product order. Anyone may call it; the rest are absent, and
	// it returns no error of its own.
	TransferLines(ctx context.Context, transferIDs []TransferID) (map[TransferID][]*TransferLine, error)
	// TransferShipments returns the shipments, with their lines, of the transfers
	// among transferIDs that the user may see, oldest first. Anyone may call it; the
	// rest are absent, and it returns no error of its own.
	TransferShipments(ctx context.Context, transferIDs []TransferID) (map[TransferID][]*TransferShipment, error)
	// TransferReceipts returns the receipts, with their lines (what was accepted,
	// what was short and why), of the transfers among transferIDs that the user may
	// see, oldest first. Anyone may call it; the rest are absent, and it returns no
	// error of its own.
	TransferReceipts(ctx context.Context, transferIDs []TransferID) (map[TransferID][]*TransferReceipt, error)
	// TransferEvents returns the history of the transfers among transferIDs that the
	// user may see, oldest first. Anyone may call it; the rest are absent, and it
	// returns no error of its own.
	TransferEvents(ctx context.Context, transferIDs []TransferID) (map[TransferID][]*TransferEvent, error)

	// RequestTransfer creates a transfer. By the staff who work at the destination
	// (an admin, a manager of its municipality, a clerk of that shop) it is a
	// request: REQUESTED, waiting for the source's approval (an admin's transfers
	// are requests too, so that approval stays a step of the history). By a manager
	// of the source's municipality it is an offer: APPROVED as made. Each line takes
	// the product's current price as its unit price and the product's facility as
	// the owner of the goods (consignment); draft products may move, archived ones
	// may not.
	//
	// Returns validation errors (RequestTransferInput.Validate), UNAUTHENTICATED,
	// NOT_FOUND (input.fromLocationId, input.toLocationId), FORBIDDEN for facility
	// staff and anyone on neither side, NOT_FOUND (input.lines.N.productId),
	// INVALID_STATE (input.lines.N.productId) for an archived product, INVALID_INPUT
	// (input.lines.N.productId) for a product with no stock level at the source,
	// NOT_CARRIED (input.lines.N.productId) for goods a destination shop does not
	// carry, or IDEMPOTENCY_CONFLICT; and then changes nothing.
	RequestTransfer(ctx context.Context, in RequestTransferInput) (*Transfer, error)
	// ApproveTransfer approves a REQUESTED transfer, by an admin or a manager of the
	// source's municipality. Lines lower the approved quantity of some products (0
	// approves none of that product); products not listed are approved as requested.
	// Returns validation errors (ApproveTransferInput.Validate), UNAUTHENTICATED,
	// NOT_FOUND (field "") for an unknown transfer or one the user may not see,
	// FORBIDDEN when the user does not manage the source, INVALID_STATE when it is
	// not waiting for approval, NOT_FOUND (input.lines.N.productId) for a product
	// not on the transfer, OUT_OF_RANGE for more than was requested
	// (input.lines.N.quantity) or for approving nothing at all (input.lines: cancel
	// instead), or IDEMPOTENCY_CONFLICT; and then changes nothing.
	ApproveTransfer(ctx context.Context, in ApproveTransferInput) (*Transfer, error)
	// ShipTransfer ships goods of an APPROVED (or partly shipped) transfer, by an
	// admin or a manager of the source's municipality: the quantities leave the
	// source's stock on hand and become incoming at the destination, with the
	// shipment's carrier and tracking number. Lines ship part of what is approved;
	// without lines, everything approved and not yet shipped ships. Returns
	// validation errors (ShipTransferInput.Validate), UNAUTHENTICATED, NOT_FOUND
	// (field "") for an unknown or invisible transfer, FORBIDDEN when the user does
	// not manage the source, INVALID_STATE when the transfer cannot ship or nothing
	// is left to ship, NOT_FOUND (input.lines.N.productId) for a product not on the
	// transfer, OUT_OF_RANGE (input.lines.N.quantity) for more than is left to ship,
	// INSUFFICIENT_STOCK when the source has less available (input.lines.N.quantity,
	// or input.transferId without lines), or IDEMPOTENCY_CONFLICT; and then changes
	// nothing.
	ShipTransfer(ctx context.Context, in ShipTransferInput) (*Transfer, error)
	// ReceiveTransfer records goods arriving at the destination of a SHIPPED
	// transfer, by the staff who work there (an admin, a manager of its
	// municipality, a clerk of that shop). Per line, Accepted goes from incoming to
	// on hand and Short is written off incoming with its reason, kept on the line
	// for both sides to see; without lines, everything outstanding is accepted. The
	// transfer becomes RECEIVED once every approved unit has shipped and been
	// accounted for, and stays SHIPPED otherwise. Returns validation errors
	// (ReceiveTransferInput.Validate), UNAUTHENTICATED, NOT_FOUND (field "") for an
	// unknown or invisible transfer, FORBIDDEN when the user does not work at the
	// destination, INVALID_STATE when the transfer is not SHIPPED or nothing is
	// outstanding, NOT_FOUND (input.lines.N.productId) for a product not on the
	// transfer, OUT_OF_RANGE (input.lines.N) when accepted and short exceed what is
	// outstanding (nothing is received twice), or IDEMPOTENCY_CONFLICT; and then
	// changes nothing.
	ReceiveTransfer(ctx context.Context, in ReceiveTransferInput) (*Transfer, error)
	// CancelTransfer cancels a transfer before everything ships, by either side: the
	// staff who work at the destination or a manager of the source's municipality
	// (and admins); the reason is kept with the history. On a partly shipped
	// transfer it cancels the rest (CancelUnshipped): the transfer is then RECEIVED,
	// or stays SHIPPED until what is on its way is received. Returns validation
	// errors (CancelTransferInput.Validate), UNAUTHENTICATED, NOT_FOUND (field "")
	// for an unknown or invisible transfer, FORBIDDEN for anyone else, INVALID_STATE
	// once everything approved has shipped or the transfer is received or cancelled,
	// or IDEMPOTENCY_CONFLICT; and then changes nothing.
	CancelTransfer(ctx context.Context, in CancelTransferInput) (*Transfer, error)

	// ExchangeTransfers returns, per month (Japan time) and ordered pair of
	// municipalities, the goods the first sent the second, valued at the lines'
	// tax-included unit prices: shipped (by the shipments' time) and, at the
	// destination, received and short (by the receipts' time); months without
	// movement have no row. Who sees which pairs, and the errors, are
	// ExchangeBalanceFilter.Check's.
	ExchangeTransfers(ctx context.Context, f ExchangeBalanceFilter) ([]*ExchangeTransfers, error)
}
