// Selling: the scan field and the search, the cart with its running total, the
// payment, and the receipt.

import { ApiError, gql, newKey, pendingSale, resumeSale, submitSale, token } from "./api.js";
import { announce, announceSoon, clearError, closedElsewhere, fail, field, h, hidePending, receiptText, showError } from "./dom.js";
import { errNode, locale, money, named, withReading, t, tl, ts, yen } from "./i18n.js";
import { go, save, screen, state } from "./state.js";

const PRODUCT = "id name nameReading price taxRate code imageUrls";

export const SALE_FIELDS = `id receiptNumber status total
  payments { method amount tendered change }
  receipt { total paid change qualifying { rate total tax } nonQualifying { rate total } }
  text58: receiptText(width: 58) text80: receiptText(width: 80)`;

const CREATE_SALE = `mutation($input: CreateSaleInput!) { createSale(input: $input) {
  sale { ${SALE_FIELDS} } userErrors { code field message } } }`;

// estimate is the running total before the sale: per rate, the tax in the
// tax-included total, rounded down as the shop's default rounding does. The
// receipt then shows the API's own figures.
export function estimate(cart) {
  const byRate = new Map();
  let total = 0;
  let items = 0;
  for (const l of cart) {
    const amount = l.product.price * l.quantity;
    total += amount;
    items += l.quantity;
    byRate.set(l.product.taxRate, (byRate.get(l.product.taxRate) || 0) + amount);
  }
  const rates = [...byRate.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([rate, sum]) => ({ rate, total: sum, tax: Math.floor((sum * rate) / (100 + rate)) }));
  return { total, items, rates };
}

// --- The sale screen ----------------------------------------------------------------
//
// Keys that work anywhere on the sale screen, the scan field included (a scanner
// types only digits and Enter): F2 pay by cash, F3 pay by card, F4 the quantity of
// the last line (the number typed into the scan field, or one more), F8 remove
// everything (after a question). Focus comes back to the scan field after each.

export const KEYS = { payCash: "F2", payCard: "F3", quantity: "F4", clearCart: "F8" };

const kbd = (key) => h("kbd", { class: "key", "aria-hidden": "true" }, key);

// back is a button that Escape presses too (a question's "no", the payment's
// "cancel"), with the key shown on it.
const back = (id, onclick) =>
  h("button", { type: "button", class: "secondary big", id, "aria-keyshortcuts": "Escape", onclick }, t("cancel"), " ", kbd("Esc"));

