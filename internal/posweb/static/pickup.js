// Pickup orders waiting at the shop: the shop's paid pickup orders, to prepare
// (markOrderReady), and those ready, to hand over (completeOrder, after the clerk
// confirms). An action keeps its idempotency key in localStorage until the API
// answers, like a sale, so a retry or a reload never acts twice.

import { gql, newKey, pendingOrderAction, resumeOrderAction, submitOrderAction, subscribe } from "./api.js";
import { announce, clearError, fail, h, hidePending, showError } from "./dom.js";
import { errNode, named, t, tl, ts, yen } from "./i18n.js";
import { go, screen, state } from "./state.js";

const ORDER = "id number name fulfilment status total lines { lineNumber name quantity }";

const LIST = `query($shop: ID!) {
  paid: orders(filter: {shopId: $shop, status: PAID}, first: 30) { edges { node { ${ORDER} } } }
  ready: orders(filter: {shopId: $shop, status: READY_FOR_PICKUP}, first: 30) { edges { node { ${ORDER} } } } }`;

const ACTIONS = {
  markOrderReady: {
    query: `mutation($input: OrderActionInput!) { markOrderReady(input: $input) { order { id number status } userErrors { code field message } } }`,
    done: "markedReady",
  },
  completeOrder: {
    query: `mutation($input: OrderActionInput!) { completeOrder(input: $input) { order { id number status } userErrors { code field message } } }`,
    done: "handedOver",
  },
};

// A new paid order comes in by itself while the list is open: the shop's order
// events over a WebSocket, or, when no socket can be opened, a look every
// POLL_MS. The list is read before the subscription is in place, so an order
// paid in between is in neither: once the server says the subscription is in
// place, a look brings it in. Only new orders redraw the list (with a notice,
// shown and announced): an order someone else changed stays put under the
// clerk's finger, and their press is explained if it is too late.
const EVENTS = `subscription($shop: ID!) { shopOrderEvents(shopId: $shop) { id number name fulfilment status } }`;
const POLL_MS = 20000;
let shown = new Set(); // IDs of the orders on the lists
let stopLive = () => {};
// The shop the running subscription (or look every POLL_MS) follows, and the
// screen it draws on: a redraw of the list (the language or text size switched)
// keeps the subscription and only gives it the new screen, so no order that comes
// in meanwhile falls between a closed socket and the next one.
let liveShop = null;
let liveUI = null;
// The lists' latest reading (load): a look waits for it, so that what it finds
// new is new to the screen, not to an answer still on its way.
let listed = Promise.resolve();

document.addEventListener("pos:screen", (e) => {
  if (e.detail !== "pickup") stopLive();
});

function live(ui) {
  liveUI = ui;
  const shop = shopId();
  if (shop === liveShop) return;
  stopLive();
  liveShop = shop;
  const arrived = (o) => o.fulfilment === "PICKUP" && o.status === "PAID" && !shown.has(o.id);
  // look reads the lists and brings in the paid orders the screen does not show;
  // false when the API did not answer.
  const look = async () => {
    await listed;
    let d;
    try {
      d = await gql(LIST, { shop });
    } catch {
      return false;
    }
    if (liveShop !== shop) return true; // the list was left meanwhile
    const fresh = d.paid.edges.map((e) => e.node).filter(arrived);
    if (fresh.length) newOrders(liveUI, fresh);
    return true;
  };
  let stop;
  let retry;
  // The look once subscribed is tried until it is answered: the socket sends
  // nothing of what was paid before.
  const subscribed = async () => {
    if (!(await look()) && liveShop === shop) retry = setTimeout(subscribed, POLL_MS);
  };
  const poll = () => {
    const timer = setInterval(look, POLL_MS); // a look not answered is tried at the next
    stop = () => clearInterval(timer);
  };
  stop = subscribe(EVENTS, { shop }, (d) => {
    if (arrived(d.shopOrderEvents)) newOrders(liveUI, [d.shopOrderEvents]);
  }, subscribed, poll);
  stopLive = () => {
    stop();
    clearTimeout(retry);
    liveShop = null;
  };
}

