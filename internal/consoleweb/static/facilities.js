// Facilities: the list of a municipality's support facilities, and the form that
// creates or changes one (name and its kana, kind, operating corporation, the
// qualified-invoice registration number checked as it is typed, the contact).

import { gql } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, clearErrorOf, errorBox, field, go, options, pager, placeErrors, route, setError } from "./ui.js";

const KINDS = ["EMPLOYMENT_SUPPORT_A", "EMPLOYMENT_SUPPORT_B", "EMPLOYMENT_TRANSITION", "LIFE_CARE", "K_OTHER"];
const kindKey = (k) => (k === "OTHER" ? "K_OTHER" : k);
const FACILITY = "id name nameKana kind corporation registrationNumber municipality { id name } contact { person phone email address }";

route(/^facilities$/, async (main) => {
  const u = app.user;
  const body = h("tbody");
  const pages = pager("facilities", async (after) => {
    const d = await gql(`query Facilities($f: FacilityFilter, $after: String) {
      facilities(filter: $f, first: 20, after: $after) { edges { node { ${FACILITY} } } pageInfo { hasNextPage endCursor } } }`,
    { f: u.role === "ADMIN" ? null : { municipalityId: u.municipality.id }, after });
    const rows = d.facilities.edges.map((e) => e.node).filter((f) => u.role !== "FACILITY" || f.id === u.facility.id);
    body.replaceChildren(...rows.map((f) => h("tr", {},
      h("th", { scope: "row" }, h("a", { href: "#/facilities/" + f.id, id: "fac-" + f.id }, named(f.name))),
      h("td", { "data-label": ts("kind") }, t(kindKey(f.kind))),
      h("td", { "data-label": ts("corporation") }, named(f.corporation)),
      h("td", { "data-label": ts("registrationNumber") }, f.registrationNumber || "—"),
      h("td", { "data-label": ts("municipality") }, named(f.municipality.name)))));
    return d.facilities.pageInfo;
  });
  main.append(
    h("h1", {}, t("facilitiesTitle")),
    u.role === "FACILITY" ? null : h("p", {}, h("a", { class: "button-link", id: "new-facility", href: "#/facilities/new" }, t("newFacility"))),
    h("table", { class: "list", id: "facilities" }, h("caption", {}, t("facilitiesTitle")),
      h("thead", {}, h("tr", {}, ["colFacility", "kind", "corporation", "registrationNumber", "municipality"].map((k) => h("th", { scope: "col" }, t(k))))),
      body),
    pages.el,
  );
  await pages.start();
}, "navFacilities");

// checkRegistration says what is wrong with a typed registration number: T and 13
// digits whose first is the corporate number's check digit, 9 − (Σ Pn×Qn mod 9) of
// the other twelve (Qn 1 for odd n from the right, 2 for even).
export function checkRegistration(s) {
  const v = s.replace(/[Ｔｔt]/, "T").replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s/g, "");
  if (!/^T\d{13}$/.test(v)) return "regFormat";
  const base = v.slice(2);
  let sum = 0;
  [...base].reverse().forEach((d, i) => (sum += Number(d) * (i % 2 === 1 ? 2 : 1)));
  return 9 - (sum % 9) === Number(v[1]) ? null : "regCheck";
}

// checkAsTyped says at the field f (made by field) what is wrong with the
// registration number as it is typed; empty is no number, and no error.
export function checkAsTyped(f) {
  f.input.addEventListener("input", () => {
    const bad = f.input.value.trim() ? checkRegistration(f.input.value) : null;
    if (bad) setError(f, t(bad));
    else clearErrorOf(f);
  });
}

