// Package demo loads Tsunagu's demo network — 港区 and seven partner cities, their
// shops, facilities, products and staff accounts — through the catalog and account
// services, so that every value passes the same validation as the API's.
package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// Credential is a demo account's sign-in, printed by the server in dev mode.
type Credential struct {
	Role            tsunagu.Role
	Email, Password string
	// Scope says what the account acts on: the network, a municipality or a shop.
	Scope string
}

// Load fills an empty database with the demo network and returns the demo accounts.
// When the home municipality (港区, code 131032) exists already it changes nothing and
// returns the same credentials, so it can run at every start.
//
// It refuses, changing nothing, a database that holds municipalities but not 港区:
// demo data must not mix with real data. The services each commit on their own, so
// a load cut short (a crash, a cancelled ctx) leaves part of the network behind;
// the shop floor is made last, and a later Load that finds 港区 without it says so
// and asks for an empty database rather than print accounts that may not exist.
func Load(ctx context.Context, s Services) ([]Credential, error) {
	ctx = tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")
	home, err := municipalityCode(municipalities[0].code5)
	if err != nil {
		return nil, fmt.Errorf("demo: home municipality: %w", err)
	}
	page, err := s.Catalog.Municipalities(ctx, tsunagu.PageArgs{First: tsunagu.MaxPageSize})
	if err != nil {
		return nil, fmt.Errorf("demo: list municipalities: %w", err)
	}
	for _, m := range page.Items {
		if m.Code != home {
			continue
		}
		regs, err := s.POS.Registers(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("demo: list registers: %w", err)
		}
		if len(regs) < len(registers) {
			return nil, fmt.Errorf("demo: an earlier load of the demo was cut short (%s is there, its registers are not): start again from an empty database (with make run, remove .data/postgres)", municipalities[0].name)
		}
		return credentials(), nil
	}
	if len(page.Items) > 0 {
		return nil, fmt.Errorf("demo: the database holds municipalities but not the demo's home, %s %s: load the demo only into an empty database",
			home, municipalities[0].name)
	}
	if err := load(ctx, s); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return credentials(), nil
}

func credentials() []Credential {
	cs := make([]Credential, len(users))
	for i, u := range users {
		cs[i] = Credential{Role: u.role, Email: u.email, Password: u.password, Scope: u.scope}
	}
	return cs
}

// municipalityCode appends the check digit to the first five digits of a code.
func municipalityCode(code5 string) (string, error) {
	d, err := tsunagu.MunicipalityCheckDigit(code5)
	if err != nil {
		return "", err
	}
	return code5 + strconv.Itoa(d), nil
}

// loader holds the IDs of what it created, by the keys the data tables use.
type loader struct {
	catalog    *postgres.CatalogService
	munis      map[string]tsunagu.MunicipalityID // by code5
	shops      map[string]tsunagu.LocationID     // by code5 of the municipality
	facilities map[string]tsunagu.FacilityID     // by key
}

