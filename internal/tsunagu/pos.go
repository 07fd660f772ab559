package tsunagu

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Shop is a location of kind SHOP with the settings its receipts need.
type Shop struct {
	LocationID LocationID
	// OperatorName and RegistrationNumber are the receipt's issuer: who runs the
	// shop (the city, or the corporation it entrusts) and its qualified-invoice number.
	OperatorName       string
	RegistrationNumber *string
	Rounding           Rounding
	// AcceptsPickup: the shop takes online orders for pickup at its counter.
	AcceptsPickup bool
}

// UpdateShopInput sets a shop's receipt settings. Fields left out (nil) keep their
// values, so a client changing only the rounding never takes the shop out of
// qualified invoicing; a new shop needs OperatorName.
type UpdateShopInput struct {
	ShopID       LocationID
	OperatorName *string
	// RegistrationNumber "" removes the number: the operator is not a registered
	// issuer, and its receipts mark every good as not qualifying.
	RegistrationNumber *string
	Rounding           *Rounding
	AcceptsPickup      *bool
}

// Validate checks the input alone and normalizes it: the operator's name trimmed, the
// registration number parsed (T and 13 digits, full width allowed, "" kept as ""),
// the rounding parsed.
func (in *UpdateShopInput) Validate() error {
	var errs ValidationErrors
	if in.OperatorName != nil {
		name := strings.TrimSpace(*in.OperatorName)
		in.OperatorName = &name
		switch {
		case name == "":
			errs.Add(CodeRequired, "input.operatorName", "Enter who runs the shop and issues its receipts.")
		case utf8.RuneCountInString(name) > MaxNameLength:
			errs.Add(CodeTooLong, "input.operatorName", "This can be at most %d characters.", MaxNameLength)
		}
	}
	if in.RegistrationNumber != nil {
		n := strings.TrimSpace(*in.RegistrationNumber)
		if n != "" {
			var err error
			if n, err = ParseRegistrationNumber(n, "input.registrationNumber"); err != nil && !errs.AddError(err) {
				return err
			}
		}
		in.RegistrationNumber = &n
	}
	if in.Rounding != nil {
		r, err := ParseRounding(string(*in.Rounding), "input.rounding")
		if err != nil && !errs.AddError(err) {
			return err
		}
		in.Rounding = &r
	}
	return errs.Err()
}

// Register is a till at a shop.
type Register struct {
	ID        RegisterID
	ShopID    LocationID
	Name      string
	CreatedAt time.Time
	// RetiredAt is when the register was taken out of use: it opens no more
	// sessions and is no longer listed; its past sessions keep it.
	RetiredAt *time.Time
}

// UpdateRegisterInput renames a register.
type UpdateRegisterInput struct {
	RegisterID RegisterID
	Name       string
}

// RetireRegisterInput takes a register out of use.
type RetireRegisterInput struct {
	RegisterID RegisterID
}

// CreateRegisterInput adds a register to a shop.
type CreateRegisterInput struct {
	ShopID LocationID
	Name   string
}

