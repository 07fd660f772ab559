// The GraphQL client: POST /graphql with the bearer token kept in sessionStorage.
//
// gql resolves to the response's data, or throws an ApiError whose code is the
// GraphQL error's extensions.code ("NETWORK" when the server could not be
// reached). Mutations' userErrors are left in the data for the caller.

const ENDPOINT = new URL("../graphql", document.baseURI).pathname;

export class ApiError extends Error {
  constructor(code, message, field) {
    super(message || code);
    this.code = code;
    this.field = field || null;
  }
}

export function token() {
  return sessionStorage.getItem("pos.token");
}

export function setToken(t) {
  if (t) sessionStorage.setItem("pos.token", t);
  else sessionStorage.removeItem("pos.token");
}

// send makes one attempt. It throws ApiError("NETWORK") when no answer came: the
// request may or may not have reached the server.
async function send(query, variables) {
  const headers = { "Content-Type": "application/json" };
  const tk = token();
  if (tk) headers.Authorization = "Bearer " + tk;
  let res;
  try {
    res = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError("NETWORK");
  }
  // A proxy's 502/503/504 page is no answer from the API.
  if (res.status >= 502 && res.status <= 504) throw new ApiError("NETWORK");
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status >= 500 ? "NETWORK" : "INTERNAL");
  }
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const code = (e.extensions && e.extensions.code) || "INTERNAL";
    throw new ApiError(code, e.message, e.extensions && e.extensions.field);
  }
  return body.data;
}

export function gql(query, variables) {
  return send(query, variables);
}

// latest is how a part of a screen that a user's action fills (a list's page, the
// results of a search as it is typed, the goods of a source chosen) keeps to the
// latest action: latest() gives fresh, and fresh(promise) settles as promise does
// only if fresh was not called again meanwhile. An answer to an earlier action,
// however late it comes, never settles, so what would draw it never runs: a late
// answer cannot replace what the user sees and has typed since. fresh.drop() makes
// every answer still to come stale (a search emptied needs none).
export function latest() {
  let turn = 0;
  // A stale answer's own promise that never settles: nothing holds it, so the
  // drawing that waits on it is collected with it.
  const stale = () => new Promise(() => {});
  const fresh = (promise) => {
    const mine = ++turn;
    return Promise.resolve(promise).then(
      (value) => (mine === turn ? value : stale()),
      (error) => (mine === turn ? Promise.reject(error) : stale()),
    );
  };
  fresh.drop = () => {
    turn++;
  };
  return fresh;
}

