package tsunagu

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Locale is a language products are described in. The values are the schema's
// Locale enum; Tag gives the BCP 47 tag.
type Locale string

const (
	LocaleJA     Locale = "JA"
	LocaleJAEasy Locale = "JA_X_EASY" // やさしい日本語
	LocaleEN     Locale = "EN"
	LocaleZH     Locale = "ZH"
	LocaleKO     Locale = "KO"
)

// Locales lists every supported locale, Japanese first.
var Locales = []Locale{LocaleJA, LocaleJAEasy, LocaleEN, LocaleZH, LocaleKO}

// Tag returns the BCP 47 language tag of l.
func (l Locale) Tag() string {
	if l == LocaleJAEasy {
		return "ja-x-easy"
	}
	return strings.ToLower(string(l))
}

// Valid reports whether l is supported.
func (l Locale) Valid() bool { return slices.Contains(Locales, l) }

// Category groups products in the catalog.
type Category string

const (
	CategoryFood       Category = "FOOD"
	CategorySweets     Category = "SWEETS"
	CategoryBakery     Category = "BAKERY"
	CategoryBeverage   Category = "BEVERAGE"
	CategoryCraft      Category = "CRAFT"
	CategoryTextile    Category = "TEXTILE"
	CategoryStationery Category = "STATIONERY"
	CategoryHousehold  Category = "HOUSEHOLD"
	CategoryPlant      Category = "PLANT"
	CategoryOther      Category = "OTHER"
)

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	switch c {
	case CategoryFood, CategorySweets, CategoryBakery, CategoryBeverage, CategoryCraft,
		CategoryTextile, CategoryStationery, CategoryHousehold, CategoryPlant, CategoryOther:
		return true
	}
	return false
}

// ProductStatus is where a product is in its life.
type ProductStatus string

const (
	// StatusDraft products are being prepared and seen only by their managers.
	StatusDraft ProductStatus = "DRAFT"
	// StatusActive products are for sale and in the public catalog.
	StatusActive ProductStatus = "ACTIVE"
	// StatusArchived products are no longer sold; past sales keep pointing at them.
	StatusArchived ProductStatus = "ARCHIVED"
)

// Valid reports whether s is a known status.
func (s ProductStatus) Valid() bool {
	return s == StatusDraft || s == StatusActive || s == StatusArchived
}

// Product is a good made by one facility.
type Product struct {
	ID             ProductID
	FacilityID     FacilityID
	MunicipalityID MunicipalityID // the facility's
	Translations   Translations
	// NameReading is the reading of the Japanese name in kana (furigana), nil when
	// none was given.
	NameReading *string
	Category    Category
	// Code is the JAN/EAN or in-store code, nil when the product has none.
	Code     *string
	CodeKind *ProductCodeKind
	// Price is tax-included, in yen.
	Price     int64
	TaxClass  TaxClass
	Allergens []Allergen
	Status    ProductStatus
	ImageURLs []string
	// ImageAlts are the pictures' alternative texts in Japanese, one per picture
	// of ImageURLs ("" where none was given: the name serves).
	ImageAlts []string
	CreatedAt time.Time
	UpdatedAt time.Time
	// SortName is the name as the catalog sorts it by name: the reading of the
	// Japanese name, or that name, folded as the search folds text.
	SortName string

	// Locale is the locale the API presents Name and Description in; it comes from
	// the request, not the database.
	Locale Locale
}

// Name returns the product's name in its presentation locale.
func (p *Product) Name() string { return p.Translations.In(p.Locale).Name }

// Description returns the product's description in its presentation locale.
func (p *Product) Description() string { return p.Translations.In(p.Locale).Description }

// TaxRate is the product's tax rate in percent.
func (p *Product) TaxRate() int { return p.TaxClass.Rate() }

// SearchText is the text the catalog's free-text search matches: every name, in
// every locale, normalised so that kana and width do not matter.
func (p *Product) SearchText() string {
	var b strings.Builder
	for _, tr := range p.Translations { // in the order of Locales
		if tr.Name != "" {
			b.WriteString(NormalizeSearchText(tr.Name))
			b.WriteByte('\n')
		}
	}
	if p.NameReading != nil {
		b.WriteString(NormalizeSearchText(*p.NameReading))
		b.WriteByte('\n')
	}
	return b.String()
}

// ProductFilter narrows the catalog. All set fields must hold.
type ProductFilter struct {
	MunicipalityID *MunicipalityID
	FacilityID     *FacilityID
	Category       *Category
	// Status filters by status; statuses the user may not see match nothing.
	Status *ProductStatus
	// FreeOf keeps products containing none of these allergens.
	FreeOf []Allergen
	// Text matches names in any locale, ignoring kana (hiragana/katakana) and width.
	Text string
	// InStockAt keeps the products with stock available at this location.
	InStockAt *LocationID
	// Order is the list's order ("" is ProductOrderID); Facility.products lists
	// in ID order only.
	Order ProductOrder
	// Locale is the presentation locale of the returned products.
	Locale Locale
}

