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

// ProductsWith says what a page of products is read with (CatalogService.ProductPage).
type ProductsWith struct {
	Facilities     bool        // each product's facility
	Municipalities bool        // each product's municipality
	StockAt        *LocationID // each product's stock level at this location
	// BriefStock reads of each level at StockAt only how much is on hand and
	// reserved (and so available), with its product and location; the rest of each
	// StockLevel is left zero. For a request that asks nothing else of any level:
	// a level is one row's last ten values, which lib/pq decodes one by one.
	BriefStock bool
	// AllLocales reads the products' texts in every locale; without it only the
	// filter's locale's and Japanese are read (Name and Description in that locale
	// are the same, Translations holds only those two).
	AllLocales bool
	// Brief reads of each product only what a brief listing shows: its ID,
	// references, texts, price, tax class, allergens and the page order's key; the
	// rest of each Product is left zero.
	Brief bool
	// NoDescriptions leaves the descriptions out (empty) where only the names of
	// Japanese and the page's locale are read (without AllLocales): for a selection
	// that asks for no description, which lib/pq would otherwise decode into a string
	// per product.
	NoDescriptions bool
}

// ProductPage is a page of products and what ProductsWith asked to read with it.
type ProductPage struct {
	*Page[*Product]
	Facilities     map[FacilityID]*Facility
	Municipalities map[MunicipalityID]*Municipality
	// Stock has the level of each product of the page at ProductsWith.StockAt, when
	// asked for; a product never stocked there has none.
	Stock map[StockKey]*StockLevel
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

// CatalogService reads and changes the partner catalog: facilities, locations and
// products, and the municipalities (NetworkService). Every method checks the user
// in ctx. Anyone may read, anonymous requests included, and sees what their role
// may (products: see Products); changes are for admins and the managers of the
// object's municipality, and products also for the staff of the facility that makes
// them. Errors are *Error values with the codes below; any other error is internal.
type CatalogService interface {
	NetworkService
	// Municipalities lists every municipality of the network in ID order (the page
	// key is the ID). Anyone may call it. Returns OUT_OF_RANGE (first) for a page
	// size outside 0..MaxPageSize.
	Municipalities(ctx context.Context, page PageArgs) (*Page[*Municipality], error)
	// Partners returns, for each of ms, the municipalities it is a partner of on
	// today's date in Japan, by code; one without partners is absent. Anyone may
	// call it; it returns no error of its own.
	Partners(ctx context.Context, ms []MunicipalityID) (map[MunicipalityID][]*Municipality, error)
	// PartnershipsOf returns, for each of ms, its partnerships that have not ended
	// by today's date in Japan (holding or to begin), by their first day; one
	// without any is absent. Anyone may call it; it returns no error of its own.
	PartnershipsOf(ctx context.Context, ms []MunicipalityID) (map[MunicipalityID][]*Partnership, error)
	// MunicipalitiesByID returns the municipalities among ids; unknown IDs are
	// absent from the map. Anyone may call it; it returns no error of its own.
	MunicipalitiesByID(ctx context.Context, ids []MunicipalityID) (map[MunicipalityID]*Municipality, error)

	// Facilities lists the facilities that match f in ID order (the page key is the
	// ID). Anyone may call it. Returns OUT_OF_RANGE (first).
	Facilities(ctx context.Context, f FacilityFilter, page PageArgs) (*Page[*Facility], error)
	// FacilitiesOf lists a page of each municipality's facilities that match f
	// (f.MunicipalityID is ignored), as Facilities does; a municipality without any
	// has an empty page. Anyone may call it. Returns OUT_OF_RANGE (first).
	FacilitiesOf(ctx context.Context, munis []MunicipalityID, f FacilityFilter, page PageArgs) (map[MunicipalityID]*Page[*Facility], error)
	// FacilitiesByID returns the facilities among ids; unknown IDs are absent.
	// Anyone may call it; it returns no error of its own.
	FacilitiesByID(ctx context.Context, ids []FacilityID) (map[FacilityID]*Facility, error)
	// CreateFacility adds a facility (NewFacility's rules) to a municipality, by an
	// admin or a manager of that municipality. Returns UNAUTHENTICATED, FORBIDDEN,
	// validation errors, or NOT_FOUND (input.municipalityId) for an unknown
	// municipality; and then changes nothing. The new facility is in the audit log.
	CreateFacility(ctx context.Context, in CreateFacilityInput) (*Facility, error)
	// UpdateFacility changes the given fields of a facility (Facility.Apply's
	// rules), by an admin or a manager of its municipality. Returns NOT_FOUND (field
	// "") for an unknown facility, UNAUTHENTICATED, FORBIDDEN, or validation errors;
	// and then changes nothing. The change is in the audit log.
	UpdateFacility(ctx context.Context, in UpdateFacilityInput) (*Facility, error)

	// Locations lists the locations (shops, facilities' store rooms, warehouses)
	// that match f in ID order (the page key is the ID). Anyone may call it. Returns
	// OUT_OF_RANGE (first).
	Locations(ctx context.Context, f LocationFilter, page PageArgs) (*Page[*Location], error)
	// LocationsOf lists a page of each municipality's locations that match f
	// (f.MunicipalityID is ignored), as Locations does; a municipality without any
	// has an empty page. Anyone may call it. Returns OUT_OF_RANGE (first).
	LocationsOf(ctx context.Context, munis []MunicipalityID, f LocationFilter, page PageArgs) (map[MunicipalityID]*Page[*Location], error)
	// LocationsByID returns the locations among ids; unknown IDs are absent. Anyone
	// may call it; it returns no error of its own.
	LocationsByID(ctx context.Context, ids []LocationID) (map[LocationID]*Location, error)
	// CreateLocation adds a location (Location.Validate's rules) to a municipality,
	// by an admin or a manager of that municipality, and fills in l's ID and times.
	// Returns UNAUTHENTICATED, FORBIDDEN (a manager of another municipality, or
	// anyone else), validation errors, or NOT_FOUND (input.facilityId) for a
	// facility not of that municipality; and then changes nothing. The new location
	// is in the audit log.
	CreateLocation(ctx context.Context, l *Location) error
	// UpdateLocation changes the given fields of a location (Location.Apply's
	// rules), by an admin or a manager of its municipality. Returns NOT_FOUND (field
	// "") for an unknown location, UNAUTHENTICATED, FORBIDDEN or validation errors;
	// and then changes nothing. The change is in the audit log.
	UpdateLocation(ctx context.Context, in UpdateLocationInput) (*Location, error)

	// Products lists the products the user may see that match f, in f.Order (by ID
	// when unset; the page key is the ID, with AfterKey for the other orders).
	// Anyone may call it. Who sees what: everyone the ACTIVE products; a manager
	// also every product of their municipality; an admin all; a clerk only the
	// ACTIVE products their shop carries; facility staff their own facility's
	// products in every status and nothing else. f.InStockAt matches stock at a shop
	// for anyone, elsewhere only for those who see that location's stock. Returns
	// OUT_OF_RANGE (first), TOO_LONG (filter.text), INVALID_INPUT (orderBy) for an
	// unknown order or (after) for a cursor not of that order.
	Products(ctx context.Context, f ProductFilter, page PageArgs) (*Page[*Product], error)
	// ProductPage is Products read with what with asks for, in the same statement:
	// the products' facilities, municipalities and stock at one location, and their
	// texts in every locale or only in f.Locale and Japanese. It returns the same
	// products as Products and the references as FacilitiesByID,
	// MunicipalitiesByID and StockService.StockLevelsAt would, and the same errors.
	ProductPage(ctx context.Context, f ProductFilter, page PageArgs, with ProductsWith) (*ProductPage, error)
	// ProductsOf lists a page of each facility's products that the user may see and
	// that match f (f.FacilityID is ignored), by ID, as Products does; a facility
	// without any has an empty page. Anyone may call it. Returns OUT_OF_RANGE
	// (first) or TOO_LONG (filter.text).
	ProductsOf(ctx context.Context, facilities []FacilityID, f ProductFilter, page PageArgs) (map[FacilityID]*Page[*Product], error)
	// ProductsByID returns the products among ids the user may see, in Japanese
	// (callers set Locale). Documents (sales, transfers, receipts) refer to products
	// by ID, so archived products are found as well as those Products shows; a draft
	// only by an admin and the managers of its municipality, and facility staff find
	// only their own facility's products. Anyone may call it; the rest are absent,
	// and it returns no error of its own.
	ProductsByID(ctx context.Context, ids []ProductID) (map[ProductID]*Product, error)
	// ProductByCode finds a product the user may see (Products' rule) by its JAN or
	// in-store code as scanned, in Japanese. Anyone may call it. Returns REQUIRED or
	// INVALID_JAN (code) for an empty or malformed code, NOT_FOUND (field "") when
	// no product the user sees has it.
	ProductByCode(ctx context.Context, code string) (*Product, error)
	// CreateProduct adds a product (NewProduct's rules) made by a facility, by an
	// admin, a manager of the facility's municipality or the facility's own staff
	// (User.EditsGoodsOf). Returns NOT_FOUND (input.facilityId) for an unknown
	// facility, UNAUTHENTICATED, FORBIDDEN, validation errors, or DUPLICATE_CODE
	// (input.code) when another product has the code; and then changes nothing. The
	// new product is in the audit log.
	CreateProduct(ctx context.Context, in CreateProductInput) (*Product, error)
	// UpdateProduct changes the given fields of a product (Product.Apply's rules),
	// by the users CreateProduct allows for its facility. Returns NOT_FOUND (field
	// "") for an unknown product, and also instead of FORBIDDEN for a product the
	// user may not see (a draft or archived one of another municipality; for
	// facility staff any other facility's); UNAUTHENTICATED, FORBIDDEN, validation
	// errors or DUPLICATE_CODE (input.code); and then changes nothing. The change is
	// in the audit log.
	UpdateProduct(ctx context.Context, in UpdateProductInput) (*Product, error)
	// ArchiveProduct takes a product out of sale and out of the public catalog, by
	// the users UpdateProduct allows, with its errors, and INVALID_STATE (input.id)
	// when it is archived already; and then changes nothing. The change is in the
	// audit log.
	ArchiveProduct(ctx context.Context, id ProductID) (*Product, error)
	// ImportProducts checks every row of a CSV file of products (ParseProductCSV) as
	// CreateProduct and UpdateProduct check theirs and, unless in.DryRun, writes
	// them all at once: a row with an id changes that product, a row without one
	// adds a product of the facility it names. Admins, managers and facility staff
	// may call it, each for the products CreateProduct and UpdateProduct allow them.
	// An applied import takes an idempotency key (Keyed): a retry with the same key
	// and file returns the first import and writes nothing again. Returns validation
	// errors (ImportProductsInput.Validate), UNAUTHENTICATED, FORBIDDEN for clerks
	// and customers, an error on input.file for a file that cannot be read,
	// ImportErrors (INVALID_INPUT, input.file) with every row's problems when any
	// row has one, FORBIDDEN or NOT_FOUND as UpdateProduct for a row that changes a
	// product the user may not change, or IDEMPOTENCY_CONFLICT; and then writes
	// nothing.
	ImportProducts(ctx context.Context, in ImportProductsInput) (*ProductImport, error)
}