screen("sale", (main) => {
  const scanErr = h("p", { id: "scan-err", class: "err", role: "alert", hidden: true });
  const scan = h("input", {
    id: "scan",
    name: "scan",
    autocomplete: "off",
    inputmode: "numeric",
    enterkeyhint: "enter",
    "aria-describedby": "scan-err scan-keys",
    "aria-keyshortcuts": KEYS.quantity,
    class: "scan",
  });
  const scanForm = h(
    "form",
    { class: "scan-form", novalidate: true, role: "search", "aria-label": ts("scan") },
    h("label", { for: "scan" }, t("scan")),
    h("div", { class: "row" }, scan, h("button", { type: "submit", class: "primary" }, t("addButton"))),
    scanErr,
    h("p", { class: "hint keys", id: "scan-keys" }, kbd(KEYS.quantity), " ", t("shortcutQty")),
  );
  scanForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    addByCode(scan, scanErr);
  });

  const search = h("input", { id: "search", name: "search", type: "search", autocomplete: "off", "aria-controls": "tiles" });
  const tiles = h("ul", { id: "tiles", class: "tiles", "aria-label": ts("searchResults") });
  const searchStatus = h("p", { class: "hint", role: "status", id: "search-status" });
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => runSearch(search.value, tiles, searchStatus, scan), 250);
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") ev.preventDefault();
  });

  const cartList = h("ol", { id: "cart", class: "cart", "aria-labelledby": "cart-title" });
  const totals = h("div", { id: "totals", class: "totals" });
  const summary = h("div", { id: "summary", class: "summary", "aria-hidden": "true" });
  const payCash = h("button", { type: "button", class: "primary huge", id: "pay-cash", "aria-keyshortcuts": KEYS.payCash, onclick: () => startPay("CASH") }, t("payCash"), " ", kbd(KEYS.payCash));
  const payCard = h("button", { type: "button", class: "secondary big", id: "pay-card", "aria-keyshortcuts": KEYS.payCard, onclick: () => startPay("CARD") }, t("payCard"), " ", kbd(KEYS.payCard));
  const confirm = h("div", { id: "clear-confirm", class: "confirm-box", hidden: true });
  const clear = h("button", { type: "button", class: "quiet", id: "cart-clear", "aria-keyshortcuts": KEYS.clearCart, onclick: () => askClear() }, t("clearCart"), " ", kbd(KEYS.clearCart));
  const buttons = [payCash, payCard, clear];
  const redraw = () => drawCart(cartList, totals, summary, buttons);
  // askClear asks before the cart is emptied; the answer is announced, and focus
  // goes back to the scan field either way.
  const askClear = () => {
    if (!state.cart.length || clear.disabled) return;
    const done = (yes) => {
      confirm.hidden = true;
      confirm.replaceChildren();
      if (yes) {
        state.cart = [];
        save();
        redraw();
        announce(ts("cleared"));
      }
      scan.focus();
    };
    const yes = h("button", { type: "button", class: "danger big", id: "clear-yes", "aria-describedby": "clear-ask", onclick: () => done(true) }, t("clearYes"));
    confirm.replaceChildren(
      h("p", { class: "lead", id: "clear-ask" }, t("clearAsk")),
      h("div", { class: "row" }, yes, back("clear-no", () => done(false))),
    );
    confirm.hidden = false;
    yes.focus();
  };

  const tasks = h(
    "nav",
    { class: "tasks", "aria-label": ts("menu") },
    h("button", { type: "button", class: "secondary", id: "task-void", onclick: () => go("void") }, t("voidLast")),
    h("button", { type: "button", class: "secondary", id: "task-refund", onclick: () => go("refund") }, t("refund")),
    h("button", { type: "button", class: "secondary", id: "task-cash", onclick: () => go("cash") }, t("cashMove")),
    h("button", { type: "button", class: "secondary", id: "task-pickup", onclick: () => go("pickup") }, t("pickupTask")),
    h("button", { type: "button", class: "secondary", id: "task-close", onclick: () => go("close") }, t("closeRegister")),
  );

  // In one column (a narrow screen, or zoomed in) the basket comes right after the
  // scan field and before the search, and the summary keeps the last line and the
  // total in view at the bottom of the screen.
  main.append(
    h("h1", { class: "visually-hidden", id: "sale-title" }, t("saleTitle")),
    tasks,
    h(
      "div",
      { class: "sale" },
      h("section", { class: "pick-scan", "aria-label": ts("scan") }, scanForm),
      h(
        "section",
        { class: "basket", "aria-labelledby": "cart-title" },
        h("h2", { id: "cart-title" }, t("cart")),
        cartList,
        totals,
        h("div", { class: "pay" }, payCash, payCard, clear, confirm),
      ),
      h(
        "section",
        { class: "pick-search search", role: "search", "aria-label": ts("search") },
        h("label", { for: "search" }, t("search")),
        search,
        searchStatus,
        tiles,
      ),
      summary,
    ),
  );
  cartList.redraw = redraw;
  cartList.askClear = askClear;
  redraw();
  return scan;
});

// The sale screen's keys (see KEYS).
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") {
    // The payment's cancel, or the open question's "no".
    const cancel = document.getElementById(state.screen === "pay" ? "pay-cancel" : "clear-no");
    if (cancel && !cancel.disabled) {
      ev.preventDefault();
      cancel.click();
    }
    return;
  }
  if (state.screen !== "sale" || ev.ctrlKey || ev.altKey || ev.metaKey) return;
  const cart = document.getElementById("cart");
  const scan = document.getElementById("scan");
  if (!cart || !scan) return;
  const press = (id) => {
    const b = document.getElementById(id);
    if (b && !b.disabled) b.click();
  };
  switch (ev.key) {
    case KEYS.payCash:
      ev.preventDefault();
      return press("pay-cash");
    case KEYS.payCard:
      ev.preventDefault();
      return press("pay-card");
    case KEYS.clearCart:
      ev.preventDefault();
      return cart.askClear();
    case KEYS.quantity: {
      ev.preventDefault();
      const last = state.cart[state.cart.length - 1];
      if (!last || pendingSale()) return scan.focus();
      const typed = scan.value.trim();
      const n = /^\d{1,3}$/.test(typed) ? Number(typed) : typed === "" ? last.quantity + 1 : null;
      if (n === null || n < 1) {
        showError(document.getElementById("scan-err"), "INVALID_INPUT", scan);
        return scan.focus();
      }
      scan.value = "";
      clearError(document.getElementById("scan-err"), scan);
      last.quantity = n;
      last.error = null;
      save();
      cart.redraw();
      scan.focus();
      return announce(tl("qtySet", { name: named(last.product.name), n }), " ", ts("totalAnnounce", { total: yen(estimate(state.cart).total) }));
    }
  }
});