async function newOrders(ui, orders) {
  for (const o of orders) shown.add(o.id);
  const last = orders[orders.length - 1];
  ui.news.replaceChildren(t("newOrder", { n: last.number, name: named(last.name) }));
  ui.news.hidden = false;
  announce(tl("newOrder", { n: last.number, name: named(last.name) }));
  if (!pendingOrderAction()) await load(ui);
}

// The shop whose orders these are: the clerk's own, or the register's.
const shopId = () => (state.user && state.user.shop && state.user.shop.id) || (state.register && state.register.shop.id);

screen("pickup", (main) => {
  const title = h("h1", { id: "pickup-title" }, t("pickupTitle"));
  const general = h("p", { id: "pickup-err", class: "err", role: "alert", hidden: true });
  const done = h("p", { id: "pickup-done", class: "lead done", hidden: true });
  const news = h("p", { id: "pickup-news", class: "lead done", hidden: true });
  const lists = h("div", { id: "pickup-lists", class: "pickup" }, h("p", { role: "status" }, t("loading")));
  const ui = { title, general, done, news, lists };
  const refresh = h("button", { type: "button", class: "secondary big", id: "pickup-refresh", onclick: () => {
    clearError(general);
    done.hidden = true;
    load(ui);
  } }, t("refreshList"));
  const back = h("button", { type: "button", class: "secondary big", id: "back", onclick: () => go(state.session ? "sale" : "registers") }, t(state.session ? "back" : "toRegisters"));
  main.append(
    h("section", { class: "card", "aria-labelledby": "pickup-title" }, title, h("p", { class: "hint" }, t("pickupHelp")), general, done, news,
      h("div", { class: "row no-print" }, refresh, back)),
    lists,
  );
  // An action whose answer never came goes out again, with its own key, first.
  if (pendingOrderAction()) listed = run(ui, pendingOrderAction().what, () => resumeOrderAction(showPending));
  else load(ui);
  live(ui);
  return title;
});

// load reads the lists and draws them.
function load(ui) {
  listed = list(ui);
  return listed;
}

async function list(ui) {
  let d;
  try {
    d = await gql(LIST, { shop: shopId() });
  } catch (e) {
    ui.lists.replaceChildren();
    return fail(e, ui.general);
  }
  // Oldest first: the shopper who ordered first waits longest. Deliveries are shipped, not handed over.
  const pickups = (c) => c.edges.map((e) => e.node).filter((o) => o.fulfilment === "PICKUP").sort((a, b) => a.number - b.number);
  const busy = Boolean(pendingOrderAction());
  shown = new Set([...d.paid.edges, ...d.ready.edges].map((e) => e.node.id));
  ui.lists.replaceChildren(
    section(ui, "pickup-paid", "pickupToPrepare", "pickupNoneToPrepare", pickups(d.paid), busy),
    section(ui, "pickup-ready", "pickupToHand", "pickupNoneToHand", pickups(d.ready), busy),
  );
}

function section(ui, id, titleKey, noneKey, orders, busy) {
  return h(
    "section",
    { class: "card", id, "aria-labelledby": id + "-title" },
    h("h2", { id: id + "-title" }, t(titleKey), " ", h("span", { class: "badge" }, String(orders.length))),
    orders.length ? h("ul", { class: "orders" }, orders.map((o) => orderCard(ui, o, busy))) : h("p", { class: "empty" }, t(noneKey)),
  );
}

