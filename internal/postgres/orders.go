package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/lib/pq"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// OrderService implements tsunagu.OrderService on PostgreSQL, with Stripe (or any
// tsunagu.Payments) for the money. Stripe is called only outside transactions:
// what a call will do is recorded first, so a failed or lost call can be repeated
// with the same Stripe idempotency key.
type OrderService struct {
	db       *DB
	payments tsunagu.Payments
	log      *slog.Logger
	// ReservationTTL is how long an unpaid order holds its stock.
	ReservationTTL time.Duration
	// Expired, when set, learns how many orders each round of RunSweeper released
	// (the metrics count them).
	Expired func(n int)
}

var _ tsunagu.OrderService = (*OrderService)(nil)

// DefaultReservationTTL is how long checkout reserves stock for the payment.
const DefaultReservationTTL = 30 * time.Minute

// NewOrderService returns the online orders on db, paid through payments; with
// payments nil, checkout refuses with PAYMENTS_UNAVAILABLE and the rest works.
func NewOrderService(db *DB, payments tsunagu.Payments) *OrderService {
	return &OrderService{db: db, payments: payments, log: db.log, ReservationTTL: DefaultReservationTTL}
}

const orderColumns = `o.id, o.shop_id, o.status, o.customer_id, o.email, o.name, o.phone, o.fulfilment,
	o.postal_code, o.address, o.subtotal, o.shipping_fee, o.total, o.captured, o.refunded, o.rounding, o.stock,
	o.reserved_until, o.payment_intent_id, o.payment_flag, o.last_payment_error, o.carrier,
	o.tracking_number, o.cancel_reason, o.cancelled_by, o.created_at, o.updated_at, o.paid_at, o.locale, o.version`

const orderLineColumns = `ol.order_id, ol.line_number, ol.product_id, ol.owner_facility_id, ol.name,
	ol.unit_price, ol.quantity, ol.tax_class, ol.qualified, ol.refunded`

var errPaymentsOff = tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "",
	"Card payments are not available right now; please order at the shop.")

// Checkout implements tsunagu.OrderService. One transaction (runOnce, open to
// guests) checks the unpaid orders' bounds (checkUnpaidOrders), reserves the stock
// (RESERVE movements) and writes the order; then, outside it, the PaymentIntent is
// created under a Stripe idempotency key derived from the order (intentKey) and
// stored (createIntent), so a retry that runs while the first call is still at
// Stripe gets the same one. When Stripe cannot be reached, abandonCheckout cancels
// the order (by PAYMENT), releases its stock and deletes its key.
func (s *OrderService) Checkout(ctx context.Context, in tsunagu.CheckoutInput) (_ *tsunagu.Checkout, err error) {
	defer wrap(&err, "OrderService.Checkout")
	if s.payments == nil {
		return nil, errPaymentsOff
	}
	out, err := runOnce(ctx, s.db, "checkout", &in, once[*checkedOut]{
		guests: true,
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*checkedOut, error) {
			return s.checkoutTx(ctx, tx, u, &in)
		},
		id: func(o *checkedOut) int64 { return int64(o.ID) },
		replay: func(tx queryer, id int64) (*checkedOut, error) {
			out, err := loadCheckedOut(ctx, tx, tsunagu.OrderID(id), in.IdempotencyKey)
			if err == nil && out.ClientSecret == nil && !out.payable(time.Now()) {
				return nil, errOrderExpired
			}
			return out, err
		},
	})
	if err != nil {
		return nil, err
	}
	if out.ClientSecret == nil {
		if err := s.createIntent(ctx, out); err != nil {
			if tsunagu.ErrorCode(err) == tsunagu.CodePaymentsUnavailable {
				if err := s.abandonCheckout(ctx, out, in.IdempotencyKey); err != nil {
					s.log.ErrorContext(ctx, "abandoning a checkout that could not be paid", "order", out.ID, "err", err)
				}
			}
			return nil, err
		}
	}
	return &tsunagu.Checkout{Order: &out.Order, ClientSecret: *out.ClientSecret, Token: out.Token}, nil
}

var errOrderExpired = tsunagu.Errorf(tsunagu.CodeOrderExpired, "",
	"This order can no longer be paid (its time to pay ran out, or it was cancelled); please check out again.")

