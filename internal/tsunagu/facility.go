package tsunagu

import (
	"strings"
	"unicode/utf8"
)

// CreateFacilityInput is a new facility.
type CreateFacilityInput struct {
	MunicipalityID     MunicipalityID
	Name               string
	NameKana           string
	Kind               FacilityKind
	Corporation        string
	RegistrationNumber *string
	Contact            Contact
	Story              []FacilityStoryInput
	ImageURLs          []string
}

// FacilityStoryInput is a facility's story in one locale.
type FacilityStoryInput struct {
	Locale Locale
	Text   string
}

// UpdateFacilityInput changes a facility; nil fields stay as they are. An empty
// RegistrationNumber removes it (the operator is no longer a registered issuer).
type UpdateFacilityInput struct {
	ID                 FacilityID
	Name               *string
	NameKana           *string
	Kind               *FacilityKind
	Corporation        *string
	RegistrationNumber *string
	Contact            *Contact
	// Story and ImageURLs, when not nil, replace the whole story and all pictures.
	Story     []FacilityStoryInput
	ImageURLs []string
}

// NewFacility validates in and returns the facility it describes, reporting every
// problem at once as ValidationErrors.
func NewFacility(in CreateFacilityInput) (*Facility, error) {
	f := &Facility{
		MunicipalityID: in.MunicipalityID,
		Name:           in.Name,
		NameKana:       in.NameKana,
		Kind:           in.Kind,
		Corporation:    in.Corporation,
		Contact:        in.Contact,
		ImageURLs:      in.ImageURLs,
	}
	var errs ValidationErrors
	if in.RegistrationNumber != nil {
		f.setRegistrationNumber(&errs, *in.RegistrationNumber)
	}
	f.setStory(&errs, in.Story)
	f.validate(&errs)
	return f, errs.Err()
}

// Apply validates in against f and changes f; on error f must be thrown away.
func (f *Facility) Apply(in UpdateFacilityInput) error {
	var errs ValidationErrors
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&f.Name, in.Name)
	set(&f.NameKana, in.NameKana)
	set(&f.Corporation, in.Corporation)
	if in.Kind != nil {
		f.Kind = *in.Kind
	}
	if in.Contact != nil {
		f.Contact = *in.Contact
	}
	if in.RegistrationNumber != nil {
		f.setRegistrationNumber(&errs, *in.RegistrationNumber)
	}
	if in.Story != nil {
		f.setStory(&errs, in.Story)
	}
	if in.ImageURLs != nil {
		f.ImageURLs = in.ImageURLs
	}
	f.validate(&errs)
	return errs.Err()
}

// setStory takes one text per locale (INVALID_INPUT for an unknown locale,
// DUPLICATE for one given twice, TOO_LONG past MaxDescriptionLength); empty texts
// are left out.
func (f *Facility) setStory(errs *ValidationErrors, in []FacilityStoryInput) {
	f.Story = map[Locale]string{}
	for i, s := range in {
		field := fieldIndex("input.story", i)
		text := strings.TrimSpace(s.Text)
		switch {
		case !s.Locale.Valid():
			errs.Add(CodeInvalidInput, field+".locale", "Choose one of the locales.")
		case f.Story[s.Locale] != "":
			errs.Add(CodeDuplicate, field+".locale", "The %s story is given twice.", s.Locale.Tag())
		case utf8.RuneCountInString(text) > MaxDescriptionLength:
			errs.Add(CodeTooLong, field+".text", "A story can be at most %d characters.", MaxDescriptionLength)
		case text != "":
			f.Story[s.Locale] = text
		}
	}
}

func (f *Facility) setRegistrationNumber(errs *ValidationErrors, s string) {
	if strings.TrimSpace(s) == "" {
		f.RegistrationNumber = nil
		return
	}
	n, err := ParseRegistrationNumber(s, "input.registrationNumber")
	if err != nil {
		*errs = append(*errs, err.(*Error))
		return
	}
	f.RegistrationNumber = &n
}

func (f *Facility) validate(errs *ValidationErrors) {
	f.Name = strings.TrimSpace(f.Name)
	f.NameKana = strings.TrimSpace(f.NameKana)
	f.Corporation = strings.TrimSpace(f.Corporation)
	requireText(errs, "input.name", f.Name, "Enter the facility's name.")
	requireText(errs, "input.corporation", f.Corporation, "Enter the corporation that operates the facility.")
	limitText(errs, "input.nameKana", f.NameKana)
	if !f.Kind.Valid() {
		errs.Add(CodeInvalidInput, "input.kind", "Choose the kind of facility.")
	}
	if f.ImageURLs == nil {
		f.ImageURLs = []string{}
	}
	validateImageURLs(errs, f.ImageURLs)
	f.Contact.validate(errs)
}

// validate trims c and checks its lengths and e-mail address (input.contact.*).
func (c *Contact) validate(errs *ValidationErrors) {
	c.Person, c.Phone, c.Address = strings.TrimSpace(c.Person), strings.TrimSpace(c.Phone), strings.TrimSpace(c.Address)
	limitText(errs, "input.contact.person", c.Person)
	limitText(errs, "input.contact.phone", c.Phone)
	limitText(errs, "input.contact.address", c.Address)
	if strings.TrimSpace(c.Email) != "" {
		e, err := ParseEmail(c.Email, "input.contact.email")
		if err != nil {
			*errs = append(*errs, err.(*Error))
		}
		c.Email = e
	} else {
		c.Email = ""
	}
}

// MaxTextLength bounds short free-text fields (names, phone numbers, addresses).
const MaxTextLength = 200

func requireText(errs *ValidationErrors, field, v, msg string) {
	if v == "" {
		errs.Add(CodeRequired, field, "%s", msg)
		return
	}
	limitText(errs, field, v)
}

func limitText(errs *ValidationErrors, field, v string) {
	if utf8.RuneCountInString(v) > MaxTextLength {
		errs.Add(CodeTooLong, field, "This can be at most %d characters.", MaxTextLength)
	}
}
