package postgres

import (
	"context"

	"tsunagu/internal/tsunagu"
)

const sessionColumns = `rs.id, rs.register_id, rs.shop_id, rs.status, rs.opening_float, rs.opened_by,
	rs.opened_at, rs.closed_by, rs.closed_at, rs.counted_cash, rs.denominations, rs.close_note,
	rs.operator_name, rs.registration_number, rs.rounding`

// sessionRow scans a register session; the denominations are JSON.
type sessionRow struct {
	tsunagu.RegisterSession
	Denominations jsonValue[[]tsunagu.DenominationCount]
}

func (r *sessionRow) session() *tsunagu.RegisterSession {
	s := r.RegisterSession
	s.Denominations = r.Denominations.V
	if s.Denominations == nil {
		s.Denominations = []tsunagu.DenominationCount{}
	}
	return &s
}

// lockedSession is a register session locked by lockSession, with its shop's
// municipality and, for CreateSale, the ID drawn for the new sale.
type lockedSession struct {
	sessionRow
	MunicipalityID tsunagu.MunicipalityID
	NextSaleID     int64
}

// Lock modes of lockSession: sales, voids and refunds share the session; closing and
// cash movements, which change or count it as a whole, take it alone.
const (
	sessionShare  = `FOR SHARE OF rs`
	sessionUpdate = `FOR UPDATE OF rs`
)

// lockSession locks register session id in mode and checks that u works at its shop.
// Returns NOT_FOUND (field "") for an unknown session and FORBIDDEN for another
// shop's.
func lockSession(ctx context.Context, tx queryer, u *tsunagu.User, id tsunagu.SessionID, mode string) (*lockedSession, error) {
	var s lockedSession
	err := tx.GetContext(ctx, &s, `
		SELECT `+sessionColumns+`, l.municipality_id
		FROM register_sessions rs JOIN locations l ON l.id = rs.shop_id
		WHERE rs.id = $1 `+mode, id)
	if err != nil {
		return nil, notFound(err, "", "register session")
	}
	if !worksAtShop(u, s.ShopID, s.MunicipalityID) {
		return nil, tsunagu.ErrForbidden
	}
	return &s, nil
}

// errNoOpenSession is the NO_OPEN_SESSION of an operation on a closed session.
func errNoOpenSession(field string) error {
	return tsunagu.Errorf(tsunagu.CodeNoOpenSession, field, "This register session is closed; open the register to go on.")
}

// sessionOnce is what runOnce runs for a mutation whose result is a register
// session: do returns the session, a replay reloads it as it is now.
func sessionOnce(ctx context.Context, do func(tx queryer, u *tsunagu.User) (*tsunagu.RegisterSession, error)) once[*tsunagu.RegisterSession] {
	return once[*tsunagu.RegisterSession]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.RegisterSession, error) { return do(tx, u) },
		id: func(s *tsunagu.RegisterSession) int64 { return int64(s.ID) },
		replay: func(tx queryer, id int64) (*tsunagu.RegisterSession, error) {
			var row sessionRow
			if err := tx.GetContext(ctx, &row, `SELECT `+sessionColumns+` FROM register_sessions rs WHERE rs.id = $1`, id); err != nil {
				return nil, err
			}
			return row.session(), nil
		},
	}
}