// checkedOut is an order with what only its checkout returns.
type checkedOut struct {
	tsunagu.Order
	Token        string `db:"-"`
	ClientSecret *string
	// TokenSalt and TokenHash are what is stored of Token (see orderToken); an
	// order from before tokens were derived has no salt, and only its token's hash.
	TokenSalt, TokenHash []byte
}

// payable reports whether a PaymentIntent may still be created for the order: it
// waits for payment with its stock reserved, and the reservation has not expired.
func (o *checkedOut) payable(now time.Time) bool {
	return o.Status == tsunagu.OrderPendingPayment && o.Stock == tsunagu.StockReserved && now.Before(o.ReservedUntil)
}

// loadCheckedOut returns order id as its checkout under key returned it, with the
// token derived again from key. Returns INVALID_STATE for an order from before
// tokens were derived, whose token only its hash is kept of.
func loadCheckedOut(ctx context.Context, tx queryer, id tsunagu.OrderID, key string) (*checkedOut, error) {
	var o checkedOut
	err := tx.GetContext(ctx, &o, `SELECT `+orderColumns+`, o.token_salt, o.token_hash, o.client_secret
		FROM orders o WHERE o.id = $1`, id)
	if err != nil {
		return nil, notFound(err, "", "order")
	}
	if o.TokenSalt == nil {
		return nil, errTokenLost
	}
	o.Token = orderToken(o.ID, key, o.TokenSalt)
	if !tokenOpens(o.TokenSalt, o.TokenHash, o.Token) {
		return nil, fmt.Errorf("order %d: the token derived from its checkout's key does not match its hash", o.ID)
	}
	return &o, nil
}

// intentKey is the Stripe idempotency key of an order's PaymentIntent: every
// attempt to create it, in any process, asks for the same one.
func intentKey(id tsunagu.OrderID) string {
	return "tsunagu-order-" + strconv.FormatInt(int64(id), 10) + "-payment-intent"
}

// createIntent creates the order's PaymentIntent and stores it, unless another
// attempt stored one first (then that one is kept and returned). The order must
// still be waiting for payment when it is stored: if the sweeper (or staff)
// cancelled it meanwhile, the new PaymentIntent is cancelled at Stripe and
// ORDER_EXPIRED returned, so no one can pay for goods no longer held.
func (s *OrderService) createIntent(ctx context.Context, o *checkedOut) error {
	pi, err := s.payments.CreatePaymentIntent(ctx, tsunagu.PaymentIntentParams{
		Amount: o.Total, OrderID: o.ID, Email: o.Email, IdempotencyKey: intentKey(o.ID),
		Description: "Tsunagu order " + strconv.FormatInt(int64(o.ID), 10),
	})
	if err != nil {
		s.log.ErrorContext(ctx, "creating the PaymentIntent of an order", "order", o.ID, "err", err)
		return tsunagu.Errorf(tsunagu.CodePaymentsUnavailable, "",
			"The card payment could not be prepared, so nothing was ordered; try again in a moment.")
	}
	var stored struct {
		PaymentIntentID string
		ClientSecret    string
	}
	err = s.db.q().GetContext(ctx, &stored, `
		UPDATE orders SET payment_intent_id = coalesce(payment_intent_id, $2),
			client_secret = coalesce(client_secret, $3), updated_at = now()
		WHERE id = $1 AND status = 'PENDING_PAYMENT' AND stock = 'RESERVED'
		RETURNING payment_intent_id, client_secret`, o.ID, pi.ID, pi.ClientSecret)
	if errors.Is(err, sql.ErrNoRows) {
		s.cancelIntent(ctx, &tsunagu.Order{ID: o.ID, PaymentIntentID: &pi.ID})
		return errOrderExpired
	}
	if err != nil {
		return err
	}
	o.PaymentIntentID, o.ClientSecret = &stored.PaymentIntentID, &stored.ClientSecret
	return nil
}

// cartRow is a checkout line's product at the shop, with the shop's settings.
type cartRow struct {
	Kind             tsunagu.LocationKind
	ShopMunicipality tsunagu.MunicipalityID
	AcceptsPickup    *bool
	Rounding         *tsunagu.Rounding
	ShippingFee      *int64
	FreeAbove        *int64
	NextOrderID      int64
	ProductID        *tsunagu.ProductID
	Facility         tsunagu.FacilityID
	ProductStatus    tsunagu.ProductStatus
	Price            int64
	TaxClass         tsunagu.TaxClass
	Name             string
	Qualified        bool
	// Carried: the shop carries the product's municipality's goods today (carriedAt).
	Carried bool
}

