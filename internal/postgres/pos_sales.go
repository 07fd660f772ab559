package postgres

import (
	"context"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

// A pending Terminal sale has no receipt number yet; it reads as 0.
const saleColumns = `s.id, s.shop_id, s.register_id, s.session_id, coalesce(s.receipt_number, 0) AS receipt_number, s.status, s.total,
	s.sold_by, s.created_at, s.voided_at, s.voided_by, s.void_reason, s.last_payment_error, s.payment_flag`

// CreateSale implements tsunagu.POSService. A clerk's sale that nothing refuses is
// one statement (createSaleSingle): key, session, products, stock, receipt number,
// sale, lines, payments and ledger. Otherwise (a refusal, a replay, a manager's
// sale) it is one transaction, whose number of statements does not depend on the
// number of lines: BEGIN, the key with the session (FOR SHARE, drawing the sale ID)
// and every line's product, the sale with its stock (guarded), lines, payments,
// receipt number and the key's result, COMMIT: four (a sale refused for stock runs
// one more read, to say how much there is; a key used before, one to read its first
// result). A key reused for a request naming a session that does not exist gets
// NOT_FOUND, as that request alone would. The receipt number is taken by the
// sale's last statement, so concurrent sales at one shop wait for each other only
// from there to commit; and a sale that fails rolls its number back with
// everything else: the numbers have no gaps.
func (s *POSService) CreateSale(ctx context.Context, in tsunagu.CreateSaleInput) (_ *tsunagu.Sale, err error) {
	defer wrap(&err, "POSService.CreateSale")
	var ids []int64
	var codes []string
	return runOnce(ctx, s.db, "createSale", &in, once[*tsunagu.Sale]{
		claims: true,
		prepare: func(*tsunagu.User) (err error) {
			ids, codes, err = saleLineRefs(in.Lines)
			return err
		},
		single: func(q queryer, u *tsunagu.User, k *idemKey) (*tsunagu.Sale, bool, error) {
			return createSaleSingle(ctx, q, u, &in, ids, codes, k)
		},
		do: func(tx queryer, u *tsunagu.User, k *idemKey) (*tsunagu.Sale, error) {
			return createSaleTx(ctx, tx, u, &in, ids, codes, false, k)
		},
		id:     saleResultID,
		replay: replaySale(ctx),
	})
}

// saleResultID and replaySale are the result of a mutation of a sale, for runOnce.
func saleResultID(s *tsunagu.Sale) int64 { return int64(s.ID) }

func replaySale(ctx context.Context) func(tx queryer, id int64) (*tsunagu.Sale, error) {
	return func(tx queryer, id int64) (*tsunagu.Sale, error) { return loadSale(ctx, tx, tsunagu.SaleID(id)) }
}

// saleLineRefs splits lines into the product IDs and the scanned codes they name (0
// and "" where a line names the other), the codes as the catalog stores them: digits
// only, check digit right. Returns a validation error (input.lines.N.code) for every
// bad code.
func saleLineRefs(lines []tsunagu.SaleLineInput) (ids []int64, codes []string, err error) {
	ids, codes = make([]int64, len(lines)), make([]string, len(lines))
	var errs tsunagu.ValidationErrors
	for i, l := range lines {
		if l.ProductID != nil {
			ids[i] = int64(*l.ProductID)
			continue
		}
		pc, err := tsunagu.ParseProductCode(*l.Code, tsunagu.LineField(i, ".code"))
		if err != nil {
			if !errs.AddError(err) {
				return nil, nil, err
			}
			continue
		}
		codes[i] = pc.Code
	}
	return ids, codes, errs.Err()
}

// saleProductColumns are a saleProduct's, of products p (by saleProductJoin) for a
// sale in the register session rs (of sessionColumns, with its shop's municipality_id).
var saleProductColumns = `p.id AS product_id, coalesce(p.facility_id, 0) AS facility,
	coalesce(p.status, '') AS product_status, coalesce(p.price, 0) AS price, coalesce(p.code, '') AS code,
	coalesce(p.tax_class, '') AS tax_class, coalesce(p.translations->'JA'->>'name', '') AS name,
	-- A qualifying good needs a registered maker and a registered shop: the
	-- shop issues the invoice on the maker's behalf (媒介者交付特例).
	f.registration_number IS NOT NULL AND rs.registration_number IS NOT NULL AS qualified,
	coalesce(` + carriedAt("rs.municipality_id", "p.municipality_id") + `, false) AS carried`

// saleProductJoin finds the product of each line u(id, code), by ID or else by code,
// and its facility f; p is all NULL when there is none.
const saleProductJoin = `LEFT JOIN products p ON p.id = coalesce(nullif(u.id, 0),
			(SELECT c.id FROM products c WHERE c.code = nullif(u.code, '')))
		LEFT JOIN facilities f ON f.id = p.facility_id`

// saleProduct is a product as a sale line resolves it; ProductID is nil for none.
type saleProduct struct {
	ProductID     *tsunagu.ProductID
	Facility      tsunagu.FacilityID
	ProductStatus tsunagu.ProductStatus
	Price         int64
	Code          string
	TaxClass      tsunagu.TaxClass
	Name          string
	Qualified     bool
	// Carried: the shop carries the product's municipality's goods today (carriedAt).
	Carried bool
}

// createSaleTx is the work of CreateSale in tx. ids and codes identify the products
// of the lines (0 and "" where the line uses the other). A pending sale (a Terminal
// card sale) ignores in.Payments and is paid by one CARD payment of its total; its
// stock is reserved instead of taken and it gets no receipt number yet. Its first
// statement takes k (claimKeySQL) and its last records the sale as k's result, two
// round trips less; it returns errKeyTaken, having done nothing, when k was there.
func createSaleTx(ctx context.Context, tx queryer, u *tsunagu.User, in *tsunagu.CreateSaleInput, ids []int64, codes []string, pending bool, k *idemKey) (*tsunagu.Sale, error) {
	// One statement takes the key, locks the session (FOR SHARE: other sales go on,
	// closing waits), draws the new sale's ID and resolves every line's product, by ID
	// or by code; a row per line, each with the session. No row means no such session.
	var rows []*struct {
		lockedSession
		saleProduct
		KeyTaken bool
	}
	a := args{in.SessionID, pq.Array(ids), pq.Array(codes)}
	err := tx.SelectContext(ctx, &rows, `
		WITH `+claimKeySQL(k, &a)+`, rs AS MATERIALIZED (
			SELECT `+sessionColumns+`, l.municipality_id, nextval(pg_get_serial_sequence('sales', 'id')) AS next_sale_id
			FROM register_sessions rs JOIN locations l ON l.id = rs.shop_id
			WHERE rs.id = $1 FOR SHARE OF rs
		)
		SELECT rs.*, `+saleProductColumns+`, claimed.taken AS key_taken
		FROM claimed, rs CROSS JOIN unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS u(id, code, ord)
		`+saleProductJoin+`
		ORDER BY u.ord`, a...)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, tsunagu.Errorf(tsunagu.CodeNotFound, "", "There is no such register session.")
	}
	if !rows[0].KeyTaken {
		return nil, errKeyTaken
	}
	rs := &rows[0].lockedSession
	if !worksAtShop(u, rs.ShopID, rs.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
	}
	if rs.Status != tsunagu.SessionOpen {
		return nil, errNoOpenSession("input.sessionId")
	}
	ps := make([]*saleProduct, len(rows))
	for i, r := range rows {
		ps[i] = &r.saleProduct
	}
	var errs tsunagu.ValidationErrors
	var total int64
	for i, p := range ps {
		switch {
		case p.ProductID == nil && in.Lines[i].ProductID != nil:
			errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".productId"), "There is no such product.")
		case p.ProductID == nil:
			errs.Add(tsunagu.CodeNotFound, tsunagu.LineField(i, ".code"), "No product has code %s.", codes[i])
		case p.ProductStatus == tsunagu.StatusArchived:
			errs.Add(tsunagu.CodeInvalidState, tsunagu.LineField(i, ""), "%s is archived and can no longer be sold.", p.Name)
		case p.ProductStatus != tsunagu.StatusActive:
			errs.Add(tsunagu.CodeInvalidState, tsunagu.LineField(i, ""), "%s is not on sale yet.", p.Name)
		case !p.Carried:
			errs.Add(tsunagu.CodeNotCarried, tsunagu.LineField(i, ""),
				"%s is not sold at this shop: its municipality is not a partner of this shop's (any more).", p.Name)
		default:
			total += p.Price * int64(in.Lines[i].Quantity)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if pending {
		in.Payments = []tsunagu.PaymentInput{tsunagu.TerminalPayment(total)}
	}
	if err := tsunagu.CheckPayments(total, in.Payments); err != nil {
		return nil, err
	}

	saleID := rs.NextSaleID
	n := len(in.Lines)
	ms := make([]movement, n)
	products, owners, prices, quantities := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	names, lineCodes, taxes, qualified := make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, p := range ps {
		q := in.Lines[i].Quantity
		ms[i] = movement{ProductID: *p.ProductID, LocationID: rs.ShopID, Owner: p.Facility,
			Bucket: tsunagu.BucketOnHand, Quantity: -q, Reason: tsunagu.ReasonSale}
		if pending {
			ms[i].Bucket, ms[i].Quantity, ms[i].Reason = tsunagu.BucketReserved, q, tsunagu.ReasonReserve
		}
		products[i], owners[i], prices[i], quantities[i] = int64(*p.ProductID), int64(p.Facility), p.Price, int64(q)
		names[i], lineCodes[i], taxes[i], qualified[i] = p.Name, p.Code, string(p.TaxClass), p.Qualified
	}
	// The stock is changed by the sale's own statement (a round trip less): its
	// levels are locked and updated first, the receipt number is taken after them.
	stock, err := planMovements(ms)
	if err != nil {
		return nil, err
	}
	if err = stock.createLevels(ctx, tx); err != nil {
		return nil, err
	}

	a = args{saleID, rs.ShopID, rs.RegisterID, rs.ID, total, u.ID,
		pq.Array(products), pq.Array(owners), pq.Array(names), pq.Array(lineCodes), pq.Array(prices),
		pq.Array(quantities), pq.Array(taxes), pq.Array(qualified)}
	payments := salePayments(in.Payments).insert(&a) // $15 to $19
	a = append(a, pending, k.Scope, k.Key)
	// When the stock is short the sale's rows are written all the same and the
	// transaction rolls back: short names the level, in the one row there is.
	var sale struct {
		tsunagu.Sale
		ShortProduct, ShortLocation int64
	}
	err = tx.GetContext(ctx, &sale, `
		WITH `+stock.ctes(ctx, document{Type: tsunagu.DocumentSale, ID: saleID}, &a)+`, n AS (
			UPDATE shops SET last_receipt_number = last_receipt_number + 1
			WHERE location_id = $2 AND NOT $20 AND (SELECT count(*) FROM updated) >= 0
			RETURNING last_receipt_number
		), s AS (
			INSERT INTO sales (id, shop_id, register_id, session_id, receipt_number, status, total, sold_by)
			OVERRIDING SYSTEM VALUE
			SELECT $1, $2, $3, $4, (SELECT last_receipt_number FROM n),
				CASE WHEN $20 THEN 'PENDING_PAYMENT' ELSE 'COMPLETED' END, $5, $6
			RETURNING *
		), l AS (
			INSERT INTO sale_lines (sale_id, line_number, product_id, owner_facility_id, name, code,
				unit_price, quantity, tax_class, qualified)
			SELECT s.id, d.ord, d.p, d.o, d.name, d.code, d.price, d.q, d.tax, d.qual
			FROM s, unnest($7::bigint[], $8::bigint[], $9::text[], $10::text[], $11::bigint[], $12::int[],
				$13::text[], $14::bool[]) WITH ORDINALITY AS d(p, o, name, code, price, q, tax, qual, ord)
		), p AS (`+payments+`), k AS (
			UPDATE idempotency_keys SET result_id = s.id FROM s WHERE scope = $21 AND key = $22
		)
		SELECT `+saleColumns+`, coalesce(short.product_id, 0) AS short_product, coalesce(short.location_id, 0) AS short_location
		FROM s LEFT JOIN short ON true`, a...)
	if err != nil {
		return nil, err
	}
	if sale.ShortProduct != 0 {
		key := tsunagu.StockKey{ProductID: tsunagu.ProductID(sale.ShortProduct), LocationID: tsunagu.LocationID(sale.ShortLocation)}
		return nil, insufficientForSale(ctx, tx, key, in.Lines, ps)
	}
	k.Stored = true
	return &sale.Sale, nil
}

