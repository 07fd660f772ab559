package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"tsunagu/internal/tsunagu"
)

// POSService implements tsunagu.POSService: the counter of the network's shops. This
// file holds shops, registers and what the POS files share; pos_sessions.go the
// register sessions and cash movements; pos_sales.go sales and voids; pos_refunds.go
// refunds; pos_report.go the Z report and receipts; pos_read.go the lists and loaders.
//
// Authorization is decided per object from the user in the context: a clerk works at
// their own shop, a manager at the shops of their municipality, an admin anywhere.
// Another shop's register, session or sale gives FORBIDDEN; reads are filtered in SQL,
// so that what a user may not see does not exist for them.
//
// Locks are taken in one order everywhere: the sale row (voids, refunds), then the
// register session (FOR SHARE by sales, voids and refunds; FOR UPDATE by closing and
// cash movements, which take nothing else), then stock levels in (product, location)
// order through applyMovements, and last the shop row, whose receipt counter the
// transaction's last statement takes. So concurrent operations cannot deadlock, and
// concurrent sales at one shop wait for each other only from that last statement to
// their commit.
type POSService struct {
	db *DB
	// Payments takes card payments on Stripe Terminal readers; nil: Terminal card
	// sales are off (cards are then recorded as external payments).
	Payments tsunagu.Payments
}

var _ tsunagu.POSService = (*POSService)(nil)

// NewPOSService returns the POS on db.
func NewPOSService(db *DB) *POSService { return &POSService{db: db} }

// shopVisibleTo is the SQL condition that u may see the POS records of the shop in
// column col: every shop for an admin, the shops of their municipality for a manager,
// their own shop for a clerk, none for customers and anonymous requests.
func shopVisibleTo(u *tsunagu.User, a *args, col string) string {
	switch {
	case u == nil:
		return `false`
	case u.Role == tsunagu.RoleAdmin:
		return `true`
	case u.Role == tsunagu.RoleManager && u.MunicipalityID != nil:
		return col + ` IN (SELECT id FROM locations WHERE municipality_id = ` + a.add(*u.MunicipalityID) + `)`
	case u.Role == tsunagu.RoleClerk && u.ShopID != nil:
		return col + ` = ` + a.add(*u.ShopID)
	}
	return `false`
}

// ofFacility is the SQL condition that the facility ID in column col is facility
// staff u's own: the rule of tsunagu.User.OfFacility, which every condition below
// uses for the FACILITY role. It is false for anyone else.
func ofFacility(u *tsunagu.User, a *args, col string) string {
	if u == nil || u.Role != tsunagu.RoleFacility || u.FacilityID == nil {
		return `false`
	}
	return col + ` = ` + a.add(*u.FacilityID)
}

// worksAt reports whether u may sell at the shop with location ID shop in municipality
// m: the rule of tsunagu.User.WorksAt.
func worksAtShop(u *tsunagu.User, shop tsunagu.LocationID, m tsunagu.MunicipalityID) bool {
	return u.WorksAt(&tsunagu.Location{ID: shop, MunicipalityID: m, Kind: tsunagu.LocationShop})
}

const shopColumns = `location_id, operator_name, registration_number, rounding, accepts_pickup`