func (s *OrderService) checkoutTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.CheckoutInput) (*checkedOut, error) {
	var customer *tsunagu.UserID
	if u != nil && u.Role == tsunagu.RoleCustomer {
		customer = &u.ID
	}
	client := tsunagu.ClientAddrFrom(ctx)
	if err := checkUnpaidOrders(ctx, tx, in.Contact.Email, customer, client); err != nil {
		return nil, err
	}
	ids := make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		ids[i] = int64(l.ProductID)
	}
	// One statement: the shop (drawing the order's ID) and every line's product.
	var rows []*cartRow
	err := tx.SelectContext(ctx, &rows, `
		WITH sh AS MATERIALIZED (
			SELECT l.kind, l.municipality_id AS shop_municipality, s.accepts_pickup, s.rounding, s.shipping_fee, s.free_shipping_above AS free_above,
				nextval(pg_get_serial_sequence('orders', 'id')) AS next_order_id
			FROM locations l LEFT JOIN shops s ON s.location_id = l.id WHERE l.id = $1
		)
		SELECT sh.*, p.id AS product_id, coalesce(p.facility_id, 0) AS facility,
			coalesce(p.status, '') AS product_status, coalesce(p.price, 0) AS price,
			coalesce(p.tax_class, '') AS tax_class, coalesce(p.translations->'JA'->>'name', '') AS name,
			f.registration_number IS NOT NULL AS qualified,
			coalesce(`+carriedAt("sh.shop_municipality", "p.municipality_id")+`, false) AS carried
		FROM sh CROSS JOIN unnest($2::bigint[]) WITH ORDINALITY AS u(id, ord)
		LEFT JOIN products p ON p.id = u.id
		LEFT JOIN facilities f ON f.id = p.facility_id
		ORDER BY u.ord`, in.ShopID(), pq.Array(ids))
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "input.lines.0.shopId", "There is no such shop.")
	}
	shop := rows[0]
	if shop.Kind != tsunagu.LocationShop || shop.Rounding == nil {
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.lines.0.shopId", "This shop does not take online orders.")
	}
	if in.Fulfilment == tsunagu.FulfilPickup && !*shop.AcceptsPickup {
		return nil, tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.fulfilment", "This shop does not take orders for pickup; choose delivery.")
	}
	var errs tsunagu.ValidationErrors
	lines := make([]*tsunagu.OrderLine, len(rows))
	var subtotal int64
	for i, p := range rows {
		switch {
		case p.ProductID == nil || (p.ProductStatus != tsunagu.StatusActive && p.ProductStatus != tsunagu.StatusArchived):
			errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".productId"), "There is no such product.")
			continue
		case p.ProductStatus == tsunagu.StatusArchived:
			errs.Add(tsunagu.CodeInvalidState, tsunagu.LineField(i, ""), "%s is no longer sold; remove it from the cart.", p.Name)
			continue
		case !p.Carried:
			errs.Add(tsunagu.CodeNotCarried, tsunagu.LineField(i, ""), "%s is not sold at this shop (any more); remove it from the cart.", p.Name)
			continue
		}
		lines[i] = &tsunagu.OrderLine{LineNumber: i + 1, ProductID: *p.ProductID, OwnerFacilityID: p.Facility,
			Name: p.Name, UnitPrice: p.Price, Quantity: in.Lines[i].Quantity, TaxClass: p.TaxClass, Qualified: p.Qualified}
		subtotal += lines[i].Amount()
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var fee int64
	orderID := tsunagu.OrderID(shop.NextOrderID)
	o := &checkedOut{TokenSalt: newTokenSalt()}
	o.Token = orderToken(orderID, in.IdempotencyKey, o.TokenSalt)
	o.Fulfilment = in.Fulfilment
	if in.Fulfilment == tsunagu.FulfilDelivery {
		fee = tsunagu.ShippingRule{Fee: *shop.ShippingFee, FreeAbove: shop.FreeAbove}.FeeFor(subtotal)
		o.PostalCode, o.Address = in.ShippingAddress.PostalCode, in.ShippingAddress.Address
	}
	ms := make([]movement, len(lines))
	for i, l := range lines {
		ms[i] = movement{ProductID: l.ProductID, LocationID: in.ShopID(), Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: l.Quantity, Reason: tsunagu.ReasonReserve}
	}
	err = applyMovements(ctx, tx, document{Type: tsunagu.DocumentOrder, ID: int64(orderID)}, ms)
	var short *InsufficientStockError
	if errors.As(err, &short) {
		return nil, insufficientForOrder(ctx, tx, short.Key, lines)
	}
	if err != nil {
		return nil, err
	}

	n := len(lines)
	products, owners, prices, quantities := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	names, taxes, qualified := make([]string, n), make([]string, n), make([]bool, n)
	for i, l := range lines {
		products[i], owners[i], prices[i], quantities[i] = int64(l.ProductID), int64(l.OwnerFacilityID), l.UnitPrice, int64(l.Quantity)
		names[i], taxes[i], qualified[i] = l.Name, string(l.TaxClass), l.Qualified
	}
	err = tx.GetContext(ctx, &o.Order, `
		WITH o AS (
			INSERT INTO orders (id, shop_id, status, token_salt, token_hash, customer_id, email, name, phone, fulfilment,
				postal_code, address, subtotal, shipping_fee, total, rounding, stock, reserved_until, locale, client_addr)
			OVERRIDING SYSTEM VALUE
			VALUES ($1, $2, 'PENDING_PAYMENT', $3, $24, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11::bigint + $12::bigint, $13,
				'RESERVED', now() + $14 * interval '1 second', $22, nullif($23, ''))
			RETURNING *
		), l AS (
			INSERT INTO order_lines (order_id, line_number, product_id, owner_facility_id, name,
				unit_price, quantity, tax_class, qualified)
			SELECT o.id, d.ord, d.p, d.ow, d.name, d.price, d.q, d.tax, d.qual
			FROM o, unnest($15::bigint[], $16::bigint[], $17::text[], $18::bigint[], $19::int[], $20::text[], $21::bool[])
				WITH ORDINALITY AS d(p, ow, name, price, q, tax, qual, ord)
		)
		SELECT `+orderColumns+` FROM o`,
		orderID, in.ShopID(), o.TokenSalt, customer, in.Contact.Email, in.Contact.Name, in.Contact.Phone,
		in.Fulfilment, o.PostalCode, o.Address, subtotal, fee, string(*shop.Rounding), int64(s.ReservationTTL/time.Second),
		pq.Array(products), pq.Array(owners), pq.Array(names), pq.Array(prices), pq.Array(quantities),
		pq.Array(taxes), pq.Array(qualified), cmp.Or(in.Contact.Locale, tsunagu.LocaleJA), client,
		tokenHash(o.TokenSalt, o.Token))
	if err != nil {
		return nil, err
	}
	return o, nil
}

