package tsunagu_test

import (
	"testing"
	"time"

	"tsunagu/internal/tsunagu"
)

func TestMunicipalityValidate(t *testing.T) {
	for _, c := range []struct {
		name     string
		m        tsunagu.Municipality
		code     tsunagu.Code
		field    string
		wantCode string
	}{
		{name: "OK", m: tsunagu.Municipality{Code: " 131032 ", Name: " 港区 ", Prefecture: "東京都"}, wantCode: "131032"},
		{name: "OKFullWidth", m: tsunagu.Municipality{Code: "０１２０４１", Name: "旭川市", Prefecture: "北海道"}, wantCode: "012041"},
		{name: "OKOkinawa", m: tsunagu.Municipality{Code: "472018", Name: "那覇市", Prefecture: "沖縄県"}, wantCode: "472018"},
		{name: "ErrCheckDigit", m: tsunagu.Municipality{Code: "131035", Name: "港区", Prefecture: "東京都"},
			code: tsunagu.CodeInvalidMunicipalityCode, field: "input.code"},
		{name: "ErrPrefectureOfAnotherCode", m: tsunagu.Municipality{Code: "131032", Name: "港区", Prefecture: "北海道"},
			code: tsunagu.CodeInvalidInput, field: "input.prefecture"},
		{name: "ErrNoSuchPrefecture", m: tsunagu.Municipality{Code: "1310", Name: "港区", Prefecture: "東京"},
			code: tsunagu.CodeInvalidMunicipalityCode, field: "input.code"},
		{name: "ErrName", m: tsunagu.Municipality{Code: "131032", Name: " ", Prefecture: "東京都"},
			code: tsunagu.CodeRequired, field: "input.name"},
		{name: "ErrContactEmail", m: tsunagu.Municipality{Code: "131032", Name: "港区", Prefecture: "東京都",
			Contact: tsunagu.Contact{Email: "no-at-sign"}}, code: tsunagu.CodeInvalidEmail, field: "input.contact.email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.m
			err := m.Validate()
			if c.code == "" {
				if err != nil || m.Code != c.wantCode || m.Name == "" || m.Name[0] == ' ' {
					t.Fatalf("Validate: %v, %+v", err, m)
				}
				return
			}
			errs := tsunagu.UserErrors(err)
			if len(errs) == 0 || errs[0].Code != c.code || errs[0].Field != c.field {
				t.Fatalf("Validate: %v, want %s at %s", err, c.code, c.field)
			}
		})
	}
}

func TestPrefectureOf(t *testing.T) {
	for code, want := range map[string]string{"011002": "北海道", "131032": "東京都", "271004": "大阪府", "472018": "沖縄県",
		"481234": "", "001234": "", "x1": "", "": ""} {
		if got := tsunagu.PrefectureOf(code); got != want {
			t.Errorf("PrefectureOf(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestPartnershipCheckEnd(t *testing.T) {
	day := func(s string) time.Time { d, _ := tsunagu.ParseDate(s, ""); return d }
	ended := day("2026-11-01")
	today := day("2026-12-05")
	for _, c := range []struct {
		name string
		p    tsunagu.Partnership
		on   string
		code tsunagu.Code
	}{
		{"OKToday", tsunagu.Partnership{StartsOn: day("2026-04-01")}, "2026-12-05", ""},
		{"OKLater", tsunagu.Partnership{StartsOn: day("2026-04-01")}, "2027-03-31", ""},
		{"OKDayAfterStartInFuture", tsunagu.Partnership{StartsOn: day("2027-01-01")}, "2027-01-02", ""},
		{"ErrPast", tsunagu.Partnership{StartsOn: day("2026-04-01")}, "2026-12-04", tsunagu.CodeInvalidInput},
		{"ErrOnStart", tsunagu.Partnership{StartsOn: day("2027-01-01")}, "2027-01-01", tsunagu.CodeInvalidInput},
		{"ErrEnded", tsunagu.Partnership{StartsOn: day("2026-04-01"), EndsOn: &ended}, "2026-12-10", tsunagu.CodeInvalidState},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tsunagu.ErrorCode(c.p.CheckEnd(day(c.on), today)); got != c.code {
				t.Errorf("CheckEnd: %q, want %q", got, c.code)
			}
		})
	}
}

func TestJapanToday(t *testing.T) {
	// 15:30 UTC is 00:30 the next day in Japan.
	if got := tsunagu.JapanToday(time.Date(2026, 12, 5, 15, 30, 0, 0, time.UTC)); got.Format(time.DateOnly) != "2026-12-06" {
		t.Errorf("JapanToday = %s, want 2026-12-06", got.Format(time.DateOnly))
	}
}

func TestLocationValidate(t *testing.T) {
	fac := tsunagu.FacilityID(7)
	long := string(make([]rune, tsunagu.MaxTextLength+1))
	for _, c := range []struct {
		name  string
		l     tsunagu.Location
		code  tsunagu.Code
		field string
	}{
		{"OKShop", tsunagu.Location{Kind: tsunagu.LocationShop, Name: " 店 ", OpeningHours: "平日 9:00〜17:00"}, "", ""},
		{"OKStoreRoom", tsunagu.Location{Kind: tsunagu.LocationFacility, Name: "倉庫", FacilityID: &fac}, "", ""},
		{"ErrKind", tsunagu.Location{Kind: "STALL", Name: "屋台"}, tsunagu.CodeInvalidInput, "input.kind"},
		{"ErrName", tsunagu.Location{Kind: tsunagu.LocationWarehouse, Name: "  "}, tsunagu.CodeRequired, "input.name"},
		{"ErrStoreRoomWithoutFacility", tsunagu.Location{Kind: tsunagu.LocationFacility, Name: "倉庫"}, tsunagu.CodeRequired, "input.facilityId"},
		{"ErrShopWithFacility", tsunagu.Location{Kind: tsunagu.LocationShop, Name: "店", FacilityID: &fac}, tsunagu.CodeInvalidInput, "input.facilityId"},
		{"ErrLongHours", tsunagu.Location{Kind: tsunagu.LocationShop, Name: "店", OpeningHours: long}, tsunagu.CodeTooLong, "input.openingHours"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.l
			err := l.Validate()
			if c.code == "" {
				if err != nil || l.Name[0] == ' ' {
					t.Fatalf("Validate: %v, %+v", err, l)
				}
				return
			}
			errs := tsunagu.UserErrors(err)
			if len(errs) == 0 || errs[0].Code != c.code || errs[0].Field != c.field {
				t.Fatalf("Validate: %v, want %s at %s", err, c.code, c.field)
			}
		})
	}
}