// OpenRegisterSession implements tsunagu.POSService in one transaction (runOnce).
// The register is read FOR SHARE, so a retirement (FOR UPDATE) waits for the
// session or sees it; the unique index register_sessions_one_open decides between
// two clerks opening the same register at once.
func (s *POSService) OpenRegisterSession(ctx context.Context, in tsunagu.OpenSessionInput) (_ *tsunagu.RegisterSession, err error) {
	defer wrap(&err, "POSService.OpenRegisterSession")
	return runOnce(ctx, s.db, "openRegisterSession", &in, sessionOnce(ctx, func(tx queryer, u *tsunagu.User) (*tsunagu.RegisterSession, error) {
		var reg struct {
			ShopID         tsunagu.LocationID
			MunicipalityID tsunagu.MunicipalityID
			Retired        bool
		}
		// FOR SHARE: a retirement (FOR UPDATE) waits for this session, or this sees it.
		err := tx.GetContext(ctx, &reg, `
			SELECT r.shop_id, l.municipality_id, r.retired_at IS NOT NULL AS retired
			FROM registers r JOIN locations l ON l.id = r.shop_id
			WHERE r.id = $1 FOR SHARE OF r`, in.RegisterID)
		if err != nil {
			return nil, notFound(err, "", "register")
		}
		if !worksAtShop(u, reg.ShopID, reg.MunicipalityID) {
			return nil, tsunagu.ErrForbidden
		}
		if reg.Retired {
			return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.registerId", "This register is retired; use another one.")
		}
		// The unique index register_sessions_one_open decides between two clerks
		// opening the same register at once.
		var row sessionRow
		err = tx.GetContext(ctx, &row, `
			INSERT INTO register_sessions AS rs (register_id, shop_id, opening_float, opened_by,
				operator_name, registration_number, rounding)
			SELECT $1, $2, $3, $4, sh.operator_name, sh.registration_number, sh.rounding
			FROM shops sh WHERE sh.location_id = $2
			RETURNING `+sessionColumns, in.RegisterID, reg.ShopID, in.OpeningFloat, u.ID)
		if err != nil {
			return nil, err
		}
		return row.session(), nil
	}))
}

// CloseRegisterSession implements tsunagu.POSService in one transaction (runOnce)
// that locks the session row for the close, so sales, voids and refunds still
// running in it (which share that lock) finish first and none starts after.
func (s *POSService) CloseRegisterSession(ctx context.Context, in tsunagu.CloseSessionInput) (_ *tsunagu.RegisterSession, err error) {
	defer wrap(&err, "POSService.CloseRegisterSession")
	return runOnce(ctx, s.db, "closeRegisterSession", &in, sessionOnce(ctx, func(tx queryer, u *tsunagu.User) (*tsunagu.RegisterSession, error) {
		counted, _ := in.Counted()
		denominations := in.Denominations
		if denominations == nil {
			denominations = []tsunagu.DenominationCount{}
		}
		rs, err := lockSession(ctx, tx, u, in.SessionID, sessionUpdate)
		if err != nil {
			return nil, err
		}
		if rs.Status != tsunagu.SessionOpen {
			return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.sessionId", "This register session is closed already.")
		}
		// A Terminal card sale still waiting for Stripe would change the report after
		// the close; no new one can start while the session is locked.
		var pending bool
		err = tx.GetContext(ctx, &pending, `SELECT EXISTS (SELECT FROM sales WHERE session_id = $1 AND status = 'PENDING_PAYMENT')`, in.SessionID)
		if err != nil {
			return nil, err
		}
		if pending {
			return nil, tsunagu.Errorf(tsunagu.CodeInvalidState, "input.sessionId",
				"A card payment on the reader is still pending; confirm it before closing the register.")
		}
		var row sessionRow
		err = tx.GetContext(ctx, &row, `
			UPDATE register_sessions rs SET status = 'CLOSED', closed_by = $2, closed_at = now(),
				counted_cash = $3, denominations = $4, close_note = $5
			WHERE rs.id = $1 RETURNING `+sessionColumns,
			in.SessionID, u.ID, counted, jsonValue[[]tsunagu.DenominationCount]{denominations}, in.Note)
		if err != nil {
			return nil, err
		}
		out := row.session()
		return out, audit(ctx, tx, audited{Action: "closeRegisterSession", ObjectType: "RegisterSession", ObjectID: int64(out.ID),
			MunicipalityID: &rs.MunicipalityID, Before: rs.session(), After: out})
	}))
}

const cashMovementColumns = `cm.id, cm.session_id, cm.type, cm.amount, cm.reason, cm.actor_id, cm.at`