// upload PUTs a file to a link of the API (createImageUpload's upload.url) and
// resolves to the JSON answer ({url, width, height}). A refusal throws ApiError
// with the answer's code (413 as OUT_OF_RANGE, "file"), NETWORK when none came.
export async function upload(path, file) {
  let res;
  try {
    res = await fetch(new URL(path, location.href), { method: "PUT", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
  } catch {
    throw new ApiError("NETWORK");
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // A proxy's page: no answer of the API's.
  }
  if (res.ok && body) return body;
  if (res.status === 413) throw new ApiError("OUT_OF_RANGE", null, "file");
  const e = body && body.errors && body.errors[0];
  if (e) throw new ApiError((e.extensions && e.extensions.code) || "INTERNAL", e.message, "file");
  throw new ApiError(res.status >= 500 ? "NETWORK" : "INTERNAL");
}

// subscribe follows one subscription over a WebSocket at the same /graphql
// (graphql-transport-ws), signed in with the kept token: onData gets each event's
// data. onSubscribed is called once the subscription is in place (the server
// acknowledges it, as asked): from then on no change is missed, so the caller
// reads what it shows again then, for a change made before. onFail is called
// once when the socket cannot be opened or ends otherwise than by the returned
// stop (the server closed it, a refusal, a lost network): the caller falls back
// to asking now and then.
export function subscribe(query, variables, onData, onSubscribed, onFail) {
  const url = new URL(ENDPOINT, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let stopped = false;
  let failed = false;
  const fail = () => {
    if (stopped || failed) return;
    failed = true;
    onFail();
  };
  let ws;
  try {
    ws = new WebSocket(url, "graphql-transport-ws");
  } catch {
    setTimeout(fail);
    return () => {};
  }
  const put = (m) => ws.send(JSON.stringify(m));
  ws.onopen = () => {
    const tk = token();
    put({ type: "connection_init", payload: tk ? { Authorization: "Bearer " + tk } : {} });
  };
  ws.onmessage = (ev) => {
    let m;
    try {
      m = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (m.type === "connection_ack") put({ id: "1", type: "subscribe", payload: { query, variables, extensions: { acknowledge: true } } });
    else if (m.type === "ping") put({ type: "pong" });
    else if (m.type === "next" && m.payload && m.payload.extensions && m.payload.extensions.subscribed) onSubscribed();
    else if (m.type === "next" && m.payload && m.payload.data && !m.payload.errors) onData(m.payload.data);
    else if (m.type === "next" || m.type === "error" || m.type === "complete") {
      ws.close();
      fail();
    }
  };
  ws.onerror = fail;
  ws.onclose = fail;
  return () => {
    stopped = true;
    ws.close();
  };
}

// newKey is a fresh idempotency key.
export function newKey() {
  return crypto.randomUUID();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- Sales and order actions in flight ----------------------------------------
//
// A sale (or an action on an online order) is written to localStorage with its
// idempotency key before it is sent, and removed only once the API has answered,
// so that neither a dropped connection nor a reload loses or doubles it: a retry
// with the same key returns the first result.

const PENDING = "pos.pendingSale";
const PENDING_ORDER = "pos.pendingOrderAction";

const kept = (slot) => {
  const s = localStorage.getItem(slot);
  return s ? JSON.parse(s) : null;
};

export function pendingSale() {
  return kept(PENDING);
}

export function clearPendingSale() {
  localStorage.removeItem(PENDING);
}

// submitSale sends the sale until the API answers and resolves to its data.
// onRetry(n) is called before each retry. An answer that is a GraphQL error
// (such as UNAUTHENTICATED) rejects, and the sale stays pending for a later try.
// owner ({id, name}) is the clerk who sells: the API keeps idempotency keys per
// user, so only they may send the sale again (see resumeSale).
export async function submitSale(query, input, onRetry, owner) {
  localStorage.setItem(PENDING, JSON.stringify({ query, input, owner, since: Date.now() }));
  return resumeSale(onRetry, owner && owner.id);
}

// resumeSale sends the kept sale again, as the user userId. Another clerk's sale is
// refused with OTHER_USER_SALE and stays kept: under another user its key would be
// a new one, and the sale, which may have gone through, would be booked twice.
export function resumeSale(onRetry, userId) {
  const p = kept(PENDING);
  if (p && p.owner && userId && p.owner.id !== userId) {
    return Promise.reject(new ApiError("OTHER_USER_SALE", p.owner.name));
  }
  return resend(PENDING, onRetry);
}

// pendingOrderAction is the action on an online order (markOrderReady,
// completeOrder) that has not had its answer yet: {query, input, what}, where what
// says which order and action it is, for the screen.
export function pendingOrderAction() {
  return kept(PENDING_ORDER);
}

// submitOrderAction sends an action on an order like submitSale sends a sale.
export async function submitOrderAction(query, input, what, onRetry) {
  localStorage.setItem(PENDING_ORDER, JSON.stringify({ query, input, what, since: Date.now() }));
  return resumeOrderAction(onRetry);
}

export function resumeOrderAction(onRetry) {
  return resend(PENDING_ORDER, onRetry);
}

// Answers that say nothing about whether the request was carried out: the
// connection broke, the database went away during the commit, the time ran out,
// or the server asks to come back later. The request is sent again, with its key,
// until a definite answer comes.
const UNKNOWN = new Set(["NETWORK", "UNAVAILABLE", "TIMEOUT", "RATE_LIMITED"]);

// Answers that refuse the request before anything was done: it is dropped.
const REFUSED = new Set(["FORBIDDEN", "NOT_FOUND", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"]);

async function resend(slot, onRetry) {
  const p = kept(slot);
  if (!p) return null;
  // The loop belongs to whoever was signed in when it started: after a sign-out it
  // stops with STOPPED (the request stays kept, and the caller shows nothing), so
  // that it never goes out, nor fails, under another user.
  const by = token();
  for (let n = 0; ; n++) {
    if (token() !== by) throw new ApiError("STOPPED");
    try {
      const data = await send(p.query, { input: p.input });
      // An answer without the mutation's payload is no answer either.
      if (!data || Object.values(data).some((v) => v === null || v === undefined)) throw new ApiError("UNAVAILABLE");
      localStorage.removeItem(slot);
      return data;
    } catch (e) {
      if (token() !== by) throw new ApiError("STOPPED");
      if (!UNKNOWN.has(e.code)) {
        // The API answered with an error. Drop the request only when it was refused;
        // keep it, with its key, for a later try (signing in again, or a server
        // fault that may have come after the sale was stored).
        if (REFUSED.has(e.code)) localStorage.removeItem(slot);
        throw e;
      }
    }
    if (onRetry) onRetry(n + 1);
    await sleep(Math.min(500 * 2 ** n, 5000));
  }
}