async function addByCode(scan, scanErr) {
  const code = scan.value.trim();
  clearError(scanErr, scan);
  if (!code) return;
  try {
    const d = await gql(`query($c: String!, $l: Locale) { productByCode(code: $c, locale: $l) { ${PRODUCT} } }`, { c: code, l: locale() });
    if (!d.productByCode) {
      showError(scanErr, "UNKNOWN_CODE", scan);
      scan.select();
      return;
    }
    scan.value = "";
    addToCart(d.productByCode);
  } catch (e) {
    fail(e, scanErr, scan);
    scan.setAttribute("aria-invalid", "true");
    scan.select();
  }
}

function addToCart(product) {
  const line = state.cart.find((l) => l.product.id === product.id);
  if (line) {
    line.quantity++;
    line.error = null;
  } else state.cart.push({ product, quantity: 1 });
  save();
  document.getElementById("cart").redraw();
  announce(tl("added", { name: named(product.name) }), " ", ts("totalAnnounce", { total: yen(estimate(state.cart).total) }));
}

async function runSearch(text, tiles, status, scan) {
  text = text.trim();
  if (!text) {
    tiles.replaceChildren();
    status.textContent = "";
    return;
  }
  let edges;
  try {
    const d = await gql(
      `query($t: String!, $l: Locale) { products(filter: {text: $t}, first: 12, locale: $l) { edges { node { ${PRODUCT} } } } }`,
      { t: text, l: locale() },
    );
    edges = d.products.edges;
  } catch (e) {
    return fail(e, status);
  }
  status.replaceChildren(edges.length ? "" : t("noResults"));
  tiles.replaceChildren(
    ...edges.map(({ node: p }) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "tile", onclick: () => { addToCart(p); scan.focus(); } },
          p.imageUrls.length
            ? h("img", { src: p.imageUrls[0], alt: "", width: 96, height: 96 })
            : h("span", { class: "noimg", "aria-hidden": "true" }, [...p.name][0] || ""),
          h("span", { class: "tile-name" }, withReading(p)),
          h("span", { class: "tile-price" }, yen(p.price)),
        ),
      ),
    ),
  );
}

