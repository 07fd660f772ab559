package shopweb_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tsunagu/internal/mail"
	"tsunagu/internal/tsunagu"
)

// gql posts one operation to the API from outside the browser and fails on errors.
func (e *env) gql(t *testing.T, query string, vars map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := http.Post(e.url+"/graphql", "application/json", bytes.NewReader(body))
	must(t, err)
	defer res.Body.Close()
	var out struct {
		Errors []struct{ Message string }
		Data   map[string]struct {
			UserErrors []struct{ Code, Field string }
		}
	}
	must(t, json.NewDecoder(res.Body).Decode(&out))
	if len(out.Errors) > 0 {
		t.Fatalf("%s: %v", query, out.Errors)
	}
	for _, d := range out.Data {
		if len(d.UserErrors) > 0 {
			t.Fatalf("%s: %v", query, d.UserErrors)
		}
	}
}

func (e *env) signUp(t *testing.T, email, password, name string, locale tsunagu.Locale) {
	t.Helper()
	e.gql(t, `mutation($in: SignUpInput!) { signUp(input: $in) { userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"email": email, "password": password, "name": name, "locale": string(locale)}})
}

// A shopper opens the link of the sign-up e-mail (the pages have no script), in Japanese:
// sending the form empty and then with a wrong password shows each error at the
// password field, in the summary that takes the focus; the right password confirms
// the address and signs in. The switch shows the page in やさしい日本語 with
// furigana and keeps the language on the next page. Then the shopper signs in at
// /sign-in, the page the "you have an account" e-mail links to.
func TestVerifyEmailPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signUp(t, "hana@example.jp", "a long password", "山田 花", tsunagu.LocaleJAEasy)
	link := e.mailLink(t, mail.KindEmailVerification, "hana@example.jp")
	if !strings.HasPrefix(link, e.url+"/verify-email?token=") {
		t.Fatalf("the e-mail links to %s", link)
	}
	b := newBrowser(t, "verify", "ja", true)
	b.open(link)
	if got := b.textOf("h1"); got != "メールアドレスの確認" {
		t.Errorf("heading %q", got)
	}
	b.checkA11y("verify")
	b.follow(`.langs a[hreflang="ja-x-easy"]`)
	if got := b.eval(`document.querySelector("h1").innerHTML`); !strings.Contains(got, "<ruby>確認<rt>かくにん</rt></ruby>") {
		t.Errorf("the heading in やさしい日本語 has no furigana: %s", got)
	}
	b.submit("#f-password")
	// The summary has autofocus, which the browser applies at its next rendering
	// after the page has loaded: on a busy machine, after the load event.
	b.waitFocus("summary")
	contains(t, "the password's error", b.textOf("#e-password"), "書いて ください")
	if got := b.eval(`document.querySelector("#f-password").getAttribute("aria-describedby") + " " + document.querySelector("#f-password").getAttribute("aria-invalid")`); got != "e-password true" {
		t.Errorf("the field is not tied to its error: %q", got)
	}
	b.checkA11y("verify-empty")
	b.do("typing a wrong password", typeInto("#f-password", "not the password"))
	b.submit("#f-password")
	contains(t, "the password's error", b.textOf("#e-password"), "パスワードが ちがいます")
	contains(t, "the summary", b.textOf(".summary"), "パスワードが ちがいます")
	b.do("typing the password", typeInto("#f-password", "a long password"))
	b.submit("#f-password")
	contains(t, "the page after confirming", b.text(), "メールアドレスを 確認しました", "ログイン しました")
	if got := b.eval(`document.documentElement.lang`); got != "ja" {
		t.Errorf("lang %q", got)
	}
	b.checkA11y("verified")

	// The language chosen stays with the browser, and the session is the shopper's.
	b.open(e.url + "/sign-in")
	if got := b.textOf("h1"); got != "ログイン" || !strings.Contains(b.eval(`document.body.innerHTML`), "<rt>") {
		t.Errorf("/sign-in after choosing やさしい日本語: heading %q without furigana", got)
	}
	b.do("typing a wrong password", typeInto("#f-email", "hana@example.jp"), typeInto("#f-password", "wrong password"))
	b.submit("#f-password")
	contains(t, "a wrong password", b.textOf(".summary"), "メールアドレスか パスワードが ちがいます")
	if got := b.eval(`document.querySelector("#f-email").value`); got != "hana@example.jp" {
		t.Errorf("the address typed is gone: %q", got)
	}
	b.do("typing the password", typeInto("#f-password", "a long password"))
	b.submit("#f-password")
	contains(t, "the page after signing in", b.text(), "山田 花 さんで ログイン して います")
	b.checkA11y("signed-in")
}

// A manager who forgot the password asks for a link in English, sets a password
// too short for staff (the API's 12 characters, not the shopper's 8 the page
// suggests) and then a good one, and is sent to the console from /sign-in, which is
// for shoppers; a used link is refused.
func TestResetPasswordPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := newBrowser(t, "reset", "en-GB,en;q=0.9", true)
	b.open(e.url + "/sign-in")
	b.follow(`.links a[href="/reset-password"]`)
	if got := b.textOf("h1"); got != "Forgot your password?" {
		t.Errorf("heading %q", got)
	}
	b.checkA11y("forgot")
	b.do("typing a malformed address", typeInto("#f-email", "manager"))
	b.submit("#f-email")
	contains(t, "the address's error", b.textOf("#e-email"), "not an email address")
	b.do("typing the address", typeInto("#f-email", "manager@minato.example"))
	b.submit("#f-email")
	contains(t, "the page after asking", b.textOf(".done"), "If an account has this address")
	link := e.mailLink(t, mail.KindPasswordReset, "manager@minato.example")
	b.open(link)
	b.checkA11y("reset")
	b.do("typing a short password", typeInto("#f-password", "ten chars!"))
	b.submit("#f-password")
	contains(t, "the password's error", b.textOf("#e-password"), "Use at least 12 characters")
	b.checkA11y("reset-short")
	b.do("typing a good password", typeInto("#f-password", "a new and long password"))
	b.submit("#f-password")
	contains(t, "the page after the reset", b.textOf(".done"), "Your password is changed")
	b.open(link)
	b.do("typing a password again", typeInto("#f-password", "another long password"))
	b.submit("#f-password")
	contains(t, "a used link", b.textOf(".summary"), "This link no longer works")
	if b.eval(`document.querySelector('.links a[href="/reset-password"]') ? "yes" : "no"`) != "yes" {
		t.Errorf("a used link offers no new one")
	}

	b.open(e.url + "/sign-in")
	b.do("signing in", typeInto("#f-email", "manager@minato.example"), typeInto("#f-password", "a new and long password"))
	b.submit("#f-password")
	contains(t, "staff at the shop's sign-in", b.text(), "Staff sign in at the POS or the console")
	if b.eval(`document.querySelector('.links a[href="/console/"]') ? "yes" : "no"`) != "yes" {
		t.Errorf("a manager is not sent to the console")
	}
}

// A clerk invited in Korean opens the invitation with a Korean browser, sends the
// form empty (both fields' errors, in the summary and at the fields), then with a
// reading of the name in kanji (refused at its field), then creates the account,
// with the reading, and is sent to the POS.
func TestAcceptInvitationPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mctx := tsunagu.WithUser(e.admin, e.manager, "")
	_, err := e.auth.InviteStaff(mctx, tsunagu.InviteStaffInput{Email: "new.clerk@example.jp", Role: tsunagu.RoleClerk,
		ShopID: &e.shop.ID, Locale: tsunagu.LocaleKO, IdempotencyKey: "invite-1"})
	must(t, err)
	link := e.mailLink(t, mail.KindStaffInvitation, "new.clerk@example.jp")
	if !strings.HasPrefix(link, e.url+"/accept-invitation?token=") {
		t.Fatalf("the e-mail links to %s", link)
	}
	b := newBrowser(t, "invite", "ko-KR,ko;q=0.9", true)
	b.open(link)
	if got := b.textOf("h1"); got != "직원 계정 만들기" {
		t.Errorf("heading %q", got)
	}
	if got := b.eval(`document.documentElement.lang`); got != "ko" {
		t.Errorf("lang %q", got)
	}
	b.checkA11y("invite")
	b.submit("#f-name")
	if got := b.eval(`String(document.querySelectorAll(".summary li a").length)`); got != "2" {
		t.Errorf("the summary links to %s errors, want 2 (name and password)", got)
	}
	contains(t, "the name's error", b.textOf("#e-name"), "입력해 주세요")
	b.checkA11y("invite-empty")
	// The reading of the name is optional, in kana only: kanji are refused at the field.
	b.do("filling the form", typeInto("#f-name", "新人 太郎"), typeInto("#f-nameReading", "新人"), typeInto("#f-password", "a long staff password"))
	b.submit("#f-password")
	if got := b.eval(`(e => e ? e.textContent.trim() : "none")(document.getElementById("e-nameReading"))`); got == "none" || got == "" {
		t.Errorf("a reading in kanji has no error at its field")
	}
	b.checkA11y("invite-bad-reading")
	b.do("the reading in kana", typeInto("#f-nameReading", "しんじん たろう"), typeInto("#f-password", "a long staff password"))
	b.submit("#f-password")
	contains(t, "the page after accepting", b.text(), "계정이 만들어졌습니다")
	// The POS shows it over the clerk's name.
	sess, err := e.auth.Login(t.Context(), tsunagu.LoginInput{Email: "new.clerk@example.jp", Password: "a long staff password"})
	must(t, err)
	if r := sess.User.NameReading; r == nil || *r != "しんじん たろう" {
		t.Errorf("the account's reading is %v, want しんじん たろう", r)
	}
	if b.eval(`document.querySelector('.links a[href="/pos/"]') ? "yes" : "no"`) != "yes" {
		t.Errorf("a clerk is not sent to the POS")
	}
	b.checkA11y("invite-done")
}
