// Sales: what sold, by day (the chosen month), by month (the last six), by facility
// and by product (the chosen month), as bar charts with the same numbers as tables
// beside them (the charts are pictures of the tables, hidden from screen readers),
// each downloadable as CSV (UTF-8 with a byte order mark, as Excel reads it).
// The month's statements carry the figures per facility and product; the sold
// lines carry the days — all in one request.

import { gql } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named, yen } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, downloadCSV, field, go, route, thisMonth } from "./ui.js";

const MONTHS = 6;
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...kids);
  return el;
}

// prevMonths lists month and the ones before it, oldest first.
function prevMonths(month, n) {
  const [y, m] = month.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

// Japan time bounds of a month, as the API's Time.
function bounds(month) {
  const [y, m] = month.split("-").map(Number);
  const at = (yy, mm) => new Date(Date.UTC(yy, mm - 1, 1) - 9 * 3600 * 1000).toISOString();
  return { since: at(y, m), until: at(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1) };
}

const jstDay = (iso) => new Date(new Date(iso).getTime() + 9 * 3600 * 1000).toISOString().slice(0, 10);

route(/^sales(\?month=\d{4}-\d{2})?$/, async (main, m) => {
  const u = app.user;
  const month = (/month=(\d{4}-\d{2})/.exec(m[0]) || [])[1] || thisMonth();
  const months = prevMonths(month, MONTHS);
  const filter = u.role === "FACILITY" ? { facilityId: u.facility.id } : u.role === "MANAGER" ? { municipalityId: u.municipality.id } : null;
  const lineFilter = { ...bounds(month), ...(u.role === "FACILITY" ? { facilityId: u.facility.id } : {}) };
  // The chosen month with its lines per product; the months before it, totals only
  // (the API bounds what one request may return).
  const aliases = months.map((mm, i) => `m${i}: settlements(month: "${mm}", filter: $filter, first: ${i === MONTHS - 1 ? 50 : 100}) {
    edges { node { net unitsSold facility { id name municipality { id } } ${i === MONTHS - 1 ? "lines { product { id } name net unitsSold }" : ""} } } }`).join("\n");
  const d = await gql(`query Sales($filter: SettlementFilter, $lines: SoldLineFilter) {
    ${aliases}
    soldLines(filter: $lines, first: 100) { edges { node { soldAt line { amount quantity refunded unitPrice owner { municipality { id } } } } } pageInfo { hasNextPage } }
  }`, { filter, lines: lineFilter });

  // A manager's figures are their municipality's goods, wherever they sold.
  const ours = (s) => u.role !== "MANAGER" || s.facility.municipality.id === u.municipality.id;
  const statements = months.map((_, i) => d["m" + i].edges.map((e) => e.node).filter(ours));
  const current = statements[MONTHS - 1];

  const byMonth = months.map((mm, i) => [mm, statements[i].reduce((a, s) => a + s.net, 0), statements[i].reduce((a, s) => a + s.unitsSold, 0)]);
  const sum = (rows, key, label) => {
    const by = new Map();
    for (const r of rows) {
      const k = key(r);
      const v = by.get(k) || [label(r), 0, 0];
      v[1] += r.net;
      v[2] += r.unitsSold;
      by.set(k, v);
    }
    return [...by.values()].sort((a, b) => b[1] - a[1]);
  };
  const byFacility = sum(current, (s) => s.facility.id, (s) => s.facility.name);
  const byProduct = sum(current.flatMap((s) => s.lines), (l) => l.product.id, (l) => l.name);
  const days = new Map();
  for (const e of d.soldLines.edges) {
    const l = e.node.line;
    if (u.role === "MANAGER" && l.owner.municipality.id !== u.municipality.id) continue;
    const day = jstDay(e.node.soldAt);
    const v = days.get(day) || [day, 0, 0];
    v[1] += l.amount - l.refunded * l.unitPrice;
    v[2] += l.quantity - l.refunded;
    days.set(day, v);
  }
  const byDay = [...days.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));

  const monthField = field("sa-month", "month", { type: "month", value: month, max: thisMonth() });
  const pick = h("form", { class: "filters", "aria-label": ts("month") }, monthField.el,
    h("div", {}, h("button", { id: "sa-show", type: "submit", class: "secondary" }, t("showMonth"))));
  pick.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (/^\d{4}-\d{2}$/.test(monthField.input.value)) go("sales?month=" + monthField.input.value);
  });
  main.append(
    h("h1", {}, t("salesTitle", { month })),
    pick,
    h("div", { class: "charts" },
      chart("sales-day", t("byDay", { month }), "colDay", byDay, `sales-${month}-days.csv`, d.soldLines.pageInfo.hasNextPage),
      chart("sales-month", t("byMonth"), "month", byMonth, `sales-${months[0]}-${month}.csv`),
      chart("sales-facility", t("byFacility", { month }), "colFacility", byFacility, `sales-${month}-facilities.csv`),
      chart("sales-product", t("byProduct", { month }), "colName", byProduct, `sales-${month}-products.csv`)),
  );
}, "navSales");

// chart is one view: a heading, the bars (a picture of the table), the table, and
// its CSV. rows are [label, yen, units].
function chart(id, title, labelKey, rows, filename, more) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  // Each bar is drawn under its label, so that long names wrap instead of being cut.
  const bars = h("ol", { class: "bars", "aria-hidden": "true" }, rows.map((r) =>
    h("li", {}, h("span", { class: "bar-label" }, String(r[0]), " ", h("strong", {}, yen(r[1]))),
      svg("svg", { viewBox: "0 0 100 4", preserveAspectRatio: "none", focusable: "false" },
        svg("rect", { x: "0", y: "0", width: String(r[1] > 0 ? Math.max(0.5, (r[1] / max) * 100) : 0), height: "4", class: "bar" })))));
  const csv = () => downloadCSV(filename, [[ts(labelKey), ts("colAmount"), ts("colUnits")], ...rows]);
  return h("section", { class: "card chart", "aria-labelledby": id + "-h", id },
    h("h2", { id: id + "-h" }, title),
    rows.length ? bars : h("p", {}, t("none")),
    more ? h("p", { class: "hint" }, t("firstLinesOnly")) : null,
    h("table", { class: "list", id: id + "-table" },
      h("caption", { class: "visually-hidden" }, title),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t(labelKey)), h("th", { scope: "col", class: "num" }, t("colAmount")), h("th", { scope: "col", class: "num" }, t("colUnits")))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, named(r[0])),
        h("td", { class: "num", "data-label": ts("colAmount") }, yen(r[1])), h("td", { class: "num", "data-label": ts("colUnits") }, String(r[2])))))),
    h("p", {}, h("button", { type: "button", id: id + "-csv", class: "secondary", onclick: csv }, t("downloadCSV"))),
  );
}
