package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/japanese"

	"tsunagu/graph/gid"
	"tsunagu/internal/tsunagu"
)

const importMutation = `mutation($in: ImportProductsInput!) { importProducts(input: $in) {
	dryRun rows { row action name code price product { id name price code facility { name } } }
	rowErrors { row column code message } userErrors { code field } } }`

type importResult struct {
	ImportProducts struct {
		DryRun bool
		Rows   []struct {
			Row     int
			Action  string
			Name    string
			Code    *string
			Price   int
			Product *struct {
				ID, Name string
				Price    int
				Code     *string
				Facility struct{ Name string }
			}
		}
		RowErrors  []rowError
		UserErrors []struct{ Code, Field string }
	}
}

type rowError struct {
	Row          int
	Column, Code string
	Message      string `json:"-"`
}

// importCSV sends file to importProducts as user as and decodes the answer; key ""
// makes a dry run.
func (a *api) importCSV(as string, file []byte, key string) importResult {
	a.t.Helper()
	in := map[string]any{"file": base64.StdEncoding.EncodeToString(file), "dryRun": key == ""}
	if key != "" {
		in["idempotencyKey"] = key
	}
	r := a.do(as, importMutation, map[string]any{"in": in})
	if len(r.Errors) > 0 {
		a.t.Fatalf("importProducts: %+v", r.Errors)
	}
	var out importResult
	must(a.t, json.Unmarshal(r.Data, &out))
	return out
}

// csvFile is a CSV file as Excel saves "CSV UTF-8": a byte order mark, CRLF.
func csvFile(lines ...string) []byte {
	return []byte("\uFEFF" + strings.Join(lines, "\r\n") + "\r\n")
}

const importHeader = "id,facility,status,category,code,price,taxClass,nameReading,allergens,name_JA,description_JA,name_EN"