// POSService runs the counter: shops' receipt settings, registers, sessions, sales,
// voids and refunds. "The staff of a shop" below are its admins, the managers of
// its municipality and its own clerks (User.WorksAt); facility staff and customers
// are not. Reads leave out what the user may not see; mutations check the user
// first: UNAUTHENTICATED for an anonymous request, FORBIDDEN for customers and
// other shops' staff. Every mutation that takes an idempotency key (Keyed) returns
// the first result on a retry with the same key and request and changes nothing,
// and IDEMPOTENCY_CONFLICT (input.idempotencyKey) for the same key with another
// request. Errors are *Error values with the codes below; any other error is
// internal.
type POSService interface {
	// Registers lists the registers in use (not retired) at the shops whose staff
	// the user is, of one shop or of every shop, by shop and name. Returns
	// UNAUTHENTICATED, or FORBIDDEN for customers.
	Registers(ctx context.Context, shop *LocationID) ([]*Register, error)
	// RegistersByID returns the registers among ids, retired ones included, of shops
	// whose staff the user is. Anyone may call it; the rest are absent, and it
	// returns no error of its own.
	RegistersByID(ctx context.Context, ids []RegisterID) (map[RegisterID]*Register, error)
	// CreateRegister adds a register to a shop, by an admin or a manager of the
	// shop's municipality. Returns REQUIRED or TOO_LONG (input.name),
	// UNAUTHENTICATED, NOT_FOUND (input.shopId) for an unknown location, FORBIDDEN,
	// INVALID_INPUT (input.shopId) for a location that is not a shop, INVALID_STATE
	// (input.shopId) for a shop without receipt settings (UpdateShop first), or
	// DUPLICATE (input.name) when the shop has a register of that name; and then
	// changes nothing. The new register is in the audit log.
	CreateRegister(ctx context.Context, in CreateRegisterInput) (*Register, error)
	// UpdateRegister renames a register, by an admin or a manager of its shop's
	// municipality. Returns REQUIRED or TOO_LONG (input.name), UNAUTHENTICATED,
	// NOT_FOUND (field "") for an unknown register, FORBIDDEN, or DUPLICATE
	// (input.name); and then changes nothing. The change is in the audit log.
	UpdateRegister(ctx context.Context, in UpdateRegisterInput) (*Register, error)
	// RetireRegister takes a register out of use, by the users UpdateRegister
	// allows; no session can open on it from then on. Returns UNAUTHENTICATED,
	// NOT_FOUND (field ""), FORBIDDEN, REGISTER_IN_USE (input.registerId) while a
	// session of it is open, or INVALID_STATE (input.registerId) when it is retired
	// already; and then changes nothing. The change is in the audit log.
	RetireRegister(ctx context.Context, in RetireRegisterInput) (*Register, error)
	// SessionsByID returns the register sessions among ids of shops whose staff the
	// user is. Anyone may call it; the rest are absent, and it returns no error of
	// its own.
	SessionsByID(ctx context.Context, ids []SessionID) (map[SessionID]*RegisterSession, error)
	// OpenSessions returns the open session of each register among registerIDs that
	// has one, of shops whose staff the user is. Anyone may call it; the rest are
	// absent, and it returns no error of its own.
	OpenSessions(ctx context.Context, registerIDs []RegisterID) (map[RegisterID]*RegisterSession, error)
	// OpenRegisterSession opens a register with a cash float, by the staff of its
	// shop; a register has at most one open session, which prints the shop's receipt
	// settings as they are now. A retry with the same key returns the session the
	// first call opened, as it is now, so a retry after a lost answer never reports
	// the register as open already. Returns validation errors
	// (OpenSessionInput.Validate), UNAUTHENTICATED, NOT_FOUND (field "") for an
	// unknown register, FORBIDDEN, INVALID_STATE (input.registerId) when it is
	// retired or open already, or IDEMPOTENCY_CONFLICT; and then changes nothing.
	OpenRegisterSession(ctx context.Context, in OpenSessionInput) (*RegisterSession, error)
	// CloseRegisterSession closes an open session with the cash counted, as a total
	// or by denomination, by the staff of its shop. The session is read-only from
	// then on and its report final: sales, voids and refunds still running in it
	// finish first, and none starts after. Returns validation errors
	// (CloseSessionInput.Validate), UNAUTHENTICATED, NOT_FOUND (field "") for an
	// unknown session, FORBIDDEN, INVALID_STATE (input.sessionId) when it is closed
	// already or a Terminal card sale in it is still pending, or
	// IDEMPOTENCY_CONFLICT; and then changes nothing.
	CloseRegisterSession(ctx context.Context, in CloseSessionInput) (*RegisterSession, error)
	// RecordCashMovement pays cash into (IN) or takes it out of (OUT) an open
	// session, with a reason, by the staff of its shop. OUT takes at most the cash
	// the drawer should hold at that moment (ZReport.ExpectedCash). Returns
	// validation errors (RecordCashMovementInput.Validate), UNAUTHENTICATED,
	// NOT_FOUND (field "") for an unknown session, FORBIDDEN, NO_OPEN_SESSION
	// (input.sessionId) for a closed one, OUT_OF_RANGE (input.amount) for taking out
	// more than the drawer holds, or IDEMPOTENCY_CONFLICT; and then changes nothing.
	RecordCashMovement(ctx context.Context, in RecordCashMovementInput) (*CashMovement, error)
	// CashMovements returns the cash movements of the sessions among sessionIDs,
	// oldest first, of shops whose staff the user is. Anyone may call it; the rest
	// are absent, and it returns no error of its own.
	CashMovements(ctx context.Context, sessionIDs []SessionID) (map[SessionID][]*CashMovement, error)
	// Report returns the close report (Z report) of a register session, for the
	// staff of its shop. Sales are the session's; refunds those made in the session
	// (of earlier sales too), so that it matches the cash that moved through this
	// drawer. By payment method: each method's takings of completed sales less what
	// the session's refunds paid back by it. By tax rate: the net takings per tax
	// class, the tax computed once per rate over that total with the rounding the
	// session opened with, qualifying and non-qualifying goods apart, beside the
	// sums the receipts printed (SessionTaxes). Counted cash and over/short are set
	// once the session is closed. Returns NOT_FOUND (field "") for an unknown
	// session or one the user may not see.
	Report(ctx context.Context, session SessionID) (*ZReport, error)
	// Reports returns many sessions' reports, as Report does; those the user may not
	// see are absent. Anyone may call it; it returns no error of its own.
	Reports(ctx context.Context, sessions []SessionID) (map[SessionID]*ZReport, error)

	// CreateSale sells goods in an open register session, by the staff of its shop:
	// the stock leaves the shop through the ledger (SALE, owned by each product's
	// facility), the lines are recorded as sold (name, code, price, tax class and
	// whether the owner is a registered invoice issuer are copied), the payments
	// with the cash change, and the sale takes the shop's next receipt number;
	// receipt numbers have no gaps. Lines name a product by ID or by scanned code
	// and stay as scanned. The payments must cover the total exactly; cash may be
	// tendered above its amount, the difference being the change. A retry with the
	// same key returns the first sale and sells nothing.
	//
	// Returns validation errors (CreateSaleInput.Validate), INVALID_JAN
	// (input.lines.N.code), UNAUTHENTICATED, NOT_FOUND (field "") for an unknown
	// session, FORBIDDEN, NO_OPEN_SESSION (input.sessionId) for a closed one,
	// NOT_FOUND (input.lines.N.productId or input.lines.N.code) for an unknown
	// product, INVALID_STATE (input.lines.N) for a draft or archived one,
	// PAYMENT_MISMATCH (input.payments), INSUFFICIENT_STOCK (input.lines.N.quantity
	// of the product's first line), or IDEMPOTENCY_CONFLICT; and then changes
	// nothing.
	CreateSale(ctx context.Context, in CreateSaleInput) (*Sale, error)
	// VoidSale cancels a whole sale of a session that is still open (a mistake at
	// the counter), by the staff of its shop: the sale becomes VOIDED with who, when
	// and why, its stock goes back on the shelf through the ledger (SALE_VOID), and
	// its lines and payments stay as they were; the money goes back as it came, and
	// the session's report counts the void apart. Returns validation errors
	// (input.idempotencyKey, input.reason), UNAUTHENTICATED, NOT_FOUND (field "")
	// for an unknown sale, FORBIDDEN, INVALID_STATE (input.saleId) when it is voided
	// already, has refunds, or belongs to a closed session (refund it instead), or
	// IDEMPOTENCY_CONFLICT; and then changes nothing.
	VoidSale(ctx context.Context, in VoidSaleInput) (*Sale, error)
	// RefundSale pays back all or some of a sale, later, at the shop that sold it,
	// from an open session of that shop (input.sessionId, which may be another
	// register's or a later day's), by the staff of the shop. Each item is paid back
	// at the price it was sold for, its stock goes back on the shelf through the
	// ledger (REFUND), the sale's lines count what has been refunded and the sale
	// stays as it was; the refund takes the shop's next receipt number. Lines
	// default to everything not yet refunded. CASH pays it all back in cash;
	// ORIGINAL pays the sale's card, e-money and QR payments back first, in the
	// order they were made, each up to what it paid less what earlier refunds gave
	// back to it, and the rest in cash.
	//
	// Returns validation errors (RefundSaleInput.Validate), UNAUTHENTICATED,
	// NOT_FOUND (field "") for an unknown sale, FORBIDDEN for another shop's sale or
	// session, INVALID_STATE (input.saleId) for a voided sale, NOT_FOUND
	// (input.sessionId) for an unknown session, INVALID_INPUT (input.sessionId) for
	// a session of another shop, NO_OPEN_SESSION (input.sessionId) for a closed one,
	// NOT_FOUND (input.lines.N.lineNumber) for a line the sale does not have,
	// OVER_REFUND (input.lines.N.quantity, or input.lines when nothing is left), or
	// IDEMPOTENCY_CONFLICT; and then changes nothing.
	RefundSale(ctx context.Context, in RefundSaleInput) (*Refund, error)
	// CreateTerminalSale starts a card sale on a Stripe Terminal reader, by the
	// staff of the session's shop: like CreateSale it resolves the lines and holds
	// their stock, for a sale PENDING_PAYMENT without a receipt number, and then
	// creates a card-present PaymentIntent for the total and hands it to the reader,
	// if one is named. The sale completes when Stripe reports the payment (or
	// ConfirmTerminalSale finds it). A retry with the same key returns the same sale
	// and PaymentIntent. Returns CreateSale's errors, and PAYMENTS_UNAVAILABLE
	// without Stripe (nothing changes) or when Stripe fails after the sale was made
	// (the sale stays pending: retry with the same key).
	CreateTerminalSale(ctx context.Context, in CreateTerminalSaleInput) (*TerminalSale, error)
	// ConfirmTerminalSale asks Stripe for a pending Terminal sale's payment (for
	// when its event is late) and applies it as the event would, by the staff of the
	// sale's shop: a success completes the sale, a cancelled PaymentIntent cancels
	// it, a declined card is recorded and leaves it pending for another card; a
	// payment still waiting for the card leaves it as it is. A sale that is not
	// pending is returned as it is. Returns UNAUTHENTICATED, NOT_FOUND (field "")
	// for an unknown sale, FORBIDDEN, or PAYMENTS_UNAVAILABLE when Stripe cannot be
	// asked.
	ConfirmTerminalSale(ctx context.Context, id SaleID) (*Sale, error)
	// CancelTerminalSale gives up a pending Terminal card sale (the shopper walked
	// away, the reader never got the payment), by the staff of its shop: its
	// PaymentIntent is cancelled at Stripe first, so that no card can pay for goods
	// no longer held, then the sale is cancelled and its stock released. A sale
	// whose PaymentIntent was never handed to a reader is cancelled even while
	// Stripe is down; one whose payment already succeeded completes instead and is
	// returned COMPLETED. A sale cancelled already is returned as it is. Returns
	// validation errors (input.idempotencyKey), UNAUTHENTICATED, NOT_FOUND (field
	// "") for an unknown sale, FORBIDDEN, INVALID_STATE (input.saleId) for a sale
	// that is not a pending card sale or whose payment Stripe is still processing,
	// PAYMENTS_UNAVAILABLE when Stripe cannot be reached (try again), or
	// IDEMPOTENCY_CONFLICT; and then changes nothing in the database.
	CancelTerminalSale(ctx context.Context, in CancelTerminalSaleInput) (*Sale, error)
	// Sales lists the sales that match f of shops whose staff the user is, newest
	// first (the page key is the sale ID); the payment method filter keeps sales
	// with a payment of that method. Returns UNAUTHENTICATED, FORBIDDEN for
	// customers, or OUT_OF_RANGE (first).
	Sales(ctx context.Context, f SaleFilter, page PageArgs) (*Page[*Sale], error)
	// SalesByID returns the sales among ids of shops whose staff the user is. Anyone
	// may call it; the rest are absent, and it returns no error of its own.
	SalesByID(ctx context.Context, ids []SaleID) (map[SaleID]*Sale, error)
	// SaleByReceiptNumber returns the sale with a receipt number at a shop, or the
	// sale a refund with that number gave money back for (sales and refunds share a
	// shop's numbers, and a buyer brings back either slip), to the staff of the
	// shop. Returns NOT_FOUND (field "") when there is none or the user may not see
	// it.
	SaleByReceiptNumber(ctx context.Context, shop LocationID, number int64) (*Sale, error)
	// SaleLines returns the lines of the sales among ids, in line order, of shops
	// whose staff the user is. Anyone may call it; the rest are absent, and it
	// returns no error of its own.
	SaleLines(ctx context.Context, ids []SaleID) (map[SaleID][]*SaleLine, error)
	// SoldLines lists the lines of completed sales newest first (keyed by
	// SoldLineKey): every line of the sales the user sees, and for facility staff
	// the lines of their own facility's goods. Returns UNAUTHENTICATED, FORBIDDEN
	// (customers) or OUT_OF_RANGE (first).
	SoldLines(ctx context.Context, f SoldLineFilter, page PageArgs) (*Page[*SoldLine], error)
	// SalePayments returns the payments of the sales among ids, in the order they
	// were given, of shops whose staff the user is. Anyone may call it; the rest are
	// absent, and it returns no error of its own.
	SalePayments(ctx context.Context, ids []SaleID) (map[SaleID][]*Payment, error)
	// Refunds returns the refunds of the sales among ids, oldest first, of shops
	// whose staff the user is. Anyone may call it; the rest are absent, and it
	// returns no error of its own.
	Refunds(ctx context.Context, ids []SaleID) (map[SaleID][]*Refund, error)
	// Refund returns one refund by ID (for node(id)) to the staff of its shop.
	// Returns NOT_FOUND (field "") when there is none or the caller may not see it.
	Refund(ctx context.Context, id RefundID) (*Refund, error)
	// RefundLines returns the lines of the refunds among ids, in line order, of
	// shops whose staff the user is. Anyone may call it; the rest are absent, and it
	// returns no error of its own.
	RefundLines(ctx context.Context, ids []RefundID) (map[RefundID][]*RefundLine, error)
	// Receipt builds, for the staff of the sale's shop, the receipt of a sale from
	// the rows stored when it was made: a qualified simplified invoice issued by the
	// shop's operator, the goods of consignors that are not registered issuers
	// totalled apart. A voided sale's is its void receipt (VOID, with the original
	// number and date and the payments given back). With refund set, it is that
	// refund's receipt (REFUND, its own number, the original sale's number and
	// date). The issuer and rounding are the shop's as they were when the session
	// opened. Returns NOT_FOUND (field "") for an unknown sale, one the user may not
	// see, or a refund that is not the sale's.
	Receipt(ctx context.Context, sale SaleID, refund *RefundID) (*Receipt, error)
	// Receipts builds many receipts at once, as Receipt does; those the user may not
	// see, or with a refund that is not the sale's, are absent. Anyone may call it;
	// it returns no error of its own.
	Receipts(ctx context.Context, keys []ReceiptKey) (map[ReceiptKey]*Receipt, error)
	// ShopsByID returns the receipt settings of the shops among ids that have them.
	// Anyone may call it: they are what every receipt prints. It returns no error of
	// its own.
	ShopsByID(ctx context.Context, ids []LocationID) (map[LocationID]*Shop, error)
	// UpdateShop sets the receipt settings of a location of kind SHOP, creating them
	// the first time (a shop needs them before it can have registers), by an admin
	// or a manager of the shop's municipality. Fields left out keep their values (a
	// new shop rounds DOWN and has no registration number); the receipt counter
	// never changes. Returns validation errors (UpdateShopInput.Validate),
	// UNAUTHENTICATED, NOT_FOUND (field "") for an unknown location, FORBIDDEN,
	// INVALID_INPUT (input.shopId) for a location that is not a shop, or REQUIRED
	// (input.operatorName) for a new shop without one; and then changes nothing. The
	// change is in the audit log.
	UpdateShop(ctx context.Context, in UpdateShopInput) (*Shop, error)
}
