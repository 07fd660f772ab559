package tsunagu

import (
	"context"
	"time"
)

// Municipality is a local government (市区町村) of the network.
type Municipality struct {
	ID MunicipalityID
	// Code is the 6-digit 全国地方公共団体コード, check digit included.
	Code       string
	Name       string
	NameKana   string
	NameEn     string
	Prefecture string
	// IsHome marks the municipality that runs the network (exactly one).
	IsHome bool
	// Contact is whom the network reaches at the city hall.
	Contact   Contact
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FacilityKind is the kind of welfare service a facility provides.
type FacilityKind string

const (
	FacilityEmploymentA          FacilityKind = "EMPLOYMENT_SUPPORT_A"  // 就労継続支援A型
	FacilityEmploymentB          FacilityKind = "EMPLOYMENT_SUPPORT_B"  // 就労継続支援B型
	FacilityEmploymentTransition FacilityKind = "EMPLOYMENT_TRANSITION" // 就労移行支援
	FacilityLifeCare             FacilityKind = "LIFE_CARE"             // 生活介護
	FacilityOther                FacilityKind = "OTHER"
)

// Valid reports whether k is one of the known kinds.
func (k FacilityKind) Valid() bool {
	switch k {
	case FacilityEmploymentA, FacilityEmploymentB, FacilityEmploymentTransition, FacilityLifeCare, FacilityOther:
		return true
	}
	return false
}

// Contact is how to reach a facility.
type Contact struct {
	Person  string `json:"person,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// Facility is a disability employment support facility that makes goods.
type Facility struct {
	ID             FacilityID
	MunicipalityID MunicipalityID
	Name           string
	NameKana       string
	Kind           FacilityKind
	// Corporation is the legal entity that operates the facility (社会福祉法人…).
	Corporation string
	// RegistrationNumber is the qualified-invoice issuer number (T + 13 digits), or
	// nil when the operator is not a registered issuer: buyers cannot claim the tax
	// on its goods, so receipts total them apart.
	RegistrationNumber *string
	Contact            Contact
	// Story is what the facility tells shoppers about itself, per locale.
	Story map[Locale]string
	// ImageURLs are pictures of the facility and its work.
	ImageURLs []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StoryIn is f's story in l, falling back to Japanese, or "".
func (f *Facility) StoryIn(l Locale) string {
	if s := f.Story[l]; s != "" {
		return s
	}
	return f.Story[LocaleJA]
}

// IsQualifiedInvoiceIssuer reports whether f's goods carry claimable tax.
func (f *Facility) IsQualifiedInvoiceIssuer() bool { return f.RegistrationNumber != nil }

// LocationKind is what a stock location is.
type LocationKind string

const (
	LocationShop      LocationKind = "SHOP"
	LocationFacility  LocationKind = "FACILITY"
	LocationWarehouse LocationKind = "WAREHOUSE"
)

// Location is a place where stock sits.
type Location struct {
	ID             LocationID
	MunicipalityID MunicipalityID
	Kind           LocationKind
	Name           string
	// NameReading is the name's reading in kana (furigana), nil when it has none.
	NameReading *string
	// FacilityID is set for a facility's own store room.
	FacilityID *FacilityID
	Address    string
	// OpeningHours are the hours as the city writes them, holidays included
	// ("平日 9:00〜17:00（土日祝休み）").
	OpeningHours string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PageArgs asks for one page of a list in keyset order: First items after the item
// whose key is After (0 = from the start).
type PageArgs struct {
	First int
	After int64
	// AfterKey is, for a list in another order than by ID, the sort key of the item
	// whose ID is After (ProductOrder.Key).
	AfterKey string
}

// Page is one page of a list.
type Page[T any] struct {
	Items       []T
	HasNextPage bool
}

// Limits on list pages.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Validate checks First and fills in the default. First must be 0..MaxPageSize;
// 0 means DefaultPageSize.
func (p *PageArgs) Validate() error {
	if p.First < 0 || p.First > MaxPageSize {
		return Errorf(CodeOutOfRange, "first", "Ask for 1 to %d items per page.", MaxPageSize)
	}
	if p.First == 0 {
		p.First = DefaultPageSize
	}
	return nil
}

// FacilityFilter narrows a list of facilities.
type FacilityFilter struct {
	MunicipalityID *MunicipalityID
	Kind           *FacilityKind
}

// LocationFilter narrows a list of locations.
type LocationFilter struct {
	MunicipalityID *MunicipalityID
	Kind           *LocationKind
}

// CatalogService reads and changes the partner catalog. Every method checks the
// user in ctx: anyone may read municipalities, facilities, locations and ACTIVE
// products; drafts and archived products are visible to the managers of their
// municipality and to admins.
type CatalogService interface {
	NetworkService
	Municipalities(ctx context.Context, page PageArgs) (*Page[*Municipality], error)
	// Partners returns, for each of ms, the municipalities it has a partnership with.
	Partners(ctx context.Context, ms []MunicipalityID) (map[MunicipalityID][]*Municipality, error)
	MunicipalitiesByID(ctx context.Context, ids []MunicipalityID) (map[MunicipalityID]*Municipality, error)

	Facilities(ctx context.Context, f FacilityFilter, page PageArgs) (*Page[*Facility], error)
	// FacilitiesOf lists a page of each municipality's facilities that match f.
	FacilitiesOf(ctx context.Context, munis []MunicipalityID, f FacilityFilter, page PageArgs) (map[MunicipalityID]*Page[*Facility], error)
	FacilitiesByID(ctx context.Context, ids []FacilityID) (map[FacilityID]*Facility, error)
	// CreateFacility adds a facility to a municipality the user manages.
	// Returns UNAUTHENTICATED, FORBIDDEN, validation errors, or NOT_FOUND (field
	// input.municipalityId) for an unknown municipality.
	CreateFacility(ctx context.Context, in CreateFacilityInput) (*Facility, error)
	// UpdateFacility changes the given fields. Returns NOT_FOUND for an unknown
	// facility, FORBIDDEN for another municipality's, or validation errors.
	UpdateFacility(ctx context.Context, in UpdateFacilityInput) (*Facility, error)

	Locations(ctx context.Context, f LocationFilter, page PageArgs) (*Page[*Location], error)
	// LocationsOf lists a page of each municipality's locations that match f.
	LocationsOf(ctx context.Context, munis []MunicipalityID, f LocationFilter, page PageArgs) (map[MunicipalityID]*Page[*Location], error)
	LocationsByID(ctx context.Context, ids []LocationID) (map[LocationID]*Location, error)
	// CreateLocation adds a location (Location.Validate's rules) to a municipality
	// the user manages. Returns UNAUTHENTICATED, FORBIDDEN (a manager of another
	// municipality), validation errors, or NOT_FOUND (input.facilityId) for a
	// facility not of that municipality; and then changes nothing.
	CreateLocation(ctx context.Context, l *Location) error
	// UpdateLocation changes the given fields of a location of a municipality the
	// user manages. Returns NOT_FOUND, FORBIDDEN or validation errors, changing
	// nothing then.
	UpdateLocation(ctx context.Context, in UpdateLocationInput) (*Location, error)

	Products(ctx context.Context, f ProductFilter, page PageArgs) (*Page[*Product], error)
	// ProductsOf lists a page of each facility's products that match f.
	ProductsOf(ctx context.Context, facilities []FacilityID, f ProductFilter, page PageArgs) (map[FacilityID]*Page[*Product], error)
	// ProductsByID returns the products among ids the user may see.
	ProductsByID(ctx context.Context, ids []ProductID) (map[ProductID]*Product, error)
	// ProductByCode finds a visible product by its JAN or in-store code (as scanned).
	// Returns INVALID_JAN for a malformed code, NOT_FOUND when none has it.
	ProductByCode(ctx context.Context, code string) (*Product, error)
	// CreateProduct adds a product made by a facility of a municipality the user
	// manages. A JAN already used by another product gives DUPLICATE_CODE.
	CreateProduct(ctx context.Context, in CreateProductInput) (*Product, error)
	// UpdateProduct changes the given fields, with the same rules as CreateProduct.
	UpdateProduct(ctx context.Context, in UpdateProductInput) (*Product, error)
	// ArchiveProduct takes a product out of sale and out of the public catalog.
	// Returns INVALID_STATE when it is archived already.
	ArchiveProduct(ctx context.Context, id ProductID) (*Product, error)
	// ImportProducts lists and changes products in bulk from CSV (ParseProductCSV),
	// all rows or none: ImportErrors with every row's problems, nothing written.
	ImportProducts(ctx context.Context, in ImportProductsInput) (*ProductImport, error)
}
