package postgres

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"tsunagu/internal/tsunagu"
)

const facilityColumns = `f.id, f.municipality_id, f.name, f.name_kana, f.kind, f.corporation,
	f.registration_number, f.contact, f.story, f.image_urls, f.created_at, f.updated_at`

// facilityRow scans a facility; the contact and the story are JSON objects, the
// pictures an array.
type facilityRow struct {
	tsunagu.Facility
	Contact   jsonValue[tsunagu.Contact]
	Story     jsonValue[map[tsunagu.Locale]string]
	ImageURLs pq.StringArray
}

func (r *facilityRow) facility() *tsunagu.Facility {
	f := r.Facility
	f.Contact = r.Contact.V
	f.Story = r.Story.V
	if f.Story == nil {
		f.Story = map[tsunagu.Locale]string{}
	}
	f.ImageURLs = []string(r.ImageURLs)
	if f.ImageURLs == nil {
		f.ImageURLs = []string{}
	}
	return &f
}

func facilities(rows []*facilityRow) []*tsunagu.Facility {
	fs := make([]*tsunagu.Facility, len(rows))
	for i, r := range rows {
		fs[i] = r.facility()
	}
	return fs
}

// Facilities implements tsunagu.CatalogService in one statement.
func (s *CatalogService) Facilities(ctx context.Context, f tsunagu.FacilityFilter, page tsunagu.PageArgs) (*tsunagu.Page[*tsunagu.Facility], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := `SELECT ` + facilityColumns + ` FROM facilities f WHERE f.id > ` + a.add(page.After) + ` AND ` + facilityCond(f, &a)
	if f.MunicipalityID != nil {
		q += ` AND f.municipality_id = ` + a.add(*f.MunicipalityID)
	}
	q += ` ORDER BY f.id LIMIT ` + a.add(page.First+1)
	var rows []*facilityRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	return pageOf(facilities(rows), page.First), nil
}

// FacilitiesOf implements tsunagu.CatalogService in one statement (firstPages).
func (s *CatalogService) FacilitiesOf(ctx context.Context, munis []tsunagu.MunicipalityID, f tsunagu.FacilityFilter, page tsunagu.PageArgs) (map[tsunagu.MunicipalityID]*tsunagu.Page[*tsunagu.Facility], error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	var a args
	q := firstPages(facilityColumns, "facilities", "f", "municipality_id", facilityCond(f, &a), int64s(munis), page, &a)
	var rows []*facilityRow
	if err := s.db.q().SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, err
	}
	return groupPages(munis, facilities(rows), func(f *tsunagu.Facility) tsunagu.MunicipalityID { return f.MunicipalityID }, page.First), nil
}

// facilityCond is f as a condition on facilities f, but for its municipality.
func facilityCond(f tsunagu.FacilityFilter, a *args) string {
	if f.Kind != nil {
		return `f.kind = ` + a.add(*f.Kind)
	}
	return `true`
}

// FacilitiesByID implements tsunagu.CatalogService: from s.Refs when it keeps
// them, otherwise in one statement.
func (s *CatalogService) FacilitiesByID(ctx context.Context, ids []tsunagu.FacilityID) (map[tsunagu.FacilityID]*tsunagu.Facility, error) {
	refs, err := s.Refs.current(ctx, s.db)
	if err != nil || refs == nil {
		return s.facilitiesByID(ctx, ids)
	}
	return fromCopy(ctx, refs.facilities, ids, s.facilitiesByID)
}

func (s *CatalogService) facilitiesByID(ctx context.Context, ids []tsunagu.FacilityID) (map[tsunagu.FacilityID]*tsunagu.Facility, error) {
	var rows []*facilityRow
	err := s.db.q().SelectContext(ctx, &rows, `
		SELECT `+facilityColumns+` FROM facilities f WHERE f.id = ANY($1)`, int64s(ids))
	if err != nil {
		return nil, err
	}
	return byID(facilities(rows), func(f *tsunagu.Facility) tsunagu.FacilityID { return f.ID }), nil
}