// paymentRows is a sale's payments as the arrays its statement inserts, and their sum.
type paymentRows struct {
	methods, amounts, tendered, change, refs any
	sum                                      int64
}

// salePayments is ps as paymentRows: a cash payment's change is what was tendered
// beyond its amount (nothing when the tendered amount is not given).
func salePayments(ps []tsunagu.PaymentInput) paymentRows {
	m := len(ps)
	methods, amounts, tendered, change, refs := make([]string, m), make([]int64, m), make([]int64, m), make([]int64, m), make([]string, m)
	var sum int64
	for i, p := range ps {
		methods[i], amounts[i], refs[i] = string(p.Method), p.Amount, p.Reference
		sum += p.Amount
		if p.Method == tsunagu.PaymentCash {
			tendered[i] = p.Amount
			if p.Tendered != nil {
				tendered[i] = *p.Tendered
			}
			change[i] = tendered[i] - p.Amount
		}
	}
	return paymentRows{pq.Array(methods), pq.Array(amounts), pq.Array(tendered), pq.Array(change), pq.Array(refs), sum}
}

// insert is the statement inserting the payments of sale s (a CTE of the
// statement), with its values added to a.
func (p paymentRows) insert(a *args) string {
	return `INSERT INTO sale_payments (sale_id, seq, method, amount, tendered, change, reference)
			SELECT s.id, d.ord, d.m, d.a, d.t, d.c, d.r
			FROM s, unnest(` + a.add(p.methods) + `::text[], ` + a.add(p.amounts) + `::bigint[], ` + a.add(p.tendered) +
		`::bigint[], ` + a.add(p.change) + `::bigint[], ` + a.add(p.refs) + `::text[]) WITH ORDINALITY AS d(m, a, t, c, r, ord)`
}