function drawCart(list, totals, summary, buttons) {
  list.replaceChildren();
  state.cart.forEach((l, i) => {
    const name = l.product.name;
    const err = h("p", { class: "err", id: "line-err-" + i, role: l.error ? "alert" : null, hidden: !l.error }, l.error ? fromCode(l.error) : null);
    const described = l.error ? "line-err-" + i : null;
    const qty = h("output", { class: "qty", id: "qty-" + i, "aria-label": ts("qty") + " " + name }, String(l.quantity));
    const change = (d) => {
      l.quantity += d;
      l.error = null;
      if (l.quantity <= 0) state.cart.splice(i, 1);
      save();
      list.redraw();
      const again = document.getElementById((d > 0 ? "more-" : "less-") + i);
      (again || document.getElementById("scan")).focus();
      announce(ts("totalAnnounce", { total: yen(estimate(state.cart).total) }));
    };
    list.append(
      h(
        "li",
        { class: l.error ? "line bad" : "line", id: "line-" + i },
        h("div", { class: "line-main" }, h("span", { class: "line-name" }, withReading(l.product)), h("span", { class: "line-unit" }, yen(l.product.price) + (l.product.taxRate === 8 ? " ※" : ""))),
        h(
          "div",
          { class: "line-ctl" },
          h("button", { type: "button", class: "round", id: "less-" + i, "aria-label": ts("less") + ": " + name, "aria-describedby": described, onclick: () => change(-1) }, "−"),
          qty,
          h("button", { type: "button", class: "round", id: "more-" + i, "aria-label": ts("more") + ": " + name, "aria-describedby": described, onclick: () => change(1) }, "+"),
          h("span", { class: "line-amount" }, yen(l.product.price * l.quantity)),
          h("button", { type: "button", class: "quiet", id: "remove-" + i, onclick: () => {
            state.cart.splice(i, 1);
            save();
            list.redraw();
            document.getElementById("scan").focus();
            announce(ts("totalAnnounce", { total: yen(estimate(state.cart).total) }));
          } }, t("remove"), h("span", { class: "visually-hidden" }, ": ", named(name))),
        ),
        err,
      ),
    );
  });
  if (!state.cart.length) list.append(h("li", { class: "empty" }, t("cartEmpty")));
  const est = estimate(state.cart);
  totals.replaceChildren(
    h("p", { class: "grand" }, h("span", {}, t("total"), t("taxIncluded")), h("span", { id: "total", class: "amount" }, money(est.total))),
    h("p", { class: "hint" }, t("itemsCount", { n: est.items })),
    ...est.rates.map((r) => h("p", { class: "rate" }, t("taxLine", { rate: r.rate, total: yen(r.total), tax: yen(r.tax) }))),
  );
  if (est.rates.length) totals.append(h("p", { class: "hint" }, t("taxEstimate")));
  if (state.cart.some((l) => l.product.taxRate === 8)) totals.append(h("p", { class: "hint", id: "reduced-note" }, t("reducedNote")));
  const last = state.cart[state.cart.length - 1];
  summary.replaceChildren(
    last ? h("span", { class: "summary-last" }, withReading(last.product), " × " + last.quantity) : "",
    h("span", { class: "summary-total" }, t("total"), " ", h("strong", {}, money(est.total))),
  );
  summary.hidden = !last;
  // While a sale is in flight no other can start: its key is the one kept.
  for (const b of buttons) b.disabled = !state.cart.length || Boolean(pendingSale());
}

function fromCode(code) {
  const p = h("span");
  showError(p, code);
  return p.firstChild ? [...p.childNodes] : null;
}

// --- Payment ------------------------------------------------------------------------

function startPay(method) {
  go("pay", { method });
}

