package shopweb

import (
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"tsunagu/internal/tsunagu"
)

// form is a form as the page shows it: its fields with what was typed and each
// field's error, and the errors that belong to no field.
type form struct {
	Action string
	Hidden []hidden
	Fields []*field
	Submit template.HTML
	// Summary lists every error, linking to its field, at the top of the form;
	// it takes the focus when the page opens.
	Summary []summaryItem
}

type hidden struct{ Name, Value string }

type field struct {
	Name, Type, Autocomplete string
	Label, Hint, Error       template.HTML
	Value                    string
	Required, Autofocus      bool
}

type summaryItem struct {
	Href string
	Text template.HTML
}

// ID is the input's id; the summary links to it.
func (f *field) ID() string { return "f-" + f.Name }

// Describedby lists the ids of the hint and the error, for aria-describedby.
func (f *field) Describedby() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, "e-"+f.Name)
	}
	if f.Hint != "" {
		ids = append(ids, "h-"+f.Name)
	}
	return strings.Join(ids, " ")
}

func (f *form) field(name string) *field {
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl
		}
	}
	return nil
}

// fill takes the posted values of the fields (never of a password).
func (f *form) fill(r *http.Request) {
	for _, fl := range f.Fields {
		if fl.Type != "password" {
			fl.Value = strings.TrimSpace(r.PostFormValue(fl.Name))
		}
	}
}

// fail ties an error to the field name, or to the whole form when it has no such
// field, and lists it in the summary.
func (f *form) fail(name string, text template.HTML) {
	if fl := f.field(name); fl != nil {
		if fl.Error == "" {
			fl.Error = text
			// The summary names the field: "Name: Enter this."
			f.Summary = append(f.Summary, summaryItem{Href: "#" + fl.ID(), Text: fl.Label + "： " + text})
		}
		return
	}
	f.Summary = append(f.Summary, summaryItem{Text: text})
}

func (f *form) failed() bool { return len(f.Summary) > 0 }

// requireAll marks each required field left empty; it reports whether all are there.
func (f *form) requireAll(l tsunagu.Locale, r *http.Request) bool {
	for _, fl := range f.Fields {
		if fl.Required && strings.TrimSpace(r.PostFormValue(fl.Name)) == "" {
			f.fail(fl.Name, msg(l, "errRequired"))
		}
	}
	return !f.failed()
}

var firstNumber = regexp.MustCompile(`\d+`)

// userErrors puts the API's userErrors on the form's fields, in the shopper's
// language. wrongPassword is the sentence for INVALID_CREDENTIALS on this page.
func (f *form) userErrors(l tsunagu.Locale, errs []userError, wrongPassword string) {
	for _, e := range errs {
		name := strings.TrimPrefix(e.Field, "input.")
		var text template.HTML
		switch e.Code {
		case "REQUIRED":
			text = msg(l, "errRequired")
		case "INVALID_TOKEN":
			text = msg(l, "errToken")
		case "INVALID_CREDENTIALS":
			text = msg(l, wrongPassword)
		case "OUT_OF_RANGE":
			text = msg(l, "errShort", "n", firstNumber.FindString(e.Message))
		case "TOO_LONG":
			text = msg(l, "errTooLong")
		case "INVALID_EMAIL":
			text = msg(l, "errEmail")
		case "TOO_MANY_LOGIN_ATTEMPTS":
			text = msg(l, "errAttempts")
		default:
			text = msg(l, "errInvalid")
		}
		f.fail(name, text)
	}
}

// apiFailed puts a failed call on the form: busy for the limits and outages, an
// internal error (logged) for anything else.
func (s *server) apiFailed(r *http.Request, f *form, l tsunagu.Locale, err error) {
	switch errorCode(err) {
	case "RATE_LIMITED", "UNAVAILABLE", "TIMEOUT":
		f.fail("", msg(l, "errBusy"))
	default:
		s.log.ErrorContext(r.Context(), "shop: calling the API", "path", r.URL.Path, "err", err)
		f.fail("", msg(l, "errInternal"))
	}
}
