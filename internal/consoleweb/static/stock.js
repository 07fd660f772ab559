// Stock: the levels at one of the user's locations (all, or only those below their
// reorder point), an adjustment from a dialog, and a stocktake entered with a
// barcode scanner (each scan counts one; the counts can be typed over).

import { gql, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { locale, named, withReading } from "../pos/i18n.js";
import { errNode, t, ts } from "./i18n.js";
import { app, dialog, errorBox, field, go, options, pager, placeErrors, route, setError, clearErrorOf, show } from "./ui.js";

const REASONS = ["PRODUCTION", "COUNT_CORRECTION", "DAMAGED", "LOST", "EXPIRED", "FOUND"];

function where(hash) {
  const m = /loc=([^&]+)/.exec(hash);
  const id = m ? decodeURIComponent(m[1]) : "";
  return app.locations.find((l) => l.id === id) || app.locations[0] || null;
}

const locationPicker = (id, loc, path) => {
  const f = field(id, "location", {}, { tag: "select", kids: app.locations.map((l) => h("option", { value: l.id, selected: loc && l.id === loc.id }, l.name)) });
  const form = h("form", { class: "filters", "aria-label": ts("location") }, f.el,
    h("div", {}, h("button", { id: id + "-show", type: "submit", class: "secondary" }, t("showLocation"))));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    go(path + "?loc=" + encodeURIComponent(f.input.value));
  });
  return form;
};

// --- Levels -----------------------------------------------------------------------

route(/^stock(\?.*)?$/, async (main, m) => {
  const loc = where(m[0]);
  main.append(h("h1", {}, t("stockTitle")));
  if (!loc) return main.append(h("p", {}, t("none")));
  const low = h("input", { type: "checkbox", id: "st-low" });
  const body = h("tbody");
  const pages = pager("levels", async (after) => {
    const d = await gql(`query Levels($loc: ID!, $filter: StockLevelFilter, $after: String) {
      stockLevels(locationId: $loc, filter: $filter, first: 20, after: $after) {
        edges { node { onHand reserved incoming available reorderPoint belowReorderPoint product { id name nameReading code } } }
        pageInfo { hasNextPage endCursor } } }`,
    { loc: loc.id, filter: low.checked ? { belowReorderPoint: true } : null, after });
    const rows = d.stockLevels.edges.map((e) => e.node);
    body.replaceChildren(...(rows.length ? rows.map((l, i) =>
      h("tr", { class: l.belowReorderPoint ? "low" : null },
        h("th", { scope: "row" }, withReading(l.product), l.belowReorderPoint ? h("span", { class: "badge on" }, t("lowBadge")) : null),
        ...["onHand", "reserved", "incoming", "available", "reorderPoint"].map((k) => h("td", { class: "num", "data-label": ts("c_" + k) }, l[k] == null ? "—" : String(l[k]))),
        h("td", { "data-label": ts("colActions") }, h("button", { type: "button", id: "adj-" + i, class: "secondary", onclick: () => adjustDialog(loc, l) }, t("adjust"))),
      )) : [h("tr", {}, h("td", { colspan: 7 }, t("none")))]));
    return d.stockLevels.pageInfo;
  });
  low.addEventListener("change", () => pages.start());
  const flash = sessionStorage.getItem("console.flash");
  sessionStorage.removeItem("console.flash");
  main.append(
    flash ? h("p", { class: "saved", role: "status", id: "stock-flash", tabindex: "-1" }, flash) : null,
    locationPicker("st-loc", loc, "stock"),
    h("p", { class: "check" }, low, h("label", { for: "st-low" }, t("lowOnly"))),
    h("p", {}, h("a", { class: "button-link", id: "to-count", href: "#/stock/count?loc=" + encodeURIComponent(loc.id) }, t("stocktake"))),
    h("table", { class: "list", id: "levels" },
      h("caption", {}, t("levelsAt", { location: named(loc.name) })),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colName")),
        ["onHand", "reserved", "incoming", "available", "reorderPoint"].map((k) => h("th", { scope: "col", class: "num" }, t("c_" + k))),
        h("th", { scope: "col" }, t("colActions")))),
      body),
    pages.el,
  );
  await pages.start();
}, "navStock");