route(/^facilities\/(new|[^/]+)$/, async (main, m) => {
  const u = app.user;
  const isNew = m[1] === "new";
  const d = isNew
    ? u.role === "ADMIN" ? await gql(`query { municipalities(first: 100) { edges { node { id name } } } }`) : {}
    : await gql(`query Facility($id: ID!) { node(id: $id) { ... on Facility { ${FACILITY} } } }`, { id: m[1] });
  const f = isNew ? null : d.node;
  main.append(h("h1", {}, t(isNew ? "newFacility" : "editFacility")));
  if (!isNew && !f) return main.append(errorBox("NOT_FOUND"));
  const v = (k) => (f ? f[k] || "" : "");
  const fields = {};
  if (isNew && u.role === "ADMIN" && d.municipalities) {
    fields["input.municipalityId"] = field("fa-muni", "municipality", {}, { tag: "select", need: "required",
      kids: d.municipalities.edges.map((e) => h("option", { value: e.node.id }, e.node.name)) });
  }
  fields["input.name"] = field("fa-name", "facilityName", { value: v("name"), lang: "ja" }, { need: "required" });
  fields["input.nameKana"] = field("fa-kana", "nameKana", { value: v("nameKana"), lang: "ja" }, { need: "optional" });
  fields["input.kind"] = field("fa-kind", "kind", {}, { tag: "select", need: "required", kids: options(KINDS, f ? kindKey(f.kind) : "EMPLOYMENT_SUPPORT_B") });
  fields["input.corporation"] = field("fa-corp", "corporation", { value: v("corporation"), lang: "ja" }, { need: "required" });
  const reg = field("fa-reg", "registrationNumber", { value: v("registrationNumber"), autocomplete: "off" }, { need: "optional", hint: t("registrationHint") });
  fields["input.registrationNumber"] = reg;
  checkAsTyped(reg);
  const c = (f && f.contact) || {};
  fields["input.contact.person"] = field("fa-person", "contactPerson", { value: c.person || "" }, { need: "optional" });
  fields["input.contact.phone"] = field("fa-phone", "phone", { value: c.phone || "", type: "tel", autocomplete: "off" }, { need: "optional" });
  fields["input.contact.email"] = field("fa-email", "email", { value: c.email || "", type: "email", autocomplete: "off" }, { need: "optional" });
  fields["input.contact.address"] = field("fa-address", "address", { value: c.address || "" }, { need: "optional" });
  const general = h("div", { id: "fa-errors" });
  const done = h("p", { id: "fa-saved", class: "saved", role: "status" });
  const form = h("form", { class: "card", novalidate: true },
    h("div", { class: "two" }, ...Object.values(fields).map((x) => x.el)),
    general,
    h("div", { class: "actions" }, h("button", { id: "fa-save", type: "submit", class: "primary" }, t("save")),
      h("a", { href: "#/facilities", class: "button-link quiet", id: "fa-back" }, t("backToFacilities")), done));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    done.replaceChildren();
    const val = (k) => fields[k].input.value.trim();
    const input = {
      name: val("input.name"), nameKana: val("input.nameKana"), kind: val("input.kind").replace(/^K_/, ""), corporation: val("input.corporation"),
      registrationNumber: val("input.registrationNumber"),
      contact: { person: val("input.contact.person"), phone: val("input.contact.phone"), email: val("input.contact.email"), address: val("input.contact.address") },
    };
    if (isNew) {
      input.municipalityId = fields["input.municipalityId"] ? val("input.municipalityId") : u.municipality.id;
      if (!input.registrationNumber) delete input.registrationNumber;
    } else {
      input.id = f.id;
    }
    try {
      const r = await gql(`mutation($input: ${isNew ? "CreateFacilityInput" : "UpdateFacilityInput"}!) {
        ${isNew ? "createFacility" : "updateFacility"}(input: $input) { facility { id } userErrors { code field message } } }`, { input });
      const res = r[isNew ? "createFacility" : "updateFacility"];
      if (placeErrors(res.userErrors, fields, general)) return;
      if (isNew) return go("facilities/" + res.facility.id);
      done.replaceChildren(t("saved"));
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  main.append(form);
}, "navFacilities");