// Limits on product data.
const (
	MaxNameLength        = 100
	MaxDescriptionLength = 2000
	MaxImages            = 10
	MaxImageAltLength    = 200
	MaxURLLength         = 2000
	MaxPrice             = 10_000_000
	MaxSearchTextLength  = 100
)

// TranslationInput is a name and description in one locale.
type TranslationInput struct {
	Locale      Locale
	Name        string
	Description string
}

// CreateProductInput is a new product.
type CreateProductInput struct {
	FacilityID   FacilityID
	Translations []TranslationInput
	// NameReading is the Japanese name's reading in kana (see ParseNameReading).
	NameReading *string
	Category    Category
	Code        *string
	Price       int64
	TaxClass    TaxClass
	Allergens   []Allergen
	ImageURLs   []string
	// ImageAlts are the pictures' alternative texts, in ImageURLs' order.
	ImageAlts []string
	// Status is DRAFT (default) or ACTIVE.
	Status *ProductStatus
}

// UpdateProductInput changes a product; nil fields stay as they are. Translations,
// when given, replace all of them. An empty Code removes the code.
type UpdateProductInput struct {
	ID           ProductID
	Translations []TranslationInput
	// NameReading, when given, replaces the reading; "" removes it.
	NameReading *string
	Category    *Category
	Code        *string
	Price       *int64
	TaxClass    *TaxClass
	Allergens   []Allergen
	ImageURLs   []string
	// ImageAlts, when given, replace the pictures' alternative texts; with
	// ImageURLs given and ImageAlts not, the new pictures have none.
	ImageAlts []string
	Status    *ProductStatus
}

// NewProduct validates in and returns the product it describes, with every problem
// reported at once as ValidationErrors.
func NewProduct(in CreateProductInput) (*Product, error) {
	p := &Product{
		FacilityID: in.FacilityID,
		Category:   in.Category,
		Price:      in.Price,
		TaxClass:   in.TaxClass,
		Allergens:  in.Allergens,
		ImageURLs:  in.ImageURLs,
		ImageAlts:  in.ImageAlts,
		Status:     StatusDraft,
	}
	var errs ValidationErrors
	p.Translations = validateTranslations(&errs, in.Translations)
	if in.NameReading != nil {
		p.setNameReading(&errs, *in.NameReading)
	}
	if in.Code != nil && strings.TrimSpace(*in.Code) != "" {
		p.setCode(&errs, *in.Code)
	}
	if in.Status != nil {
		if *in.Status == StatusArchived {
			errs.Add(CodeInvalidState, "input.status", "A new product can be DRAFT or ACTIVE, not ARCHIVED.")
		}
		p.Status = *in.Status
	}
	p.validate(&errs)
	return p, errs.Err()
}

// Apply validates in against p and changes p; on error p may be partly changed and
// must be thrown away.
func (p *Product) Apply(in UpdateProductInput) error {
	var errs ValidationErrors
	if in.Translations != nil {
		p.Translations = validateTranslations(&errs, in.Translations)
	}
	if in.NameReading != nil {
		p.setNameReading(&errs, *in.NameReading)
	}
	if in.Category != nil {
		p.Category = *in.Category
	}
	if in.Code != nil {
		if strings.TrimSpace(*in.Code) == "" {
			p.Code, p.CodeKind = nil, nil
		} else {
			p.setCode(&errs, *in.Code)
		}
	}
	if in.Price != nil {
		p.Price = *in.Price
	}
	if in.TaxClass != nil {
		p.TaxClass = *in.TaxClass
	}
	if in.Allergens != nil {
		p.Allergens = in.Allergens
	}
	if in.ImageURLs != nil {
		p.ImageURLs, p.ImageAlts = in.ImageURLs, in.ImageAlts
	} else if in.ImageAlts != nil {
		p.ImageAlts = in.ImageAlts
	}
	if in.Status != nil {
		p.Status = *in.Status
	}
	p.validate(&errs)
	return errs.Err()
}

func (p *Product) setCode(errs *ValidationErrors, s string) {
	pc, err := ParseProductCode(s, "input.code")
	if err != nil {
		*errs = append(*errs, err.(*Error))
		return
	}
	p.Code, p.CodeKind = &pc.Code, &pc.Kind
}

