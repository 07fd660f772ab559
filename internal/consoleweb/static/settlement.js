// Settlement: a month's statements (what each facility is owed for its goods sold
// at each shop), closing a shop's month, marking a statement paid, and the
// printable payment notice (支払通知書).

import { gql, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named, yen } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, dialog, errorBox, field, go, pager, placeErrors, route, show, thisMonth } from "./ui.js";

const ROW = `id month status statementNumber unitsSold gross refunds commission payable paidOn paymentReference
  facility { id name } shop { id name municipality { id } }`;

// mayPay says whether the user closes and pays the statements of a shop: admins, and
// the managers of the shop's municipality.
function mayPay(shop) {
  const u = app.user;
  return u.role === "ADMIN" || (u.role === "MANAGER" && shop.municipality.id === u.municipality.id);
}

function monthOf(hash) {
  const m = /month=(\d{4}-\d{2})/.exec(hash);
  return m ? m[1] : thisMonth();
}

route(/^settlement(\?month=\d{4}-\d{2})?$/, async (main, m) => {
  const u = app.user;
  const month = monthOf(m[0]);
  const filter = u.role === "FACILITY" ? { facilityId: u.facility.id } : u.role === "MANAGER" ? { municipalityId: u.municipality.id } : null;
  const body = h("tbody");
  const pages = pager("settlements", async (after) => {
    const d = await gql(`query Settlements($month: String!, $filter: SettlementFilter, $after: String) {
      settlements(month: $month, filter: $filter, first: 20, after: $after) { edges { node { ${ROW} } } pageInfo { hasNextPage endCursor } } }`,
    { month, filter, after });
    const rows = d.settlements.edges.map((e) => e.node);
    body.replaceChildren(...(rows.length ? rows.map(row) : [h("tr", {}, h("td", { colspan: 7 }, t("none")))]));
    return d.settlements.pageInfo;
  });

  const monthField = field("st-month", "month", { type: "month", value: month, max: thisMonth() });
  const pick = h("form", { class: "filters", "aria-label": ts("month") }, monthField.el,
    h("div", {}, h("button", { id: "st-show", type: "submit", class: "secondary" }, t("showMonth"))));
  pick.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (/^\d{4}-\d{2}$/.test(monthField.input.value)) go("settlement?month=" + monthField.input.value);
  });

  const flash = sessionStorage.getItem("console.flash");
  sessionStorage.removeItem("console.flash");
  main.append(
    h("h1", {}, t("settlementTitle", { month })),
    flash ? h("p", { class: "saved", role: "status", id: "st-flash" }, flash) : null,
    pick,
    u.role === "FACILITY" ? null : closeForm(month),
    h("table", { class: "list", id: "settlements" },
      h("caption", {}, t("statements")),
      h("thead", {}, h("tr", {}, ["colFacility", "colShop", "colStatus", "colGross", "colCommission", "colPayable", "colActions"]
        .map((k, i) => h("th", { scope: "col", class: i >= 3 && i <= 5 ? "num" : null }, t(k))))),
      body),
    pages.el,
  );
  await pages.start();
}, "navSettlement");

function row(s) {
  return h("tr", { id: "st-" + s.id },
    h("th", { scope: "row" }, named(s.facility.name), s.statementNumber ? h("span", { class: "hint" }, " No. ", s.statementNumber) : null),
    h("td", { "data-label": ts("colShop") }, named(s.shop.name)),
    h("td", { "data-label": ts("colStatus") }, h("span", { class: "status " + s.status }, t("S_" + s.status)),
      s.paidOn ? h("span", { class: "hint" }, " ", s.paidOn) : null),
    h("td", { class: "num", "data-label": ts("colGross") }, yen(s.gross - s.refunds)),
    h("td", { class: "num", "data-label": ts("colCommission") }, yen(s.commission)),
    h("td", { class: "num", "data-label": ts("colPayable") }, h("strong", {}, yen(s.payable))),
    h("td", { "data-label": ts("colActions") },
      h("div", { class: "actions tight" },
        h("a", { class: "button-link quiet", href: "#/settlement/" + s.id + "/notice", id: "notice-" + s.id }, t("openNotice")),
        s.status === "CLOSED" && mayPay(s.shop)
          ? h("button", { type: "button", id: "pay-" + s.id, class: "secondary", onclick: () => payDialog(s) }, t("markPaid"))
          : null)),
  );
}