screen("pay", (main, params) => {
  const est = estimate(state.cart);
  const due = est.total;
  let method = params.method;
  const general = { err: h("p", { id: "pay-err", class: "err", role: "alert", hidden: true }) };
  const tendered = field("tendered", "tendered", { type: "text", inputmode: "numeric", autocomplete: "off", pattern: "[0-9]*", class: "money" }, null, "required");
  // The amount due is part of the field's description, so that it is heard there.
  tendered.input.setAttribute("aria-describedby", "due-line tendered-err");
  // Not a live region: the change is announced once, when the typing pauses.
  const changeOut = h("p", { id: "change", class: "change" });
  const complete = h("button", { type: "submit", class: "primary huge", id: "complete" }, t("complete"));
  const value = () => {
    const v = tendered.input.value.replace(/[,¥\s]/g, "");
    return /^\d+$/.test(v) ? Number(v) : null;
  };
  const update = () => {
    const v = value();
    if (method !== "CASH") return;
    if (v === null || v < due) {
      changeOut.replaceChildren(h("span", { class: "label" }, t("change")), h("span", { class: "amount short" }, v === null ? "—" : ts("short", { amount: yen(due - v) })));
      complete.disabled = true;
      if (v !== null) announceSoon(ts("short", { amount: yen(due - v) }));
    } else {
      changeOut.replaceChildren(h("span", { class: "label" }, t("change")), h("span", { class: "amount", id: "change-amount" }, money(v - due)));
      complete.disabled = false;
      announceSoon(ts("changeAnnounce", { change: yen(v - due) }));
    }
  };
  tendered.input.addEventListener("input", () => {
    clearError(tendered.err, tendered.input);
    update();
  });
  const setT = (v) => {
    tendered.input.value = String(v);
    clearError(tendered.err, tendered.input);
    update();
  };
  const notes = h(
    "div",
    { class: "notes", role: "group", "aria-label": ts("tendered") },
    ...[1000, 5000, 10000].map((n) =>
      h("button", { type: "button", class: "note", id: "note-" + n, "aria-label": ts("addNote", { amount: yen(n) }), onclick: () => setT((value() || 0) + n) }, yen(n)),
    ),
    h("button", { type: "button", class: "note exact", id: "note-exact", onclick: () => setT(due) }, t("exact")),
    h("button", { type: "button", class: "quiet", id: "note-clear", onclick: () => { setT(""); tendered.input.focus(); } }, t("clearTendered")),
  );
  const ref = field("pay-ref", "reference", { type: "text", autocomplete: "off" }, null, "optional");
  const methods = h("fieldset", { class: "choices inline" }, h("legend", {}, t("method")));
  for (const m of ["CARD", "EMONEY", "QR"]) {
    methods.append(
      h("div", { class: "choice" }, h("input", { type: "radio", name: "method", id: "method-" + m, value: m, checked: method === m }), h("label", { for: "method-" + m }, t(m))),
    );
  }
  methods.addEventListener("change", () => (method = methods.querySelector("input:checked").value));

  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "pay-title" },
    h("h1", { id: "pay-title" }, t("payTitle"), " — ", t(method === "CASH" ? "CASH" : "payCard")),
    h("p", { class: "due", id: "due-line" }, h("span", { class: "label" }, t("toPay")), " ", h("span", { class: "amount", id: "due" }, money(due))),
    general.err,
  );
  if (method === "CASH") form.append(tendered.el, notes, changeOut);
  else form.append(methods, ref.el, h("p", { class: "hint" }, t("cardHelp")));
  const cancel = back("pay-cancel", () => go("sale"));
  form.append(h("div", { class: "row" }, complete, cancel));
  update();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(general.err);
    const payment = { method, amount: due };
    if (method === "CASH") {
      const v = value();
      if (v === null || v < due) {
        showError(tendered.err, v === null ? "REQUIRED" : "PAYMENT_MISMATCH", tendered.input);
        return tendered.input.focus();
      }
      payment.tendered = v;
    } else if (ref.input.value.trim()) payment.reference = ref.input.value.trim();
    const input = {
      sessionId: state.session.id,
      idempotencyKey: newKey(),
      lines: state.cart.map((l) => ({ productId: l.product.id, quantity: l.quantity })),
      payments: [payment],
    };
    complete.disabled = cancel.disabled = true;
    // A sale left pending by a server fault is sent again with its own key, never anew.
    const run = pendingSale() ? () => resumeSale(showPending, userId()) : () => submitSale(CREATE_SALE, input, showPending, owner());
    await send(run, general, { tendered, ref });
    complete.disabled = cancel.disabled = false;
  });
  main.append(form);
  return method === "CASH" ? tendered.input : methods.querySelector("input:checked");
});

function showPending(n) {
  const box = document.getElementById("pending");
  box.hidden = false;
  box.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("pending")));
  if (n > 0) box.append(" ", h("span", { class: "hint" }, t("pendingTries", { n })));
}

const userId = () => state.user && state.user.id;
const owner = () => state.user && { id: state.user.id, name: state.user.name };

// showStuck says why a kept sale did not go through, with a button to send it
// again; a sale of another clerk waits for them (see resumeSale).
function showStuck(e) {
  const box = document.getElementById("pending");
  box.hidden = false;
  if (e.code === "OTHER_USER_SALE") {
    box.replaceChildren(h("span", { class: "err", id: "pending-other", tabindex: "-1" }, t("pendingOtherUser", { name: named(e.message) })));
    box.firstChild.focus();
    return;
  }
  box.replaceChildren(
    h("span", { class: "err" }, errNode(e.code)),
    h("button", { type: "button", class: "primary", id: "pending-retry", onclick: () => resumePending() }, t("retry")),
  );
  box.querySelector("button").focus();
}