function orderCard(ui, o, busy) {
  const n = o.number;
  const titleId = "order-" + n + "-title";
  const actions = h("div", { class: "row order-actions" });
  const act = (action) => () => {
    const input = { orderId: o.id, idempotencyKey: newKey() };
    const what = { action, n };
    run(ui, what, () => submitOrderAction(ACTIONS[action].query, input, what, showPending));
  };
  const ask = () => {
    clearError(ui.general);
    ui.done.hidden = true;
    const yes = h("button", { type: "button", class: "primary big", id: "handover-yes-" + n, onclick: act("completeOrder") }, t("handOverYes"));
    const no = h("button", { type: "button", class: "secondary big", id: "handover-no-" + n, onclick: () => {
      actions.replaceChildren(...buttons());
      actions.querySelector("button").focus();
    } }, t("handOverNo"));
    actions.replaceChildren(h("p", { class: "lead confirm", id: "handover-ask-" + n }, t("handOverAsk", { n, name: named(o.name) })), yes, no);
    yes.setAttribute("aria-describedby", "handover-ask-" + n);
    yes.focus();
  };
  const buttons = () => [
    o.status === "PAID"
      ? h("button", { type: "button", class: "primary huge", id: "ready-" + n, disabled: busy, "aria-describedby": titleId, onclick: act("markOrderReady") }, t("markReady"))
      : h("button", { type: "button", class: "primary huge", id: "handover-" + n, disabled: busy, "aria-describedby": titleId, onclick: ask }, t("handOver")),
  ];
  actions.replaceChildren(...buttons());
  return h(
    "li",
    { class: "order", "aria-labelledby": titleId },
    h("h3", { id: titleId }, t("orderNo", { n }), " ", h("span", { class: "order-name" }, t("orderName", { name: named(o.name) }))),
    h("ul", { class: "order-lines", "aria-label": ts("orderLines") },
      o.lines.map((l) => h("li", {}, h("span", { class: "line-name" }, named(l.name)), h("span", { class: "order-qty" }, "× " + l.quantity)))),
    h("p", { class: "grand" }, h("span", {}, t("total"), t("taxIncluded")), h("span", { class: "amount" }, yen(o.total))),
    actions,
  );
}

// run sends an action (or the one left pending), what says which ({action, n}), and
// shows its result in words, then draws the lists again.
async function run(ui, what, send) {
  clearError(ui.general);
  ui.done.hidden = true;
  for (const b of ui.lists.querySelectorAll(".order button")) b.disabled = true;
  const pendingTimer = setTimeout(() => showPending(0), 800);
  let d;
  try {
    d = await send();
  } catch (e) {
    clearTimeout(pendingTimer);
    if (e.code === "STOPPED") return; // signed out meanwhile
    hidePending();
    if (pendingOrderAction() && e.code !== "UNAUTHENTICATED") showStuck(ui, e.code);
    else orderError(ui, what, e);
    return load(ui);
  }
  clearTimeout(pendingTimer);
  hidePending();
  const name = what.action;
  const r = d && d[name];
  if (!r) return load(ui);
  // The lists first, so that what the result says is what the screen shows.
  await load(ui);
  if (r.userErrors.length) {
    const code = r.userErrors[0].code;
    orderError(ui, what, { code: code === "INVALID_STATE" ? "ORDER_INVALID_STATE" : code });
  } else {
    ui.done.replaceChildren(t(ACTIONS[name].done, { n: r.order.number }));
    ui.done.hidden = false;
    announce(ts(ACTIONS[name].done, { n: r.order.number }));
  }
  ui.title.focus();
}

// orderError puts an error in plain words, naming the order, at the top of the screen.
function orderError(ui, what, e) {
  if (e.code === "UNAUTHENTICATED") return fail(e, ui.general);
  showError(ui.general, e.code || "INTERNAL");
  if (what) ui.general.prepend(t("orderFailed", { n: what.n }));
}

function showPending(tries) {
  const p = pendingOrderAction();
  if (!p) return;
  const box = document.getElementById("pending");
  box.hidden = false;
  box.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("orderPending", { n: p.what.n })));
  if (tries > 0) box.append(" ", h("span", { class: "hint" }, t("pendingTries", { n: tries })));
}

// showStuck says why a kept action did not go through, with a button to send it
// again with the same key.
function showStuck(ui, code) {
  const box = document.getElementById("pending");
  box.hidden = false;
  box.replaceChildren(
    h("span", { class: "err" }, errNode(code)),
    h("button", { type: "button", class: "primary", id: "pending-retry", onclick: () => run(ui, pendingOrderAction().what, () => resumeOrderAction(showPending)) }, t("retry")),
  );
  box.querySelector("button").focus();
}
