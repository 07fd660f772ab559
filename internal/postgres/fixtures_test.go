package postgres_test

import (
	"context"
	"testing"

	"github.com/alexedwards/argon2id"

	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// world is a small network on a fresh database: the home municipality 港区 and a
// partner 旭川市, a facility and a shop in each, a warehouse at home, products of both
// facilities, and a signed-in context per role.
type world struct {
	t  testing.TB
	db *postgres.DB
	// url is the database's, for a second process's connections.
	url     string
	catalog *postgres.CatalogService
	auth    *postgres.AuthService

	home, partner         *tsunagu.Municipality
	homeFac, partnerFac   *tsunagu.Facility
	homeShop, partnerShop *tsunagu.Location
	warehouse             *tsunagu.Location
	// Products: cookies and jam made at home (8%), a spoon made at the partner (10%).
	cookies, jam, spoon *tsunagu.Product

	// Contexts acting as: admin; manager of home; manager of partner (otherManager);
	// clerk of the home shop; clerk of the partner shop (otherClerk).
	admin, manager, otherManager, clerk, otherClerk context.Context
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(ctx, url, nil)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db, url: url, catalog: postgres.NewCatalogService(db), auth: postgres.NewAuthService(db)}
	w.auth.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	sys := tsunagu.WithUser(ctx, &tsunagu.User{Role: tsunagu.RoleAdmin}, "")

	w.home = &tsunagu.Municipality{Code: "131032", Name: "港区", Prefecture: "東京都", IsHome: true}
	w.partner = &tsunagu.Municipality{Code: "012041", Name: "旭川市", Prefecture: "北海道"}
	must(t, w.catalog.CreateMunicipality(sys, w.home))
	must(t, w.catalog.CreateMunicipality(sys, w.partner))
	_, err = w.catalog.CreatePartnership(sys, tsunagu.CreatePartnershipInput{MunicipalityA: w.home.ID, MunicipalityB: w.partner.ID})
	must(t, err)
	w.homeFac, err = w.catalog.CreateFacility(sys, tsunagu.CreateFacilityInput{MunicipalityID: w.home.ID,
		Name: "ワークショップ虹", Kind: tsunagu.FacilityEmploymentB, Corporation: "社会福祉法人にじ"})
	must(t, err)
	w.partnerFac, err = w.catalog.CreateFacility(sys, tsunagu.CreateFacilityInput{MunicipalityID: w.partner.ID,
		Name: "ひまわり工房", Kind: tsunagu.FacilityEmploymentA, Corporation: "株式会社ひまわり"})
	must(t, err)
	w.homeShop = w.location(sys, w.home, tsunagu.LocationShop, "港区役所 福祉ショップ")
	w.partnerShop = w.location(sys, w.partner, tsunagu.LocationShop, "旭川市役所 ふくしの店")
	w.warehouse = w.location(sys, w.home, tsunagu.LocationWarehouse, "芝浦倉庫")

	w.cookies = w.product(sys, w.homeFac, "クッキー", 350, tsunagu.TaxReduced8)
	w.jam = w.product(sys, w.homeFac, "ジャム", 650, tsunagu.TaxReduced8)
	w.spoon = w.product(sys, w.partnerFac, "木のスプーン", 1200, tsunagu.TaxStandard10)

	w.admin = w.user(sys, "admin", postgres.NewUserInput{Role: tsunagu.RoleAdmin})
	w.manager = w.user(sys, "manager", postgres.NewUserInput{Role: tsunagu.RoleManager, MunicipalityID: &w.home.ID})
	w.otherManager = w.user(sys, "othermanager", postgres.NewUserInput{Role: tsunagu.RoleManager, MunicipalityID: &w.partner.ID})
	w.clerk = w.user(sys, "clerk", postgres.NewUserInput{Role: tsunagu.RoleClerk, ShopID: &w.homeShop.ID})
	w.otherClerk = w.user(sys, "otherclerk", postgres.NewUserInput{Role: tsunagu.RoleClerk, ShopID: &w.partnerShop.ID})
	return w
}

func (w *world) location(ctx context.Context, m *tsunagu.Municipality, kind tsunagu.LocationKind, name string) *tsunagu.Location {
	l := &tsunagu.Location{MunicipalityID: m.ID, Kind: kind, Name: name}
	must(w.t, w.catalog.CreateLocation(ctx, l))
	return l
}

func (w *world) product(ctx context.Context, f *tsunagu.Facility, name string, price int64, tax tsunagu.TaxClass) *tsunagu.Product {
	active := tsunagu.StatusActive
	p, err := w.catalog.CreateProduct(ctx, tsunagu.CreateProductInput{FacilityID: f.ID,
		Translations: []tsunagu.TranslationInput{{Locale: tsunagu.LocaleJA, Name: name}},
		Category:     tsunagu.CategoryOther, Price: price, TaxClass: tax, Status: &active})
	must(w.t, err)
	return p
}

// user creates an account and returns a context signed in as it.
func (w *world) user(ctx context.Context, name string, in postgres.NewUserInput) context.Context {
	in.Email, in.Password, in.Name = name+"@example.jp", "password-"+name, name
	_, err := w.auth.CreateUser(ctx, in)
	must(w.t, err)
	s, err := w.auth.Login(ctx, tsunagu.LoginInput{Email: in.Email, Password: in.Password})
	must(w.t, err)
	return tsunagu.WithUser(context.Background(), s.User, s.Token)
}

// checkLedger fails the test when any stock level differs from its ledger, and when
// any transaction of the test ended in a deadlock (rows are locked in one order, so
// none may; transact would retry it unseen).
func (w *world) checkLedger() {
	w.t.Helper()
	if err := pgtest.CheckLedger(context.Background(), w.db.SQL()); err != nil {
		w.t.Error(err)
	}
	if n := w.db.Deadlocks(); n > 0 {
		w.t.Errorf("%d transactions ended in a deadlock", n)
	}
}

// snapshot returns every row of the database as JSON, to assert that a refused
// operation changed nothing.
func (w *world) snapshot() string {
	w.t.Helper()
	return pgtest.Snapshot(w.t, w.db.SQL())
}

func (w *world) unchanged(before string) {
	w.t.Helper()
	if after := w.snapshot(); after != before {
		w.t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
	}
}

// refused fails t unless err is a refusal with code on field (and a message), and
// the database is as it was before.
func (w *world) refused(t *testing.T, before string, err error, code tsunagu.Code, field string) {
	t.Helper()
	if got := tsunagu.ErrorCode(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	if errs := tsunagu.UserErrors(err); len(errs) == 0 || errs[0].Field != field || errs[0].Message == "" {
		t.Errorf("field of %v, want %q", err, field)
	}
	if after := w.snapshot(); after != before {
		t.Errorf("the database changed:\nbefore %s\nafter  %s", before, after)
	}
}

// refusedAs is refused for refusals on a field, and for those on none (the
// GraphQL errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND of the object) checks
// only the code and that nothing changed.
func (w *world) refusedAs(t *testing.T, before string, err error, code tsunagu.Code, field string) {
	t.Helper()
	if field != "" {
		w.refused(t, before, err, code, field)
		return
	}
	if got := tsunagu.ErrorCode(err); got != code {
		t.Fatalf("code %q (%v), want %q", got, err, code)
	}
	w.unchanged(before)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