// insufficientForSale is the INSUFFICIENT_STOCK of a sale, on the first line of the
// product that is short, saying how many are available. It runs in the transaction
// that failed, which is still usable: the refusal was the guarded update's, not an
// error of the database.
func insufficientForSale(ctx context.Context, tx queryer, k tsunagu.StockKey, lines []tsunagu.SaleLineInput, ps []*saleProduct) error {
	first, wanted := -1, 0
	for i, p := range ps {
		if *p.ProductID == k.ProductID {
			if first < 0 {
				first = i
			}
			wanted += lines[i].Quantity
		}
	}
	if first < 0 {
		return &InsufficientStockError{Key: k}
	}
	var available int
	err := tx.GetContext(ctx, &available, `
		SELECT coalesce((SELECT on_hand - reserved FROM stock_levels WHERE product_id = $1 AND location_id = $2), 0)`,
		k.ProductID, k.LocationID)
	if err != nil {
		return err
	}
	return tsunagu.Errorf(tsunagu.CodeInsufficientStock, tsunagu.LineField(first, ".quantity"),
		"Only %d of %s are in stock at this shop; the sale needs %d.", max(available, 0), ps[first].Name, wanted)
}

// loadSale reads a sale by ID, without checking who may see it: for the result of a
// mutation the user was allowed to make.
func loadSale(ctx context.Context, tx queryer, id tsunagu.SaleID) (*tsunagu.Sale, error) {
	var sale tsunagu.Sale
	if err := tx.GetContext(ctx, &sale, `SELECT `+saleColumns+` FROM sales s WHERE s.id = $1`, id); err != nil {
		return nil, notFound(err, "", "sale")
	}
	return &sale, nil
}