// load creates the network. The password hashes (argon2id, deliberately slow) are
// computed while the catalog loads, once the municipalities and shops the accounts
// point at exist; the facilities' staff are made after it, with their facilities.
func load(ctx context.Context, s Services) error {
	if err := checkTables(); err != nil {
		return err
	}
	l := &loader{
		catalog:    s.Catalog,
		munis:      make(map[string]tsunagu.MunicipalityID, len(municipalities)),
		shops:      make(map[string]tsunagu.LocationID, len(municipalities)),
		facilities: make(map[string]tsunagu.FacilityID, len(facilities)),
	}
	if err := l.network(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The facilities' staff wait for the catalogue, which makes their facilities.
	var accounts []postgres.NewUserInput
	var makers []user
	for _, u := range users {
		if u.role == tsunagu.RoleFacility {
			makers = append(makers, u)
		} else {
			accounts = append(accounts, l.account(u))
		}
	}
	type created struct {
		users []*tsunagu.User
		err   error
	}
	done := make(chan created, 1)
	go func() {
		us, err := createUsers(ctx, s.Auth, accounts)
		done <- created{us, err}
	}()
	products, err := l.catalogue(ctx)
	if err != nil {
		cancel() // the accounts' error would only be the cancellation
		<-done
		return err
	}
	c := <-done
	if c.err != nil {
		return c.err
	}
	accounts = accounts[:0]
	for _, u := range makers {
		accounts = append(accounts, l.account(u))
	}
	if _, err := createUsers(ctx, s.Auth, accounts); err != nil {
		return err
	}
	// The shop floor's documents name who made them: the demo's admin.
	return l.floor(tsunagu.WithUser(ctx, c.users[0], ""), s, products)
}

// network creates the municipalities, the partnerships of the home with each
// partner, the city halls' shops and the home's warehouse.
func (l *loader) network(ctx context.Context) error {
	for i, m := range municipalities {
		code, err := municipalityCode(m.code5)
		if err != nil {
			return err
		}
		mu := &tsunagu.Municipality{Code: code, Name: m.name, NameKana: m.kana, NameEn: m.en, Prefecture: m.pref, IsHome: i == 0}
		if err := l.catalog.CreateMunicipality(ctx, mu); err != nil {
			return fmt.Errorf("municipality %s %s: %w", code, m.name, err)
		}
		l.munis[m.code5] = mu.ID
		if i > 0 {
			in := tsunagu.CreatePartnershipInput{MunicipalityA: l.munis[municipalities[0].code5], MunicipalityB: mu.ID}
			if _, err := l.catalog.CreatePartnership(ctx, in); err != nil {
				return fmt.Errorf("partnership with %s: %w", m.name, err)
			}
		}
		shop := &tsunagu.Location{MunicipalityID: mu.ID, Kind: tsunagu.LocationShop, Name: m.shop, NameReading: readingOf(m.shop), Address: m.shopAddress}
		if err := l.catalog.CreateLocation(ctx, shop); err != nil {
			return fmt.Errorf("shop %s: %w", m.shop, err)
		}
		l.shops[m.code5] = shop.ID
	}
	wh := &tsunagu.Location{MunicipalityID: l.munis[municipalities[0].code5], Kind: tsunagu.LocationWarehouse, Name: warehouse.name, NameReading: readingOf(warehouse.name), Address: warehouse.address}
	if err := l.catalog.CreateLocation(ctx, wh); err != nil {
		return fmt.Errorf("warehouse %s: %w", warehouse.name, err)
	}
	return nil
}

// catalogue creates the facilities, their own stock rooms and their products, and
// returns the products.
func (l *loader) catalogue(ctx context.Context) ([]*tsunagu.Product, error) {
	for _, f := range facilities {
		in := tsunagu.CreateFacilityInput{
			MunicipalityID: l.munis[f.muni],
			Name:           f.name,
			NameKana:       f.kana,
			Kind:           f.kind,
			Corporation:    f.corp,
			Contact:        tsunagu.Contact{Person: f.person, Phone: f.phone, Email: f.email, Address: f.address},
		}
		if f.corpBase != "" {
			n := "T" + strconv.Itoa(tsunagu.CorporateCheckDigit(f.corpBase)) + f.corpBase
			in.RegistrationNumber = &n
		}
		created, err := l.catalog.CreateFacility(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("facility %s: %w", f.name, err)
		}
		l.facilities[f.key] = created.ID
		if f.store != "" {
			loc := &tsunagu.Location{MunicipalityID: created.MunicipalityID, Kind: tsunagu.LocationFacility, Name: f.store, FacilityID: &created.ID, Address: f.address}
			if err := l.catalog.CreateLocation(ctx, loc); err != nil {
				return nil, fmt.Errorf("stock room %s: %w", f.store, err)
			}
		}
	}
	created := make([]*tsunagu.Product, 0, len(products))
	for _, p := range products {
		c, err := l.catalog.CreateProduct(ctx, l.productInput(p))
		if err != nil {
			return nil, fmt.Errorf("product %s: %w", p.name, err)
		}
		created = append(created, c)
	}
	return created, nil
}

func (l *loader) productInput(p product) tsunagu.CreateProductInput {
	tr := []tsunagu.TranslationInput{
		{Locale: tsunagu.LocaleJA, Name: p.name, Description: p.desc},
		{Locale: tsunagu.LocaleEN, Name: p.en},
	}
	if p.easy != "" {
		tr = append(tr, tsunagu.TranslationInput{Locale: tsunagu.LocaleJAEasy, Name: p.easy})
	}
	if more, ok := moreNames[p.name]; ok {
		tr = append(tr,
			tsunagu.TranslationInput{Locale: tsunagu.LocaleZH, Name: more.zh},
			tsunagu.TranslationInput{Locale: tsunagu.LocaleKO, Name: more.ko})
	}
	in := tsunagu.CreateProductInput{
		FacilityID:   l.facilities[p.fac],
		Translations: tr,
		NameReading:  readingOf(p.name),
		Category:     p.cat,
		Price:        p.price,
		TaxClass:     taxClass(p.cat),
		Allergens:    []tsunagu.Allergen{},
	}
	if p.code != "" {
		c := p.code + strconv.Itoa(tsunagu.JANCheckDigit(p.code))
		in.Code = &c
	}
	for _, a := range strings.Fields(p.allergens) {
		in.Allergens = append(in.Allergens, tsunagu.Allergen(a))
	}
	status := tsunagu.StatusActive
	if p.draft {
		status = tsunagu.StatusDraft
	}
	in.Status = &status
	return in
}

// taxClass is the reduced rate for food and drink (none of the demo's is alcohol),
// the standard rate for everything else.
func taxClass(c tsunagu.Category) tsunagu.TaxClass {
	switch c {
	case tsunagu.CategoryFood, tsunagu.CategorySweets, tsunagu.CategoryBakery, tsunagu.CategoryBeverage:
		return tsunagu.TaxReduced8
	}
	return tsunagu.TaxStandard10
}

func (l *loader) account(u user) postgres.NewUserInput {
	in := postgres.NewUserInput{Email: u.email, Name: u.name, NameReading: readingOf(u.name), Password: u.password, Role: u.role}
	switch u.role {
	case tsunagu.RoleManager:
		m := l.munis[u.muni]
		in.MunicipalityID = &m
	case tsunagu.RoleClerk:
		s := l.shops[u.muni]
		in.ShopID = &s
	case tsunagu.RoleFacility:
		f := l.facilities[u.facility]
		in.FacilityID = &f
	}
	return in
}

// createUsers creates the accounts in order, so that their IDs do not vary.
func createUsers(ctx context.Context, auth *postgres.AuthService, accounts []postgres.NewUserInput) ([]*tsunagu.User, error) {
	out := make([]*tsunagu.User, len(accounts))
	for i, in := range accounts {
		u, err := auth.CreateUser(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", in.Email, err)
		}
		out[i] = u
	}
	return out, nil
}

// checkTables catches mistakes in the data tables that the services cannot see:
// references to keys that do not exist, which would otherwise load as ID 0 (and
// fail as NOT_FOUND far from the typo) or, for moreNames, be dropped silently.
func checkTables() error {
	if users[0].role != tsunagu.RoleAdmin {
		return fmt.Errorf("the first account must be the admin: the shop floor is made in its name")
	}
	munis := make(map[string]bool, len(municipalities))
	for _, m := range municipalities {
		munis[m.code5] = true
	}
	facs := make(map[string]bool, len(facilities))
	for _, f := range facilities {
		if !munis[f.muni] {
			return fmt.Errorf("facility %s: no municipality %s in the table", f.name, f.muni)
		}
		facs[f.key] = true
	}
	named := make(map[string]bool, len(products))
	for _, p := range products {
		if !facs[p.fac] {
			return fmt.Errorf("product %s: no facility %q in the table", p.name, p.fac)
		}
		named[p.name] = true
	}
	for name := range moreNames {
		if !named[name] {
			return fmt.Errorf("moreNames: no product named %s", name)
		}
	}
	for _, u := range users {
		switch u.role {
		case tsunagu.RoleAdmin:
		case tsunagu.RoleFacility:
			if !facs[u.facility] {
				return fmt.Errorf("account %s: no facility %q in the table", u.email, u.facility)
			}
		default:
			if !munis[u.muni] {
				return fmt.Errorf("account %s: no municipality %s in the table", u.email, u.muni)
			}
		}
	}
	return nil
}
