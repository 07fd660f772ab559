// What the app knows between screens, and the screen router.
//
// The register session and the last sale are kept in sessionStorage, so a reload
// goes on where the clerk was; the cart is kept there too.

const saved = JSON.parse(sessionStorage.getItem("pos.state") || "{}");

export const state = {
  user: null,
  register: saved.register || null, // {id, name, shop: {id, name}}
  session: saved.session || null, // {id}
  lastSale: saved.lastSale || null, // {id, receiptNumber, total}
  cart: saved.cart || [], // [{product, quantity, error}]
  screen: null,
  params: null,
};

export function save() {
  sessionStorage.setItem(
    "pos.state",
    JSON.stringify({
      register: state.register,
      session: state.session,
      lastSale: state.lastSale,
      cart: state.cart.map((l) => ({ product: l.product, quantity: l.quantity })),
    }),
  );
}

export function forget() {
  state.user = state.register = state.session = state.lastSale = null;
  state.cart = [];
  sessionStorage.removeItem("pos.state");
}

const screens = {};

export function screen(name, fn) {
  screens[name] = fn;
}

// go shows a screen: it replaces main's content and moves focus to the screen's
// heading (or to the element the screen returns), so screen readers hear where
// they are.
export function go(name, params) {
  state.screen = name;
  state.params = params || null;
  const main = document.getElementById("main");
  main.replaceChildren();
  const focus = screens[name](main, params || {});
  document.dispatchEvent(new CustomEvent("pos:screen", { detail: name }));
  // A new screen starts at its top, wherever the last one was scrolled to.
  window.scrollTo(0, 0);
  const target = focus || main.querySelector("h1") || main;
  if (!target.hasAttribute("tabindex") && target.tagName === "H1") target.setAttribute("tabindex", "-1");
  target.focus();
}

// refresh draws the current screen again (after a switch of language or furigana).
export function refresh() {
  if (state.screen) go(state.screen, state.params);
}
