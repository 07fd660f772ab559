package postgres

import (
	"context"
	"time"

	"tsunagu/internal/tsunagu"
)

// The network's own objects: municipalities and partnerships (tsunagu.NetworkService,
// on CatalogService, whose readers show them). Which goods a shop carries, its own
// municipality's and those of its partners today, is decided by carriedAt alone.

var _ tsunagu.NetworkService = (*CatalogService)(nil)

const municipalityColumns = `id, code, name, name_kana, name_en, prefecture, is_home, contact, created_at, updated_at`

// municipalityRow scans a municipality; the contact is a JSON object.
type municipalityRow struct {
	tsunagu.Municipality
	Contact jsonValue[tsunagu.Contact]
}

func (r *municipalityRow) municipality() *tsunagu.Municipality {
	m := r.Municipality
	m.Contact = r.Contact.V
	return &m
}

func municipalities(rows []*municipalityRow) []*tsunagu.Municipality {
	ms := make([]*tsunagu.Municipality, len(rows))
	for i, r := range rows {
		ms[i] = r.municipality()
	}
	return ms
}

// carriedAt is the condition that a shop of the municipality in column shopMuni
// carries the goods of the municipality in column goodsMuni: its own, or a partner's
// whose partnership holds today (Japan date). Every reader and writer that puts a
// municipality's goods in front of a shop (the clerk's catalog and scanner, sales)
// uses it, so a partnership begins and ends everywhere at once.
func carriedAt(shopMuni, goodsMuni string) string {
	return `(` + goodsMuni + ` = ` + shopMuni + ` OR EXISTS (SELECT FROM active_partners ap
		WHERE ap.municipality_id = ` + shopMuni + ` AND ap.partner_id = ` + goodsMuni + `))`
}

// Partners implements tsunagu.CatalogService in one statement, over the view
// active_partners.
func (s *CatalogService) Partners(ctx context.Context, ms []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID][]*tsunagu.Municipality, error) {
	var rows []*struct {
		Of tsunagu.MunicipalityID
		municipalityRow
	}
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT ap.municipality_id AS of, `+municipalityColumns+`
		FROM active_partners ap JOIN municipalities ON id = ap.partner_id
		WHERE ap.municipality_id = ANY($1)
		ORDER BY ap.municipality_id, code`, int64s(ms))
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.MunicipalityID][]*tsunagu.Municipality, len(ms))
	for _, r := range rows {
		out[r.Of] = append(out[r.Of], r.municipality())
	}
	return out, nil
}

// PartnershipsOf returns, for each of ms, its partnerships that have not ended in
// Japan today (holding or to begin), by their first day, in one statement.
func (s *CatalogService) PartnershipsOf(ctx context.Context, ms []tsunagu.MunicipalityID) (map[tsunagu.MunicipalityID][]*tsunagu.Partnership, error) {
	var rows []*struct {
		Of tsunagu.MunicipalityID
		tsunagu.Partnership
	}
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT m.id AS of, p.id, p.municipality_a, p.municipality_b, p.starts_on, p.ends_on, p.created_at
		FROM unnest($1::bigint[]) AS m(id)
		JOIN partnerships p ON m.id IN (p.municipality_a, p.municipality_b)
		WHERE p.ends_on IS NULL OR p.ends_on > (now() AT TIME ZONE 'Asia/Tokyo')::date
		ORDER BY m.id, p.starts_on, p.id`, int64s(ms))
	if err != nil {
		return nil, err
	}
	out := make(map[tsunagu.MunicipalityID][]*tsunagu.Partnership, len(ms))
	for _, r := range rows {
		out[r.Of] = append(out[r.Of], &r.Partnership)
	}
	return out, nil
}

// CreateMunicipality implements tsunagu.NetworkService. m.IsHome is kept (the demo
// loader and tests make the home municipality; the API never sets it).
func (s *CatalogService) CreateMunicipality(ctx context.Context, m *tsunagu.Municipality) (err error) {
	defer wrap(&err, "CatalogService.CreateMunicipality")
	defer s.Refs.forget()
	if err := tsunagu.RequireAdmin(tsunagu.UserFrom(ctx)); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.db.transact(ctx, func(tx queryer) error {
		var row municipalityRow
		err := tx.GetContext(ctx, &row, `
			INSERT INTO municipalities (code, name, name_kana, name_en, prefecture, is_home, contact)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			RETURNING `+municipalityColumns,
			m.Code, m.Name, m.NameKana, m.NameEn, m.Prefecture, m.IsHome, jsonValue[tsunagu.Contact]{m.Contact})
		if err != nil {
			return err
		}
		*m = *row.municipality()
		return audit(ctx, tx, audited{Action: "createMunicipality", ObjectType: "Municipality", ObjectID: int64(m.ID),
			MunicipalityID: &m.ID, After: m})
	})
}

