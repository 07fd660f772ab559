// The order's status, live: the orderStatus subscription over a WebSocket at
// /graphql (graphql-transport-ws). Each change replaces the status sentence with
// the server-rendered one for the new status (no markup is built here), and the
// status region announces it. Without a socket, the page's link reads it again.
const order = document.getElementById("order");
const status = document.getElementById("status");
const texts = document.getElementById("status-texts");
const QUERY = "subscription($t: String!) { orderStatus(token: $t) { status version } }";

let version = Number(order?.dataset.version || 0);
let delay = 1000;

function show(next) {
  const text = texts.querySelector(`[data-status="${next}"]`);
  if (!text) return;
  status.replaceChildren(...[...text.childNodes].map((n) => n.cloneNode(true)));
  status.dataset.status = next;
}

function apply(o) {
  if (o && o.version > version) {
    version = o.version;
    show(o.status);
  }
}

// refetch reads the status once the subscription is in place (the server
// acknowledges it, as asked), after each (re)connection: events sent while no
// socket was open are not sent again, and a read before the subscription is in
// place could miss a change made in between.
async function refetch() {
  try {
    const res = await fetch("/graphql", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "query($t: String!) { orderByToken(token: $t) { status version } }", variables: { t: order.dataset.token } }),
    });
    apply((await res.json())?.data?.orderByToken);
  } catch { /* the next connection tries again */ }
}

function connect() {
  const url = new URL("/graphql", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url, "graphql-transport-ws");
  const put = (m) => ws.send(JSON.stringify(m));
  ws.onopen = () => put({ type: "connection_init", payload: {} });
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "connection_ack") {
      delay = 1000;
      put({ id: "1", type: "subscribe", payload: { query: QUERY, variables: { t: order.dataset.token }, extensions: { acknowledge: true } } });
    } else if (m.type === "ping") {
      put({ type: "pong" });
    } else if (m.type === "next" && m.payload?.extensions?.subscribed) {
      refetch();
    } else if (m.type === "next") {
      apply(m.payload?.data?.orderStatus);
    } else if (m.type === "error" || m.type === "complete") {
      ws.close(); // the subscription ended (live updates stopped): connect again
    }
  };
  ws.onclose = () => {
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  };
}

if (order && status && texts && "WebSocket" in window) connect();
