// The home screen: what needs doing, in one request — transfers waiting for this
// side to approve, ship or receive, goods below their reorder point at the user's
// locations, pickup orders waiting at their shops, and this month's sales so far.

import { gql } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named, withReading, yen } from "../pos/i18n.js";
import { t } from "./i18n.js";
import { app, route, thisMonth } from "./ui.js";

// At most this many locations' low stock is asked for (an admin has the network).
const MAX_LOCATIONS = 12;

const LOC = "id name municipality { id } facility { id }";

function homeQuery(locations) {
  const vars = locations.map((_, i) => `$l${i}: ID!`).join(" ");
  const levels = locations
    .map(
      (_, i) => `l${i}: stockLevels(locationId: $l${i}, filter: { belowReorderPoint: true }, first: 10) {
        edges { node { available reorderPoint location { name } product { id name nameReading } } } }`,
    )
    .join("\n");
  return `query Home($month: String!, $settle: SettlementFilter ${vars}) {
    transfers(filter: { status: [REQUESTED, APPROVED, SHIPPED] }, first: 50) {
      edges { node { id status from { ${LOC} } to { ${LOC} } lines { requested } } } }
    orders(first: 50, filter: { status: READY_FOR_PICKUP }) { edges { node { id fulfilment shop { id name } } } }
    paid: orders(first: 50, filter: { status: PAID }) { edges { node { id fulfilment shop { id name } } } }
    settlements(month: $month, filter: $settle, first: 100) {
      edges { node { gross refunds net unitsSold facility { id municipality { id } } shop { municipality { id } } } } }
    ${levels}
  }`;
}

// mine says whether a location is on the user's side.
function mine(loc) {
  const u = app.user;
  if (u.role === "ADMIN") return true;
  if (u.role === "FACILITY") return !!loc.facility && loc.facility.id === u.facility.id;
  return loc.municipality.id === u.municipality.id;
}

const edges = (c) => c.edges.map((e) => e.node);

route(/^home$/, async (main) => {
  const u = app.user;
  const month = thisMonth();
  const locations = app.locations.slice(0, MAX_LOCATIONS);
  const vars = { month, settle: u.role === "FACILITY" ? { facilityId: u.facility.id } : u.role === "MANAGER" ? { municipalityId: u.municipality.id } : null };
  locations.forEach((l, i) => (vars["l" + i] = l.id));
  const d = await gql(homeQuery(locations), vars);

  const transfers = edges(d.transfers);
  const toApprove = transfers.filter((x) => x.status === "REQUESTED" && mine(x.from));
  const toShip = transfers.filter((x) => x.status === "APPROVED" && mine(x.from));
  const toReceive = transfers.filter((x) => x.status === "SHIPPED" && mine(x.to));
  const low = locations.flatMap((_, i) => edges(d["l" + i]));
  const pickups = [...edges(d.paid), ...edges(d.orders)].filter((o) => o.fulfilment === "PICKUP");

  const section = (id, key, items, draw) =>
    h(
      "section",
      { class: "card todo", "aria-labelledby": id + "-h" },
      h("h2", { id: id + "-h" }, t(key), " ", h("span", { class: "badge" + (items.length ? " on" : "") }, t("countBadge", { n: items.length }))),
      items.length ? h("ul", { id }, items.map((x) => h("li", {}, draw(x)))) : h("p", { id }, t("none")),
    );
  const transferItem = (x) =>
    h("a", { href: "#/transfers/" + x.id }, t("transferLine", { from: named(x.from.name), to: named(x.to.name), n: x.lines.length }));

  main.append(
    h("h1", {}, t("homeTitle")),
    h("div", { class: "grid" },
      section("todo-approve", "toApprove", toApprove, transferItem),
      section("todo-ship", "toShip", toShip, transferItem),
      section("todo-receive", "toReceive", toReceive, transferItem),
      section("todo-low", "lowStock", low, (l) =>
        h("span", {}, withReading(l.product), "　", t("levelLine", { location: named(l.location.name), available: l.available, point: l.reorderPoint })),
      ),
      u.role === "FACILITY" ? null : section("todo-pickup", "pickupWaiting", countByShop(pickups), (s) => t("orderLine", { shop: named(s.name), n: s.n })),
    ),
    salesCard(edges(d.settlements), month),
  );
}, "navHome");

function countByShop(orders) {
  const by = new Map();
  for (const o of orders) by.set(o.shop.id, { name: o.shop.name, n: ((by.get(o.shop.id) || {}).n || 0) + 1 });
  return [...by.values()];
}

// salesCard sums the month's statements so far (open months change as sales come).
// A manager sees two figures: their facilities' goods sold anywhere, and what their
// shops sold of anyone's goods.
function salesCard(statements, month) {
  const u = app.user;
  const sum = (list) => list.reduce((a, s) => ({ net: a.net + s.net, units: a.units + s.unitsSold }), { net: 0, units: 0 });
  const rows = [];
  if (u.role === "MANAGER") {
    const m = u.municipality.id;
    rows.push(["soldOfOurs", sum(statements.filter((s) => s.facility.municipality.id === m))]);
    rows.push(["soldAtOurShops", sum(statements.filter((s) => s.shop.municipality.id === m))]);
  } else {
    rows.push([u.role === "FACILITY" ? "soldFacility" : "soldNetwork", sum(statements)]);
  }
  return h(
    "section",
    { class: "card", "aria-labelledby": "sales-h" },
    h("h2", { id: "sales-h" }, t("monthSales", { month })),
    h("dl", { id: "month-sales", class: "figures" },
      rows.flatMap(([key, f]) => [h("dt", {}, t(key)), h("dd", {}, yen(f.net), " ", h("span", { class: "hint" }, t("units", { n: f.units })))]),
    ),
  );
}