// UpdateMunicipality implements tsunagu.NetworkService.
func (s *CatalogService) UpdateMunicipality(ctx context.Context, in tsunagu.UpdateMunicipalityInput) (_ *tsunagu.Municipality, err error) {
	defer wrap(&err, "CatalogService.UpdateMunicipality")
	defer s.Refs.forget()
	if err := tsunagu.RequireAdmin(tsunagu.UserFrom(ctx)); err != nil {
		return nil, err
	}
	var out *tsunagu.Municipality
	err = s.db.transact(ctx, func(tx queryer) error {
		var row municipalityRow
		err := tx.GetContext(ctx, &row, `SELECT `+municipalityColumns+` FROM municipalities WHERE id = $1 FOR UPDATE`, in.ID)
		if err != nil {
			return notFound(err, "", "municipality")
		}
		m, before := row.municipality(), row.municipality()
		if err := m.Apply(in); err != nil {
			return err
		}
		row = municipalityRow{}
		err = tx.GetContext(ctx, &row, `
			UPDATE municipalities SET code = $2, name = $3, name_kana = $4, name_en = $5, prefecture = $6,
				contact = $7, updated_at = now()
			WHERE id = $1
			RETURNING `+municipalityColumns,
			m.ID, m.Code, m.Name, m.NameKana, m.NameEn, m.Prefecture, jsonValue[tsunagu.Contact]{m.Contact})
		if err != nil {
			return err
		}
		out = row.municipality()
		return audit(ctx, tx, audited{Action: "updateMunicipality", ObjectType: "Municipality", ObjectID: int64(out.ID),
			MunicipalityID: &out.ID, Before: before, After: out})
	})
	return out, err
}

const partnershipColumns = `id, municipality_a, municipality_b, starts_on, ends_on, created_at`

// CreatePartnership implements tsunagu.NetworkService. The exclusion constraint
// partnerships_no_overlap decides overlaps, also between concurrent calls.
func (s *CatalogService) CreatePartnership(ctx context.Context, in tsunagu.CreatePartnershipInput) (_ *tsunagu.Partnership, err error) {
	defer wrap(&err, "CatalogService.CreatePartnership")
	if err := tsunagu.RequireAdmin(tsunagu.UserFrom(ctx)); err != nil {
		return nil, err
	}
	from, err := in.Validate()
	if err != nil {
		return nil, err
	}
	out := &tsunagu.Partnership{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var found struct{ A, B bool }
		err := tx.GetContext(ctx, &found, `SELECT
			EXISTS (SELECT FROM municipalities WHERE id = $1) AS a, EXISTS (SELECT FROM municipalities WHERE id = $2) AS b`,
			in.MunicipalityA, in.MunicipalityB)
		if err != nil {
			return err
		}
		// Validate ordered the pair; name the field of the ID the client gave.
		for _, m := range []struct {
			ok    bool
			id    tsunagu.MunicipalityID
			field string
		}{{found.A, in.MunicipalityA, "input.municipalityA"}, {found.B, in.MunicipalityB, "input.municipalityB"}} {
			if !m.ok {
				return tsunagu.Errorf(tsunagu.CodeNotFound, m.field, "There is no such municipality.")
			}
		}
		err = tx.GetContext(ctx, out, `
			INSERT INTO partnerships (municipality_a, municipality_b, starts_on)
			VALUES ($1, $2, coalesce($3::date, (now() AT TIME ZONE 'Asia/Tokyo')::date))
			RETURNING `+partnershipColumns, in.MunicipalityA, in.MunicipalityB, from)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "createPartnership", ObjectType: "Partnership", ObjectID: int64(out.ID), After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndPartnership implements tsunagu.NetworkService.
func (s *CatalogService) EndPartnership(ctx context.Context, in tsunagu.EndPartnershipInput) (_ *tsunagu.Partnership, err error) {
	defer wrap(&err, "CatalogService.EndPartnership")
	if err := tsunagu.RequireAdmin(tsunagu.UserFrom(ctx)); err != nil {
		return nil, err
	}
	on, err := tsunagu.ParseDate(in.On, "input.on")
	if err != nil {
		return nil, err
	}
	out := &tsunagu.Partnership{}
	err = s.db.transact(ctx, func(tx queryer) error {
		var row struct {
			tsunagu.Partnership
			Now time.Time
		}
		err := tx.GetContext(ctx, &row, `SELECT `+partnershipColumns+`, now() AS now FROM partnerships WHERE id = $1 FOR UPDATE`, in.ID)
		if err != nil {
			return notFound(err, "", "partnership")
		}
		before := row.Partnership
		if err := before.CheckEnd(on, tsunagu.JapanToday(row.Now)); err != nil {
			return err
		}
		err = tx.GetContext(ctx, out, `UPDATE partnerships SET ends_on = $2 WHERE id = $1 RETURNING `+partnershipColumns, in.ID, on)
		if err != nil {
			return err
		}
		return audit(ctx, tx, audited{Action: "endPartnership", ObjectType: "Partnership", ObjectID: int64(out.ID),
			Before: &before, After: out})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
