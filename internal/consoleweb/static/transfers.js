// Transfers, the exchange of goods between municipalities: the list, a request,
// and one transfer with its lines, its history and what this side may do next —
// approve (fewer if need be), ship all or part, receive with what was short, or
// cancel. Each action carries an idempotency key made when its form is drawn, so
// that a second press or a retry moves nothing twice.

import { gql, latest, newKey } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { locale, named, withReading } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, dialog, errorBox, field, go, options, pager, placeErrors, route, show } from "./ui.js";

const STATUSES = ["REQUESTED", "APPROVED", "SHIPPED", "RECEIVED", "CANCELLED"];
const SHORT_REASONS = ["LOST", "DAMAGED_IN_TRANSIT", "OTHER"];
const LOC = "id name municipality { id name } facility { id }";

// mine says whether a location is on the user's side (an admin is on every side).
export function mine(loc) {
  const u = app.user;
  if (u.role === "ADMIN") return true;
  if (u.role === "FACILITY") return !!loc.facility && loc.facility.id === u.facility.id;
  return loc.municipality.id === u.municipality.id;
}

const when = (iso) => new Date(iso).toLocaleString(ts("dateLocale"), { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

// --- The list -------------------------------------------------------------------

route(/^transfers$/, async (main) => {
  const u = app.user;
  const status = field("tf-status", "filterStatus", {}, { tag: "select", kids: options(STATUSES.map((s) => "T_" + s), null, "all") });
  const body = h("tbody");
  const pages = pager("transfers", async (after) => {
    const filter = u.role === "MANAGER" ? { municipalityId: u.municipality.id } : {};
    if (status.input.value) filter.status = [status.input.value.slice(2)];
    const d = await gql(
      `query Transfers($filter: TransferFilter, $after: String) {
        transfers(filter: $filter, first: 20, after: $after) {
          edges { node { id status updatedAt from { ${LOC} } to { ${LOC} } lines { requested } } }
          pageInfo { hasNextPage endCursor } } }`,
      { filter, after },
    );
    const rows = d.transfers.edges.map((e) => e.node).filter((x) => u.role !== "FACILITY" || mine(x.from) || mine(x.to));
    body.replaceChildren(
      ...(rows.length
        ? rows.map((x) =>
            h("tr", {},
              h("th", { scope: "row" }, h("a", { href: "#/transfers/" + x.id }, named(x.from.name), " → ", named(x.to.name))),
              h("td", { "data-label": ts("colStatus") }, h("span", { class: "status " + x.status }, t("T_" + x.status))),
              h("td", { class: "num", "data-label": ts("colLines") }, String(x.lines.length)),
              h("td", { "data-label": ts("colUpdated") }, when(x.updatedAt)),
            ),
          )
        : [h("tr", {}, h("td", { colspan: 4 }, t("none")))]),
    );
    return d.transfers.pageInfo;
  });
  const form = h("form", { class: "filters", "aria-label": ts("transfersTitle") }, status.el,
    h("div", {}, h("button", { type: "submit", class: "secondary", id: "tf-apply" }, t("searchButton"))));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    pages.start().catch((e) => form.append(errorBox(e)));
  });
  main.append(
    h("h1", {}, t("transfersTitle")),
    u.role === "FACILITY" ? null : h("p", {}, h("a", { id: "new-transfer", class: "button-link", href: "#/transfers/new" }, t("requestTransfer"))),
    form,
    h("table", { class: "list", id: "transfers" },
      h("caption", {}, t("transfersTitle")),
      h("thead", {}, h("tr", {}, ["colRoute", "colStatus", "colLines", "colUpdated"].map((k, i) => h("th", { scope: "col", class: i === 2 ? "num" : null }, t(k))))),
      body),
    pages.el,
  );
  await pages.start();
}, "navTransfers");

// --- A request --------------------------------------------------------------------

