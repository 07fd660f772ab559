// Administration for ADMIN and managers: inviting staff (an e-mailed link lets them
// set their name and password) and the audit log of every administrative and money
// change, newest first.

import { gql, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { locale, named } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, errorBox, field, options, pager, placeErrors, route } from "./ui.js";

const when = (iso) => new Date(iso).toLocaleString(ts("dateLocale"), { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

route(/^admin$/, async (main) => {
  const u = app.user;
  const roles = u.role === "ADMIN" ? ["MANAGER", "CLERK", "FACILITY", "ADMIN"] : ["MANAGER", "CLERK", "FACILITY"];
  const d = await gql(`query Scope($f: FacilityFilter, $l: LocationFilter) {
    facilities(filter: $f, first: 100) { edges { node { id name } } }
    locations(filter: $l, first: 100) { edges { node { id name } } }
    municipalities(first: 100) { edges { node { id name } } } }`,
  { f: u.role === "ADMIN" ? null : { municipalityId: u.municipality.id }, l: { kind: "SHOP", ...(u.role === "ADMIN" ? {} : { municipalityId: u.municipality.id }) } });
  const list = (c) => c.edges.map((e) => e.node);
  const munis = u.role === "ADMIN" ? list(d.municipalities) : list(d.municipalities).filter((m) => m.id === u.municipality.id);
  const email = field("iv-email", "email", { type: "email", autocomplete: "off" }, { need: "required" });
  const role = field("iv-role", "role", {}, { tag: "select", need: "required", kids: options(roles.map((r) => "role" + r), "roleFACILITY") });
  const pick = (id, key, items) => field(id, key, {}, { tag: "select", kids: items.map((x) => h("option", { value: x.id }, x.name)) });
  const scopes = {
    MANAGER: pick("iv-muni", "municipality", munis),
    CLERK: pick("iv-shop", "colShop", list(d.locations)),
    FACILITY: pick("iv-facility", "colFacility", list(d.facilities)),
  };
  const showScope = () => {
    const r = role.input.value.replace(/^role/, "");
    for (const [k, f] of Object.entries(scopes)) f.el.hidden = k !== r;
  };
  role.input.addEventListener("change", showScope);
  const general = h("div", { id: "iv-errors" });
  const done = h("p", { id: "iv-done", class: "saved", role: "status" });
  let key = newKey();
  const form = h("form", { class: "card", id: "invite", "aria-labelledby": "invite-h", novalidate: true },
    h("h2", { id: "invite-h" }, t("inviteStaff")), h("p", { class: "hint" }, t("inviteHint")),
    email.el, role.el, ...Object.values(scopes).map((f) => f.el), general,
    h("div", { class: "actions" }, h("button", { id: "iv-send", type: "submit", class: "primary" }, t("sendInvitation")), done));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    done.replaceChildren();
    const r = role.input.value.replace(/^role/, "");
    const input = { email: email.input.value.trim(), role: r, locale: locale() === "EN" ? "EN" : "JA", idempotencyKey: key };
    if (r === "MANAGER") input.municipalityId = scopes.MANAGER.input.value;
    if (r === "CLERK") input.shopId = scopes.CLERK.input.value;
    if (r === "FACILITY") input.facilityId = scopes.FACILITY.input.value;
    try {
      const res = await gql(`mutation($input: InviteStaffInput!) { inviteStaff(input: $input) { invitation { email expiresAt } userErrors { code field message } } }`, { input });
      const slots = { "input.email": email, "input.role": role, "input.municipalityId": scopes.MANAGER, "input.shopId": scopes.CLERK, "input.facilityId": scopes.FACILITY };
      if (placeErrors(res.inviteStaff.userErrors, slots, general)) return;
      done.replaceChildren(t("invited", { email: res.inviteStaff.invitation.email, until: when(res.inviteStaff.invitation.expiresAt) }));
      email.input.value = "";
      key = newKey(); // the next invitation is another one
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  main.append(h("h1", {}, t("adminTitle")), form, h("p", {}, h("a", { class: "button-link quiet", href: "#/audit", id: "to-audit" }, t("auditTitle"))));
  showScope();
}, "navAdmin");

route(/^audit$/, async (main) => {
  const u = app.user;
  const body = h("tbody");
  const pages = pager("audit", async (after) => {
    const d = await gql(`query Audit($f: AuditLogFilter, $after: String) {
      auditLog(filter: $f, first: 20, after: $after) { edges { node { id at action objectType actor { name } changes { field before after } } }
        pageInfo { hasNextPage endCursor } } }`, { f: u.role === "ADMIN" ? null : { municipalityId: u.municipality.id }, after });
    const rows = d.auditLog.edges.map((e) => e.node);
    body.replaceChildren(...(rows.length ? rows.map((a) => h("tr", {},
      h("th", { scope: "row" }, h("time", { datetime: a.at }, when(a.at))),
      h("td", { "data-label": ts("actor") }, a.actor ? named(a.actor.name) : "—"),
      h("td", { "data-label": ts("action") }, h("code", { lang: "en" }, a.action), " ", h("span", { lang: "en" }, a.objectType)),
      h("td", { "data-label": ts("changes") }, h("ul", { class: "plain" }, a.changes.map((c) =>
        h("li", {}, h("code", { lang: "en" }, c.field), "：", named(c.before || "—"), " → ", named(c.after || "—"))))))) : [h("tr", {}, h("td", { colspan: 4 }, t("none")))]));
    return d.auditLog.pageInfo;
  });
  main.append(h("h1", {}, t("auditTitle")),
    h("table", { class: "list", id: "audit" }, h("caption", {}, t("auditTitle")),
      h("thead", {}, h("tr", {}, ["when", "actor", "action", "changes"].map((k) => h("th", { scope: "col" }, t(k))))), body),
    pages.el);
  await pages.start();
}, "navAdmin");
