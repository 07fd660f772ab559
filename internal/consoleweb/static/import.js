// Products from CSV: a file with the export's columns (UTF-8 or Shift_JIS, as
// Excel saves it) is checked by the API first (a dry run that writes nothing),
// each row's problems listed by row and column; only a file without problems can
// be imported, all rows at once.

import { gql, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { getPrefs, yen } from "../pos/i18n.js";
import { errNode, t, ts } from "./i18n.js";
import { CATEGORIES } from "./products.js";
import { errorBox, field, placeErrors, route, setError } from "./ui.js";

const IMPORT = `mutation Import($input: ImportProductsInput!) { importProducts(input: $input) {
  dryRun rows { row action name code price product { id } }
  rowErrors { row column code message } userErrors { code field message } } }`;

// base64 of a file's bytes, as the API takes it.
async function base64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// What each column of the import wants, as the editor says it for its fields
// (code, reading) or in the import's own words: every column of the export has
// one, so that a problem in any column says how to mend it.
const COLUMN_HINTS = {
  id: () => t("importColId"),
  facility: () => t("importColFacility"),
  status: () => t("importColStatus"),
  category: () => t("importColCategory", { list: h("span", {}, CATEGORIES.flatMap((c, i) => [i ? t("importColOr") : null, t("importColValue", { value: c, words: t(c) })])) }),
  code: () => t("codeHint"),
  price: () => t("importColPrice"),
  taxClass: () => t("importColTaxClass"),
  nameReading: () => t("nameReadingHint"),
  allergens: () => t("importColAllergens"),
};
// The texts' columns, one of each per locale: name_JA, description_EN…
const TEXT_HINTS = {
  name: (loc) => t("importColName", { lang: ts(loc), n: 100 }),
  description: (loc) => t("importColDescription", { lang: ts(loc), n: 2000 }),
};

// columnHint is what the column (as the file's header names it) wants, or null:
// a problem of the whole row has no column.
export function columnHint(column) {
  const [, kind, loc] = /^(name|description)_(JA|JA_X_EASY|EN|ZH|KO)$/.exec(column || "") || [];
  const hint = kind ? TEXT_HINTS[kind](loc) : Object.hasOwn(COLUMN_HINTS, column || "") ? COLUMN_HINTS[column]() : null;
  return hint && h("span", { class: "col-hint" }, hint);
}

route(/^products\/import$/, async (main) => {
  const file = field("imp-file", "importFile", { type: "file", accept: ".csv,text/csv" }, { need: "required", hint: t("importHint") });
  const check = h("button", { id: "imp-check", type: "submit", class: "secondary" }, t("importCheck"));
  const result = h("section", { id: "imp-result", "aria-labelledby": "imp-result-h", hidden: true });
  const general = h("div", { id: "imp-errors" });
  // The chosen file as sent, and the key it is imported under: a retry of the
  // same file is the same import, a new file a new one.
  let sent = null;
  let key = null;

  const showErrors = (rowErrors) => {
    const en = getPrefs().lang === "en";
    const rows = new Set(rowErrors.map((e) => e.row)).size;
    return [
      h("h2", { id: "imp-result-h", tabindex: "-1" }, t("importRefused", { n: rows })),
      h("p", {}, t("importNothingWritten")),
      h("table", { class: "list", id: "imp-row-errors" },
        h("caption", {}, t("importErrorsCaption")),
        h("thead", {}, h("tr", {}, ["importRow", "importColumn", "importProblem"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", {}, rowErrors.map((e) =>
          h("tr", {},
            h("th", { scope: "row" }, t("importRowN", { n: e.row })),
            h("td", { "data-label": ts("importColumn") }, e.column || "—"),
            // The API's sentence is English; in Japanese the words of its code and
            // what the column wants.
            h("td", { "data-label": ts("importProblem") }, en ? e.message : [errNode(e.code), " ", columnHint(e.column)]))))),
    ];
  };

  const showPreview = (rows, applied) => [
    h("h2", { id: "imp-result-h", tabindex: "-1" }, applied ? t("importDone", { n: rows.length }) : t("importReady", { n: rows.length })),
    applied ? null : h("p", {}, t("importNothingYet")),
    h("table", { class: "list", id: "imp-rows" },
      h("caption", {}, t(applied ? "importedCaption" : "importPreviewCaption")),
      h("thead", {}, h("tr", {}, ["importRow", "importAction", "colName", "colCode", "colPrice"].map((k, i) => h("th", { scope: "col", class: i === 4 ? "num" : null }, t(k))))),
      h("tbody", {}, rows.map((r) =>
        h("tr", {},
          h("th", { scope: "row" }, t("importRowN", { n: r.row })),
          h("td", { "data-label": ts("importAction") }, t("import" + r.action)),
          h("td", { "data-label": ts("colName") }, r.product && applied ? h("a", { href: "#/products/" + r.product.id }, r.name) : r.name),
          h("td", { "data-label": ts("colCode") }, r.code || "—"),
          h("td", { class: "num", "data-label": ts("colPrice") }, yen(r.price)))))),
    applied ? null : h("p", { class: "actions" }, h("button", { id: "imp-apply", type: "button", class: "primary", onclick: apply }, t("importApply", { n: rows.length }))),
  ].filter(Boolean);

  // send runs the import (a dry run unless key is given) and shows its answer.
  const send = async (dryRun) => {
    const input = { file: sent, dryRun };
    if (!dryRun) input.idempotencyKey = key;
    const d = (await gql(IMPORT, { input })).importProducts;
    if (d.rowErrors.length) {
      result.replaceChildren(...showErrors(d.rowErrors));
    } else if (d.userErrors.length) {
      result.hidden = true;
      placeErrors(d.userErrors, { "input.file": file }, general);
      return;
    } else {
      result.replaceChildren(...showPreview(d.rows, !d.dryRun));
    }
    result.hidden = false;
    result.querySelector("h2").focus();
  };

  async function apply(ev) {
    const button = ev.currentTarget;
    button.disabled = true;
    try {
      await send(false);
    } catch (e) {
      general.replaceChildren(errorBox(e));
      button.disabled = false;
    }
  }

  const form = h("form", { class: "editor", novalidate: true }, file.el, general, h("p", { class: "actions" }, check));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    general.replaceChildren();
    const f = file.input.files[0];
    if (!f) return placeErrors([{ field: "input.file", code: "REQUIRED" }], { "input.file": file }, general);
    check.disabled = true;
    try {
      const data = await base64(f);
      if (data !== sent) key = newKey();
      sent = data;
      await send(true);
    } catch (e) {
      setError(file, errNode(e.code || "INTERNAL"));
      file.input.focus();
    } finally {
      check.disabled = false;
    }
  });
  // A new file is checked anew: what was shown for the last one goes.
  file.input.addEventListener("change", () => {
    result.hidden = true;
    result.replaceChildren();
  });

  main.append(
    h("h1", {}, t("importTitle")),
    h("p", {}, t("importLead")),
    h("p", {}, h("a", { href: "#/products", id: "imp-back", class: "button-link quiet" }, t("backToList"))),
    form,
    result,
  );
}, "navProducts");
