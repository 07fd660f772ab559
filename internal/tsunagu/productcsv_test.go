package tsunagu_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/japanese"

	"tsunagu/internal/tsunagu"
)

// noIDs reads no id cell as a product's.
func noIDs(string) (tsunagu.ProductID, bool) { return 0, false }

// Files as Excel saves them read the same: "CSV UTF-8" with its byte order mark,
// plain UTF-8, and Shift_JIS; anything else is refused as a whole.
func TestParseProductCSVEncodings(t *testing.T) {
	text := "name_JA,price,allergens\r\n抹茶クッキー,\"￥1,200\",egg　MILK\r\n,,\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string]string{"UTF8BOM": "\uFEFF" + text, "UTF8": text, "ShiftJIS": sjis} {
		t.Run(name, func(t *testing.T) {
			rows, err := tsunagu.ParseProductCSV([]byte(file), noIDs)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].Row != 2 || rows[0].Name() != "抹茶クッキー" || *rows[0].Price != 1200 ||
				!cmp.Equal(rows[0].Allergens, []tsunagu.Allergen{tsunagu.AllergenEgg, tsunagu.AllergenMilk}) || len(rows[0].Errors) != 0 {
				t.Errorf("rows %+v", rows[0])
			}
		})
	}
	for name, c := range map[string]struct {
		file string
		code tsunagu.Code
	}{
		"ErrNotText":       {"\xff\xfe\x00\x81\x00", tsunagu.CodeInvalidInput},
		"ErrBOMNotUTF8":    {"\uFEFFname_JA\r\n\x82\xa0\r\n", tsunagu.CodeInvalidInput},
		"ErrUnknownColumn": {"name_JA,colour\r\n飴,red\r\n", tsunagu.CodeInvalidInput},
		"ErrColumnTwice":   {"name_JA,price,price\r\n飴,1,2\r\n", tsunagu.CodeDuplicate},
		"ErrNoRows":        {"name_JA,price\r\n,\r\n", tsunagu.CodeRequired},
		"ErrTooManyRows":   {"name_JA,price\r\n" + strings.Repeat("飴,100\r\n", tsunagu.MaxImportRows+1), tsunagu.CodeOutOfRange},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tsunagu.ParseProductCSV([]byte(c.file), noIDs)
			if tsunagu.ErrorCode(err) != c.code || tsunagu.UserErrors(err)[0].Field != "input.file" {
				t.Errorf("error %v, want %s of input.file", err, c.code)
			}
		})
	}
}

// A row's cells that cannot be read are its errors, by column; createProduct's
// checks of the rest say their fields' columns, once per column.
func TestProductCSVRowErrors(t *testing.T) {
	rows, err := tsunagu.ParseProductCSV([]byte("id,category,price,taxClass,name_JA,description_EN\r\n"+
		"xyz,FOOD,100,REDUCED_8,飴,\r\n"+
		",FOOD,abc,REDUCED_8,飴,\r\n"+
		",FOOD,,REDUCED_8,,only a description\r\n"), noIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r.ID == nil {
			_, err := tsunagu.NewProduct(r.CreateInput(1))
			r.FailWith(err)
		}
	}
	type rowErr struct {
		Row          int
		Column, Code string
	}
	var got []rowErr
	for _, r := range rows {
		for _, e := range r.Errors {
			got = append(got, rowErr{e.Row, e.Column, string(e.Code)})
		}
	}
	want := []rowErr{
		{2, "id", "NOT_FOUND"},
		{3, "price", "INVALID_INPUT"},
		{4, "price", "REQUIRED"},
		{4, "name_EN", "REQUIRED"},
		{4, "name_JA", "REQUIRED"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
}
