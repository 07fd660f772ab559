package tsunagu

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/unicode/norm"
)

// Products in bulk: a CSV file with the columns of the console's export, one row
// a product, read as Excel writes it. A row with an id changes that product; a row
// without one lists a new product. Every row is checked as createProduct and
// updateProduct check their input, and the rows are written all together or not
// at all.

// ProductCSVColumns are the columns of products as CSV, in the export's order.
var ProductCSVColumns = func() []string {
	cols := []string{"id", "facility", "status", "category", "code", "price", "taxClass", "nameReading", "allergens"}
	for _, l := range Locales {
		cols = append(cols, "name_"+string(l), "description_"+string(l))
	}
	return cols
}()

// Limits on an import.
const (
	MaxImportRows  = 1000
	MaxImportBytes = 700 << 10 // the file, as sent base64 in a request of 1 MiB
)

// ImportProductsInput is a CSV file of products (UTF-8 with or without a byte
// order mark, or Shift_JIS) to check and, unless DryRun, to apply.
type ImportProductsInput struct {
	File   []byte
	DryRun bool
	// IdempotencyKey is required unless DryRun.
	IdempotencyKey string
	// ProductID reads a cell of the id column (the API's global ID of a product);
	// the API sets it.
	ProductID func(string) (ProductID, bool) `json:"-"`
}

// Validate checks the key (when the import is applied) and the file's size.
func (in *ImportProductsInput) Validate() error {
	var errs ValidationErrors
	if !in.DryRun {
		validateKey(&errs, in.IdempotencyKey)
	}
	switch {
	case len(in.File) == 0:
		errs.Add(CodeRequired, "input.file", "Choose a CSV file of products.")
	case len(in.File) > MaxImportBytes:
		errs.Add(CodeTooLong, "input.file", "The file can be at most %d KiB; import it in parts.", MaxImportBytes>>10)
	}
	return errs.Err()
}

func (in ImportProductsInput) Unkeyed() (string, any) { return unkeyed(&in, &in.IdempotencyKey) }

var _ Keyed = (*ImportProductsInput)(nil)

// ProductImportAction is what a row of an import does.
type ProductImportAction string

const (
	ImportCreate ProductImportAction = "CREATE"
	ImportUpdate ProductImportAction = "UPDATE"
)

// ProductImport is the outcome of an import: what each row does (a dry run) or
// did. ID is the applied import's, 0 for a dry run.
type ProductImport struct {
	ID     int64
	DryRun bool
	Rows   []*ProductImportRow
}

// ProductImportRow is one row of an import: the product it lists or changes, by
// its Japanese name, code and price. Product is the product as written, or as it
// is before a dry run changes it (nil for a new product then).
type ProductImportRow struct {
	Row     int
	Action  ProductImportAction
	Name    string
	Code    *string
	Price   int64
	Product *Product
}

// ProductImportRowError is one problem of one row: Row is the row's number as
// Excel shows it (the header is row 1), Column the column's name ("" for the
// whole row).
type ProductImportRowError struct {
	Row     int
	Column  string
	Code    Code
	Message string
}

// ImportErrors are every problem of an import's rows; an import with any writes
// nothing. As an error it unwraps to one INVALID_INPUT of input.file that says so.
type ImportErrors []ProductImportRowError

func (e ImportErrors) Error() string { return e.summary().Error() }

func (e ImportErrors) Unwrap() error { return e.summary() }

func (e ImportErrors) summary() *Error {
	rows := map[int]bool{}
	for _, re := range e {
		rows[re.Row] = true
	}
	return Errorf(CodeInvalidInput, "input.file", "%d of the rows have errors, listed by row; nothing was imported. Correct them and import the file again.", len(rows))
}

// ProductCSVRow is one row of a file as read: a nil field is a column the file
// does not have (or, for the fields every product has, an empty cell), which a
// change leaves as it is.
type ProductCSVRow struct {
	Row      int
	ID       *ProductID
	Facility string
	Status   *ProductStatus
	Category *Category
	// Code and NameReading are "" to remove them.
	Code         *string
	Price        *int64
	TaxClass     *TaxClass
	NameReading  *string
	Allergens    []Allergen
	Translations []TranslationInput
	// Errors are the problems found reading the row.
	Errors []ProductImportRowError
}