// A manager imports products from CSV: a file with bad rows is refused row by row,
// as a dry run and when applied, and changes nothing; the corrected file is
// previewed without writing, then applied all at once; a retry with the same key
// returns the first result and writes nothing more, another file under that key
// is refused. Shift_JIS files, as Excel saves CSV in Japanese, read the same.
func TestImportProducts(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	kept := a.product(a.homeFac, "バタークッキー", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) { in.Code = ptr("4901234567894") })
	a.product(a.homeFac, "ジャム", tsunagu.StatusActive, func(in *tsunagu.CreateProductInput) { in.Code = ptr("4589001000999") })
	theirs := a.product(a.partnerFac, "木のスプーン", tsunagu.StatusDraft)
	keptID := a.id(gid.KindProduct, int64(kept.ID))

	bad := csvFile(importHeader,
		",ワークショップ虹,ACTIVE,SWEETS,4912345678904,450,REDUCED_8,まっちゃくっきー,EGG MILK,抹茶クッキー,,Matcha cookies",
		keptID+",ワークショップ虹,ACTIVE,SWEETS,4901234567894,500,REDUCED_8,,,バタークッキー,,",
		",ワークショップ虹,,SWEETS,4912345678900,abc,NINE,,,,説明だけ,",
		",ひまわり工房,,CRAFT,,800,STANDARD_10,,,木の皿,,",
		",ワークショップ虹,,SWEETS,4901234567894,300,REDUCED_8,,,クッキー2,,",
		",ワークショップ虹,,FOOD,4589001000999,600,REDUCED_8,,,ジャム2,,",
		"",
		",,,,,,,,,,,",
	)
	wantErrs := []rowError{
		{Row: 4, Column: "price", Code: "INVALID_INPUT"},
		{Row: 4, Column: "taxClass", Code: "INVALID_INPUT"},
		{Row: 4, Column: "code", Code: "INVALID_JAN"},
		{Row: 4, Column: "name_JA", Code: "REQUIRED"},
		{Row: 5, Column: "facility", Code: "NOT_FOUND"},
		{Row: 6, Column: "code", Code: "DUPLICATE_CODE"},
		{Row: 7, Column: "code", Code: "DUPLICATE_CODE"},
	}
	sortErrs := func(es []rowError) []rowError {
		out := append([]rowError(nil), es...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j].Row < out[i].Row || (out[j].Row == out[i].Row && out[j].Column < out[i].Column) {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	refused := func(t *testing.T, got importResult) {
		t.Helper()
		if d := cmp.Diff(sortErrs(wantErrs), sortErrs(got.ImportProducts.RowErrors)); d != "" {
			t.Errorf("row errors (-want +got):\n%s", d)
		}
		if ues := got.ImportProducts.UserErrors; len(ues) != 1 || ues[0].Code != "INVALID_INPUT" || ues[0].Field != "input.file" {
			t.Errorf("userErrors %+v, want one INVALID_INPUT of input.file", ues)
		}
		if len(got.ImportProducts.Rows) != 0 {
			t.Errorf("rows %+v with errors", got.ImportProducts.Rows)
		}
	}

	t.Run("ErrRowsDryRun", func(t *testing.T) {
		before := a.snapshot()
		refused(t, a.importCSV("manager", bad, ""))
		a.unchanged(before)
	})
	t.Run("ErrRowsApplied", func(t *testing.T) {
		before := a.snapshot()
		refused(t, a.importCSV("manager", bad, "import-bad"))
		a.unchanged(before)
	})

	good := csvFile(importHeader,
		",ワークショップ虹,ACTIVE,SWEETS,4912345678904,\"¥1,200\",REDUCED_8,まっちゃくっきー,EGG MILK,抹茶クッキー,,Matcha cookies",
		keptID+",ワークショップ虹,ACTIVE,SWEETS,4901234567894,500,REDUCED_8,,,バタークッキー,,",
	)
	t.Run("DryRun", func(t *testing.T) {
		before := a.snapshot()
		got := a.importCSV("manager", good, "").ImportProducts
		a.unchanged(before)
		if !got.DryRun || len(got.RowErrors) != 0 || len(got.UserErrors) != 0 || len(got.Rows) != 2 ||
			got.Rows[0].Row != 2 || got.Rows[0].Action != "CREATE" || got.Rows[0].Name != "抹茶クッキー" || got.Rows[0].Price != 1200 || got.Rows[0].Product != nil ||
			got.Rows[1].Row != 3 || got.Rows[1].Action != "UPDATE" || got.Rows[1].Product == nil || got.Rows[1].Product.Price != 350 || got.Rows[1].Price != 500 {
			t.Errorf("dry run: %+v", got)
		}
	})
	var first importResult
	t.Run("Apply", func(t *testing.T) {
		first = a.importCSV("manager", good, "import-1")
		got := first.ImportProducts
		if got.DryRun || len(got.RowErrors) != 0 || len(got.Rows) != 2 || got.Rows[0].Product == nil || got.Rows[0].Product.Name != "抹茶クッキー" ||
			got.Rows[0].Product.Facility.Name != "ワークショップ虹" || got.Rows[1].Product.ID != keptID || got.Rows[1].Product.Price != 500 {
			t.Fatalf("import: %+v", got)
		}
		page, err := a.catalog.Products(a.adminCtx(), tsunagu.ProductFilter{Text: "抹茶クッキー"}, tsunagu.PageArgs{First: 5})
		must(t, err)
		if len(page.Items) != 1 {
			t.Fatalf("%d products named 抹茶クッキー", len(page.Items))
		}
		p := page.Items[0]
		if p.Price != 1200 || p.Status != tsunagu.StatusActive || *p.Code != "4912345678904" || *p.NameReading != "まっちゃくっきー" ||
			p.Translations.In(tsunagu.LocaleEN).Name != "Matcha cookies" || len(p.Allergens) != 2 || p.FacilityID != a.homeFac.ID {
			t.Errorf("the imported product: %+v", p)
		}
	})
	t.Run("Replay", func(t *testing.T) {
		before := a.snapshot()
		again := a.importCSV("manager", good, "import-1")
		a.unchanged(before)
		if d := cmp.Diff(first, again); d != "" {
			t.Errorf("a retry answers otherwise (-first +retry):\n%s", d)
		}
	})
	t.Run("ErrIdempotencyConflict", func(t *testing.T) {
		before := a.snapshot()
		got := a.importCSV("manager", csvFile(importHeader, ",ワークショップ虹,,SWEETS,,300,REDUCED_8,,,別の品,,"), "import-1")
		a.unchanged(before)
		if ues := got.ImportProducts.UserErrors; len(ues) != 1 || ues[0].Code != "IDEMPOTENCY_CONFLICT" {
			t.Errorf("another file under a used key: %+v", got.ImportProducts)
		}
	})
	t.Run("ShiftJIS", func(t *testing.T) {
		sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(importHeader + "\r\n,ワークショップ虹,,SWEETS,,380,REDUCED_8,ほうじちゃ,,ほうじ茶サブレ,香ばしい,\r\n"))
		must(t, err)
		got := a.importCSV("manager", sjis, "").ImportProducts
		if len(got.Rows) != 1 || got.Rows[0].Name != "ほうじ茶サブレ" || len(got.RowErrors) != 0 {
			t.Errorf("a Shift_JIS file: %+v", got)
		}
	})
	t.Run("ErrFile", func(t *testing.T) {
		before := a.snapshot()
		for name, file := range map[string][]byte{
			"UnknownColumn": csvFile("name_JA,price,colour", "飴,100,red"),
			"NoRows":        csvFile(importHeader, ",,,,,,,,,,,"),
			"NotText":       {0xff, 0xfe, 0x00, 0x81},
		} {
			got := a.importCSV("manager", file, "").ImportProducts
			if ues := got.UserErrors; len(ues) != 1 || ues[0].Field != "input.file" || len(got.RowErrors) != 0 {
				t.Errorf("%s: %+v", name, got)
			}
		}
		a.unchanged(before)
	})
	t.Run("FacilityStaffTheirOwn", func(t *testing.T) {
		got := a.importCSV("facility", csvFile("facility,category,price,taxClass,name_JA", ",CRAFT,700,STANDARD_10,刺し子のふきん",
			"ひまわり工房,CRAFT,700,STANDARD_10,よその品"), "")
		want := []rowError{{Row: 3, Column: "facility", Code: "NOT_FOUND"}}
		if d := cmp.Diff(want, got.ImportProducts.RowErrors); d != "" {
			t.Errorf("row errors (-want +got):\n%s", d)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		// Another municipality's draft is no product at all to this manager, and
		// the whole file is refused, as updateProduct refuses it.
		before := a.snapshot()
		file := csvFile("id,price", keptID+",510", a.id(gid.KindProduct, int64(theirs.ID))+",900")
		r := a.do("manager", importMutation, map[string]any{"in": map[string]any{"file": base64.StdEncoding.EncodeToString(file), "idempotencyKey": "nf"}})
		if r.code() != "NOT_FOUND" {
			t.Errorf("another's draft: %s %+v", r.Data, r.Errors)
		}
		a.unchanged(before)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		before := a.snapshot()
		r := a.do("clerk", importMutation, map[string]any{"in": map[string]any{"file": base64.StdEncoding.EncodeToString(good), "idempotencyKey": "c"}})
		if r.code() != "FORBIDDEN" {
			t.Errorf("a clerk imports: %s %+v", r.Data, r.Errors)
		}
		a.unchanged(before)
	})
}
