// The other tasks at the counter: void the last sale, refund by receipt number,
// cash in and out, and closing the register with its Z report.

import { gql, newKey } from "./api.js";
import { announce, clearError, fail, field, h, receiptText, showError, showUserErrors } from "./dom.js";
import { money, named, t, ts, yen } from "./i18n.js";
import { forget, go, save, screen, state } from "./state.js";

const backButton = () => h("button", { type: "button", class: "secondary big", id: "back", onclick: () => go("sale") }, t("back"));
const receiptPre = (text) => {
  const pre = h("pre", { class: "receipt-paper", id: "refund-text", tabindex: "0", role: "region", lang: "ja", "aria-label": ts("receiptTitle") });
  receiptText(pre, text);
  return pre;
};
const generalSlot = (id) => ({ err: h("p", { id, class: "err", role: "alert", hidden: true }) });
const digits = (s) => {
  const v = s.replace(/[,¥\s]/g, "");
  return /^\d+$/.test(v) ? Number(v) : null;
};

// --- Void the last sale -----------------------------------------------------------

screen("void", (main) => {
  const general = generalSlot("void-err");
  const form = h("form", { class: "card narrow", novalidate: true, "aria-labelledby": "void-title" }, h("h1", { id: "void-title" }, t("voidTitle")), general.err);
  main.append(form);
  const last = state.lastSale;
  if (!last) {
    form.append(h("p", {}, t("voidNone")), backButton());
    return null;
  }
  const reason = field("void-reason", "reason", { type: "text", autocomplete: "off" }, null, "optional");
  const submit = h("button", { type: "submit", class: "danger big", id: "void-submit" }, t("voidButton"));
  form.append(h("p", { class: "lead" }, t("voidWhich", { n: last.receiptNumber, total: yen(last.total) })), reason.el, h("div", { class: "row" }, submit, backButton()));
  // One key per screen: pressing twice, or a retry, voids once.
  const key = newKey();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(general.err);
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: VoidSaleInput!) { voidSale(input: $in) { sale { id receiptNumber status } userErrors { code field message } } }`,
        { in: { saleId: last.id, reason: reason.input.value.trim() || null, idempotencyKey: key } },
      );
      const r = d.voidSale;
      if (showUserErrors(r.userErrors, { "input.reason": reason }, general)) return;
      state.lastSale = null;
      save();
      // What is left to do is to go back: a section, no form any more.
      const done = h("section", { class: "card narrow", "aria-labelledby": "void-title" },
        h("h1", { id: "void-title", tabindex: "-1" }, t("voidTitle")), h("p", { class: "lead", role: "status", id: "void-done" }, t("voided", { n: last.receiptNumber })), backButton());
      form.replaceWith(done);
      done.querySelector("#back").focus();
    } catch (e) {
      fail(e, general.err);
    } finally {
      submit.disabled = false;
    }
  });
  return null;
});

// --- Refund by receipt number -------------------------------------------------------

screen("refund", (main) => {
  const general = generalSlot("refund-err");
  const number = field("refund-number", "receiptNumber", { type: "text", inputmode: "numeric", autocomplete: "off", pattern: "[0-9]*" }, null, "required");
  const find = h("button", { type: "submit", class: "primary big", id: "refund-find" }, t("findSale"));
  const lookup = h("form", { class: "card", novalidate: true, "aria-labelledby": "refund-title" }, h("h1", { id: "refund-title" }, t("refundTitle")), general.err, h("div", { class: "row end" }, number.el, find));
  const detail = h("div", { id: "refund-detail" });
  main.append(lookup, detail, h("div", { class: "row" }, backButton()));
  lookup.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(number.err, number.input);
    clearError(general.err);
    detail.replaceChildren();
    const n = digits(number.input.value);
    if (n === null || n < 1) {
      showError(number.err, number.input.value ? "INVALID_INPUT" : "REQUIRED", number.input);
      return number.input.focus();
    }
    try {
      const d = await gql(
        `query($shop: ID!, $n: Int!) { saleByReceiptNumber(shopId: $shop, number: $n) {
          id receiptNumber status total lines { lineNumber name unitPrice quantity amount refunded } } }`,
        { shop: state.register.shop.id, n },
      );
      if (!d.saleByReceiptNumber) {
        number.err.replaceChildren(t("noSale"));
        number.err.hidden = false;
        number.input.setAttribute("aria-invalid", "true");
        return number.input.focus();
      }
      drawRefund(detail, d.saleByReceiptNumber);
    } catch (e) {
      fail(e, number.err, number.input);
    }
  });
  return number.input;
});

function drawRefund(detail, sale) {
  const general = generalSlot("refund-do-err");
  if (sale.status === "VOIDED") {
    detail.append(h("div", { class: "card" }, h("p", { class: "lead", role: "status" }, t("voidedSale"))));
    return;
  }
  const slots = {};
  const rows = sale.lines.map((l, i) => {
    const left = l.quantity - l.refunded;
    const f = field("refund-qty-" + i, "refundQty", { type: "number", min: "0", max: String(left), value: "0", inputmode: "numeric", class: "qty-input" }, t("refundable", { n: left }), "optional");
    f.input.setAttribute("aria-label", ts("refundQty") + ts("optional") + ": " + l.name);
    slots["input.lines." + i] = f;
    return { l, f, left };
  });
  const methods = h("fieldset", { class: "choices inline" }, h("legend", {}, t("refundMethod")));
  [["ORIGINAL", "ORIGINAL"], ["CASH", "refundCash"]].forEach(([m, key], i) =>
    methods.append(h("div", { class: "choice" }, h("input", { type: "radio", name: "refund-method", id: "refund-method-" + m, value: m, checked: i === 0 }), h("label", { for: "refund-method-" + m }, t(key)))),
  );
  const reason = field("refund-reason", "reason", { type: "text", autocomplete: "off" }, null, "optional");
  const submit = h("button", { type: "submit", class: "danger big", id: "refund-submit" }, t("refundButton"));
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "refund-sale-title" },
    h("h2", { id: "refund-sale-title" }, t("receiptNo", { n: sale.receiptNumber }), " — ", yen(sale.total)),
    general.err,
    h(
      "ul",
      { class: "refund-lines" },
      rows.map(({ l, f }) => h("li", { class: "line" }, h("div", { class: "line-main" }, h("span", { class: "line-name" }, named(l.name)), h("span", { class: "line-unit" }, yen(l.unitPrice) + " × " + l.quantity)), f.el)),
    ),
    methods,
    reason.el,
    submit,
  );
  const key = newKey();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(general.err);
    const lines = [];
    for (const { l, f, left } of rows) {
      clearError(f.err, f.input);
      const q = digits(f.input.value || "0");
      if (q === null || q > left) {
        showError(f.err, q === null ? "INVALID_INPUT" : "OVER_REFUND", f.input);
        return f.input.focus();
      }
      if (q > 0) lines.push({ lineNumber: l.lineNumber, quantity: q });
    }
    if (!lines.length) {
      general.err.replaceChildren(t("nothingToRefund"));
      general.err.hidden = false;
      return rows[0].f.input.focus();
    }
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: RefundSaleInput!) { refundSale(input: $in) { refund { id receiptNumber total text58: receiptText(width: 58) text80: receiptText(width: 80) }
          userErrors { code field message } } }`,
        { in: { saleId: sale.id, sessionId: state.session.id, lines, method: form.querySelector("input[name=refund-method]:checked").value,
          reason: reason.input.value.trim() || null, idempotencyKey: key } },
      );
      const r = d.refundSale;
      // Errors on line k of the input belong to the k-th refunded line's field.
      const bySent = {};
      lines.forEach((sent, k) => (bySent["input.lines." + k] = rows.find((x) => x.l.lineNumber === sent.lineNumber).f));
      if (showUserErrors(r.userErrors, { ...bySent, "input.reason": reason }, general)) return;
      detail.replaceChildren(
        h(
          "section",
          { class: "card", "aria-labelledby": "refund-done" },
          h("h2", { id: "refund-done", tabindex: "-1" }, t("refundDone", { total: yen(r.refund.total) })),
          receiptPre(r.refund.text58),
          h("div", { class: "row no-print" }, h("button", { type: "button", class: "secondary big", id: "refund-print", onclick: () => window.print() }, t("print"))),
        ),
      );
      document.body.dataset.paper = "58";
      detail.querySelector("#refund-done").focus();
      announce(ts("refundDone", { total: yen(r.refund.total) }));
    } catch (e) {
      fail(e, general.err);
    } finally {
      submit.disabled = false;
    }
  });
  detail.append(form);
  rows[0].f.input.focus();
}