// ParseProductCSV reads a file of products. It returns an *Error of input.file
// when the file as a whole cannot be read (its encoding, its header, too many
// rows); problems of single rows are in their Errors. Rows with every cell empty
// are skipped, as Excel leaves them at the end.
func ParseProductCSV(file []byte, productID func(string) (ProductID, bool)) ([]*ProductCSVRow, error) {
	text, err := decodeCSV(file)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, Errorf(CodeInvalidInput, "input.file", "The file has no header row; export the products to see the columns.")
	}
	col := map[string]int{}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
		h := header[i]
		switch {
		case !slices.Contains(ProductCSVColumns, h):
			return nil, Errorf(CodeInvalidInput, "input.file", "The column %q is not a column of products; the columns are those of the export: %s.", h, strings.Join(ProductCSVColumns, ", "))
		case slices.Contains(header[:i], h):
			return nil, Errorf(CodeDuplicate, "input.file", "The column %q is there twice.", h)
		}
		col[h] = i
	}
	var rows []*ProductCSVRow
	for n := 2; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, Errorf(CodeInvalidInput, "input.file", "Row %d cannot be read as CSV: %v.", n, pe.Err)
		} else if err != nil {
			return nil, err
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		if len(rows) == MaxImportRows {
			return nil, Errorf(CodeOutOfRange, "input.file", "A file can have at most %d products; import it in parts.", MaxImportRows)
		}
		rows = append(rows, readRow(n, rec, header, col, productID))
	}
	if len(rows) == 0 {
		return nil, Errorf(CodeRequired, "input.file", "The file has no products under its header.")
	}
	return rows, nil
}

// decodeCSV gives the text of a file as Excel saves CSV: UTF-8 with a byte order
// mark ("CSV UTF-8"), plain UTF-8, or Shift_JIS (Windows-31J, Excel's "CSV" in
// Japanese Windows).
func decodeCSV(file []byte) (string, error) {
	if b, ok := bytes.CutPrefix(file, []byte("\uFEFF")); ok {
		file = b
	} else if !utf8.Valid(file) {
		d, err := japanese.ShiftJIS.NewDecoder().Bytes(file)
		if err != nil || bytes.ContainsRune(d, utf8.RuneError) {
			return "", Errorf(CodeInvalidInput, "input.file", "The file is neither UTF-8 nor Shift_JIS text; save it from Excel as CSV.")
		}
		file = d
	}
	if !utf8.Valid(file) {
		return "", Errorf(CodeInvalidInput, "input.file", "The file starts as UTF-8 but is not UTF-8 text; save it from Excel as CSV UTF-8.")
	}
	return string(file), nil
}

