package consoleweb_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"tsunagu/internal/tsunagu"
	"tsunagu/internal/webtest"
)

// importWithABadRow is a manager of 港区's import of products from CSV by keyboard,
// from the home screen. The file Excel saved (Shift_JIS) has one bad price: the check
// lists it by row and column, with what the column wants, says that nothing was
// written, and nothing was; a file with a problem in every column has each said with
// what its column wants. The corrected file (CSV UTF-8) checks clean and previews
// its rows, still writing nothing; importing then writes both. It ends on the
// editor of the first imported product.
func importWithABadRow(t *testing.T, n *network, b *webtest.Browser) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const header = "facility,status,category,code,price,taxClass,nameReading,name_JA,name_EN\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(header +
		"ワークショップ虹,ACTIVE,SWEETS,,480,REDUCED_8,ほうじちゃさぶれ,ほうじ茶サブレ,Hojicha sables\r\n" +
		"ワークショップ虹,ACTIVE,SWEETS,,４８０円です,REDUCED_8,,黒豆クッキー,\r\n")
	if err != nil {
		t.Fatal(err)
	}
	badFile := write("bad.csv", []byte(sjis))
	goodFile := write("good.csv", []byte("\uFEFF"+header+
		"ワークショップ虹,ACTIVE,SWEETS,,480,REDUCED_8,ほうじちゃさぶれ,ほうじ茶サブレ,Hojicha sablés\r\n"+
		"ワークショップ虹,ACTIVE,SWEETS,,520,REDUCED_8,,黒豆クッキー,\r\n"))
	imported := func() map[string]*tsunagu.Product {
		t.Helper()
		got := map[string]*tsunagu.Product{}
		for _, name := range []string{"ほうじ茶サブレ", "黒豆クッキー"} {
			page, err := n.s.Catalog.Products(admin(), tsunagu.ProductFilter{Text: name}, tsunagu.PageArgs{First: 5})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				got[p.Translations.In(tsunagu.LocaleJA).Name] = p
			}
		}
		return got
	}

	b.TabTo("nav-products")
	b.Do("to the products", key("\r"))
	focusOnHeading(t, b, "商品")
	b.TabTo("import-products")
	b.Do("to the import", key("\r"))
	focusOnHeading(t, b, "CSV から取り込む")
	b.CheckA11y("import")

	// Checking with no file says so at the field.
	b.TabTo("imp-check")
	b.Do("checking without a file", key("\r"))
	b.WaitText("#imp-file-err", "入力してください")
	if f := b.Focused(); f != "imp-file" {
		t.Errorf("after checking without a file focus is on %q", f)
	}

	b.Do("choosing the file with a bad row", setFiles("#imp-file", badFile))
	b.TabTo("imp-check")
	b.Do("checking it", key("\r"))
	b.WaitText("#imp-result-h", "問題のある行が 1 行あります")
	if f := b.Focused(); f != "imp-result-h" {
		t.Errorf("after the check focus is on %q, want the result's heading", f)
	}
	if got := b.Text("#imp-row-errors tbody"); !strings.Contains(got, "3 行目") || !strings.Contains(got, "price") || !strings.Contains(got, "税込みの価格を円の整数で") || strings.Contains(got, "2 行目") {
		t.Errorf("the row errors: %q", got)
	}
	if b.Eval(`String(!!document.getElementById("imp-apply"))`) != "false" {
		t.Error("a file with a bad row can be imported")
	}
	b.CheckA11y("import-refused")
	b.Width(320)
	b.CheckReflow("import-refused-320")
	b.Width(1280)
	if got := imported(); len(got) != 0 {
		t.Fatalf("the refused file wrote %v", got)
	}

	// A problem in any column says what the column wants: a file with one in each.
	b.Do("choosing a file with a problem in every column", setFiles("#imp-file", write("every.csv", everyColumnWrong())))
	b.TabTo("imp-check")
	b.Do("checking it", key("\r"))
	b.WaitText("#imp-result-h", fmt.Sprintf("問題のある行が %d 行あります", len(tsunagu.ProductCSVColumns)))
	hints := map[string]string{}
	if err := json.Unmarshal([]byte(b.Eval(`JSON.stringify(Object.fromEntries([...document.querySelectorAll("#imp-row-errors tbody tr")]
		.map(r => [r.cells[0].textContent + " " + r.cells[1].textContent, (r.querySelector(".col-hint") || {}).textContent || ""])))`)), &hints); err != nil {
		t.Fatal(err)
	}
	for i, c := range tsunagu.ProductCSVColumns {
		if hint, ok := hints[fmt.Sprintf("%d 行目 %s", i+2, c)]; !ok {
			t.Errorf("row %d has no problem in its column %s: %v", i+2, c, hints)
		} else if hint == "" {
			t.Errorf("the problem in the column %s says nothing of what the column wants", c)
		}
	}
	for col, want := range map[string]string{"category": "SWEETS（お菓子）", "allergens": "WHEAT", "facility": "事業所の名前", "name_EN": "英語の名前。100文字まで", "description_KO": "韓国語の説明"} {
		if hint := hints[fmt.Sprintf("%d 行目 %s", slices.Index(tsunagu.ProductCSVColumns, col)+2, col)]; !strings.Contains(hint, want) {
			t.Errorf("the hint of the column %s is %q, want it to say %q", col, hint, want)
		}
	}

	// The corrected file previews its rows and still writes nothing.
	b.Do("choosing the corrected file", setFiles("#imp-file", goodFile))
	b.TabTo("imp-check")
	b.Do("checking it", key("\r"))
	b.WaitText("#imp-result-h", "2 行とも取り込めます")
	if got := b.Text("#imp-rows tbody"); !strings.Contains(got, "ほうじ茶サブレ") || !strings.Contains(got, "黒豆クッキー") || !strings.Contains(got, "追加") {
		t.Errorf("the preview: %q", got)
	}
	if got := imported(); len(got) != 0 {
		t.Fatalf("the check wrote %v", got)
	}
	b.CheckA11y("import-preview")

	b.TabTo("imp-apply")
	b.Do("importing", key("\r"))
	b.WaitText("#imp-result-h", "2 行を取り込みました")
	b.CheckA11y("import-done")
	got := imported()
	if p := got["ほうじ茶サブレ"]; p == nil || p.Price != 480 || p.Status != tsunagu.StatusActive || p.Translations.In(tsunagu.LocaleEN).Name != "Hojicha sablés" ||
		p.NameReading == nil || *p.NameReading != "ほうじちゃさぶれ" {
		t.Errorf("ほうじ茶サブレ as imported: %+v", p)
	}
	if p := got["黒豆クッキー"]; p == nil || p.Price != 520 {
		t.Errorf("黒豆クッキー as imported: %+v", p)
	}
	// The imported goods are linked from the result.
	b.Do("to the imported product", click("#imp-rows tbody a"))
	focusOnHeading(t, b, "商品の編集")
}