function adjustDialog(loc, level) {
  const qty = field("adj-qty", "adjustQty", { type: "number", step: "1", inputmode: "numeric" }, { need: "required", hint: t("adjustHint") });
  const reason = field("adj-reason", "reason", {}, { tag: "select", need: "required", kids: options(REASONS.map((r) => "R_" + r), "R_PRODUCTION") });
  const note = field("adj-note", "note", {}, { need: "optional" });
  const general = h("div", { id: "adj-errors" });
  const key = newKey();
  const form = h("form", { novalidate: true },
    h("p", {}, withReading(level.product), "：", t("c_onHand"), " ", String(level.onHand)),
    qty.el, reason.el, note.el, general,
    h("div", { class: "actions" }, h("button", { id: "adj-send", type: "submit", class: "primary" }, t("adjust")),
      h("button", { id: "adj-no", type: "button", onclick: () => d.close() }, t("cancel"))));
  const d = dialog("adjust", form, "adj-dialog");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const n = Number(qty.input.value);
    if (!qty.input.value || !Number.isInteger(n) || n === 0) return placeErrors([{ field: "input.quantity", code: "REQUIRED" }], { "input.quantity": qty }, general);
    try {
      const r = await gql(`mutation($input: AdjustStockInput!) { adjustStock(input: $input) { adjustment { level { onHand } } userErrors { code field message } } }`,
        { input: { locationId: loc.id, productId: level.product.id, quantity: n, reason: reason.input.value.slice(2), note: note.input.value, idempotencyKey: key } });
      if (placeErrors(r.adjustStock.userErrors, { "input.quantity": qty, "input.reason": reason, "input.note": note }, general)) return;
      d.close();
      sessionStorage.setItem("console.flash", ts("adjusted", { n: r.adjustStock.adjustment.level.onHand }));
      await show("stock-flash");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
}

// --- Stocktake with a scanner ---------------------------------------------------------

route(/^stock\/count(\?.*)?$/, async (main, m) => {
  const loc = where(m[0]);
  main.append(h("h1", {}, t("stocktake")));
  if (!loc) return main.append(h("p", {}, t("none")));
  const counted = new Map(); // product id → {product, input}
  const scan = field("count-scan", "scan", { autocomplete: "off", inputmode: "numeric", class: "scan" }, { hint: t("scanHint") });
  const list = h("ul", { class: "plain", id: "count-lines" });
  const live = h("p", { id: "count-live", role: "status", class: "hint" });
  const complete = h("input", { type: "checkbox", id: "count-complete" });
  const general = h("div", { id: "count-errors" });
  const key = newKey();
  const add = (p) => {
    let line = counted.get(p.id);
    if (!line) {
      const input = h("input", { id: "count-q-" + counted.size, type: "number", min: "0", step: "1", inputmode: "numeric", value: "0", class: "qty-input" });
      line = { product: p, input };
      counted.set(p.id, line);
      list.append(h("li", { class: "qty-line" }, h("label", { for: input.id }, withReading(p)), input));
    }
    line.input.value = String(Number(line.input.value) + 1);
    live.replaceChildren(t("countedOne", { name: withReading(p), n: line.input.value }));
  };
  const scanForm = h("form", { novalidate: true, class: "scan-form" }, scan.el);
  scanForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const code = scan.input.value.trim();
    scan.input.value = "";
    if (!code) return;
    try {
      const d = await gql(`query($code: String!, $l: Locale) { productByCode(code: $code, locale: $l) { id name nameReading } }`, { code, l: locale() });
      if (!d.productByCode) return setError(scan, t("noSuchCode", { code }));
      clearErrorOf(scan);
      add(d.productByCode);
    } catch (e) {
      setError(scan, errNode(e.code || "INTERNAL"));
    }
    scan.input.focus();
  });
  const send = h("form", { novalidate: true },
    h("fieldset", { class: "group" }, h("legend", {}, t("countedGoods")), list),
    h("p", { class: "check" }, complete, h("label", { for: "count-complete" }, t("countComplete"))),
    general,
    h("div", { class: "actions" }, h("button", { id: "count-send", type: "submit", class: "primary" }, t("recordCount"))));
  const result = h("div", { id: "count-result" });
  send.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lines = [...counted.values()].map((l) => ({ productId: l.product.id, counted: Number(l.input.value) }));
    if (!lines.length && !complete.checked) return placeErrors([{ code: "REQUIRED" }], {}, general);
    try {
      const r = await gql(`mutation($input: RecordStocktakeInput!) { recordStocktake(input: $input) {
        stocktake { changedLines { product { id name nameReading } expected counted difference } } userErrors { code field message } } }`,
        { input: { locationId: loc.id, lines, complete: complete.checked, idempotencyKey: key } });
      if (placeErrors(r.recordStocktake.userErrors, {}, general)) return;
      const changed = r.recordStocktake.stocktake.changedLines;
      result.replaceChildren(
        h("h2", { id: "count-done", tabindex: "-1" }, t("countRecorded", { n: changed.length })),
        h("ul", {}, changed.map((c) => h("li", {}, withReading(c.product), "：", t("countDiff", { expected: c.expected, counted: c.counted, diff: (c.difference > 0 ? "+" : "") + c.difference })))),
      );
      send.remove();
      scanForm.remove();
      result.querySelector("h2").focus();
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  main.append(h("p", { class: "lead" }, named(loc.name)), scanForm, live, send, result,
    h("p", {}, h("a", { href: "#/stock?loc=" + encodeURIComponent(loc.id), id: "count-back", class: "button-link quiet" }, t("backToStock"))));
}, "navStock");