// insufficientForOrder is the INSUFFICIENT_STOCK of a checkout, on the line of the
// product that is short, saying how many are available.
func insufficientForOrder(ctx context.Context, tx queryer, k tsunagu.StockKey, lines []*tsunagu.OrderLine) error {
	for i, l := range lines {
		if l.ProductID != k.ProductID {
			continue
		}
		var available int
		err := tx.GetContext(ctx, &available, `
			SELECT coalesce((SELECT on_hand - reserved FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0)`,
			k.ProductID, k.LocationID)
		if err != nil {
			return err
		}
		return tsunagu.Errorf(tsunagu.CodeInsufficientStock, tsunagu.LineField(i, ".quantity"),
			"Only %d of %s are available at this shop; the cart has %d.", max(available, 0), l.Name, l.Quantity)
	}
	return &InsufficientStockError{Key: k}
}

// lockOrder locks order id (FOR UPDATE) for staff action and checks that u works at
// its shop. Returns NOT_FOUND (field "") for an unknown order and FORBIDDEN for
// another shop's. Later statements must read the lines: see lockSale.
func lockOrder(ctx context.Context, tx queryer, u *tsunagu.User, id tsunagu.OrderID) (*tsunagu.Order, error) {
	var o struct {
		tsunagu.Order
		MunicipalityID tsunagu.MunicipalityID
	}
	err := tx.GetContext(ctx, &o, `SELECT `+orderColumns+`, l.municipality_id
		FROM orders o JOIN locations l ON l.id = o.shop_id WHERE o.id = $1 FOR UPDATE OF o`, id)
	if err != nil {
		return nil, notFound(err, "", "order")
	}
	if !worksAtShop(u, o.ShopID, o.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
	}
	return &o.Order, nil
}

