// Commission rates: the history a sale's commission is looked up in.

package postgres

import (
	"context"
	"time"

	"tsunagu/internal/tsunagu"
)

// SettlementService implements the commission rates and the monthly statements.
type SettlementService struct {
	db *DB
}

// NewSettlementService returns the settlement on db.
func NewSettlementService(db *DB) *SettlementService { return &SettlementService{db: db} }

const commissionRateColumns = `r.id, r.shop_id, r.facility_id, r.municipality_id, r.basis_points,
	r.effective_from, r.set_by, r.created_at`

// SetCommission implements tsunagu.CommissionService. It locks the shop's row, so
// that it and a close of the shop's month happen one after the other: a rate can
// never be dated into a month closed meanwhile.
func (s *SettlementService) SetCommission(ctx context.Context, in tsunagu.SetCommissionInput) (_ *tsunagu.CommissionRate, err error) {
	defer wrap(&err, "SettlementService.SetCommission")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	from, err := in.Validate()
	if err != nil {
		return nil, err
	}
	out := &tsunagu.CommissionRate{}
	err = s.db.transact(ctx, func(tx queryer) error {
		if err := lockManagedShop(ctx, tx, u, in.ShopID, "input.shopId"); err != nil {
			return err
		}
		var check struct {
			Facility     bool
			Municipality bool
			Closed       *time.Time
		}
		err := tx.GetContext(ctx, &check, `SELECT
				$2::bigint IS NULL OR EXISTS (SELECT 1 FROM facilities WHERE id = $2) AS facility,
				$3::bigint IS NULL OR EXISTS (SELECT 1 FROM municipalities WHERE id = $3) AS municipality,
				(SELECT max(month) FROM settlement_closes WHERE shop_id = $1) AS closed`,
			in.ShopID, in.FacilityID, in.MunicipalityID)
		if err != nil {
			return err
		}
		switch {
		case !check.Facility:
			return tsunagu.Errorf(tsunagu.CodeNotFound, "input.facilityId", "There is no such facility.")
		case !check.Municipality:
			return tsunagu.Errorf(tsunagu.CodeNotFound, "input.municipalityId", "There is no such municipality.")
		case check.Closed != nil && from.Before(check.Closed.AddDate(0, 1, 0)):
			return tsunagu.Errorf(tsunagu.CodeInvalidState, "input.effectiveFrom",
				"The shop has closed its settlement up to %s; a new rate can start from the month after.", check.Closed.Format("2006-01"))
		}
		err = tx.GetContext(ctx, out, `
			INSERT INTO commission_rates AS r (shop_id, facility_id, municipality_id, basis_points, effective_from, set_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+commissionRateColumns,
			in.ShopID, in.FacilityID, in.MunicipalityID, in.BasisPoints, from, u.ID)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "setCommission", ObjectType: "CommissionRate", ObjectID: int64(out.ID),
			LocationID: &in.ShopID, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CommissionRates implements tsunagu.CommissionService.
func (s *SettlementService) CommissionRates(ctx context.Context, shopID tsunagu.LocationID) (_ []*tsunagu.CommissionRate, err error) {
	defer wrap(&err, "SettlementService.CommissionRates")
	u, err := tsunagu.RequireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var m tsunagu.MunicipalityID
	err = s.db.q().GetContext(ctx, &m, `SELECT l.municipality_id FROM shops s JOIN locations l ON l.id = s.location_id
		WHERE s.location_id = $1`, shopID)
	if err != nil {
		return nil, notFound(err, "", "shop")
	}
	if !u.SeesMunicipality(m) {
		return nil, tsunagu.ErrForbidden
	}
	out := []*tsunagu.CommissionRate{}
	err = s.db.q().SelectContext(ctx, &out, `SELECT `+commissionRateColumns+` FROM commission_rates r
		WHERE r.shop_id = $1 ORDER BY r.effective_from DESC, r.id DESC`, shopID)
	return out, err
}

// lockManagedShop locks the settings row of shop (a change of them, and a close of its
// month, happen one after the other) and checks that u manages its municipality.
// Returns NOT_FOUND (field) for a location without shop settings, FORBIDDEN.
func lockManagedShop(ctx context.Context, tx queryer, u *tsunagu.User, shop tsunagu.LocationID, field string) error {
	var m tsunagu.MunicipalityID
	err := tx.GetContext(ctx, &m, `SELECT l.municipality_id FROM shops s JOIN locations l ON l.id = s.location_id
		WHERE s.location_id = $1 FOR UPDATE OF s`, shop)
	if err != nil {
		return notFound(err, field, "shop")
	}
	return tsunagu.CanManageMunicipality(u, m)
}