// ShopsByID implements tsunagu.POSService in one statement.
func (s *POSService) ShopsByID(ctx context.Context, ids []tsunagu.LocationID) (map[tsunagu.LocationID]*tsunagu.Shop, error) {
	var shops []*tsunagu.Shop
	err := s.db.q().SelectContext(ctx, &shops, `SELECT `+shopColumns+` FROM shops WHERE location_id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(shops, func(sh *tsunagu.Shop) tsunagu.LocationID { return sh.LocationID }), nil
}

// UpdateShop implements tsunagu.POSService: the location is read, its settings
// inserted or updated and audited in one transaction.
func (s *POSService) UpdateShop(ctx context.Context, in tsunagu.UpdateShopInput) (_ *tsunagu.Shop, err error) {
	defer wrap(&err, "POSService.UpdateShop")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var rounding *string
	if in.Rounding != nil {
		rounding = (*string)(in.Rounding)
	}
	out := &tsunagu.Shop{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var loc struct {
			tsunagu.Location
			HasShop bool
		}
		err := tx.GetContext(ctx, &loc, `SELECT `+locationColumns+`,
			EXISTS (SELECT FROM shops WHERE location_id = locations.id) AS has_shop
			FROM locations WHERE id = $1`, in.ShopID)
		if err != nil {
			return notFound(err, "", "location")
		}
		if err := tsunagu.CanManageMunicipality(u, loc.MunicipalityID); err != nil {
			return err
		}
		if loc.Kind != tsunagu.LocationShop {
			return tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.shopId", "%s is not a shop; only shops have receipts.", loc.Name)
		}
		if !loc.HasShop && in.OperatorName == nil {
			return tsunagu.Errorf(tsunagu.CodeRequired, "input.operatorName", "Enter who runs the shop and issues its receipts.")
		}
		entry := audited{Action: "updateShop", ObjectType: "Location", ObjectID: int64(in.ShopID), MunicipalityID: &loc.MunicipalityID}
		if !loc.HasShop {
			// Of two first updates at once, the second inserts nothing and updates.
			err := tx.GetContext(ctx, out, `
				INSERT INTO shops (location_id, operator_name, registration_number, rounding, accepts_pickup)
				VALUES ($1, $2, nullif($3, ''), coalesce($4, 'DOWN'), coalesce($5, true))
				ON CONFLICT (location_id) DO NOTHING
				RETURNING `+shopColumns, in.ShopID, in.OperatorName, in.RegistrationNumber, rounding, in.AcceptsPickup)
			if err == nil {
				entry.After = out
				return audit(ctx, tx, entry)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		before := &tsunagu.Shop{}
		if err := tx.GetContext(ctx, before, `SELECT `+shopColumns+` FROM shops WHERE location_id = $1 FOR UPDATE`, in.ShopID); err != nil {
			return err
		}
		err = tx.GetContext(ctx, out, `
			UPDATE shops SET operator_name = coalesce($2, operator_name),
				registration_number = CASE WHEN $3::text IS NULL THEN registration_number ELSE nullif($3, '') END,
				rounding = coalesce($4, rounding), accepts_pickup = coalesce($5, accepts_pickup)
			WHERE location_id = $1
			RETURNING `+shopColumns, in.ShopID, in.OperatorName, in.RegistrationNumber, rounding, in.AcceptsPickup)
		if err != nil {
			return err
		}
		entry.Before, entry.After = before, out
		return audit(ctx, tx, entry)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const registerColumns = `r.id, r.shop_id, r.name, r.created_at, r.retired_at`

// CreateRegister implements tsunagu.POSService in one transaction with its audit
// entry; the unique key registers_shop_id_name_key decides between two registers
// given one name at once.
func (s *POSService) CreateRegister(ctx context.Context, in tsunagu.CreateRegisterInput) (_ *tsunagu.Register, err error) {
	defer wrap(&err, "POSService.CreateRegister")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var errs tsunagu.ValidationErrors
	in.Name = strings.TrimSpace(in.Name)
	validatePOSName(&errs, in.Name, "input.name", "Name the register.")
	if err := errs.Err(); err != nil {
		return nil, err
	}
	out := &tsunagu.Register{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var loc struct {
			tsunagu.Location
			HasShop bool
		}
		err := tx.GetContext(ctx, &loc, `
			SELECT `+locationColumns+`, EXISTS (SELECT FROM shops WHERE location_id = locations.id) AS has_shop
			FROM locations WHERE id = $1`, in.ShopID)
		if err != nil {
			return notFound(err, "input.shopId", "shop")
		}
		if err := tsunagu.CanManageMunicipality(u, loc.MunicipalityID); err != nil {
			return err
		}
		switch {
		case loc.Kind != tsunagu.LocationShop:
			return tsunagu.Errorf(tsunagu.CodeInvalidInput, "input.shopId", "%s is not a shop; only shops have registers.", loc.Name)
		case !loc.HasShop:
			return tsunagu.Errorf(tsunagu.CodeInvalidState, "input.shopId",
				"Set the receipt settings of %s (who runs it) before adding registers.", loc.Name)
		}
		err = tx.GetContext(ctx, out, `
			INSERT INTO registers AS r (shop_id, name) VALUES ($1, $2) RETURNING `+registerColumns, in.ShopID, in.Name)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "createRegister", ObjectType: "Register", ObjectID: int64(out.ID),
			MunicipalityID: &loc.MunicipalityID, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateRegister implements tsunagu.POSService through changeRegister.
func (s *POSService) UpdateRegister(ctx context.Context, in tsunagu.UpdateRegisterInput) (_ *tsunagu.Register, err error) {
	defer wrap(&err, "POSService.UpdateRegister")
	var errs tsunagu.ValidationErrors
	in.Name = strings.TrimSpace(in.Name)
	validatePOSName(&errs, in.Name, "input.name", "Name the register.")
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s.changeRegister(ctx, "updateRegister", in.RegisterID, func(tx queryer, before *tsunagu.Register, out *tsunagu.Register) error {
		return tx.GetContext(ctx, out, `UPDATE registers r SET name = $2 WHERE id = $1 RETURNING `+registerColumns, in.RegisterID, in.Name)
	})
}

// RetireRegister implements tsunagu.POSService. The register's row is locked, and
// OpenRegisterSession locks it too (FOR SHARE), so a session cannot open between the
// check and the retirement.
func (s *POSService) RetireRegister(ctx context.Context, in tsunagu.RetireRegisterInput) (_ *tsunagu.Register, err error) {
	defer wrap(&err, "POSService.RetireRegister")
	return s.changeRegister(ctx, "retireRegister", in.RegisterID, func(tx queryer, before *tsunagu.Register, out *tsunagu.Register) error {
		if before.RetiredAt != nil {
			return tsunagu.Errorf(tsunagu.CodeInvalidState, "input.registerId", "%s is retired already.", before.Name)
		}
		var open bool
		err := tx.GetContext(ctx, &open, `SELECT EXISTS (SELECT FROM register_sessions WHERE register_id = $1 AND status = 'OPEN')`, in.RegisterID)
		if err != nil {
			return err
		}
		if open {
			return tsunagu.Errorf(tsunagu.CodeRegisterInUse, "input.registerId", "%s is open; close its session before retiring it.", before.Name)
		}
		return tx.GetContext(ctx, out, `UPDATE registers r SET retired_at = now() WHERE id = $1 RETURNING `+registerColumns, in.RegisterID)
	})
}

// changeRegister runs change on a register locked for update, for a manager of its
// shop's municipality or an admin, and audits it as action. Returns
// UNAUTHENTICATED, NOT_FOUND (field ""), FORBIDDEN, or change's error.
func (s *POSService) changeRegister(ctx context.Context, action string, id tsunagu.RegisterID,
	change func(tx queryer, before, out *tsunagu.Register) error) (*tsunagu.Register, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	out := &tsunagu.Register{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var before struct {
			tsunagu.Register
			MunicipalityID tsunagu.MunicipalityID
		}
		err := tx.GetContext(ctx, &before, `SELECT `+registerColumns+`, l.municipality_id
			FROM registers r JOIN locations l ON l.id = r.shop_id WHERE r.id = $1 FOR UPDATE OF r`, id)
		if err != nil {
			return notFound(err, "", "register")
		}
		if err := tsunagu.CanManageMunicipality(u, before.MunicipalityID); err != nil {
			return err
		}
		if err := change(tx, &before.Register, out); err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: action, ObjectType: "Register", ObjectID: int64(id),
			MunicipalityID: &before.MunicipalityID, Before: &before.Register, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Registers implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) Registers(ctx context.Context, shop *tsunagu.LocationID) ([]*tsunagu.Register, error) {
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + registerColumns + ` FROM registers r WHERE r.retired_at IS NULL AND ` + shopVisibleTo(u, &a, "r.shop_id")
	if shop != nil {
		q += ` AND r.shop_id = ` + a.add(*shop)
	}
	q += ` ORDER BY r.shop_id, r.name, r.id`
	regs := []*tsunagu.Register{}
	if err := s.db.q().SelectContext(ctx, &regs, q, a...); err != nil {
		return nil, err
	}
	return regs, nil
}

// RegistersByID implements tsunagu.POSService in one statement (shopVisibleTo).
func (s *POSService) RegistersByID(ctx context.Context, ids []tsunagu.RegisterID) (map[tsunagu.RegisterID]*tsunagu.Register, error) {
	var a args
	q := `SELECT ` + registerColumns + ` FROM registers r WHERE r.id = ANY(` + a.add(int64s(ids)) + `) AND ` +
		shopVisibleTo(tsunagu.UserFrom(ctx), &a, "r.shop_id")
	var regs []*tsunagu.Register
	if err := s.db.q().SelectContext(ctx, &regs, q, a...); err != nil {
		return nil, err
	}
	return byID(regs, func(r *tsunagu.Register) tsunagu.RegisterID { return r.ID }), nil
}

// ---- inputs ---------------------------------------------------------------------

func validatePOSName(errs *tsunagu.ValidationErrors, name, field, required string) {
	switch {
	case name == "":
		errs.Add(tsunagu.CodeRequired, field, "%s", required)
	case utf8.RuneCountInString(name) > tsunagu.MaxNameLength:
		errs.Add(tsunagu.CodeTooLong, field, "This can be at most %d characters.", tsunagu.MaxNameLength)
	}
}