// --- Cash in and out -------------------------------------------------------------------

screen("cash", (main) => {
  const general = generalSlot("cash-err");
  const types = h("fieldset", { class: "choices inline" }, h("legend", {}, t("cashType")));
  ["IN", "OUT"].forEach((ty, i) =>
    types.append(h("div", { class: "choice" }, h("input", { type: "radio", name: "cash-type", id: "cash-type-" + ty, value: ty, checked: i === 0 }), h("label", { for: "cash-type-" + ty }, t(ty)))),
  );
  const amount = field("cash-amount", "amount", { type: "text", inputmode: "numeric", autocomplete: "off", pattern: "[0-9]*", class: "money" }, null, "required");
  const reason = field("cash-reason", "reason", { type: "text", autocomplete: "off" }, null, "required");
  const done = h("p", { class: "lead", role: "status", id: "cash-done" });
  const submit = h("button", { type: "submit", class: "primary big", id: "cash-submit" }, t("record"));
  const form = h("form", { class: "card narrow", novalidate: true, "aria-labelledby": "cash-title" }, h("h1", { id: "cash-title" }, t("cashTitle")), general.err, types, amount.el, reason.el, h("div", { class: "row" }, submit, backButton()), done);
  let key = newKey();
  form.addEventListener("input", () => (key = newKey()));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    for (const f of [amount, reason, general]) clearError(f.err, f.input);
    done.replaceChildren();
    const v = digits(amount.input.value);
    let bad = null;
    if (v === null || v <= 0) {
      showError(amount.err, amount.input.value ? "INVALID_INPUT" : "REQUIRED", amount.input);
      bad = amount.input;
    }
    if (!reason.input.value.trim()) {
      showError(reason.err, "REQUIRED", reason.input);
      bad = bad || reason.input;
    }
    if (bad) return bad.focus();
    const type = form.querySelector("input[name=cash-type]:checked").value;
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: RecordCashMovementInput!) { recordCashMovement(input: $in) { cashMovement { type amount } userErrors { code field message } } }`,
        { in: { sessionId: state.session.id, type, amount: v, reason: reason.input.value.trim(), idempotencyKey: key } },
      );
      const r = d.recordCashMovement;
      if (showUserErrors(r.userErrors, { "input.amount": amount, "input.reason": reason }, general)) return;
      done.replaceChildren(t("cashDone", { type: ts(type), amount: yen(v) }));
      amount.input.value = reason.input.value = "";
      key = newKey();
    } catch (e) {
      fail(e, general.err);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  return amount.input;
});

// --- Close the register ------------------------------------------------------------------

const DENOMS = [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1];

screen("close", (main) => {
  const general = generalSlot("close-err");
  const counted = h("output", { id: "counted", class: "amount", "aria-live": "polite" }, yen(0));
  const inputs = DENOMS.map((d) => {
    const input = h("input", { id: "denom-" + d, type: "number", min: "0", inputmode: "numeric", value: "", class: "qty-input", "aria-describedby": "denom-err" });
    return { d, input, el: h("div", { class: "denom" }, h("label", { for: "denom-" + d }, t("denom", { d: d.toLocaleString("ja-JP") })), input) };
  });
  const denomErr = h("p", { id: "denom-err", class: "err", hidden: true });
  const sum = () => inputs.reduce((s, x) => s + x.d * (Number(x.input.value) || 0), 0);
  const note = field("close-note", "note", { type: "text", autocomplete: "off" }, null, "optional");
  const submit = h("button", { type: "submit", class: "danger big", id: "close-submit" }, t("closeButton"));
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "close-title" },
    h("h1", { id: "close-title" }, t("closeTitle")),
    h("p", { class: "hint" }, t("countHelp")),
    general.err,
    h("fieldset", { class: "denoms" }, h("legend", {}, t("pieces"), h("span", { class: "need optional" }, t("optional"))), inputs.map((x) => x.el)),
    denomErr,
    h("p", { class: "due" }, h("label", { class: "label", for: "counted" }, t("counted")), " ", counted),
    note.el,
    h("div", { class: "row" }, submit, backButton()),
  );
  // One key per count: a retry after a lost answer returns the session closed then;
  // a changed count is another closing (refused if the first went through).
  let closeKey = newKey();
  form.addEventListener("input", () => {
    counted.textContent = yen(sum());
    closeKey = newKey();
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(general.err);
    clearError(denomErr);
    const denominations = [];
    for (const x of inputs) {
      x.input.removeAttribute("aria-invalid");
      const v = x.input.value.trim();
      if (v === "") continue;
      if (!/^\d+$/.test(v)) {
        showError(denomErr, "INVALID_INPUT", x.input);
        return x.input.focus();
      }
      if (Number(v) > 0) denominations.push({ denomination: x.d, count: Number(v) });
    }
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: CloseRegisterSessionInput!) { closeRegisterSession(input: $in) { session { id status report {
          salesCount grossSales voidCount voidTotal refundCount refundTotal netSales
          byPaymentMethod { method count amount } byTaxRate { rate total tax }
          openingFloat cashSales cashRefunds cashIn cashOut expectedCash countedCash overShort } }
          userErrors { code field message } } }`,
        { in: { sessionId: state.session.id, denominations, countedCash: denominations.length ? null : 0, note: note.input.value.trim() || null, idempotencyKey: closeKey } },
      );
      const r = d.closeRegisterSession;
      const slots = { "input.note": note, "input.denominations": { err: denomErr }, "input.countedCash": { err: denomErr } };
      if (showUserErrors(r.userErrors, slots, general)) return;
      const register = state.register;
      state.session = null;
      state.lastSale = null;
      state.cart = [];
      save();
      go("zreport", { report: r.session.report, register });
    } catch (e) {
      fail(e, general.err);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  return inputs[0].input;
});

