// The console's shell: the bar (who is signed in, the display switches), the
// navigation a role may use, sign-in, and the start-up. Each screen is a module
// that adds its routes.

import { gql, setToken, token } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { getPrefs, named, setPref } from "../pos/i18n.js";
import { t, ts } from "./i18n.js";
import { app, errorBox, field, go, placeErrors, route, show, signedOut, whenSignedOut } from "./ui.js";
import "./home.js";
import "./products.js";
import "./import.js";
import "./transfers.js";
import "./stock.js";
import "./settlement.js";
import "./sales.js";
import "./facilities.js";
import "./admin.js";
import "./network.js";
import "./shops.js";

// The screens in the navigation, and who may use them.
const NAV = [
  { key: "navHome", path: "home", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navProducts", path: "products", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navStock", path: "stock", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navTransfers", path: "transfers", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navSales", path: "sales", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navSettlement", path: "settlement", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navFacilities", path: "facilities", roles: ["ADMIN", "MANAGER", "FACILITY"] },
  { key: "navNetwork", path: "network", roles: ["ADMIN", "MANAGER"] },
  { key: "navAdmin", path: "admin", roles: ["ADMIN", "MANAGER"] },
];
const STAFF = ["ADMIN", "MANAGER", "FACILITY"];

const BOOT = `query Boot {
  me { id name role municipality { id name } facility { id name municipality { id } } }
  locations(first: 100) { edges { node { id name kind municipality { id name } facility { id } } } }
}`;

let current = null; // the navigation key of the screen shown

function drawBar() {
  const p = getPrefs();
  document.documentElement.lang = p.lang;
  document.documentElement.classList.toggle("large", p.large);
  document.documentElement.classList.toggle("furigana", p.furigana && p.lang === "ja");
  document.getElementById("brand").replaceChildren(t("appName"));
  document.getElementById("skip").replaceChildren(t("skip"));
  const who = document.getElementById("where");
  who.replaceChildren();
  const u = app.user;
  if (u) {
    const scope = (u.facility && u.facility.name) || (u.municipality && u.municipality.name) || "";
    const en = p.lang === "en";
    who.append(named(u.name), " ", h("span", { class: "role" }, en ? "(" : "（", t("role" + u.role), scope ? (en ? " · " : "・") : "", scope ? named(scope) : "", en ? ")" : "）"));
  }
  const prefs = document.getElementById("prefs");
  prefs.setAttribute("aria-label", ts("settings"));
  const toggle = (id, key, on, flip) => h("button", { id, type: "button", class: "toggle", "aria-pressed": String(on), onclick: flip }, t(key));
  prefs.replaceChildren(
    ...[
      h(
        "button",
        {
          id: "pref-lang", type: "button", class: "toggle", lang: p.lang === "ja" ? "en" : "ja", title: ts("langSwitchLabel"),
          onclick: () => switchPref("lang", p.lang === "ja" ? "en" : "ja", "pref-lang"),
        },
        t("langSwitch"),
      ),
      p.lang === "ja" ? toggle("pref-furigana", "furigana", p.furigana, () => switchPref("furigana", !p.furigana, "pref-furigana")) : null,
      toggle("pref-large", "largeText", p.large, () => switchPref("large", !p.large, "pref-large")),
      u ? h("button", { id: "signout", type: "button", class: "toggle", onclick: signOut }, t("signOut")) : null,
    ].filter(Boolean),
  );
  drawNav();
}

function drawNav() {
  const nav = document.getElementById("nav");
  const u = app.user;
  nav.hidden = !u;
  nav.setAttribute("aria-label", ts("navLabel"));
  if (!u) return nav.replaceChildren();
  const items = NAV.filter((n) => n.roles.includes(u.role)).map((n) =>
    h("li", {}, h("a", { id: "nav-" + n.path, href: "#/" + n.path, "aria-current": n.key === current ? "page" : null }, t(n.key))),
  );
  nav.replaceChildren(h("ul", {}, items));
}

document.addEventListener("console:route", (e) => {
  current = e.detail;
  drawNav();
});

async function switchPref(name, value, focusId) {
  setPref(name, value);
  drawBar();
  // The screen is drawn again in the new words; focus stays on the switch.
  if (app.user) await show(focusId);
  else signInScreen(focusId);
}

async function signOut() {
  try {
    await gql("mutation { logout { userErrors { code } } }");
  } catch {
    // The token is forgotten here whatever the server says.
  }
  signedOut();
}

// signInScreen asks for the e-mail and password; error is the code of why the
// user is here again (a session that ran out).
function signInScreen(keep, error) {
  drawBar();
  const main = document.getElementById("main");
  const email = field("login-email", "email", { type: "email", autocomplete: "username" }, { need: "required" });
  const password = field("login-password", "password", { type: "password", autocomplete: "current-password" }, { need: "required" });
  const general = h("div", { id: "login-errors" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true },
    h("h1", { tabindex: "-1" }, t("loginTitle")),
    error ? errorBox(error) : null,
    email.el,
    password.el,
    general,
    h("button", { type: "submit", class: "primary" }, t("loginButton")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const d = await gql(
        `mutation($input: LoginInput!) { login(input: $input) { token user { role } userErrors { code field message } } }`,
        { input: { email: email.input.value.trim(), password: password.input.value } },
      );
      const ues = d.login.userErrors;
      if (ues.length) return placeErrors(ues, { "input.email": email, "input.password": password }, general);
      if (!STAFF.includes(d.login.user.role)) {
        general.replaceChildren(h("p", { class: "err", role: "alert" }, t("notForRole")));
        return;
      }
      setToken(d.login.token);
      await start();
    } catch (e) {
      general.replaceChildren(errorBox(e));
    }
  });
  main.replaceChildren(form);
  document.title = ts("loginTitle") + " — " + ts("appName");
  ((keep && document.getElementById(keep)) || (error ? form.querySelector("[role=alert]") : null) || form.querySelector("h1")).focus();
}

whenSignedOut((code) => {
  history.replaceState(null, "", location.pathname + location.search);
  signInScreen(null, code);
});

// start loads who is signed in and the locations they act on, in one request, and
// shows the screen of the address.
async function start() {
  let d;
  try {
    d = await gql(BOOT);
  } catch (e) {
    if (e.code === "UNAUTHENTICATED") return signedOut(e.code);
    throw e;
  }
  if (!d.me || !STAFF.includes(d.me.role)) return signedOut(d.me ? null : "UNAUTHENTICATED");
  app.user = d.me;
  const u = d.me;
  app.locations = d.locations.edges
    .map((e) => e.node)
    .filter((l) =>
      u.role === "ADMIN" ? true : u.role === "FACILITY" ? l.facility && l.facility.id === u.facility.id : l.municipality.id === u.municipality.id,
    );
  drawBar();
  await show();
}

window.addEventListener("hashchange", () => app.user && show());

route(/^404$|.*/, async (main) => {
  main.append(h("h1", {}, t("notFoundTitle")), h("p", {}, h("a", { href: "#/home" }, t("navHome"))));
});
// The catch-all must be the last route: screens' modules add theirs on import, before this.

drawBar();
if (token()) start().catch(() => signInScreen());
else signInScreen();

export { go };
