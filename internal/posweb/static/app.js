// The POS web app: the shell (display switches, sign-in, register choice) and the
// start-up. The sale screens are in sale.js, the other tasks in tasks.js.

import { gql, newKey, pendingOrderAction, pendingSale, setToken, token } from "./api.js";
import { clearError, fail, field, h, hidePending, showError, showUserErrors } from "./dom.js";
import { getPrefs, locale, named, setPref, t, ts, withReading } from "./i18n.js";
import { forget, go, refresh, save, screen, state } from "./state.js";
import { resumePending } from "./sale.js";
import "./tasks.js";
import "./pickup.js";

const USER = "id name nameReading role shop { id name nameReading }";

// --- The bar: where the clerk is, and the display switches -----------------------

function drawBar() {
  const p = getPrefs();
  document.documentElement.lang = p.lang;
  document.documentElement.classList.toggle("large", p.large);
  document.documentElement.classList.toggle("furigana", p.furigana && p.lang === "ja");
  document.title = ts("appName");
  document.getElementById("brand").replaceChildren(t("appName"));
  document.getElementById("skip").replaceChildren(t("skip"));
  const where = document.getElementById("where");
  where.replaceChildren();
  if (state.user) {
    // Names stay as they are written, with their readings in furigana mode; in
    // English, Japanese ones are marked lang="ja".
    const parts = [["shop", state.user.shop], ["register", state.register], ["user", state.user]].filter(([, x]) => x && x.name);
    parts.forEach(([k, x], i) => where.append(...(i ? [p.lang === "en" ? " · " : " ・ "] : []), h("span", { id: "where-" + k }, withReading(x))));
  }
  const prefs = document.getElementById("prefs");
  prefs.setAttribute("aria-label", ts("settings"));
  const toggle = (id, key, on, flip) =>
    h("button", { id, type: "button", class: "toggle", "aria-pressed": String(on), onclick: flip }, t(key));
  const buttons = [
    h(
      "button",
      // The button's word is in the other language; its title is in this one.
      { id: "pref-lang", type: "button", class: "toggle", title: ts("langSwitchLabel"),
        onclick: () => switchPref("lang", p.lang === "ja" ? "en" : "ja", "pref-lang") },
      h("span", { lang: p.lang === "ja" ? "en" : "ja" }, t("langSwitch")),
    ),
    p.lang === "ja" ? toggle("pref-furigana", "furigana", p.furigana, () => switchPref("furigana", !p.furigana, "pref-furigana")) : null,
    toggle("pref-large", "largeText", p.large, () => switchPref("large", !p.large, "pref-large")),
    state.user ? h("button", { id: "signout", type: "button", class: "toggle", onclick: signOut }, t("signOut")) : null,
  ];
  prefs.replaceChildren(...buttons.filter(Boolean));
}

async function switchPref(name, value, focusId) {
  setPref(name, value);
  // What was announced is in the old words.
  if (name !== "large") document.getElementById("announcer").textContent = "";
  if (name !== "large") await renameCart();
  drawBar();
  refresh();
  const b = document.getElementById(focusId);
  if (b) b.focus();
}

// renameCart gives the goods in the cart their names in the new language.
async function renameCart() {
  if (!state.cart.length || !token()) return;
  const fields = state.cart.map((_, i) => `p${i}: product(id: $id${i}, locale: $l) { name nameReading }`).join(" ");
  const vars = { l: locale() };
  state.cart.forEach((l, i) => (vars["id" + i] = l.product.id));
  const params = state.cart.map((_, i) => `$id${i}: ID!`).join(", ");
  try {
    const d = await gql(`query(${params}, $l: Locale) { ${fields} }`, vars);
    state.cart.forEach((l, i) => d["p" + i] && Object.assign(l.product, d["p" + i]));
    save();
  } catch {
    // The names stay as they were; nothing else depends on them.
  }
}

document.addEventListener("pos:screen", drawBar);

async function signOut() {
  try {
    await gql("mutation { logout { userErrors { code } } }");
  } catch {
    // Signed out here either way; the token expires on its own.
  }
  setToken(null);
  forget();
  // A sale still kept waits for its clerk; the banner comes back with them.
  hidePending();
  go("login");
}

// --- Sign in ------------------------------------------------------------------