// send runs a sale's submission and shows its result: the receipt, or the errors
// next to their cause (a cart line, the tendered amount, or the form).
async function send(run, general, fields) {
  // The pending banner shows only when a sale takes longer than a blink, and only
  // while the clerk who sent it is signed in.
  const by = token();
  const pendingTimer = setTimeout(() => token() === by && showPending(0), 800);
  let d;
  try {
    d = await run();
  } catch (e) {
    if (e.code === "STOPPED") return; // signed out meanwhile: the new session shows its own
    hidePending();
    if (pendingSale() && e.code !== "UNAUTHENTICATED") return showStuck(e);
    if (general) return fail(e, general.err);
    return fail(e, document.getElementById("main"));
  } finally {
    clearTimeout(pendingTimer);
  }
  hidePending();
  const r = d.createSale;
  if (r.userErrors.some((ue) => ue.code === "NO_OPEN_SESSION")) return closedElsewhere();
  if (r.userErrors.length) {
    let lineErr = false;
    const rest = [];
    for (const ue of r.userErrors) {
      const m = /^input\.lines\.(\d+)/.exec(ue.field || "");
      if (m && state.cart[Number(m[1])]) {
        state.cart[Number(m[1])].error = ue.code;
        lineErr = true;
      } else rest.push(ue);
    }
    if (lineErr) {
      go("sale");
      const bad = document.querySelector(".line.bad button");
      if (bad) bad.focus();
      return;
    }
    if (!general) return go("sale");
    for (const ue of rest) {
      const target = /tendered|amount/.test(ue.field || "") && fields.tendered ? fields.tendered : /reference/.test(ue.field || "") ? fields.ref : general;
      showError(target.err, ue.code, target.input);
    }
    return;
  }
  state.lastSale = { id: r.sale.id, receiptNumber: r.sale.receiptNumber, total: r.sale.total };
  state.cart = [];
  save();
  go("receipt", { sale: r.sale });
}

// resumePending sends a sale left in flight (by a reload or a lost connection).
export async function resumePending() {
  const p = pendingSale();
  if (!p) return go("sale");
  if (p.input && p.input.sessionId) state.session = state.session || { id: p.input.sessionId };
  go("sale");
  showPending(0);
  await send(() => resumeSale(showPending, userId()), null, {});
}

// --- The receipt ----------------------------------------------------------------------

screen("receipt", (main, params) => {
  const s = params.sale;
  const cash = s.payments.find((p) => p.method === "CASH");
  let width = Number(sessionStorage.getItem("pos.paper") || 58);
  const paper = h("pre", { class: "receipt-paper", id: "receipt-text", tabindex: "0", role: "region", lang: "ja", "aria-label": ts("receiptTitle") });
  const setWidth = (w) => {
    width = w;
    sessionStorage.setItem("pos.paper", String(w));
    receiptText(paper, w === 80 ? s.text80 : s.text58);
    document.body.dataset.paper = String(w);
  };
  const widths = h("fieldset", { class: "choices inline no-print" }, h("legend", {}, t("paperWidth")));
  for (const w of [58, 80]) {
    widths.append(h("div", { class: "choice" }, h("input", { type: "radio", name: "paper", id: "paper-" + w, value: String(w), checked: width === w, onchange: () => setWidth(w) }), h("label", { for: "paper-" + w }, w + " mm")));
  }
  setWidth(width);
  const next = h("button", { type: "button", class: "primary huge", id: "next", onclick: () => go("sale") }, t("nextCustomer"));
  const rates = [
    ...s.receipt.qualifying.map((r) => h("p", { class: "rate" }, t("receiptTax", { rate: r.rate, total: yen(r.total), tax: yen(r.tax) }))),
    ...s.receipt.nonQualifying.map((r) => h("p", { class: "rate" }, t("receiptNonQualifying", { rate: r.rate, total: yen(r.total) }))),
  ];
  main.append(
    h(
      "div",
      { class: "receipt-screen" },
      h(
        "section",
        { class: "card no-print", "aria-labelledby": "receipt-title" },
        h("h1", { id: "receipt-title" }, t("receiptTitle"), " ", h("span", { class: "hint" }, t("receiptNo", { n: s.receiptNumber }))),
        h("p", { class: "due" }, h("span", { class: "label" }, t("total")), " ", h("span", { class: "amount", id: "sale-total" }, money(s.total))),
        cash ? h("p", { class: "change big-change", id: "change" }, h("span", { class: "label" }, t("change")), " ", h("span", { class: "amount", id: "change-amount" }, money(cash.change))) : null,
        ...rates,
        widths,
        h("div", { class: "row" }, next, h("button", { type: "button", class: "secondary big", id: "print", onclick: () => window.print() }, t("print"))),
      ),
      paper,
    ),
  );
  announce(cash ? ts("changeAnnounce", { change: yen(cash.change) }) : ts("totalAnnounce", { total: yen(s.total) }));
  return next;
});

export { ApiError };
