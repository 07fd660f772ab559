// A shop's receipt settings: who runs the shop and issues its receipts, their
// qualified-invoice registration number (checked as it is typed), how the tax is
// rounded, and whether the shop takes online orders for pickup. For admins and the
// managers of the shop's municipality; a register session keeps the settings it
// opened with, so a change applies from the next session.

import { gql } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { named } from "../pos/i18n.js";
import { checkAsTyped } from "./facilities.js";
import { t } from "./i18n.js";
import { app, errorBox, field, options, placeErrors, route } from "./ui.js";

const ROUNDINGS = ["DOWN", "HALF_UP", "UP"];
const SHOP = "operatorName registrationNumber rounding acceptsPickup";

// mayManage says whether the signed-in user may change the shop at location l: an
// admin any, a manager their own municipality's (the API decides it again).
export function mayManage(l) {
  const u = app.user;
  return u.role === "ADMIN" || (u.role === "MANAGER" && l.municipality.id === u.municipality.id);
}

route(/^shops\/([^/]+)$/, async (main, m) => {
  const u = app.user;
  const refuse = (code) => main.append(h("h1", {}, t("shopSettings")), errorBox(code));
  // A facility's staff have nothing to do here: the API is not even asked.
  if (u.role !== "ADMIN" && u.role !== "MANAGER") return refuse("FORBIDDEN");
  const d = await gql(`query ShopSettings($id: ID!) { node(id: $id) { ... on Location { id name kind municipality { id name } shop { ${SHOP} } } } }`, { id: m[1] });
  const l = d.node;
  if (!l || l.kind !== "SHOP") return refuse("NOT_FOUND");
  if (!mayManage(l)) return refuse("FORBIDDEN");
  main.append(h("h1", {}, t("shopSettingsOf", { shop: named(l.name) })));
  const s = l.shop || { operatorName: "", registrationNumber: "", rounding: "DOWN", acceptsPickup: true };

  const fields = {
    "input.operatorName": field("sh-operator", "operatorName", { value: s.operatorName, lang: "ja", autocomplete: "organization" }, { need: "required", hint: t("operatorNameHint") }),
    "input.registrationNumber": field("sh-reg", "registrationNumber", { value: s.registrationNumber || "", autocomplete: "off" }, { need: "optional", hint: t("shopRegistrationHint") }),
    "input.rounding": field("sh-rounding", "rounding", {}, { tag: "select", need: "required", hint: t("roundingHint"), kids: options(ROUNDINGS.map((r) => "round" + r), "round" + s.rounding) }),
  };
  checkAsTyped(fields["input.registrationNumber"]);
  const pickup = h("input", { type: "checkbox", id: "sh-pickup", checked: s.acceptsPickup, "aria-describedby": "sh-pickup-hint" });
  const general = h("div", { id: "sh-errors" });
  const done = h("p", { id: "sh-saved", class: "saved", role: "status", tabindex: "-1" });
  const form = h("form", { class: "card", id: "shop-form", novalidate: true },
    h("p", { id: "sh-when", class: "hint" }, t("shopAppliesNext")),
    h("div", { class: "two" }, ...Object.values(fields).map((f) => f.el)),
    h("p", { class: "check" }, pickup, h("label", { for: "sh-pickup" }, t("acceptsPickup"))),
    h("p", { id: "sh-pickup-hint", class: "hint" }, t("acceptsPickupHint")),
    general,
    h("div", { class: "actions" }, h("button", { id: "sh-save", type: "submit", class: "primary" }, t("save")),
      h("a", { href: "#/network", class: "button-link quiet", id: "sh-back" }, t("backToNetwork"))),
    done);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    done.replaceChildren();
    const val = (k) => fields[k].input.value.trim();
    // Every field is sent: the form shows the whole of the settings, and an empty
    // registration number removes it.
    const input = {
      shopId: l.id, operatorName: val("input.operatorName"), registrationNumber: val("input.registrationNumber"),
      rounding: val("input.rounding").replace(/^round/, ""), acceptsPickup: pickup.checked,
    };
    try {
      const r = await gql(`mutation($input: UpdateShopInput!) { updateShop(input: $input) { shop { ${SHOP} } userErrors { code field message } } }`, { input });
      if (placeErrors(r.updateShop.userErrors, fields, general)) return;
      const saved = r.updateShop.shop;
      fields["input.registrationNumber"].input.value = saved.registrationNumber || "";
      done.replaceChildren(t("shopSaved"));
      done.focus();
    } catch (e) {
      general.replaceChildren(errorBox(e));
      general.tabIndex = -1;
      general.focus();
    }
  });
  main.append(form);
}, "navNetwork");
