// The network: the municipalities with their partners and locations, and the
// partnerships that have not ended; an admin adds municipalities and partnerships
// and ends partnerships, an admin or a manager adds locations (shops, store rooms,
// warehouses) and registers at their shops, and opens a shop's receipt settings.

import { gql, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { mayManage } from "./shops.js";
import { app, dialog, errorBox, field, options, placeErrors, route, show } from "./ui.js";

const LOCATION_KINDS = ["SHOP", "FACILITY", "WAREHOUSE"];

// form builds a card with fields and a send button; send(values) resolves to the
// mutation's payload. On success the screen is drawn again with a note of it.
function form(id, titleKey, fields, send, doneKey) {
  const general = h("div", { id: id + "-errors" });
  const el = h("form", { class: "card", id, "aria-labelledby": id + "-h", novalidate: true },
    h("h2", { id: id + "-h" }, t(titleKey)), h("div", { class: "two" }, ...Object.values(fields).map((f) => f.el)), general,
    h("div", { class: "actions" }, h("button", { id: id + "-send", type: "submit", class: "primary" }, t(titleKey))));
  el.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const payload = await send();
      if (placeErrors(payload.userErrors, fields, general)) return;
      sessionStorage.setItem("console.flash", ts(doneKey));
      await show("net-flash");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  return el;
}

route(/^network$/, async (main) => {
  const u = app.user;
  const d = await gql(`query Network {
    municipalities(first: 100) { edges { node { id code name prefecture isHome partners { id name }
      partnerships { id startsOn endsOn municipalityA { name } municipalityB { name } }
      locations(first: 20) { edges { node { id name kind } } } } } } }`);
  const munis = d.municipalities.edges.map((e) => e.node);
  const mine = u.role === "ADMIN" ? munis : munis.filter((m) => m.id === u.municipality.id);
  const shops = mine.flatMap((m) => m.locations.edges.map((e) => e.node).filter((l) => l.kind === "SHOP"));
  const muniOptions = (list) => list.map((m) => h("option", { value: m.id }, m.name));
  const v = (f) => f.input.value.trim();

  const cards = [];
  if (u.role === "ADMIN") {
    const m = {
      "input.code": field("mu-code", "muniCode", { inputmode: "numeric", autocomplete: "off", maxlength: "6" }, { need: "required", hint: t("muniCodeHint") }),
      "input.name": field("mu-name", "muniName", { lang: "ja" }, { need: "required" }),
      "input.nameKana": field("mu-kana", "nameKana", { lang: "ja" }, { need: "optional" }),
      "input.nameEn": field("mu-en", "muniNameEn", { lang: "en" }, { need: "optional" }),
      "input.prefecture": field("mu-pref", "prefecture", { lang: "ja" }, { need: "required" }),
    };
    cards.push(form("add-muni", "addMunicipality", m, async () => (await gql(
      `mutation($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { municipality { id } userErrors { code field message } } }`,
      { input: { code: v(m["input.code"]), name: v(m["input.name"]), nameKana: v(m["input.nameKana"]), nameEn: v(m["input.nameEn"]), prefecture: v(m["input.prefecture"]) } },
    )).createMunicipality, "muniAdded"));
    const p = {
      "input.municipalityA": field("pa-a", "partnerA", {}, { tag: "select", need: "required", kids: muniOptions(munis) }),
      "input.municipalityB": field("pa-b", "partnerB", {}, { tag: "select", need: "required", kids: muniOptions(munis) }),
      "input.from": field("pa-from", "partnerFrom", { type: "date" }, { need: "optional" }),
    };
    cards.push(form("add-partner", "addPartnership", p, async () => (await gql(
      `mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { partnership { id } userErrors { code field message } } }`,
      { input: { municipalityA: v(p["input.municipalityA"]), municipalityB: v(p["input.municipalityB"]), from: v(p["input.from"]) || null } },
    )).createPartnership, "partnerAdded"));
  }
  const l = {
    "input.municipalityId": field("lo-muni", "municipality", {}, { tag: "select", need: "required", kids: muniOptions(mine) }),
    "input.kind": field("lo-kind", "kind", {}, { tag: "select", need: "required", kids: options(LOCATION_KINDS.map((k) => "L_" + k), "L_SHOP") }),
    "input.name": field("lo-name", "locationName", { lang: "ja" }, { need: "required" }),
    "input.address": field("lo-address", "address", { lang: "ja" }, { need: "optional" }),
  };
  cards.push(form("add-location", "addLocation", l, async () => (await gql(
    `mutation($input: CreateLocationInput!) { createLocation(input: $input) { location { id } userErrors { code field message } } }`,
    { input: { municipalityId: v(l["input.municipalityId"]), kind: v(l["input.kind"]).slice(2), name: v(l["input.name"]), address: v(l["input.address"]) } },
  )).createLocation, "locationAdded"));
  if (shops.length) {
    const r = {
      "input.shopId": field("re-shop", "colShop", {}, { tag: "select", need: "required", kids: shops.map((s) => h("option", { value: s.id }, s.name)) }),
      "input.name": field("re-name", "registerName", {}, { need: "required" }),
    };
    cards.push(form("add-register", "addRegister", r, async () => (await gql(
      `mutation($input: CreateRegisterInput!) { createRegister(input: $input) { register { id } userErrors { code field message } } }`,
      { input: { shopId: v(r["input.shopId"]), name: v(r["input.name"]) } },
    )).createRegister, "registerAdded"));
  }

  // Each partnership is one of both municipalities': listed once.
  const partnerships = [...new Map(munis.flatMap((m) => m.partnerships).map((p) => [p.id, p])).values()]
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id.localeCompare(b.id));

  const flash = sessionStorage.getItem("console.flash");
  sessionStorage.removeItem("console.flash");
  main.append(
    h("h1", {}, t("networkTitle")),
    flash ? h("p", { class: "saved", role: "status", id: "net-flash", tabindex: "-1" }, flash) : null,
    h("table", { class: "list", id: "municipalities" }, h("caption", {}, t("municipalities")),
      h("thead", {}, h("tr", {}, ["municipality", "muniCode", "partners", "locations"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, munis.map((m) => h("tr", {},
        h("th", { scope: "row" }, named(m.prefecture + " " + m.name), m.isHome ? h("span", { class: "badge on" }, t("home")) : null),
        h("td", { "data-label": ts("muniCode") }, m.code),
        h("td", { "data-label": ts("partners") }, m.partners.map((p, i) => [i ? "、" : "", named(p.name)]).flat()),
        h("td", { "data-label": ts("locations") }, h("ul", { class: "plain" }, m.locations.edges.map((e) =>
          h("li", {}, named(e.node.name), "（", t("L_" + e.node.kind), "）",
            e.node.kind === "SHOP" && mayManage({ municipality: m })
              ? h("a", { href: "#/shops/" + e.node.id, id: "shop-" + e.node.id, class: "button-link quiet" }, t("shopSettings"),
                h("span", { class: "visually-hidden" }, "（", named(e.node.name), "）"))
              : null)))))))),
    h("table", { class: "list", id: "partnerships" }, h("caption", {}, t("partnerships")),
      h("thead", {}, h("tr", {}, ["partnership", "partnerSince", "partnerUntil", u.role === "ADMIN" ? "actions" : null].filter(Boolean)
        .map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", {}, partnerships.length ? partnerships.map((p) => h("tr", {},
        h("th", { scope: "row" }, named(p.municipalityA.name), " ⇄ ", named(p.municipalityB.name)),
        h("td", { "data-label": ts("partnerSince") }, p.startsOn),
        h("td", { "data-label": ts("partnerUntil") }, p.endsOn ? t("partnerEndsOn", { day: p.endsOn }) : "—"),
        u.role === "ADMIN" ? h("td", {}, p.endsOn ? "—" : h("button", { id: "end-" + p.id, type: "button", class: "secondary", onclick: () => endDialog(p) },
          t("endPartnership"), h("span", { class: "visually-hidden" }, "（", p.municipalityA.name, " ⇄ ", p.municipalityB.name, "）"))) : null,
      )) : h("tr", {}, h("td", { colspan: 4 }, t("none"))))),
    ...cards,
  );
}, "navNetwork");

// endDialog asks from which day partnership p ends (the first day without it:
// today or later), and ends it.
function endDialog(p) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
  const on = field("end-on", "partnerEndOn", { type: "date", value: p.endsOn || today, min: today }, { need: "required", hint: t("partnerEndOnHint") });
  const general = h("div", { id: "end-errors" });
  const form = h("form", { novalidate: true, id: "end-form" },
    h("p", {}, named(p.municipalityA.name), " ⇄ ", named(p.municipalityB.name)),
    on.el, general,
    h("div", { class: "actions" },
      h("button", { id: "end-yes", type: "submit", class: "primary" }, t("endPartnership")),
      h("button", { id: "end-no", type: "button", onclick: () => d.close() }, t("cancel"))));
  const d = dialog("endPartnership", form, "end-dialog");
  const slots = { "input.on": on };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!on.input.value) return placeErrors([{ field: "input.on", code: "REQUIRED" }], slots, general);
    try {
      const r = await gql(`mutation($input: EndPartnershipInput!) { endPartnership(input: $input) { partnership { id endsOn } userErrors { code field message } } }`,
        { input: { partnershipId: p.id, on: on.input.value } });
      if (placeErrors(r.endPartnership.userErrors, slots, general)) return;
      d.close();
      sessionStorage.setItem("console.flash", ts("partnerEnded", { day: on.input.value }));
      await show("net-flash");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
}