func readRow(n int, rec, header []string, col map[string]int, productID func(string) (ProductID, bool)) *ProductCSVRow {
	row := &ProductCSVRow{Row: n}
	fail := func(column string, code Code, format string, args ...any) {
		row.Errors = append(row.Errors, ProductImportRowError{Row: n, Column: column, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if len(rec) > len(header) && strings.TrimSpace(strings.Join(rec[len(header):], "")) != "" {
		fail("", CodeInvalidInput, "The row has %d cells but the header %d columns.", len(rec), len(header))
	}
	// cell is the trimmed text of a column, and whether the file has the column.
	cell := func(name string) (string, bool) {
		i, ok := col[name]
		if !ok {
			return "", false
		}
		if i >= len(rec) {
			return "", true
		}
		return strings.TrimSpace(rec[i]), true
	}
	if s, _ := cell("id"); s != "" {
		if id, ok := productID(s); ok {
			row.ID = &id
		} else {
			fail("id", CodeNotFound, "%q is not the ID of a product; leave id empty for a new product.", s)
		}
	}
	row.Facility, _ = cell("facility")
	if s, _ := cell("status"); s != "" {
		st := ProductStatus(strings.ToUpper(s))
		row.Status = &st
	}
	if s, _ := cell("category"); s != "" {
		c := Category(strings.ToUpper(s))
		row.Category = &c
	}
	if s, ok := cell("code"); ok {
		row.Code = &s
	}
	if s, ok := cell("price"); ok && s != "" {
		// As Excel may show it: full-width digits, a yen sign, thousands separators.
		s = strings.NewReplacer(",", "", "¥", "", "円", "").Replace(norm.NFKC.String(s))
		if p, err := strconv.ParseInt(s, 10, 64); err == nil {
			row.Price = &p
		} else {
			fail("price", CodeInvalidInput, "The price must be a whole number of yen, tax included.")
		}
	} else if ok && row.ID == nil {
		fail("price", CodeRequired, "Enter the price, tax included.")
	}
	if s, _ := cell("taxClass"); s != "" {
		tc := TaxClass(strings.ToUpper(s))
		row.TaxClass = &tc
	}
	if s, ok := cell("nameReading"); ok {
		row.NameReading = &s
	}
	if s, ok := cell("allergens"); ok {
		row.Allergens = []Allergen{}
		for _, a := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '　' || r == ';' }) {
			row.Allergens = append(row.Allergens, Allergen(strings.ToUpper(a)))
		}
	}
	texts := false
	for _, l := range Locales {
		name, hasName := cell("name_" + string(l))
		desc, hasDesc := cell("description_" + string(l))
		texts = texts || hasName || hasDesc
		if name != "" || desc != "" {
			row.Translations = append(row.Translations, TranslationInput{Locale: l, Name: name, Description: desc})
		}
	}
	if texts && row.Translations == nil {
		row.Translations = []TranslationInput{}
	}
	return row
}

// CreateInput is the new product of a row without an id, made by facility f.
func (r *ProductCSVRow) CreateInput(f FacilityID) CreateProductInput {
	in := CreateProductInput{FacilityID: f, Translations: r.Translations, NameReading: r.NameReading, Code: r.Code,
		Allergens: r.Allergens, Status: r.Status}
	if r.Category != nil {
		in.Category = *r.Category
	}
	if r.Price != nil {
		in.Price = *r.Price
	}
	if r.TaxClass != nil {
		in.TaxClass = *r.TaxClass
	}
	return in
}

// UpdateInput is the change a row with an id makes: what its cells say, and what
// the file has no column for as it is.
func (r *ProductCSVRow) UpdateInput() UpdateProductInput {
	return UpdateProductInput{ID: *r.ID, Translations: r.Translations, NameReading: r.NameReading, Category: r.Category,
		Code: r.Code, Price: r.Price, TaxClass: r.TaxClass, Allergens: r.Allergens, Status: r.Status}
}

// Fail adds a problem of the row in column.
func (r *ProductCSVRow) Fail(column string, code Code, format string, args ...any) {
	r.Errors = append(r.Errors, ProductImportRowError{Row: r.Row, Column: column, Code: code, Message: fmt.Sprintf(format, args...)})
}

// FailWith adds the problems err holds (the ValidationErrors of NewProduct or
// Product.Apply, or an *Error), each in the column its field names, and reports
// whether err held any; a caller returns any other error as it is.
func (r *ProductCSVRow) FailWith(err error) bool {
	errs := UserErrors(err)
	failed := slices.Clone(r.Errors)
	for _, e := range errs {
		// A cell that could not be read is not also said to be out of range.
		if c := r.column(e.Field); !slices.ContainsFunc(failed, func(f ProductImportRowError) bool { return f.Column == c }) {
			r.Errors = append(r.Errors, ProductImportRowError{Row: r.Row, Column: c, Code: e.Code, Message: e.Message})
		}
	}
	return errs != nil
}

// column is the column of a field of createProduct's or updateProduct's input.
func (r *ProductCSVRow) column(field string) string {
	parts := strings.Split(strings.TrimPrefix(field, "input."), ".")
	switch parts[0] {
	case "id":
		return "id"
	case "facilityId":
		return "facility"
	case "translations":
		if len(parts) == 3 {
			if i, err := strconv.Atoi(parts[1]); err == nil && i < len(r.Translations) {
				if parts[2] == "description" {
					return "description_" + string(r.Translations[i].Locale)
				}
				return "name_" + string(r.Translations[i].Locale)
			}
		}
		return "name_JA"
	case "status", "category", "code", "price", "taxClass", "nameReading", "allergens":
		return parts[0]
	}
	return ""
}

// Failed reports whether the row has a problem in column.
func (r *ProductCSVRow) Failed(column string) bool {
	return slices.ContainsFunc(r.Errors, func(e ProductImportRowError) bool { return e.Column == column })
}

// Name is the row's Japanese name.
func (r *ProductCSVRow) Name() string {
	for _, t := range r.Translations {
		if t.Locale == LocaleJA {
			return t.Name
		}
	}
	return ""
}
