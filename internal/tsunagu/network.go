package tsunagu

import (
	"context"
	"strings"
	"time"
)

// The network's own objects: municipalities and the partnerships between them,
// which only admins change.

// RequireAdmin returns nil for an admin, UNAUTHENTICATED without a user and
// FORBIDDEN for anyone else.
func RequireAdmin(u *User) error {
	switch {
	case u == nil:
		return ErrUnauthenticated
	case !u.IsAdmin():
		return ErrForbidden
	}
	return nil
}

// CreateMunicipalityInput is a municipality joining the network.
type CreateMunicipalityInput struct {
	Code       string
	Name       string
	NameKana   string
	NameEn     string
	Prefecture string
	Contact    *Contact
}

// Municipality returns the municipality in describes, not yet validated.
func (in CreateMunicipalityInput) Municipality() *Municipality {
	m := &Municipality{Code: in.Code, Name: in.Name, NameKana: in.NameKana, NameEn: in.NameEn, Prefecture: in.Prefecture}
	if in.Contact != nil {
		m.Contact = *in.Contact
	}
	return m
}

// UpdateMunicipalityInput changes a municipality; nil fields stay as they are.
type UpdateMunicipalityInput struct {
	ID         MunicipalityID
	Code       *string
	Name       *string
	NameKana   *string
	NameEn     *string
	Prefecture *string
	// Contact replaces the whole contact.
	Contact *Contact
}

// Validate normalizes m and checks it, reporting every problem at once: the code
// and its check digit (INVALID_MUNICIPALITY_CODE, input.code), the names, and the
// prefecture, which must be the one the code's first two digits name
// (INVALID_INPUT, input.prefecture).
func (m *Municipality) Validate() error {
	var errs ValidationErrors
	code, err := ParseMunicipalityCode(m.Code, "input.code")
	if !errs.AddError(err) {
		m.Code = code
	}
	m.Name, m.NameKana, m.NameEn = strings.TrimSpace(m.Name), strings.TrimSpace(m.NameKana), strings.TrimSpace(m.NameEn)
	m.Prefecture = strings.TrimSpace(m.Prefecture)
	requireText(&errs, "input.name", m.Name, "Enter the municipality's name.")
	limitText(&errs, "input.nameKana", m.NameKana)
	limitText(&errs, "input.nameEn", m.NameEn)
	if err == nil {
		if want := PrefectureOf(m.Code); m.Prefecture != want {
			errs.Add(CodeInvalidInput, "input.prefecture", "Code %s is a municipality of %s.", m.Code, want)
		}
	} else if !isPrefecture(m.Prefecture) {
		errs.Add(CodeInvalidInput, "input.prefecture", "Enter one of the 47 prefectures, such as 東京都.")
	}
	m.Contact.validate(&errs)
	return errs.Err()
}