// validate checks the fields that do not depend on how they were set, and
// normalises the allergen list (sorted, without repeats).
func (p *Product) validate(errs *ValidationErrors) {
	if !p.Category.Valid() {
		errs.Add(CodeInvalidInput, "input.category", "Choose a category.")
	}
	if p.Price < 1 || p.Price > MaxPrice {
		errs.Add(CodeOutOfRange, "input.price", "The price must be between ¥1 and ¥%d, tax included.", MaxPrice)
	}
	if p.TaxClass.Rate() == 0 {
		errs.Add(CodeInvalidInput, "input.taxClass", "Choose the tax class: REDUCED_8 for food and drink, STANDARD_10 for everything else.")
	}
	if !p.Status.Valid() {
		errs.Add(CodeInvalidInput, "input.status", "Choose DRAFT, ACTIVE or ARCHIVED.")
	}
	for _, a := range p.Allergens {
		if _, ok := allergenInfo[a]; !ok {
			errs.Add(CodeInvalidInput, "input.allergens", "%q is not a known allergen.", string(a))
		}
	}
	slices.Sort(p.Allergens)
	p.Allergens = slices.Compact(p.Allergens)
	if p.Allergens == nil {
		p.Allergens = []Allergen{}
	}
	validateImageURLs(errs, p.ImageURLs)
	if p.ImageURLs == nil {
		p.ImageURLs = []string{}
	}
	p.ImageAlts = imageAlts(errs, p.ImageAlts, len(p.ImageURLs))
}

// imageAlts checks the alternative texts of n pictures (input.imageAlts): at most
// one each, of at most MaxImageAltLength characters. It returns them trimmed, one
// per picture.
func imageAlts(errs *ValidationErrors, alts []string, n int) []string {
	if len(alts) > n {
		errs.Add(CodeOutOfRange, "input.imageAlts", "Give one text per picture: %d texts for %d pictures.", len(alts), n)
	}
	out := make([]string, n)
	for i, a := range alts {
		a = strings.TrimSpace(a)
		if utf8.RuneCountInString(a) > MaxImageAltLength {
			errs.Add(CodeTooLong, fieldIndex("input.imageAlts", i), "A picture's text can be at most %d characters.", MaxImageAltLength)
		}
		if i < n {
			out[i] = a
		}
	}
	return out
}

// validateImageURLs checks the pictures of a product or a facility (input.imageUrls):
// at most MaxImages, each a secure address (validImageURL).
func validateImageURLs(errs *ValidationErrors, urls []string) {
	if len(urls) > MaxImages {
		errs.Add(CodeOutOfRange, "input.imageUrls", "At most %d pictures.", MaxImages)
	}
	for i, u := range urls {
		if !validImageURL(u) {
			errs.Add(CodeInvalidURL, fieldIndex("input.imageUrls", i), "%q is not a secure web address: give one that starts with https://.", u)
		}
	}
}

// validImageURL accepts https addresses only: a shop page served over https that
// shows an http picture is mixed content, blocked or flagged by browsers, and the
// picture could be changed on its way. http stays allowed on loopback (localhost,
// 127.0.0.1, [::1]), which browsers trust as they trust https, for development.
func validImageURL(s string) bool {
	if len(s) > MaxURLLength {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	switch h := u.Hostname(); u.Scheme {
	case "https":
		return true
	case "http":
		return h == "localhost" || h == "127.0.0.1" || h == "::1"
	}
	return false
}

// hasName reports whether t has a name in l (a locale given without one was
// refused already and may be given again).
func hasName(t Translations, l Locale) bool {
	x, _ := t.Get(l)
	return x.Name != ""
}

func validateTranslations(errs *ValidationErrors, in []TranslationInput) Translations {
	t := make(Translations, 0, len(in))
	for i, tr := range in {
		field := fieldIndex("input.translations", i)
		name := strings.TrimSpace(tr.Name)
		desc := strings.TrimSpace(tr.Description)
		switch {
		case !tr.Locale.Valid():
			errs.Add(CodeInvalidInput, field+".locale", "%q is not a supported language.", string(tr.Locale))
			continue
		case hasName(t, tr.Locale):
			errs.Add(CodeDuplicate, field+".locale", "The %s name is given twice.", tr.Locale.Tag())
			continue
		}
		if name == "" {
			errs.Add(CodeRequired, field+".name", "Enter the name.")
		}
		if utf8.RuneCountInString(name) > MaxNameLength {
			errs.Add(CodeTooLong, field+".name", "The name can be at most %d characters.", MaxNameLength)
		}
		if utf8.RuneCountInString(desc) > MaxDescriptionLength {
			errs.Add(CodeTooLong, field+".description", "The description can be at most %d characters.", MaxDescriptionLength)
		}
		t.Set(tr.Locale, Text{Name: name, Description: desc})
	}
	if _, ok := t.Get(LocaleJA); !ok {
		errs.Add(CodeRequired, "input.translations", "Enter the Japanese name; it is shown when a language is missing.")
	}
	return t
}