// everyColumnWrong is a CSV file with every column of the import, whose row n+2 is
// a good new product but for a problem in the column n.
func everyColumnWrong() []byte {
	wrong := map[string]string{"id": "no-such-id", "facility": "ない事業所", "status": "SOLD", "category": "SNACK", "code": "123",
		"price": "高い", "taxClass": "5%", "nameReading": "漢字", "allergens": "NUTS", "name_JA": ""}
	good := map[string]string{"facility": "ワークショップ虹", "status": "ACTIVE", "category": "SWEETS", "price": "480", "taxClass": "REDUCED_8", "name_JA": "黒豆クッキー"}
	var w bytes.Buffer
	w.WriteString("\uFEFF")
	c := csv.NewWriter(&w)
	c.UseCRLF = true
	c.Write(tsunagu.ProductCSVColumns)
	for _, bad := range tsunagu.ProductCSVColumns {
		row := make([]string, len(tsunagu.ProductCSVColumns))
		for i, col := range tsunagu.ProductCSVColumns {
			row[i] = good[col]
		}
		v, ok := wrong[bad]
		switch {
		case ok:
		case strings.HasPrefix(bad, "name_"):
			v = strings.Repeat("名", tsunagu.MaxNameLength+1)
		default: // description_
			v = strings.Repeat("説", tsunagu.MaxDescriptionLength+1)
		}
		row[slices.Index(tsunagu.ProductCSVColumns, bad)] = v
		c.Write(row)
	}
	c.Flush()
	return w.Bytes()
}
