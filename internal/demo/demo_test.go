package demo_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tsunagu/internal/demo"
	"tsunagu/internal/pgtest"
	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type env struct {
	db      *postgres.DB
	catalog *postgres.CatalogService
	auth    *postgres.AuthService
	s       demo.Services
}

func newEnv(t *testing.T) env {
	t.Helper()
	db, err := postgres.Open(t.Context(), pgtest.NewURL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := demo.NewServices(db)
	return env{db, s.Catalog, s.Auth, s}
}

// rows counts what Load writes, table by table.
type rows struct {
	Municipalities, Partnerships, Facilities, Locations, Products, Users int
}

func countRows(t *testing.T, e env) rows {
	t.Helper()
	var r rows
	err := e.db.SQL().QueryRowContext(t.Context(), `SELECT
		(SELECT count(*) FROM municipalities), (SELECT count(*) FROM partnerships),
		(SELECT count(*) FROM facilities), (SELECT count(*) FROM locations),
		(SELECT count(*) FROM products), (SELECT count(*) FROM users)`).
		Scan(&r.Municipalities, &r.Partnerships, &r.Facilities, &r.Locations, &r.Products, &r.Users)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var admin = &tsunagu.User{Role: tsunagu.RoleAdmin}

var wantCredentials = []demo.Credential{
	{Role: tsunagu.RoleAdmin, Email: "admin@tsunagu.example", Password: "demo-admin-2026", Scope: "ネットワーク全体"},
	{Role: tsunagu.RoleManager, Email: "manager@minato.example", Password: "demo-minato-2026", Scope: "港区"},
	{Role: tsunagu.RoleManager, Email: "manager@asahikawa.example", Password: "demo-asahi-2026", Scope: "旭川市"},
	{Role: tsunagu.RoleClerk, Email: "clerk@minato.example", Password: "demo-clerk-2026", Scope: "港区役所 福祉ショップ つなぐ"},
	{Role: tsunagu.RoleFacility, Email: "staff@niji.example", Password: "demo-niji-2026", Scope: "ワークショップ虹"},
	{Role: tsunagu.RoleClerk, Email: "clerk@asahikawa.example", Password: "demo-asahikawa-2026", Scope: "旭川市役所 ふくしの店"},
	{Role: tsunagu.RoleClerk, Email: "clerk@sendai.example", Password: "demo-sendai-2026", Scope: "仙台市役所 ふくしショップ 杜の市"},
	{Role: tsunagu.RoleClerk, Email: "clerk@kanazawa.example", Password: "demo-kanazawa-2026", Scope: "金沢市役所 ふくしの店 かがのわ"},
	{Role: tsunagu.RoleClerk, Email: "clerk@matsumoto.example", Password: "demo-matsumoto-2026", Scope: "松本市役所 ふくしの店"},
	{Role: tsunagu.RoleClerk, Email: "clerk@kochi.example", Password: "demo-kochi-2026", Scope: "高知市役所 ふくしの店 よさこい"},
	{Role: tsunagu.RoleClerk, Email: "clerk@kumamoto.example", Password: "demo-kumamoto-2026", Scope: "熊本市役所 ふくしショップ ひごまる"},
	{Role: tsunagu.RoleClerk, Email: "clerk@kagoshima.example", Password: "demo-kagoshima-2026", Scope: "鹿児島市役所 ふくしの店"},
}

func TestLoad(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()

	start := time.Now()
	creds, err := demo.Load(ctx, e.s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("first Load: %v", time.Since(start))
	if diff := cmp.Diff(wantCredentials, creds); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	loaded := countRows(t, e)
	if loaded.Municipalities < 7 || loaded.Partnerships < 6 || loaded.Facilities < 12 ||
		loaded.Products < 64 || loaded.Users != len(wantCredentials) {
		t.Errorf("loaded %+v, want ≥7 municipalities, ≥6 partnerships, ≥12 facilities, ≥64 products, %d users", loaded, len(wantCredentials))
	}

	start = time.Now()
	again, err := demo.Load(ctx, e.s)
	if err != nil {
		t.Fatalf("second Load: %v", err)
	}
	t.Logf("second Load: %v", time.Since(start))
	if diff := cmp.Diff(creds, again); diff != "" {
		t.Errorf("second Load's credentials (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(loaded, countRows(t, e)); diff != "" {
		t.Errorf("second Load changed the database (-before +after):\n%s", diff)
	}

	t.Run("Login", func(t *testing.T) { checkLogins(t, e, creds) })
	t.Run("Municipalities", func(t *testing.T) { checkMunicipalities(t, e) })
	t.Run("Facilities", func(t *testing.T) { checkFacilities(t, e) })
	t.Run("Products", func(t *testing.T) { checkProducts(t, e) })
	t.Run("Search", func(t *testing.T) { checkSearch(t, e) })
	t.Run("ShopFloor", func(t *testing.T) { checkShopFloor(t, e, creds) })
}

// checkShopFloor sells, as the demo clerk, one of 港区's own goods and one a
// partner sent through the exchange, on a demo register, and checks the receipt
// (the partner's unregistered facility's goods totalled apart), the ledger and
// the exchange balance.
func checkShopFloor(t *testing.T, e env, creds []demo.Credential) {
	ctx := t.Context()
	s, err := e.auth.Login(ctx, tsunagu.LoginInput{Email: creds[3].Email, Password: creds[3].Password})
	if err != nil {
		t.Fatal(err)
	}
	clerk := tsunagu.WithUser(ctx, s.User, s.Token)
	regs, err := e.s.POS.Registers(clerk, nil)
	if err != nil || len(regs) != 2 {
		t.Fatalf("registers of the clerk's shop: %d, %v", len(regs), err)
	}
	levels, err := e.s.Stock.StockLevels(clerk, *s.User.ShopID, tsunagu.StockLevelFilter{}, tsunagu.PageArgs{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	var home, partner *tsunagu.StockLevel
	for _, l := range levels.Items {
		ps, err := e.catalog.ProductsByID(clerk, []tsunagu.ProductID{l.ProductID})
		if err != nil {
			t.Fatal(err)
		}
		switch p := ps[l.ProductID]; {
		case p.MunicipalityID == *s.User.MunicipalityID && home == nil:
			home = l
		case p.MunicipalityID != *s.User.MunicipalityID && partner == nil && l.OnHand == 10:
			partner = l
		}
	}
	if home == nil || partner == nil || home.OnHand != 24 {
		t.Fatalf("the home shop's stock lacks home (%+v) or partner (%+v) goods", home, partner)
	}
	session, err := e.s.POS.OpenRegisterSession(clerk, tsunagu.OpenSessionInput{IdempotencyKey: "demo-open", RegisterID: regs[0].ID, OpeningFloat: 30000})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.catalog.ProductsByID(clerk, []tsunagu.ProductID{home.ProductID, partner.ProductID})
	if err != nil {
		t.Fatal(err)
	}
	total := ps[home.ProductID].Price + ps[partner.ProductID].Price
	sale, err := e.s.POS.CreateSale(clerk, tsunagu.CreateSaleInput{SessionID: session.ID,
		Lines:    []tsunagu.SaleLineInput{{ProductID: &home.ProductID, Quantity: 1}, {ProductID: &partner.ProductID, Quantity: 1}},
		Payments: []tsunagu.PaymentInput{{Method: tsunagu.PaymentCash, Amount: total}}, IdempotencyKey: "demo-test-sale"})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := e.s.POS.Receipt(clerk, sale.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Text(58); err != nil || rc.RegistrationNumber != "T8000020131032" || rc.Total != total {
		t.Errorf("receipt %+v: %v", rc, err)
	}
	if err := pgtest.CheckLedger(ctx, e.db.SQL()); err != nil {
		t.Error(err)
	}
	balance, err := e.s.Transfers.ExchangeTransfers(tsunagu.WithUser(ctx, admin, ""),
		tsunagu.ExchangeBalanceFilter{FromMonth: time.Now().AddDate(0, -1, 0).Format("2006-01"), ToMonth: time.Now().AddDate(0, 1, 0).Format("2006-01")})
	if err != nil || len(balance) != 7 {
		t.Errorf("exchange balance: %d pairs (%v), want one from each of the 7 partners", len(balance), err)
	}
}

// A load cut short before the shop floor is refused at the next start, and the
// database is left as it is.
func TestLoadCutShort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := demo.Load(t.Context(), e.s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().ExecContext(t.Context(), `DELETE FROM registers`); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, e)
	creds, err := demo.Load(t.Context(), e.s)
	if err == nil || creds != nil || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("Load = %v, %v; want an error saying the load was cut short", creds, err)
	}
	if diff := cmp.Diff(before, countRows(t, e)); diff != "" {
		t.Errorf("Load changed the database (-before +after):\n%s", diff)
	}
}

// checkLogins signs each account in and checks its role and scope.
func checkLogins(t *testing.T, e env, creds []demo.Credential) {
	ctx := tsunagu.WithUser(t.Context(), admin, "")
	for _, c := range creds {
		s, err := e.auth.Login(t.Context(), tsunagu.LoginInput{Email: c.Email, Password: c.Password})
		if err != nil {
			t.Errorf("Login(%s): %v", c.Email, err)
			continue
		}
		if s.User.Role != c.Role || s.User.Email != c.Email {
			t.Errorf("Login(%s) = %s %s", c.Email, s.User.Role, s.User.Email)
		}
		// Every person's name has its reading, for the furigana in the POS app's bar.
		if s.User.NameReading == nil {
			t.Errorf("%s (%s): no reading", s.User.Name, c.Email)
		}
		var scope string
		switch c.Role {
		case tsunagu.RoleAdmin:
			scope = c.Scope
		case tsunagu.RoleManager:
			ms, err := e.catalog.MunicipalitiesByID(ctx, []tsunagu.MunicipalityID{*s.User.MunicipalityID})
			if err != nil {
				t.Fatal(err)
			}
			scope = ms[*s.User.MunicipalityID].Name
		case tsunagu.RoleClerk:
			ls, err := e.catalog.LocationsByID(ctx, []tsunagu.LocationID{*s.User.ShopID})
			if err != nil {
				t.Fatal(err)
			}
			scope = ls[*s.User.ShopID].Name
			if ls[*s.User.ShopID].NameReading == nil {
				t.Errorf("the shop %s has no reading", scope)
			}
		case tsunagu.RoleFacility:
			fs, err := e.catalog.FacilitiesByID(ctx, []tsunagu.FacilityID{*s.User.FacilityID})
			if err != nil {
				t.Fatal(err)
			}
			scope = fs[*s.User.FacilityID].Name
		}
		if scope != c.Scope {
			t.Errorf("%s acts on %q, its credential says %q", c.Email, scope, c.Scope)
		}
	}
}

// checkMunicipalities checks the codes against the real ones, check digits included.
func checkMunicipalities(t *testing.T, e env) {
	ctx := t.Context()
	page, err := e.catalog.Municipalities(ctx, tsunagu.PageArgs{First: tsunagu.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var home *tsunagu.Municipality
	for _, m := range page.Items {
		if m.IsHome {
			home = m
		}
		if _, err := tsunagu.ParseMunicipalityCode(m.Code, "code"); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
	if home == nil || home.Code != "131032" || home.Name != "港区" || home.Prefecture != "東京都" {
		t.Fatalf("home = %+v, want 港区 131032", home)
	}
	partners, err := e.catalog.Partners(ctx, []tsunagu.MunicipalityID{home.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range partners[home.ID] {
		got[p.Code] = p.Name
		if p.NameKana == "" || p.NameEn == "" || p.Prefecture == "" {
			t.Errorf("partner %+v lacks a name or its prefecture", p)
		}
	}
	want := map[string]string{
		"012041": "旭川市", "041009": "仙台市", "172014": "金沢市", "202029": "松本市",
		"392014": "高知市", "431001": "熊本市", "462012": "鹿児島市",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("partners by code (-want +got):\n%s", diff)
	}
}

func checkFacilities(t *testing.T, e env) {
	ctx := t.Context()
	page, err := e.catalog.Facilities(ctx, tsunagu.FacilityFilter{}, tsunagu.PageArgs{First: tsunagu.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[tsunagu.FacilityKind]int{}
	perMunicipality := map[tsunagu.MunicipalityID]int{}
	registered := 0
	for _, f := range page.Items {
		kinds[f.Kind]++
		perMunicipality[f.MunicipalityID]++
		if f.IsQualifiedInvoiceIssuer() {
			registered++
		}
		if f.Contact.Email == "" || f.Contact.Phone == "" || f.Contact.Person == "" || f.Contact.Address == "" {
			t.Errorf("%s: incomplete contact %+v", f.Name, f.Contact)
		}
		if f.Kind == tsunagu.FacilityEmploymentA && !strings.HasPrefix(f.Corporation, "株式会社") {
			t.Errorf("%s: an A型 facility run by %s, want a company", f.Name, f.Corporation)
		}
	}
	if len(kinds) != 5 {
		t.Errorf("facility kinds %v, want all five", kinds)
	}
	if len(perMunicipality) != 8 {
		t.Errorf("facilities in %d municipalities, want every one of 8", len(perMunicipality))
	}
	if n := len(page.Items); registered*2 < n || registered == n {
		t.Errorf("%d of %d facilities are invoice issuers, want about two thirds", registered, n)
	}
	locs, err := e.catalog.Locations(ctx, tsunagu.LocationFilter{}, tsunagu.PageArgs{First: tsunagu.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	locKinds := map[tsunagu.LocationKind]int{}
	for _, l := range locs.Items {
		locKinds[l.Kind]++
	}
	if locKinds[tsunagu.LocationShop] != 8 || locKinds[tsunagu.LocationWarehouse] != 1 || locKinds[tsunagu.LocationFacility] < 2 {
		t.Errorf("locations by kind %v, want 8 shops, a warehouse and some facility stock rooms", locKinds)
	}
}

// allProducts pages through the catalog as an admin, who sees drafts too.
func allProducts(t *testing.T, e env) []*tsunagu.Product {
	ctx := tsunagu.WithUser(t.Context(), admin, "")
	var all []*tsunagu.Product
	page := tsunagu.PageArgs{First: tsunagu.MaxPageSize}
	for {
		p, err := e.catalog.Products(ctx, tsunagu.ProductFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if !p.HasNextPage {
			return all
		}
		page.After = int64(p.Items[len(p.Items)-1].ID)
	}
}

func checkProducts(t *testing.T, e env) {
	all := allProducts(t, e)
	var easy, zh, drafts, noCode int
	codeKinds := map[tsunagu.ProductCodeKind]int{}
	for _, p := range all {
		ja := p.Translations.In(tsunagu.LocaleJA).Name
		if en, _ := p.Translations.Get(tsunagu.LocaleEN); en.Name == "" || p.Translations.In(tsunagu.LocaleJA).Description == "" {
			t.Errorf("%s: no English name or Japanese description", ja)
		}
		if _, ok := p.Translations.Get(tsunagu.LocaleJAEasy); ok {
			easy++
		}
		if _, ok := p.Translations.Get(tsunagu.LocaleZH); ok {
			zh++
		}
		if p.Price < 100 || p.Price > 3000 {
			t.Errorf("%s: ¥%d", ja, p.Price)
		}
		// Every name has its reading, for the furigana over it in the POS app.
		if p.NameReading == nil {
			t.Errorf("%s: no reading", ja)
		}
		food := p.Category == tsunagu.CategoryFood || p.Category == tsunagu.CategorySweets ||
			p.Category == tsunagu.CategoryBakery || p.Category == tsunagu.CategoryBeverage
		if food != (p.TaxClass == tsunagu.TaxReduced8) {
			t.Errorf("%s: %s taxed %s", ja, p.Category, p.TaxClass)
		}
		switch p.Status {
		case tsunagu.StatusDraft:
			drafts++
		case tsunagu.StatusArchived:
			t.Errorf("%s: archived", ja)
		}
		if p.CodeKind == nil {
			noCode++
		} else {
			codeKinds[*p.CodeKind]++
		}
		for word, allergen := range map[string]tsunagu.Allergen{
			"クッキー": tsunagu.AllergenWheat, "ピーナッツ": tsunagu.AllergenPeanut, "落花生": tsunagu.AllergenPeanut,
			"そば": tsunagu.AllergenBuckwheat, "くるみ": tsunagu.AllergenWalnut, "パン": tsunagu.AllergenWheat,
		} {
			if strings.Contains(ja, word) && !slices.Contains(p.Allergens, allergen) {
				t.Errorf("%s: allergens %v lack %s", ja, p.Allergens, allergen)
			}
		}
	}
	n := len(all)
	if easy*10 < n*3 || zh < 3 || drafts < 2 || drafts > 5 || noCode < 1 ||
		codeKinds[tsunagu.ProductCodeJAN13] < n/2 || codeKinds[tsunagu.ProductCodeInStore] < 2 {
		t.Errorf("%d products: %d with やさしい日本語, %d in Chinese, %d drafts, %d without a code, codes %v",
			n, easy, zh, drafts, noCode, codeKinds)
	}
}

// checkSearch finds products as a shopper would: kana and width do not matter.
func checkSearch(t *testing.T, e env) {
	ctx := t.Context() // anonymous: ACTIVE products only
	for text, want := range map[string]string{
		"くっきー":  "バタークッキー",
		"ｸｯｷｰ":  "ココアクッキー",
		"クルミパン": "くるみぱん",
		"apple": "りんごジャム",
		"사과잼":   "りんごジャム",
	} {
		page, err := e.catalog.Products(ctx, tsunagu.ProductFilter{Text: text}, tsunagu.PageArgs{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range page.Items {
			names = append(names, p.Name())
		}
		if !slices.Contains(names, want) {
			t.Errorf("search %q found %q, want %s among them", text, names, want)
		}
	}
	p, err := e.catalog.ProductByCode(ctx, "4589001000012")
	if err != nil || p.Name() != "バタークッキー" {
		t.Errorf("ProductByCode(4589001000012) = %v, %v; want バタークッキー", p, err)
	}
}

// TestLoadRefusesOtherData checks that the demo never mixes into a database that
// holds a network of its own.
func TestLoadRefusesOtherData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := tsunagu.WithUser(context.Background(), admin, "")
	m := &tsunagu.Municipality{Code: "012041", Name: "旭川市", Prefecture: "北海道", IsHome: true}
	if err := e.catalog.CreateMunicipality(ctx, m); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, e)
	creds, err := demo.Load(t.Context(), e.s)
	if err == nil || creds != nil {
		t.Fatalf("Load = %v, %v; want an error", creds, err)
	}
	t.Log(err)
	if diff := cmp.Diff(before, countRows(t, e)); diff != "" {
		t.Errorf("Load changed the database (-before +after):\n%s", diff)
	}
}