// RecordCashMovement implements tsunagu.POSService in one transaction (runOnce)
// that locks the session alone, so that sales and refunds running in it are counted
// before OUT is checked against the expected cash.
func (s *POSService) RecordCashMovement(ctx context.Context, in tsunagu.RecordCashMovementInput) (_ *tsunagu.CashMovement, err error) {
	defer wrap(&err, "POSService.RecordCashMovement")
	return runOnce(ctx, s.db, "recordCashMovement", &in, once[*tsunagu.CashMovement]{
		do: func(tx queryer, u *tsunagu.User, _ *idemKey) (*tsunagu.CashMovement, error) {
			rs, err := lockSession(ctx, tx, u, in.SessionID, sessionUpdate)
			if err != nil {
				return nil, err
			}
			if rs.Status != tsunagu.SessionOpen {
				return nil, errNoOpenSession("input.sessionId")
			}
			if in.Type == tsunagu.CashOut {
				var expected int64
				if err := tx.GetContext(ctx, &expected, expectedCashQuery, in.SessionID); err != nil {
					return nil, err
				}
				if in.Amount > expected {
					return nil, tsunagu.Errorf(tsunagu.CodeOutOfRange, "input.amount",
						"The drawer should hold %s; you cannot take out %s.", tsunagu.Yen(expected), tsunagu.Yen(in.Amount))
				}
			}
			out := &tsunagu.CashMovement{}
			err = tx.GetContext(ctx, out, `
				INSERT INTO cash_movements AS cm (session_id, type, amount, reason, actor_id)
				VALUES ($1, $2, $3, $4, $5) RETURNING `+cashMovementColumns,
				in.SessionID, in.Type, in.Amount, in.Reason, u.ID)
			if err != nil {
				return nil, err
			}
			return out, audit(ctx, tx, audited{Action: "recordCashMovement", ObjectType: "CashMovement", ObjectID: out.ID,
				MunicipalityID: &rs.MunicipalityID, After: out})
		},
		id: func(m *tsunagu.CashMovement) int64 { return m.ID },
		replay: func(tx queryer, id int64) (*tsunagu.CashMovement, error) {
			out := &tsunagu.CashMovement{}
			return out, tx.GetContext(ctx, out, `SELECT `+cashMovementColumns+` FROM cash_movements cm WHERE cm.id = $1`, id)
		},
	})
}

// SessionsByID implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) SessionsByID(ctx context.Context, ids []tsunagu.SessionID) (map[tsunagu.SessionID]*tsunagu.RegisterSession, error) {
	var a args
	q := `SELECT ` + sessionColumns + ` FROM register_sessions rs WHERE rs.id = ANY(` + a.add(int64s(ids)) + `) AND ` +
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "rs.shop_id")
	var rows []*sessionRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := make(map[tsunagu.SessionID]*tsunagu.RegisterSession, len(rows))
	for _, r := range rows {
		out[r.ID] = r.session()
	}
	return out, nil
}

// OpenSessions implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) OpenSessions(ctx context.Context, registerIDs []tsunagu.RegisterID) (map[tsunagu.RegisterID]*tsunagu.RegisterSession, error) {
	var a args
	q := `SELECT ` + sessionColumns + ` FROM register_sessions rs
		WHERE rs.register_id = ANY(` + a.add(int64s(registerIDs)) + `) AND rs.status = 'OPEN' AND ` +
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "rs.shop_id")
	var rows []*sessionRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	out := make(map[tsunagu.RegisterID]*tsunagu.RegisterSession, len(rows))
	for _, r := range rows {
		out[r.RegisterID] = r.session()
	}
	return out, nil
}

// CashMovements implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) CashMovements(ctx context.Context, sessionIDs []tsunagu.SessionID) (map[tsunagu.SessionID][]*tsunagu.CashMovement, error) {
	var a args
	q := `SELECT ` + cashMovementColumns + ` FROM cash_movements cm JOIN register_sessions rs ON rs.id = cm.session_id
		WHERE cm.session_id = ANY(` + a.add(int64s(sessionIDs)) + `) AND ` +
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "rs.shop_id") + `
		ORDER BY cm.session_id, cm.id`
	var ms []*tsunagu.CashMovement
	if err := s.db.q().SelectContext(ctx, &ms, q, a...); err != nil {
		return nil, err
	}
	return groupPOS(ms, func(m *tsunagu.CashMovement) tsunagu.SessionID { return m.SessionID }), nil
}

// groupPOS collects items under their keys, keeping their order.
func groupPOS[K comparable, V any](items []V, key func(V) K) map[K][]V {
	m := map[K][]V{}
	for _, it := range items {
		m[key(it)] = append(m[key(it)], it)
	}
	return m
}