screen("zreport", (main, { report: z, register }) => {
  const row = (key, value, id) => h("tr", {}, h("th", { scope: "row" }, t(key)), h("td", { id }, value));
  // A shortage and an overage in words, never as a signed figure.
  const over = z.overShort === null ? "—" : z.overShort < 0 ? t("zShort", { amount: yen(-z.overShort) }) : z.overShort > 0 ? t("zOver", { amount: yen(z.overShort) }) : yen(0);
  main.append(
    h(
      "section",
      { class: "card zreport", "aria-labelledby": "z-title" },
      h("h1", { id: "z-title" }, t("zTitle"), register ? [" — ", named(register.name)] : ""),
      h(
        "table",
        { class: "report" },
        h(
          "tbody",
          {},
          row("zSales", t("zCount", { n: z.salesCount }), "z-sales"),
          row("zGross", yen(z.grossSales), "z-gross"),
          row("zVoids", [t("zCount", { n: z.voidCount }), " ", yen(z.voidTotal)], "z-voids"),
          row("zRefunds", [t("zCount", { n: z.refundCount }), " ", yen(z.refundTotal)], "z-refunds"),
          row("zNet", yen(z.netSales), "z-net"),
          row("zFloat", yen(z.openingFloat), "z-float"),
          row("zCashSales", yen(z.cashSales), "z-cash-sales"),
          row("zCashRefunds", yen(z.cashRefunds), "z-cash-refunds"),
          row("zCashIn", yen(z.cashIn), "z-cash-in"),
          row("zCashOut", yen(z.cashOut), "z-cash-out"),
          row("zExpected", yen(z.expectedCash), "z-expected"),
          row("zCounted", z.countedCash === null ? "—" : yen(z.countedCash), "z-counted"),
          row("zOverShort", over, "z-over-short"),
        ),
      ),
      h("h2", {}, t("zByMethod")),
      h("p", { class: "hint", id: "z-method-note" }, t("zMethodNote")),
      h("table", { class: "report" }, h("tbody", {}, z.byPaymentMethod.map((m) => h("tr", {}, h("th", { scope: "row" }, t(m.method)), h("td", {}, t("zCount", { n: m.count }), " ", yen(m.amount)))))),
      h("h2", {}, t("zByRate")),
      h("table", { class: "report" }, h("tbody", {}, z.byTaxRate.map((r) => h("tr", {}, h("th", { scope: "row" }, t("zRate", { rate: r.rate })), h("td", {}, yen(r.total), " ", t("zTax", { tax: yen(r.tax) })))))),
      h(
        "div",
        { class: "row no-print" },
        h("button", { type: "button", class: "secondary big", id: "z-print", onclick: () => window.print() }, t("print")),
        h("button", { type: "button", class: "primary big", id: "to-registers", onclick: () => go("registers") }, t("toRegisters")),
      ),
    ),
  );
  document.body.dataset.paper = "";
  return null;
});

export { forget };