// closeForm closes the month at one of the user's shops.
function closeForm(month) {
  const shops = app.locations.filter((l) => l.kind === "SHOP");
  if (!shops.length) return null;
  const shop = field("close-shop", "colShop", {}, { tag: "select", kids: shops.map((s) => h("option", { value: s.id }, s.name)) });
  const general = h("div", { id: "close-errors" });
  const form = h("form", { class: "card", id: "close", "aria-labelledby": "close-h", novalidate: true },
    h("h2", { id: "close-h" }, t("closeMonth", { month })), h("p", { class: "hint" }, t("closeHint")),
    shop.el, general,
    h("div", { class: "actions" }, h("button", { id: "close-send", type: "submit", class: "primary" }, t("closeMonthButton"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await gql(`mutation($input: CloseSettlementMonthInput!) { closeSettlementMonth(input: $input) { month settlements { id } userErrors { code field message } } }`,
        { input: { month, shopId: shop.input.value } });
      if (placeErrors(r.closeSettlementMonth.userErrors, { "input.shopId": shop }, general)) return;
      sessionStorage.setItem("console.flash", ts("closed", { n: r.closeSettlementMonth.settlements.length }));
      await show("st-flash");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  return form;
}

function payDialog(s) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
  const paidOn = field("pay-on", "paidOn", { type: "date", value: today, max: today }, { need: "required" });
  const ref = field("pay-ref", "paymentReference", { autocomplete: "off", maxlength: "200" }, { need: "required" });
  const general = h("div", { id: "pay-errors" });
  const form = h("form", { novalidate: true, id: "pay-form" },
    h("p", {}, t("payWhat", { facility: named(s.facility.name), amount: yen(s.payable) })),
    paidOn.el, ref.el, general,
    h("div", { class: "actions" },
      h("button", { id: "pay-yes", type: "submit", class: "primary" }, t("markPaid")),
      h("button", { id: "pay-no", type: "button", onclick: () => d.close() }, t("cancel"))));
  const d = dialog("markPaid", form, "pay-dialog");
  const slots = { "input.paidOn": paidOn, "input.reference": ref };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    // A payment is recorded with the bank transfer's reference, to be found again.
    const missing = [[paidOn, "input.paidOn"], [ref, "input.reference"]].filter(([f]) => !f.input.value.trim()).map(([, field]) => ({ field, code: "REQUIRED" }));
    if (missing.length) return placeErrors(missing, slots, general);
    try {
      const r = await gql(`mutation($input: MarkSettlementPaidInput!) { markSettlementPaid(input: $input) { settlement { id status } userErrors { code field message } } }`,
        { input: { id: s.id, paidOn: paidOn.input.value, reference: ref.input.value.trim() } });
      if (placeErrors(r.markSettlementPaid.userErrors, slots, general)) return;
      d.close();
      sessionStorage.setItem("console.flash", ts("paid"));
      await show("st-flash");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
}

// --- The payment notice -----------------------------------------------------------

// The notice is the API's own HTML page (lang ja). It is shown inside the console in
// a shadow root, its style applied through the CSSOM (the console's policy allows no
// inline style), so that its layout is the API's and prints as the API made it.
route(/^settlement\/([^/]+)\/notice$/, async (main, m) => {
  const d = await gql(`query Notice($id: ID!) { settlement(id: $id) { id month statementNumber facility { name }
    document(format: NOTICE_HTML) { filename base64 } } }`, { id: m[1] });
  const s = d.settlement;
  main.append(h("h1", {}, t("noticeTitle")));
  if (!s) return main.append(errorBox("NOT_FOUND"));
  const bytes = Uint8Array.from(atob(s.document.base64), (c) => c.charCodeAt(0));
  const page = new DOMParser().parseFromString(new TextDecoder().decode(bytes), "text/html");
  const sheet = new CSSStyleSheet();
  sheet.replaceSync([...page.querySelectorAll("style")].map((st) => st.textContent).join("\n"));
  const host = h("div", { class: "notice", id: "notice", lang: page.documentElement.lang || "ja" });
  const shadow = host.attachShadow({ mode: "open" });
  shadow.adoptedStyleSheets = [sheet];
  page.querySelectorAll("script, style").forEach((e) => e.remove());
  shadow.append(...[...page.body.childNodes].map((n) => document.importNode(n, true)));
  main.append(
    h("div", { class: "actions no-print" },
      h("button", { id: "notice-print", type: "button", class: "primary", onclick: () => window.print() }, t("print")),
      h("a", { class: "button-link quiet", href: "#/settlement?month=" + s.month, id: "notice-back" }, t("backToStatements"))),
    host,
  );
}, "navSettlement");
