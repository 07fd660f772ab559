// The console's screen router and the pieces every screen is built from: labelled
// fields with their error slots, errors from the API placed next to their fields,
// dialogs that give focus back, and keyset paging.

import { ApiError, setToken } from "../pos/api.js";
import { h } from "../pos/dom.js";
import { getPrefs } from "../pos/i18n.js";
import { errNode, t, ts } from "./i18n.js";

// app is what the console knows between screens: the signed-in user and the
// locations they act on (loaded once, at sign-in).
export const app = { user: null, locations: [] };

const routes = [];

// route adds a screen: pattern matches the part of the address after "#/", and
// draw(main, match) fills main (it may wait for the API).
export function route(pattern, draw, navKey) {
  routes.push({ pattern, draw, navKey });
}

let drawing = 0;

// show draws the screen of the address. Focus moves to the new screen's heading,
// so that screen readers hear where they are, unless keep names an element to
// return focus to (a display switch that redrew the screen).
export async function show(keep) {
  const ticket = ++drawing;
  const path = location.hash.replace(/^#\/?/, "") || "home";
  const r = routes.find((r) => r.pattern.test(path)) || routes.find((r) => r.pattern.test("404"));
  const main = document.getElementById("main");
  const status = document.getElementById("loading");
  status.replaceChildren(t("loading"));
  document.dispatchEvent(new CustomEvent("console:route", { detail: r.navKey }));
  const next = h("div", { class: "screen" });
  // Screens append what applies; what does not (null, false) is left out.
  next.append = (...kids) => Element.prototype.append.apply(next, kids.filter((k) => k !== null && k !== undefined && k !== false));
  try {
    await r.draw(next, path.match(r.pattern));
  } catch (e) {
    if (ticket !== drawing) return;
    if (e instanceof ApiError && e.code === "UNAUTHENTICATED") return signedOut(e.code);
    if (!(e instanceof ApiError)) console.error(e);
    next.replaceChildren(h("h1", {}, t("appName")), errorBox(e));
  }
  if (ticket !== drawing) return; // a later navigation won
  status.replaceChildren();
  main.replaceChildren(next);
  const title = main.querySelector("h1");
  document.title = (title ? title.textContent + " — " : "") + ts("appName");
  const target = (keep && document.getElementById(keep)) || title || main;
  if (target === title) {
    title.tabIndex = -1;
    window.scrollTo(0, 0);
  }
  target.focus();
}

// go moves to a screen by its address ("products/new").
export function go(path) {
  if (location.hash === "#/" + path) show();
  else location.hash = "#/" + path;
}

let onSignedOut = () => {};
export function whenSignedOut(f) {
  onSignedOut = f;
}

export function signedOut(code) {
  setToken(null);
  app.user = null;
  onSignedOut(code);
}

// errorBox is an alert with an API error's plain words.
export function errorBox(e, id) {
  const code = e instanceof ApiError ? e.code : typeof e === "string" ? e : "INTERNAL";
  return h("p", { class: "err", role: "alert", id }, errNode(code));
}

// field makes a labelled control with a slot for its error, tied to it by
// aria-describedby. label is a key of the words or a node; opts: need
// ("required" | "optional"), hint (node), tag ("input", "select", "textarea"),
// kids (a select's options), lang (of what is typed in it).
export function field(id, label, props, opts = {}) {
  const err = h("p", { id: id + "-err", class: "err", hidden: true });
  const hint = opts.hint ? h("p", { id: id + "-hint", class: "hint" }, opts.hint) : null;
  const control = h(
    opts.tag || "input",
    {
      id,
      name: id,
      "aria-describedby": [hint && id + "-hint", id + "-err"].filter(Boolean).join(" "),
      required: opts.need === "required" || undefined,
      ...props,
    },
    ...(opts.kids || []),
  );
  // An error shown for a value goes once the value changes (checks as typed set
  // theirs again after this).
  const f = { input: control, err, hint };
  control.addEventListener("input", () => clearErrorOf(f));
  const labelNode = typeof label === "string" ? t(label) : label;
  const need = opts.need ? h("span", { class: "need " + opts.need }, t(opts.need)) : null;
  f.el = h("div", { class: "field" }, h("label", { for: id }, labelNode, need), hint, control, err);
  return f;
}

// options makes a select's options from values, each shown by its words.
export function options(values, selected, allKey) {
  const list = values.map((v) => h("option", { value: v, selected: v === selected }, ts(v)));
  if (allKey) list.unshift(h("option", { value: "", selected: !selected }, ts(allKey)));
  return list;
}

export function setError(f, node) {
  f.err.replaceChildren(node);
  f.err.hidden = false;
  f.input.setAttribute("aria-invalid", "true");
}

export function clearErrorOf(f) {
  f.err.replaceChildren();
  f.err.hidden = true;
  f.input.removeAttribute("aria-invalid");
}

// placeErrors shows each userError next to the field its path names (the longest
// known prefix wins), others in general; focus goes to the first. It returns the
// number of errors.
export function placeErrors(userErrors, fields, general) {
  Object.values(fields).forEach(clearErrorOf);
  general.replaceChildren();
  let first = null;
  for (const ue of userErrors) {
    const key = Object.keys(fields)
      .filter((k) => ue.field && (ue.field === k || ue.field.startsWith(k + ".")))
      .sort((a, b) => b.length - a.length)[0];
    if (key) {
      setError(fields[key], errNode(ue.code));
      first = first || fields[key].input;
    } else {
      general.append(errorBox(ue.code));
      first = first || general;
    }
  }
  if (first) {
    if (first === general) general.tabIndex = -1;
    first.focus();
  }
  return userErrors.length;
}

// dialog opens a modal dialog titled title (a key) with body; focus goes to its
// first control and, when it closes, back to the control that opened it.
export function dialog(titleKey, body, id) {
  const opener = document.activeElement;
  const titleId = (id || "dialog") + "-title";
  const d = h("dialog", { id, "aria-labelledby": titleId, class: "dialog" }, h("h2", { id: titleId }, t(titleKey)), body);
  document.body.append(d);
  d.addEventListener("close", () => {
    d.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  d.showModal();
  const first = d.querySelector("input, select, textarea, button");
  if (first) first.focus();
  return d;
}

// pager is keyset paging for a list: the cursors of the pages seen so far make
// the way back. It gives the next and previous buttons; load(after) draws a page
// and resolves to its pageInfo.
export function pager(id, load) {
  const stack = [null];
  const label = h("p", { class: "page-n", id: id + "-n", "aria-live": "polite" });
  const prev = h("button", { id: id + "-prev", type: "button", class: "quiet" }, t("prev"));
  const next = h("button", { id: id + "-next", type: "button", class: "quiet" }, t("next"));
  let info = null;
  const go = async (cursor) => {
    info = await load(cursor);
    label.replaceChildren(t("pageN", { n: stack.length }));
    prev.disabled = stack.length === 1;
    next.disabled = !info.hasNextPage;
  };
  prev.addEventListener("click", () => {
    stack.pop();
    go(stack[stack.length - 1]);
  });
  next.addEventListener("click", () => {
    stack.push(info.endCursor);
    go(info.endCursor);
  });
  return { el: h("div", { class: "row pager" }, prev, label, next), start: () => go(null) };
}

// inLang marks a passage written in another language than the interface's.
export function inLang(text, tag) {
  const ui = getPrefs().lang;
  if (!text) return "";
  return tag && tag.slice(0, 2) !== ui ? h("span", { lang: tag }, text) : text;
}

// thisMonth is the current month in Japan time, "YYYY-MM".
export function thisMonth() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit" }).format(new Date()).slice(0, 7);
}

// downloadCSV saves rows (arrays of cells) as a CSV file for Excel: UTF-8 with a byte
// order mark, every cell quoted, CRLF line ends.
export function downloadCSV(filename, rows) {
  const q = (s) => `"${String(s == null ? "" : s).replace(/"/g, '""')}"`;
  const text = rows.map((r) => r.map(q).join(",")).join("\r\n") + "\r\n";
  const a = h("a", { href: URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" })), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it starts; the blob goes a little later.
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