route(/^transfers\/new$/, async (main) => {
  const d = await gql(`query { locations(first: 100) { edges { node { ${LOC} kind } } } }`);
  const all = d.locations.edges.map((e) => e.node);
  const here = all.filter(mine);
  const there = app.user.role === "ADMIN" ? all : all.filter((l) => !mine(l));
  const locOptions = (list) => [h("option", { value: "" }, "—"), ...list.map((l) => h("option", { value: l.id }, l.name + "（" + l.municipality.name + "）"))];
  const from = field("rq-from", "fromLocation", {}, { tag: "select", need: "required", kids: locOptions(there) });
  const to = field("rq-to", "toLocation", {}, { tag: "select", need: "required", kids: locOptions(here) });
  const note = field("rq-note", "note", { rows: 2 }, { tag: "textarea", need: "optional" });
  const lines = h("ul", { class: "plain", id: "rq-lines" });
  const general = h("div", { id: "rq-errors" });
  const key = newKey();
  let products = [];
  const goodsOf = latest(); // only the latest choice of a source has its goods drawn

  // The goods of the source's municipality are offered once a source is chosen.
  // A source chosen again before its goods came (another one, or the same) makes an
  // earlier answer stale: drawn late, it would list another town's goods or wipe the
  // quantities typed meanwhile.
  from.input.addEventListener("change", async () => {
    lines.replaceChildren();
    const loc = all.find((l) => l.id === from.input.value);
    if (!loc) return goodsOf.drop();
    try {
      const r = await goodsOf(gql(`query($f: ProductFilter, $l: Locale) { products(filter: $f, first: 100, locale: $l) { edges { node { id name nameReading } } } }`,
        { f: { municipalityId: loc.municipality.id, status: "ACTIVE" }, l: locale() }));
      products = r.products.edges.map((e) => e.node);
      lines.replaceChildren(
        ...products.map((p, i) =>
          h("li", { class: "qty-line" },
            h("label", { for: "rq-q-" + i }, withReading(p)),
            h("input", { id: "rq-q-" + i, type: "number", min: "0", step: "1", inputmode: "numeric", value: "0", class: "qty-input", "data-product": p.id })),
        ),
      );
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });

  const form = h("form", { class: "card", novalidate: true },
    from.el, to.el,
    h("fieldset", { class: "group" }, h("legend", {}, t("quantities")), lines),
    note.el, general,
    h("div", { class: "actions" }, h("button", { id: "rq-send", type: "submit", class: "primary" }, t("requestTransfer"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const qty = [...lines.querySelectorAll("input")].map((i) => ({ productId: i.dataset.product, quantity: Number(i.value) })).filter((l) => l.quantity > 0);
    const local = [];
    if (!from.input.value) local.push({ field: "input.fromLocationId", code: "REQUIRED" });
    if (!to.input.value) local.push({ field: "input.toLocationId", code: "REQUIRED" });
    if (!qty.length) local.push({ field: "input.lines", code: "REQUIRED" });
    const slots = { "input.fromLocationId": from, "input.toLocationId": to, "input.note": note };
    if (local.length) return placeErrors(local, slots, general);
    try {
      const r = await gql(`mutation($input: RequestTransferInput!) { requestTransfer(input: $input) { transfer { id } userErrors { code field message } } }`,
        { input: { fromLocationId: from.input.value, toLocationId: to.input.value, lines: qty, note: note.input.value, idempotencyKey: key } });
      if (placeErrors(r.requestTransfer.userErrors, slots, general)) return;
      go("transfers/" + r.requestTransfer.transfer.id);
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  main.append(h("h1", {}, t("requestTransfer")), form);
}, "navTransfers");

// --- One transfer -------------------------------------------------------------------

const TRANSFER = `id status note version from { ${LOC} } to { ${LOC} }
  lines { product { id name nameReading } requested approved shipped received short outstanding unshipped unitPrice }
  shipments { carrier trackingNumber shippedAt shippedBy { name } lines { product { id name nameReading } quantity } }
  receipts { receivedAt receivedBy { name } lines { product { id name nameReading } accepted short shortReason note } }
  events { type note at actor { name } }`;

route(/^transfers\/(?!new$)([^/]+)$/, async (main, m) => {
  // Names are the products' Japanese ones (marked lang="ja" in English), as shipped.
  const d = await gql(`query Transfer($id: ID!) { transfer(id: $id) { ${TRANSFER} } }`, { id: m[1] });
  const x = d.transfer;
  main.append(h("h1", {}, t("transferTitle")));
  if (!x) return main.append(errorBox("NOT_FOUND"));
  const flash = sessionStorage.getItem("console.flash");
  sessionStorage.removeItem("console.flash");
  main.append(
    h("p", { id: "tr-status", class: "lead", tabindex: "-1" },
      named(x.from.name), " → ", named(x.to.name), "　", h("span", { class: "status " + x.status }, t("T_" + x.status))),
    flash ? h("p", { class: "saved", role: "status", id: "tr-flash" }, flash) : null,
    x.note ? h("p", {}, t("note"), "：", named(x.note)) : null,
    linesTable(x),
    actions(x),
    history(x),
  );
}, "navTransfers");

function linesTable(x) {
  const cols = ["requested", "approved", "shipped", "received", "short", "outstanding"];
  return h("table", { class: "list", id: "tr-lines" },
    h("caption", {}, t("transferLines")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("colName")), cols.map((c) => h("th", { scope: "col", class: "num" }, t("q_" + c))))),
    h("tbody", {}, x.lines.map((l) =>
      h("tr", {}, h("th", { scope: "row" }, withReading(l.product)), cols.map((c) => h("td", { class: "num", "data-label": ts("q_" + c) }, String(l[c])))))));
}

// The forms this side may use now.
function actions(x) {
  const out = h("div", { id: "tr-actions" });
  const fromMine = mine(x.from);
  const toMine = mine(x.to);
  if (x.status === "REQUESTED" && fromMine) out.append(approveForm(x));
  if ((x.status === "APPROVED" || x.status === "SHIPPED") && fromMine && x.lines.some((l) => l.unshipped > 0)) out.append(shipForm(x));
  if (x.status === "SHIPPED" && toMine && x.lines.some((l) => l.outstanding > 0)) out.append(receiveForm(x));
  const cancellable = x.status === "REQUESTED" || x.status === "APPROVED" || (x.status === "SHIPPED" && x.lines.some((l) => l.unshipped > 0));
  if (cancellable && (fromMine || toMine)) {
    out.append(h("p", {}, h("button", { id: "tr-cancel", type: "button", class: "danger", onclick: () => cancelDialog(x) }, t("cancelTransfer"))));
  }
  return out;
}

// qtyForm is a form with one number per line, labelled with the product and qtyKey
// (and more fields per line from extra).
function qtyForm(id, titleKey, qtyKey, x, pick, initial, extra, send) {
  const general = h("div", { id: id + "-errors" });
  const rows = x.lines.filter(pick).map((l, i) => {
    const q = h("input", { id: `${id}-q-${i}`, type: "number", min: "0", step: "1", inputmode: "numeric", value: String(initial(l)), class: "qty-input" });
    return { l, q, more: extra ? extra(l, i) : null };
  });
  const key = newKey();
  const form = h("form", { class: "card", id, novalidate: true, "aria-labelledby": id + "-h" },
    h("h2", { id: id + "-h" }, t(titleKey)),
    h("ul", { class: "plain" }, rows.map((r, i) =>
      h("li", { class: "qty-line" }, h("label", { for: `${id}-q-${i}` }, withReading(r.l.product), "：", t(qtyKey)), r.q, r.more ? r.more.el : null))),
    h("div", { id: id + "-fields" }),
    general,
    h("div", { class: "actions" }, h("button", { id: id + "-send", type: "submit", class: "primary" }, t(titleKey))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const res = await send(rows, key);
      const payload = Object.values(res)[0];
      if (placeErrors(payload.userErrors, {}, general)) return;
      sessionStorage.setItem("console.flash", ts("done_" + id));
      await show("tr-status");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

const PAYLOAD = `{ transfer { id status } userErrors { code field message } }`;

function approveForm(x) {
  return qtyForm("approve", "approveTransfer", "q_approved", x, () => true, (l) => l.requested, null, (rows, key) =>
    gql(`mutation($input: ApproveTransferInput!) { approveTransfer(input: $input) ${PAYLOAD} }`, {
      input: { transferId: x.id, idempotencyKey: key, lines: rows.map((r) => ({ productId: r.l.product.id, quantity: Number(r.q.value) })) },
    }));
}

function shipForm(x) {
  const carrier = field("ship-carrier", "carrier", { autocomplete: "off" }, { need: "optional" });
  const tracking = field("ship-tracking", "trackingNumber", { autocomplete: "off" }, { need: "optional" });
  const form = qtyForm("ship", "shipTransfer", "q_shipped", x, (l) => l.unshipped > 0, (l) => l.unshipped, null, (rows, key) =>
    gql(`mutation($input: ShipTransferInput!) { shipTransfer(input: $input) ${PAYLOAD} }`, {
      input: {
        transferId: x.id, idempotencyKey: key, carrier: carrier.input.value, trackingNumber: tracking.input.value,
        lines: rows.map((r) => ({ productId: r.l.product.id, quantity: Number(r.q.value) })).filter((l) => l.quantity > 0),
      },
    }));
  form.querySelector("#ship-fields").append(h("div", { class: "two" }, carrier.el, tracking.el));
  return form;
}

// Receiving: what arrived in good order, and what was short with why.
function receiveForm(x) {
  return qtyForm("receive", "receiveTransfer", "q_accepted", x, (l) => l.outstanding > 0, (l) => l.outstanding, (l, i) => {
    const short = field(`receive-short-${i}`, "q_short", { type: "number", min: "0", step: "1", inputmode: "numeric", value: "0", class: "qty-input" });
    const reason = field(`receive-reason-${i}`, "shortReason", {}, { tag: "select", kids: options(SHORT_REASONS, "LOST") });
    return { el: h("div", { class: "two" }, short.el, reason.el), short, reason };
  }, (rows, key) =>
    gql(`mutation($input: ReceiveTransferInput!) { receiveTransfer(input: $input) ${PAYLOAD} }`, {
      input: {
        transferId: x.id, idempotencyKey: key,
        lines: rows.map((r) => {
          const short = Number(r.more.short.input.value);
          return { productId: r.l.product.id, accepted: Number(r.q.value), short, shortReason: short > 0 ? r.more.reason.input.value : null };
        }),
      },
    }));
}

function cancelDialog(x) {
  const reason = field("cancel-reason", "reason", { rows: 2 }, { tag: "textarea", need: "optional" });
  const general = h("div", { id: "cancel-errors" });
  const key = newKey();
  const d = dialog("cancelTransfer", h("form", { method: "dialog", novalidate: true, id: "cancel-form" },
    h("p", {}, t("cancelAsk")), reason.el, general,
    h("div", { class: "actions" },
      h("button", { id: "cancel-yes", type: "submit", class: "danger" }, t("cancelYes")),
      h("button", { id: "cancel-no", type: "button", onclick: () => d.close() }, t("cancel")))), "cancel-dialog");
  d.querySelector("form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const r = await gql(`mutation($input: CancelTransferInput!) { cancelTransfer(input: $input) ${PAYLOAD} }`,
        { input: { transferId: x.id, reason: reason.input.value, idempotencyKey: key } });
      if (placeErrors(r.cancelTransfer.userErrors, {}, general)) return;
      d.close();
      sessionStorage.setItem("console.flash", ts("done_cancel"));
      await show("tr-status");
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
}

// Notes people typed (a request's, an approval's, a cancellation's reason) are shown;
// the API's own notes of shipments and receipts are not: the shipments and receipts
// below say the same in the interface's language.
const TYPED = new Set(["REQUESTED", "OFFERED", "APPROVED", "CANCELLED"]);

function history(x) {
  return h("section", { "aria-labelledby": "tr-history-h", class: "card" },
    h("h2", { id: "tr-history-h" }, t("history")),
    h("ol", { id: "tr-history", class: "history" }, x.events.map((e) =>
      h("li", {}, h("time", { datetime: e.at }, when(e.at)), " ", h("strong", {}, t("E_" + e.type)), e.actor ? [" — ", named(e.actor.name)] : null,
        e.note && TYPED.has(e.type) ? ["：", named(e.note)] : null))),
    x.shipments.length ? h("h3", {}, t("shipments")) : null,
    h("div", { id: "tr-shipments" }, x.shipments.map((s) => h("p", {}, when(s.shippedAt), " ", s.carrier ? named(s.carrier + " " + s.trackingNumber) : "", "：",
      s.lines.flatMap((l, i) => [i ? "、" : "", withReading(l.product), " ×", String(l.quantity)])))),
    x.receipts.length ? h("h3", {}, t("receipts")) : null,
    h("div", { id: "tr-receipts" }, x.receipts.map((r) => h("p", {}, when(r.receivedAt), "：",
      r.lines.flatMap((l, i) => [i ? "、" : "", withReading(l.product), " ", t("receivedLine", { accepted: l.accepted, short: l.short }),
        l.shortReason ? t("shortBecause", { reason: t(l.shortReason) }) : null])))),
  );
}