screen("login", (main, params) => {
  // A text field with the e-mail keyboard: "username" is the token password managers
  // pair with current-password, and it is valid on a text input for every checker.
  const email = field("login-email", "email", { type: "text", inputmode: "email", autocomplete: "username", autocapitalize: "none", spellcheck: "false" }, null, "required");
  const pw = field("login-password", "password", { type: "password", autocomplete: "current-password" }, null, "required");
  const general = { err: h("p", { id: "login-err", class: "err", role: "alert", hidden: true }) };
  const submit = h("button", { type: "submit", class: "primary big" }, t("loginButton"));
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "login-title", novalidate: true },
    h("h1", { id: "login-title" }, t("loginTitle")),
    general.err,
    email.el,
    pw.el,
    submit,
  );
  if (params.error) showError(general.err, params.error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    for (const f of [email, pw, general]) clearError(f.err, f.input);
    let missing = false;
    for (const f of [email, pw]) {
      if (!f.input.value) {
        showError(f.err, "REQUIRED", f.input);
        missing = missing || f.input;
      }
    }
    if (missing) return missing.focus();
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: LoginInput!) { login(input: $in) { token user { ${USER} } userErrors { code field message } } }`,
        { in: { email: email.input.value.trim(), password: pw.input.value } },
      );
      const r = d.login;
      if (showUserErrors(r.userErrors, { "input.email": email, "input.password": pw }, general)) return;
      setToken(r.token);
      state.user = r.user;
      await afterSignIn();
    } catch (e) {
      showError(general.err, e.code);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  return email.input;
});

async function afterSignIn() {
  if (pendingSale()) return resumePending();
  // An action on an online order that had no answer yet goes out again there.
  if (pendingOrderAction()) return go("pickup");
  if (state.session && state.register) return go("sale");
  go("registers");
}

// --- Choose and open a register ---------------------------------------------------

screen("registers", (main, params) => {
  const title = h("h1", { id: "reg-title" }, t("registersTitle"));
  const box = h("div", { class: "card" }, title, h("p", { role: "status" }, t("loading")));
  main.append(box);
  loadRegisters(box, title, params.error);
  return title;
});

async function loadRegisters(box, title, why) {
  let regs;
  try {
    regs = (await gql(`{ registers { id name shop { id name } openSession { id openingFloat } } }`)).registers;
  } catch (e) {
    return fail(e, box, title);
  }
  const general = { err: h("p", { id: "reg-err", class: "err", role: "alert", hidden: true }) };
  // The title stays in place (it may have focus): only what follows it changes.
  while (title.nextSibling) title.nextSibling.remove();
  box.append(general.err);
  if (why) showError(general.err, why);
  if (regs.length === 0) {
    box.append(h("p", {}, t("noRegisters")));
    return;
  }
  const float = field("reg-float", "openingFloat", { type: "text", inputmode: "numeric", autocomplete: "off", value: "30000", pattern: "[0-9]*" }, null, "required");
  const list = h("fieldset", { class: "choices" }, h("legend", {}, t("registerLabel")));
  regs.forEach((r, i) => {
    const id = "reg-" + i;
    list.append(
      h(
        "div",
        { class: "choice" },
        h("input", { type: "radio", name: "register", id, value: r.id, checked: i === 0 }),
        h("label", { for: id }, named(r.name), " ", h("span", { class: r.openSession ? "badge open" : "badge" }, t(r.openSession ? "registerOpen" : "registerClosed"))),
      ),
    );
  });
  const submit = h("button", { type: "submit", class: "primary big", id: "reg-open" });
  const form = h("form", { novalidate: true }, list, float.el, submit);
  const chosen = () => regs.find((r) => r.id === form.querySelector("input[name=register]:checked").value);
  const sync = () => {
    const r = chosen();
    float.el.hidden = Boolean(r.openSession);
    submit.replaceChildren(t(r.openSession ? "continueButton" : "openButton"));
  };
  // One key per opening: a retry after a lost answer returns the session opened
  // then; choosing another register or float is another opening.
  let openKey = newKey();
  form.addEventListener("change", sync);
  form.addEventListener("input", () => (openKey = newKey()));
  form.addEventListener("change", () => (openKey = newKey()));
  sync();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError(float.err, float.input);
    clearError(general.err);
    const r = chosen();
    if (r.openSession) return start(r, r.openSession);
    const amount = Number(float.input.value.replace(/[,¥\s]/g, ""));
    if (!/^\d+$/.test(float.input.value.replace(/[,¥\s]/g, ""))) {
      showError(float.err, float.input.value ? "INVALID_INPUT" : "REQUIRED", float.input);
      return float.input.focus();
    }
    submit.disabled = true;
    try {
      const d = await gql(
        `mutation($in: OpenRegisterSessionInput!) { openRegisterSession(input: $in) { session { id openingFloat } userErrors { code field message } } }`,
        { in: { registerId: r.id, openingFloat: amount, idempotencyKey: openKey } },
      );
      const p = d.openRegisterSession;
      if (showUserErrors(p.userErrors, { "input.openingFloat": float }, general)) return;
      start(r, p.session);
    } catch (e) {
      fail(e, general.err);
    } finally {
      submit.disabled = false;
    }
  });
  box.append(form);
}

function start(register, session) {
  state.register = { id: register.id, name: register.name, shop: register.shop };
  state.session = { id: session.id };
  state.lastSale = null;
  save();
  go("sale");
}



// --- Start ----------------------------------------------------------------------

async function boot() {
  drawBar();
  if (!token()) return go("login");
  try {
    state.user = (await gql(`{ me { ${USER} } }`)).me;
  } catch (e) {
    if (e.code === "UNAUTHENTICATED" || e.code === "NETWORK") {
      // Offline at start: a pending sale still goes out once the network is back.
      if (e.code === "NETWORK" && pendingSale()) return resumePending();
      if (e.code === "NETWORK" && pendingOrderAction()) return go("pickup");
      setToken(null);
      return go("login", e.code === "NETWORK" ? { error: "NETWORK" } : {});
    }
  }
  if (!state.user) {
    setToken(null);
    return go("login");
  }
  afterSignIn();
}

// A barcode scanner types into whatever has focus: on the sale screen, keys typed
// while no text field has focus go to the scan field.
document.addEventListener("keydown", (ev) => {
  if (state.screen !== "sale" || ev.ctrlKey || ev.altKey || ev.metaKey || ev.key.length !== 1) return;
  const a = document.activeElement;
  if (a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT")) return;
  if (!/[0-9A-Za-z]/.test(ev.key)) return;
  const scan = document.getElementById("scan");
  if (scan) scan.focus();
});

boot();