// Apply changes m by in and validates the result; on error m must be thrown away.
func (m *Municipality) Apply(in UpdateMunicipalityInput) error {
	for _, f := range []struct{ dst, src *string }{
		{&m.Code, in.Code}, {&m.Name, in.Name}, {&m.NameKana, in.NameKana}, {&m.NameEn, in.NameEn}, {&m.Prefecture, in.Prefecture},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if in.Contact != nil {
		m.Contact = *in.Contact
	}
	return m.Validate()
}

// prefectures are the 47 prefectures in the order of their JIS X 0401 codes, which
// are the first two digits of their municipalities' codes.
var prefectures = [...]string{"北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
	"茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
	"新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県",
	"三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
	"鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
	"福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"}

// PrefectureOf returns the prefecture of a valid 6-digit municipality code, or ""
// when its first two digits name none.
func PrefectureOf(code string) string {
	if len(code) < 2 || !isDigits(code[:2]) {
		return ""
	}
	n := int(code[0]-'0')*10 + int(code[1]-'0')
	if n < 1 || n > len(prefectures) {
		return ""
	}
	return prefectures[n-1]
}

func isPrefecture(s string) bool {
	for _, p := range prefectures {
		if p == s {
			return true
		}
	}
	return false
}

// PartnershipID identifies one partnership (one period of two municipalities' partnership).
type PartnershipID int64

// Partnership is two municipalities' partnership for a period of Japan dates: from
// StartsOn until the day before EndsOn (open while EndsOn is nil). While it holds,
// each one's shops carry the other's goods; ended and begun again, it is a second
// Partnership, so the history stays. MunicipalityA < MunicipalityB.
type Partnership struct {
	ID            PartnershipID
	MunicipalityA MunicipalityID
	MunicipalityB MunicipalityID
	StartsOn      time.Time
	EndsOn        *time.Time
	CreatedAt     time.Time
}

// CreatePartnershipInput begins a partnership.
type CreatePartnershipInput struct {
	MunicipalityA MunicipalityID
	MunicipalityB MunicipalityID
	// From is the first day ("YYYY-MM-DD", Japan); nil: today.
	From *string
}

// Validate checks in and puts the pair in order (A < B). It returns the first day,
// nil for today. INVALID_INPUT for a municipality paired with itself
// (input.municipalityB) or a malformed date (input.from).
func (in *CreatePartnershipInput) Validate() (*time.Time, error) {
	var errs ValidationErrors
	if in.MunicipalityA == in.MunicipalityB {
		errs.Add(CodeInvalidInput, "input.municipalityB", "A municipality cannot partner with itself.")
	}
	if in.MunicipalityA > in.MunicipalityB {
		in.MunicipalityA, in.MunicipalityB = in.MunicipalityB, in.MunicipalityA
	}
	var from *time.Time
	if in.From != nil {
		d, err := ParseDate(*in.From, "input.from")
		if !errs.AddError(err) {
			from = &d
		}
	}
	return from, errs.Err()
}

// EndPartnershipInput ends a partnership.
type EndPartnershipInput struct {
	ID PartnershipID
	// On is the first day without it ("YYYY-MM-DD", Japan): today or later, after
	// its first day.
	On string
}

// CheckEnd returns nil when p may end on day on, given today's Japan date:
// INVALID_STATE when it has ended already, INVALID_INPUT (input.on) when on is in
// the past (sales made under a partnership stand) or not after its first day.
func (p *Partnership) CheckEnd(on, today time.Time) error {
	switch {
	case p.EndsOn != nil:
		return Errorf(CodeInvalidState, "", "This partnership ended on %s already.", p.EndsOn.Format(time.DateOnly))
	case on.Before(today):
		return Errorf(CodeInvalidInput, "input.on", "A partnership cannot end in the past; give today (%s) or a later day.", today.Format(time.DateOnly))
	case !on.After(p.StartsOn):
		return Errorf(CodeInvalidInput, "input.on", "The partnership begins on %s; it can end from the day after.", p.StartsOn.Format(time.DateOnly))
	}
	return nil
}

// JapanToday is today's date in Japan, as a UTC midnight (as ParseDate returns).
func JapanToday(now time.Time) time.Time {
	y, m, d := now.In(japanTime()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NetworkService changes the network: municipalities and partnerships, for admins
// only (UNAUTHENTICATED for an anonymous request, FORBIDDEN for anyone else). Every
// change is in the audit log. Errors are *Error values with the codes below; any
// other error is internal.
type NetworkService interface {
	// CreateMunicipality adds a municipality (m.Validate's rules) and fills in m's
	// ID and times. Returns UNAUTHENTICATED, FORBIDDEN, validation errors, or
	// DUPLICATE (input.code) for a code in use; and then changes nothing.
	CreateMunicipality(ctx context.Context, m *Municipality) error
	// UpdateMunicipality changes the given fields (Municipality.Apply's rules).
	// Returns UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (field "") for an unknown
	// municipality, validation errors or DUPLICATE (input.code); and then changes
	// nothing.
	UpdateMunicipality(ctx context.Context, in UpdateMunicipalityInput) (*Municipality, error)
	// CreatePartnership begins a partnership between two municipalities, from a day
	// on (today in Japan when unset). Returns UNAUTHENTICATED, FORBIDDEN, validation
	// errors (CreatePartnershipInput.Validate), NOT_FOUND (input.municipalityA/B)
	// for an unknown municipality, or PARTNERSHIP_OVERLAP (input.from) when the two
	// are partners on any day from then on; and then changes nothing.
	CreatePartnership(ctx context.Context, in CreatePartnershipInput) (*Partnership, error)
	// EndPartnership ends a partnership from a day on; goods already sold or shipped
	// under it stay accounted (settlement and the exchange balance read the ledger).
	// Returns UNAUTHENTICATED, FORBIDDEN, INVALID_INPUT (input.on) for what is not a
	// date, NOT_FOUND (field "") for an unknown partnership, or
	// Partnership.CheckEnd's errors; and then changes nothing.
	EndPartnership(ctx context.Context, in EndPartnershipInput) (*Partnership, error)
}