// CreateFacility implements tsunagu.CatalogService: one INSERT … SELECT from the
// municipality (no row: NOT_FOUND), and the audit entry, in one transaction.
func (s *CatalogService) CreateFacility(ctx context.Context, in tsunagu.CreateFacilityInput) (_ *tsunagu.Facility, err error) {
	defer wrap(&err, "CatalogService.CreateFacility")
	defer s.Refs.forget()
	if err := tsunagu.CanManageMunicipality(tsunagu.UserFrom(ctx), in.MunicipalityID); err != nil {
		return nil, err
	}
	f, err := tsunagu.NewFacility(in)
	if err != nil {
		return nil, err
	}
	var out *tsunagu.Facility
	err = s.db.transact(ctx, func(tx queryer) error {
		var row facilityRow
		err := tx.GetContext(ctx, &row, `
			INSERT INTO facilities AS f (municipality_id, name, name_kana, kind, corporation, registration_number, contact,
				story, image_urls)
			SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM municipalities WHERE id = $1
			RETURNING `+facilityColumns,
			f.MunicipalityID, f.Name, f.NameKana, f.Kind, f.Corporation, f.RegistrationNumber, jsonValue[tsunagu.Contact]{f.Contact},
			jsonValue[map[tsunagu.Locale]string]{f.Story}, pq.Array(f.ImageURLs))
		if err != nil {
			return notFound(err, "input.municipalityId", "municipality")
		}
		out = row.facility()
		return audit(ctx, tx, audited{Action: "createFacility", ObjectType: "Facility", ObjectID: int64(out.ID),
			MunicipalityID: &out.MunicipalityID, After: out})
	})
	return out, err
}

// UpdateFacility implements tsunagu.CatalogService: the facility is locked (FOR
// UPDATE), checked, changed and audited in one transaction.
func (s *CatalogService) UpdateFacility(ctx context.Context, in tsunagu.UpdateFacilityInput) (_ *tsunagu.Facility, err error) {
	defer wrap(&err, "CatalogService.UpdateFacility")
	defer s.Refs.forget()
	var out *tsunagu.Facility
	err = s.db.transact(ctx, func(tx queryer) error {
		var row facilityRow
		err := tx.GetContext(ctx, &row, `SELECT `+facilityColumns+` FROM facilities f WHERE f.id = $1 FOR UPDATE`, in.ID)
		if err != nil {
			return notFound(err, "", "facility")
		}
		f, before := row.facility(), row.facility()
		if err := tsunagu.CanManageMunicipality(tsunagu.UserFrom(ctx), f.MunicipalityID); err != nil {
			return err
		}
		if err := f.Apply(in); err != nil {
			return err
		}
		row = facilityRow{}
		err = tx.GetContext(ctx, &row, `
			UPDATE facilities f SET name = $2, name_kana = $3, kind = $4, corporation = $5,
				registration_number = $6, contact = $7, story = $8, image_urls = $9, updated_at = now()
			WHERE id = $1
			RETURNING `+facilityColumns,
			f.ID, f.Name, f.NameKana, f.Kind, f.Corporation, f.RegistrationNumber, jsonValue[tsunagu.Contact]{f.Contact},
			jsonValue[map[tsunagu.Locale]string]{f.Story}, pq.Array(f.ImageURLs))
		if err != nil {
			return err
		}
		out = row.facility()
		return audit(ctx, tx, audited{Action: "updateFacility", ObjectType: "Facility", ObjectID: int64(out.ID),
			MunicipalityID: &out.MunicipalityID, Before: before, After: out})
	})
	return out, err
}

// jsonValue stores a Go value in a json/jsonb column.
type jsonValue[T any] struct{ V T }

// Value is text, not []byte: with binary_parameters (ForTransactionPooler) a []byte
// would be sent in jsonb's binary format, which it is not.
func (j jsonValue[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	return string(b), err
}

func (j *jsonValue[T]) Scan(src any) error {
	switch b := src.(type) {
	case []byte:
		return json.Unmarshal(b, &j.V)
	case string:
		return json.Unmarshal([]byte(b), &j.V)
	case nil:
		var zero T
		j.V = zero
		return nil
	}
	return fmt.Errorf("jsonValue: cannot scan %T", src)
}