// lockedSale is a sale locked by lockSale, with its shop's municipality and its
// session's status.
type lockedSale struct {
	tsunagu.Sale
	MunicipalityID tsunagu.MunicipalityID
	SessionStatus  tsunagu.SessionStatus
}

// lockSale locks sale id (FOR UPDATE) and checks that u works at its shop. With
// shareSession it also locks the sale's own session FOR SHARE, so that the session
// cannot close before the transaction ends. Returns NOT_FOUND (field "") for an
// unknown sale and FORBIDDEN for another shop's.
//
// What else of the sale the caller needs (its lines, refunds) must be read by later
// statements: a statement that waited for the lock still reads from the snapshot it
// started with, in which a refund committed meanwhile would be missing.
func lockSale(ctx context.Context, tx queryer, u *tsunagu.User, id tsunagu.SaleID, shareSession bool) (*lockedSale, error) {
	lock := `FOR UPDATE OF s`
	if shareSession {
		lock += ` FOR SHARE OF rs`
	}
	var sale lockedSale
	err := tx.GetContext(ctx, &sale, `
		SELECT `+saleColumns+`, l.municipality_id, rs.status AS session_status
		FROM sales s JOIN register_sessions rs ON rs.id = s.session_id JOIN locations l ON l.id = s.shop_id
		WHERE s.id = $1 `+lock, id)
	if err != nil {
		return nil, notFound(err, "", "sale")
	}
	if !worksAtShop(u, sale.ShopID, sale.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
	}
	return &sale, nil
}

