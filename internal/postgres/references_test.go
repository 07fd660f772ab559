package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"tsunagu/internal/postgres"
	"tsunagu/internal/tsunagu"
)

// probe is a Receiver of ChannelReferences that tells the test each notification,
// after the References listed before it on the same listener has handled it.
type probe chan struct{}

func (probe) Channels() []string        { return []string{postgres.ChannelReferences} }
func (p probe) Notified(string, string) { p <- struct{}{} }
func (probe) Connected(bool)            {}

// refsPage is a page of every product with its facility and municipality, and
// the statements it took.
func refsPage(t *testing.T, cat *postgres.CatalogService) (*tsunagu.ProductPage, int64) {
	t.Helper()
	ctx, count := postgres.CountStatements(context.Background())
	p, err := cat.ProductPage(ctx, tsunagu.ProductFilter{}, tsunagu.PageArgs{First: 50},
		tsunagu.ProductsWith{Facilities: true, Municipalities: true})
	must(t, err)
	return p, count()
}

// names are the names of the facility and of the municipality of each product of
// p, in its order.
func names(p *tsunagu.ProductPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, p.Facilities[it.FacilityID].Name, p.Municipalities[it.MunicipalityID].Name)
	}
	return out
}

// TestReferences: with the facilities and municipalities kept in memory, a page
// is one statement (the products) and the loaders none, with what the tables
// hold; the process's own changes are seen at once, another's once notified, and
// a row inserted since the copy was read is read from its table.
func TestReferences(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	// A catalog that keeps them, told it is receiving notifications (it is not:
	// only its own changes can drop its copy).
	cat := postgres.NewCatalogService(w.db)
	cat.Refs = postgres.NewReferences()
	cat.Refs.Connected(true)

	want, n := refsPage(t, w.catalog) // the tables, joined in the page's statement
	if n != 1 {
		t.Fatalf("without the copy, the page took %d statements, want 1", n)
	}
	got, n := refsPage(t, cat)
	if n != 3 {
		t.Errorf("the first page took %d statements, want 3 (the page and both tables)", n)
	}
	if got, n = refsPage(t, cat); n != 1 {
		t.Errorf("the next page took %d statements, want 1", n)
	}
	if !reflect.DeepEqual(got.Facilities, want.Facilities) || !reflect.DeepEqual(got.Municipalities, want.Municipalities) {
		t.Fatalf("from the copy:\n%+v\n%+v\nfrom the tables:\n%+v\n%+v", got.Facilities, got.Municipalities, want.Facilities, want.Municipalities)
	}
	lctx, count := postgres.CountStatements(ctx)
	fs, err := cat.FacilitiesByID(lctx, []tsunagu.FacilityID{w.homeFac.ID, w.partnerFac.ID, 999999})
	must(t, err)
	ms, err := cat.MunicipalitiesByID(lctx, []tsunagu.MunicipalityID{w.home.ID, w.home.ID})
	must(t, err)
	if len(fs) != 2 || fs[w.homeFac.ID].Name != "ワークショップ虹" || len(ms) != 1 || ms[w.home.ID].Name != "港区" {
		t.Errorf("loaders from the copy: %+v %+v", fs, ms)
	}
	if c := count(); c != 1 {
		t.Errorf("the loaders took %d statements, want 1 (the facility no table holds, looked for)", c)
	}

	t.Run("OwnChanges", func(t *testing.T) {
		_, err := cat.UpdateFacility(w.admin, tsunagu.UpdateFacilityInput{ID: w.homeFac.ID, Name: ptrTo("工房にじ")})
		must(t, err)
		p, _ := refsPage(t, cat)
		if got := names(p); !reflect.DeepEqual(got, []string{"工房にじ", "港区", "工房にじ", "港区", "ひまわり工房", "旭川市"}) {
			t.Errorf("after its own change of a facility the page shows %q", got)
		}
		_, err = cat.UpdateMunicipality(w.admin, tsunagu.UpdateMunicipalityInput{ID: w.partner.ID, Name: ptrTo("旭川")})
		must(t, err)
		p, _ = refsPage(t, cat)
		if got := names(p); !reflect.DeepEqual(got, []string{"工房にじ", "港区", "工房にじ", "港区", "ひまわり工房", "旭川"}) {
			t.Errorf("after its own change of a municipality the page shows %q", got)
		}
	})

	t.Run("InsertedSince", func(t *testing.T) {
		// Another process (a catalog without the copy) adds a facility and its
		// product; the notification never comes, the copy does not have them.
		f, err := w.catalog.CreateFacility(w.admin, tsunagu.CreateFacilityInput{MunicipalityID: w.partner.ID,
			Name: "あおぞら作業所", Kind: tsunagu.FacilityEmploymentB, Corporation: "NPO法人あおぞら"})
		must(t, err)
		w.product(w.admin, f, "布バッグ", 1500, tsunagu.TaxStandard10)
		p, n := refsPage(t, cat)
		if p.Facilities[f.ID] == nil || p.Facilities[f.ID].Name != "あおぞら作業所" {
			t.Errorf("the new facility is not on the page: %+v", p.Facilities)
		}
		if n != 2 {
			t.Errorf("the page took %d statements, want 2 (the page and the facility the copy lacks)", n)
		}
	})

	t.Run("NotListening", func(t *testing.T) {
		cat := postgres.NewCatalogService(w.db)
		cat.Refs = postgres.NewReferences() // never connected
		if _, n := refsPage(t, cat); n != 1 {
			t.Errorf("the page took %d statements, want 1 (the tables joined)", n)
		}
		cat.Refs.Connected(true)
		refsPage(t, cat)
		cat.Refs.Connected(false) // the copy is dropped: a change may go unseen
		_, err := w.catalog.UpdateFacility(w.admin, tsunagu.UpdateFacilityInput{ID: w.partnerFac.ID, Name: ptrTo("ひまわり")})
		must(t, err)
		p, n := refsPage(t, cat)
		if p.Facilities[w.partnerFac.ID].Name != "ひまわり" || n != 1 {
			t.Errorf("while not listening: %q in %d statements, want the table's name in 1",
				p.Facilities[w.partnerFac.ID].Name, n)
		}
	})

	t.Run("Notified", func(t *testing.T) {
		// A process that listens sees another's change once notified.
		lctx, cancel := context.WithCancel(ctx)
		defer cancel()
		cat := postgres.NewCatalogService(w.db)
		cat.Refs = postgres.NewReferences()
		heard := make(probe, 10)
		must(t, postgres.Listen(lctx, w.url, nil, cat.Refs, heard))
		refsPage(t, cat)
		_, err := w.catalog.UpdateMunicipality(w.admin, tsunagu.UpdateMunicipalityInput{ID: w.home.ID, NameEn: ptrTo("Minato City")})
		must(t, err)
		select {
		case <-heard:
		case <-time.After(10 * time.Second):
			t.Fatal("no notification of the change")
		}
		if p, n := refsPage(t, cat); p.Municipalities[w.home.ID].NameEn != "Minato City" || n != 3 {
			t.Errorf("after the notification: %q in %d statements, want the new name, both tables read again",
				p.Municipalities[w.home.ID].NameEn, n)
		}
	})
}
