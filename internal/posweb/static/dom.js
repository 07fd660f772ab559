// Small helpers to build the screens from nodes (never from HTML strings, so
// names from the API can hold any character).

import { ApiError, setToken } from "./api.js";
import { errNode, t } from "./i18n.js";
import { go, save, state } from "./state.js";

// h makes an element: h("button", {class: "big", onclick: f}, "text", node…).
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

// field makes a labelled input with a slot for its error, tied by aria-describedby.
// need is "required" or "optional": the label says so, in words.
export function field(id, labelKey, inputProps, hintNode, need) {
  const err = h("p", { id: id + "-err", class: "err", hidden: true });
  const hint = hintNode ? h("p", { id: id + "-hint", class: "hint" }, hintNode) : null;
  const input = h("input", {
    id,
    name: id,
    "aria-describedby": [hint ? id + "-hint" : "", id + "-err"].filter(Boolean).join(" "),
    required: need === "required" || undefined,
    ...inputProps,
  });
  return {
    input,
    err,
    el: h("div", { class: "field" }, h("label", { for: id }, t(labelKey), need ? h("span", { class: "need " + need }, t(need)) : null), hint, input, err),
  };
}

// showError puts an error's plain words into its slot and marks the control.
export function showError(slot, code, control) {
  slot.replaceChildren(errNode(code));
  slot.hidden = false;
  if (control) control.setAttribute("aria-invalid", "true");
}

export function clearError(slot, control) {
  slot.replaceChildren();
  slot.hidden = true;
  if (control) control.removeAttribute("aria-invalid");
}

// showUserErrors places each userError next to the control its field names; slots
// maps a field path prefix (like "input.amount") to {err, input}. Errors of no
// known field go to the general slot. It returns whether there were errors.
export function showUserErrors(userErrors, slots, general) {
  let first = null;
  if ((userErrors || []).some((ue) => ue.code === "NO_OPEN_SESSION")) {
    closedElsewhere();
    return true;
  }
  for (const ue of userErrors || []) {
    let target = null;
    let best = -1;
    for (const [prefix, s] of Object.entries(slots)) {
      if (ue.field && (ue.field === prefix || ue.field.startsWith(prefix + ".")) && prefix.length > best) {
        target = s;
        best = prefix.length;
      }
    }
    target = target || general;
    showError(target.err, ue.code, target.input);
    first = first || target.input || target.err;
  }
  if (first && first.focus) first.focus();
  return Boolean(userErrors && userErrors.length);
}

// closedElsewhere handles a register session that was closed under the clerk's
// hands (on another terminal): back to the choice of register, saying why.
export function closedElsewhere() {
  state.session = null;
  save();
  go("registers", { error: "NO_OPEN_SESSION" });
}

// hidePending takes the banner of a request in flight away.
export function hidePending() {
  const box = document.getElementById("pending");
  box.hidden = true;
  box.replaceChildren();
}

// announce reads a message out through the polite live region: text, or nodes
// (tl's, where names keep their lang).
export function announce(...parts) {
  clearTimeout(soon); // a figure that was waiting to be read is out of date now
  const live = document.getElementById("announcer");
  live.textContent = "";
  // A change after a tick is announced even when the text repeats.
  setTimeout(() => live.replaceChildren(...parts), 50);
}

let soon;
// announceSoon announces text once no other call has come for a moment: a figure
// that changes with every key typed is read once, when the typing pauses.
export function announceSoon(text) {
  clearTimeout(soon);
  soon = setTimeout(() => announce(text), 700);
}

// fail shows an API error in plain words in slot; a lost sign-in goes back to the
// sign-in screen.
export function fail(e, slot, keep) {
  const code = e instanceof ApiError ? e.code : "INTERNAL";
  if (code === "UNAUTHENTICATED") {
    setToken(null);
    return go("login", { error: code });
  }
  if (!(e instanceof ApiError)) console.error(e);
  const err = slot.classList && slot.classList.contains("err") ? slot : h("p", { class: "err", role: "alert" });
  if (err !== slot) slot.append(err);
  showError(err, code);
  if (keep) keep.focus();
}


// receiptText fills a <pre> with a receipt laid out in half-width columns. The
// API counts ¥ as one column and East Asian ambiguous signs (× ± °) as two;
// Japanese fonts draw them the other way round, so they get boxes of the counted
// width and the columns line up on screen and on paper.
export function receiptText(pre, text) {
  pre.replaceChildren();
  let run = "";
  for (const ch of text) {
    const cols = ch === "¥" ? 1 : "×±°".includes(ch) ? 2 : 0;
    if (!cols) {
      run += ch;
      continue;
    }
    if (run) pre.append(run);
    run = "";
    pre.append(h("span", { class: "cols" + cols }, ch));
  }
  if (run) pre.append(run);
}