// VoidSale implements tsunagu.POSService in one transaction (runOnce): the sale is
// locked and its session shared (lockSale), so the session cannot close meanwhile,
// and the stock goes back through the ledger (SALE_VOID).
func (s *POSService) VoidSale(ctx context.Context, in tsunagu.VoidSaleInput) (_ *tsunagu.Sale, err error) {
	defer wrap(&err, "POSService.VoidSale")
	return runOnce(ctx, s.db, "voidSale", &in, once[*tsunagu.Sale]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.Sale, error) {
			sale, err := lockSale(ctx, tx, u, in.SaleID, true)
			if err != nil {
				return nil, err
			}
			switch {
			case sale.Status == tsunagu.SaleVoided:
				return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId", "This sale is voided already.")
			case sale.Status != tsunagu.SaleCompleted:
				return nil, errNotCompleted
			case sale.SessionStatus != tsunagu.SessionOpen:
				return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId",
					"This sale belongs to a closed register session; refund it instead.")
			}
			var lines []*tsunagu.SaleLine
			err = tx.SelectContext(ctx, &lines, `SELECT `+saleLineColumns+` FROM sale_lines sl
				WHERE sl.sale_id = $1 ORDER BY sl.line_number`, sale.ID)
			if err != nil {
				return nil, err
			}
			ms := make([]movement, len(lines))
			for i, l := range lines {
				if l.Refunded > 0 {
					return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.saleId",
						"Part of this sale has been refunded; refund the rest instead of voiding it.")
				}
				ms[i] = movement{ProductID: l.ProductID, LocationID: sale.ShopID, Owner: l.OwnerFacilityID,
					Bucket: tsunagu.BucketOnHand, Quantity: l.Quantity, Reason: tsunagu.ReasonSaleVoid}
			}
			out := &tsunagu.Sale{}
			err = tx.GetContext(ctx, out, `
				UPDATE sales s SET status = 'VOIDED', voided_at = now(), voided_by = $2, void_reason = $3
				WHERE s.id = $1 RETURNING `+saleColumns, sale.ID, u.ID, in.Reason)
			if err != nil {
				return nil, err
			}
			err = audit(ctx, tx, audited{Action: "voidSale", ObjectType: "Sale", ObjectID: int64(out.ID),
				MunicipalityID: &sale.MunicipalityID, Before: &sale.Sale, After: out})
			if err != nil {
				return nil, err
			}
			return out, applyMovements(ctx, tx, document{Type: tsunagu.DocumentSale, ID: int64(sale.ID)}, ms)
		},
		id:     saleResultID,
		replay: replaySale(ctx),
	})
}