func orderLinesTx(ctx context.Context, tx queryer, id tsunagu.OrderID) ([]*tsunagu.OrderLine, error) {
	var lines []*tsunagu.OrderLine
	err := tx.SelectContext(ctx, &lines, `SELECT `+orderLineColumns+` FROM order_lines ol
		WHERE ol.order_id = $1 ORDER BY ol.line_number`, id)
	return lines, err
}

// moveOrderStock moves the order's units not yet refunded: out of the reservation
// (RELEASE), or out of the shop (ORDER_FULFILLED: reserved and on hand both down),
// owned by each line's facility.
func moveOrderStock(ctx context.Context, tx queryer, o *tsunagu.Order, lines []*tsunagu.OrderLine, take bool) error {
	var ms []movement
	for _, l := range lines {
		q := l.Quantity - l.Refunded
		if q <= 0 {
			continue
		}
		if take {
			ms = append(ms,
				movement{ProductID: l.ProductID, LocationID: o.ShopID, Owner: l.OwnerFacilityID,
					Bucket: tsunagu.BucketReserved, Quantity: -q, Reason: tsunagu.ReasonOrderPickup},
				movement{ProductID: l.ProductID, LocationID: o.ShopID, Owner: l.OwnerFacilityID,
					Bucket: tsunagu.BucketOnHand, Quantity: -q, Reason: tsunagu.ReasonOrderPickup})
			continue
		}
		ms = append(ms, movement{ProductID: l.ProductID, LocationID: o.ShopID, Owner: l.OwnerFacilityID,
			Bucket: tsunagu.BucketReserved, Quantity: -q, Reason: tsunagu.ReasonRelease})
	}
	return applyMovements(ctx, tx, document{Type: tsunagu.DocumentOrder, ID: int64(o.ID)}, ms)
}

// setOrderStatus writes an order's new status and stock state.
func setOrderStatus(ctx context.Context, tx queryer, o *tsunagu.Order, status tsunagu.OrderStatus, stock tsunagu.OrderStock, extra string, args ...any) (*tsunagu.Order, error) {
	out := &tsunagu.Order{}
	a := append([]any{o.ID, status, stock}, args...)
	err := tx.GetContext(ctx, out, `UPDATE orders o SET status = $2, stock = $3, updated_at = now()`+extra+`
		WHERE o.id = $1 RETURNING `+orderColumns, a...)
	return out, err
}

// notify writes a message for the e-mail sender into the outbox, in the shopper's
// language, with what the message says (mail.OrderData) read from the order as this
// transaction left it: the e-mail tells what was decided here even if it goes later.
func notify(ctx context.Context, tx queryer, kind mail.Kind, o *tsunagu.Order) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO notifications (kind, order_id, recipient, locale, payload)
		SELECT $1, o.id, o.email, o.locale, jsonb_build_object('orderId', o.id, 'name', o.name, 'shopId', o.shop_id,
			'shopName', l.name, 'status', o.status, 'fulfilment', o.fulfilment, 'total', o.total,
			'refunded', o.refunded, 'carrier', o.carrier, 'trackingNumber', o.tracking_number,
			-- The goods in the shopper's language where the catalog has it; in
			-- Japanese, as at checkout (as OrderLine.name gives them).
			'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object(
					'name', CASE WHEN o.locale = 'JA' THEN ol.name
						ELSE coalesce(nullif(p.translations -> o.locale ->> 'name', ''), ol.name) END,
					'quantity', ol.quantity, 'amount', ol.unit_price * ol.quantity) ORDER BY ol.line_number), '[]')
				FROM order_lines ol JOIN products p ON p.id = ol.product_id WHERE ol.order_id = o.id))
		FROM orders o JOIN locations l ON l.id = o.shop_id WHERE o.id = $2`,
		kind, o.ID)
	return err
}
