package tsunagu

import "strings"

// CreateLocationInput is a new location: a shop, a warehouse, or a facility's store
// room (with FacilityID).
type CreateLocationInput struct {
	MunicipalityID MunicipalityID
	Kind           LocationKind
	Name           string
	// NameReading is the name's reading in kana (see ParseNameReading).
	NameReading  *string
	FacilityID   *FacilityID
	Address      string
	OpeningHours string
}

// Location returns the location in describes, not yet validated.
func (in CreateLocationInput) Location() *Location {
	return &Location{MunicipalityID: in.MunicipalityID, Kind: in.Kind, Name: in.Name, NameReading: in.NameReading, FacilityID: in.FacilityID,
		Address: in.Address, OpeningHours: in.OpeningHours}
}

// UpdateLocationInput changes a location; nil fields stay as they are. Its kind,
// municipality and facility never change: stock, registers and sales hang on them.
type UpdateLocationInput struct {
	ID   LocationID
	Name *string
	// NameReading, when given, replaces the reading; "" removes it.
	NameReading  *string
	Address      *string
	OpeningHours *string
}

// Valid reports whether k is one of the known kinds.
func (k LocationKind) Valid() bool {
	return k == LocationShop || k == LocationFacility || k == LocationWarehouse
}

// Validate normalizes l and checks it, reporting every problem at once: a name,
// a known kind, a facility exactly for kind FACILITY (input.facilityId), the
// name's reading in kana (input.nameReading), and the lengths of the address and
// opening hours.
func (l *Location) Validate() error {
	var errs ValidationErrors
	l.Name, l.Address, l.OpeningHours = strings.TrimSpace(l.Name), strings.TrimSpace(l.Address), strings.TrimSpace(l.OpeningHours)
	requireText(&errs, "input.name", l.Name, "Name the location.")
	NormalizeReading(&errs, &l.NameReading)
	limitText(&errs, "input.address", l.Address)
	limitText(&errs, "input.openingHours", l.OpeningHours)
	switch {
	case !l.Kind.Valid():
		errs.Add(CodeInvalidInput, "input.kind", "Choose SHOP, FACILITY or WAREHOUSE.")
	case l.Kind == LocationFacility && l.FacilityID == nil:
		errs.Add(CodeRequired, "input.facilityId", "Choose the facility whose store room this is.")
	case l.Kind != LocationFacility && l.FacilityID != nil:
		errs.Add(CodeInvalidInput, "input.facilityId", "Only a facility's store room (kind FACILITY) belongs to a facility.")
	}
	return errs.Err()
}

// Apply changes l by in and validates the result; on error l must be thrown away.
func (l *Location) Apply(in UpdateLocationInput) error {
	for _, f := range []struct{ dst, src *string }{{&l.Name, in.Name}, {&l.Address, in.Address}, {&l.OpeningHours, in.OpeningHours}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.NameReading != nil {
		r := *in.NameReading
		l.NameReading = &r
	}
	return l.Validate()
}
