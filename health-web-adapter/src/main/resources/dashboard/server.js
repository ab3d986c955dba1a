"use strict";
// A server's page: its row (live), the latency chart over a period (/api/v1/servers/{name}?period=), its failure
// episodes, its pool's share and tools in gateway mode, and the timeline of its events.
(function () {
  const { status, minute, ms, pct, duration, when, el, describe, json } = window.MH;
  const name = new URLSearchParams(location.search).get("name") || "";
  const api = "api/v1/servers/" + encodeURIComponent(name);
  let period = "24h";
  const PERIODS = { "1h": 3600, "24h": 86400, "7d": 604800, "30d": 2592000 }; // seconds
  let plot = null;
  let stored = []; // the period's stored alerts, as timeline entries
  const seen = []; // the events since this server started, oldest first

  function css(v) { return getComputedStyle(document.documentElement).getPropertyValue(v).trim(); }
  function row(cells, header) {
    const tr = el("tr");
    cells.forEach((c, i) => {
      const td = el(i === 0 && header ? "th" : "td", c);
      if (i === 0 && header) { td.scope = "row"; }
      tr.appendChild(td);
    });
    return tr;
  }
  function headline(s) {
    const h = document.getElementById("headline");
    h.className = "status " + status(s);
    const m = minute(s);
    h.textContent = (status(s) === "unknown" ? "not probed yet" : status(s)) + (s.since ? " since "
      + when(s.since) : "") + "; p50 " + ms(m.p50Ms) + ", p99 " + ms(m.p99Ms) + " (1 min); availability "
      + pct(s.sla) + " since the monitor began";
    const dl = document.getElementById("details");
    const items = [["type", s.type]].concat(Object.entries(s.details || {}));
    dl.replaceChildren(...items.map(([k, v]) => {
      const pair = el("div");
      pair.append(el("dt", k.replace(/([A-Z])/g, " $1").toLowerCase()), el("dd", String(v)));
      return pair;
    }));
  }
  function share(board, s) {
    const pool = (board.servers || []).filter(x => x.type === s.type);
    if (pool.length < 2) { return null; }
    const calls = x => minute(x).calls || 0;
    const total = pool.reduce((a, x) => a + calls(x), 0);
    return total === 0 ? "no calls to the pool " + s.type + " in the last minute"
      : "serves " + pct(calls(s) / total) + " of the " + total + " calls to its pool " + s.type + " in the last minute ("
        + pool.length + " instances)";
  }
  function chart(history, period) {
    const xs = history.map(b => Date.parse(b.start) / 1000);
    const data = [xs, history.map(b => b.p50Ms), history.map(b => b.p95Ms), history.map(b => b.p99Ms)];
    const target = document.getElementById("chart");
    const probes = history.reduce((a, b) => a + b.probes, 0);
    const answered = history.reduce((a, b) => a + b.answered, 0);
    const worst = Math.max(0, ...history.map(b => b.p99Ms || 0));
    document.getElementById("chart-summary").textContent = probes === 0
      ? "no probe in the last " + period
      : "p50, p95 and p99 of the probes' times in the last " + period + ", " + history.length + (history.length === 1 ? " point: " : " points: ")
        + answered + " of " + probes + " probes answered (" + pct(answered / probes) + "), highest p99 " + ms(worst);
    const opts = {
      width: Math.max(300, target.clientWidth), height: 260, legend: { live: true },
      scales: { x: { time: true, range: () => [Date.now() / 1000 - PERIODS[period], Date.now() / 1000] } },
      axes: [{ stroke: css("--fg"), grid: { stroke: css("--line") } },
        { stroke: css("--fg"), grid: { stroke: css("--line") }, values: (u, v) => v.map(x => ms(x)), size: 70 }],
      series: [{}, { label: "p50", stroke: css("--ok"), width: 2, value: (u, v) => ms(v) },
        { label: "p95", stroke: css("--warn"), width: 2, value: (u, v) => ms(v) },
        { label: "p99", stroke: css("--bad"), width: 2, value: (u, v) => ms(v) }]
    };
    if (plot) { plot.destroy(); }
    plot = new uPlot(opts, data, target);
    target.dataset.points = String(xs.length);
    document.querySelector("#buckets tbody").replaceChildren(...history.map(b => row([when(b.start),
      String(b.probes), String(b.answered), ms(b.p50Ms), ms(b.p95Ms), ms(b.p99Ms), b.worst || "–"], true)));
  }
  function episodes(failures, period) {
    const body = document.querySelector("#episodes tbody");
    body.replaceChildren(...failures.slice().reverse().map(f => row([when(f.occurredAt), f.failureType,
      f.resolved ? "yes" : "no, still failing", f.resolved ? duration(f.resolutionMs) : "–",
      f.recoveryAction || "–", f.details || ""], true)));
    const resolved = failures.filter(f => f.resolved && f.resolutionMs !== null && f.resolutionMs !== undefined);
    const mttr = resolved.length ? resolved.reduce((a, f) => a + f.resolutionMs, 0) / resolved.length : null;
    document.getElementById("episodes-summary").textContent = failures.length === 0
      ? "no failure in the last " + period
      : failures.length + " in the last " + period + "; mean time to recovery " + duration(mttr);
  }
  function timeline() {
    const entries = seen.map(e => ({ at: e.at, kind: e.event, text: describe(e) }));
    const live = new Set(seen.filter(e => e.event === "alert").map(e => e.id));
    stored.filter(a => !live.has(a.id)).forEach(a => {
      entries.push({ at: a.raisedAt, kind: "alert", text: a.severity + ": " + a.message
        + (a.resolvedAt ? " (resolved " + when(a.resolvedAt) + ")" : "") });
    });
    entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    document.getElementById("timeline").replaceChildren(...entries.slice(0, 300).map(x => {
      const li = el("li");
      const t = el("time", when(x.at));
      t.dateTime = x.at;
      li.append(t, " ", el("span", x.kind.replace(/_/g, " "), "kind " + x.kind), " ", x.text);
      return li;
    }));
    if (!entries.length) { document.getElementById("timeline").replaceChildren(el("li", "nothing yet")); }
  }
  let asked = 0; // the newest request's number: an older answer coming later is not drawn
  async function load() {
    const mine = ++asked;
    const p = period;
    try {
      const s = await json(api + "?period=" + p);
      if (mine !== asked) { return; }
      headline(s);
      chart(s.history || [], p);
      episodes(s.failures || [], p);
      stored = s.alerts || [];
      timeline();
    } catch (e) {
      if (mine === asked) {
        document.getElementById("chart-summary").textContent = "the history cannot be read: " + e.message;
      }
    }
  }
  let gateway = false;
  async function tools(type) {
    try {
      const t = await json("api/v1/tools?server_type=" + encodeURIComponent(type));
      gateway = t.gateway;
      if (!gateway) { return; }
      document.getElementById("pool").hidden = false;
      document.querySelector("#tools tbody").replaceChildren(...t.tools.map(f => row([f.tool, String(f.requests),
        String(f.failures), ms(f.p50Ms), ms(f.p95Ms), ms(f.p99Ms)], true)));
    } catch (e) { /* unreadable: the section stays as it was */ }
  }
  document.addEventListener("DOMContentLoaded", async () => {
    document.getElementById("name").textContent = name || "no server named";
    document.title = "MCP Health: " + name;
    document.querySelectorAll("#periods button").forEach(b => b.addEventListener("click", () => {
      period = b.dataset.period;
      document.querySelectorAll("#periods button").forEach(x => x.setAttribute("aria-pressed", String(x === b)));
      load();
    }));
    await load();
    let type = null;
    let reload = null;
    const drawTimeline = window.MH.later(timeline);
    window.MH.events("api/v1/events?limit=1000&server=" + encodeURIComponent(name), board => {
      const s = (board.servers || []).find(x => x.server === name);
      if (!s) { return; }
      headline(s);
      if (type === null) { type = s.type; tools(type); }
      const text = share(board, s);
      if (text && gateway) { document.getElementById("share").textContent = text; }
    }, e => {
      if (e.server !== name) { return; }
      seen.push(e);
      if (seen.length > 1000) { seen.splice(0, seen.length - 1000); }
      drawTimeline();
      if ((e.event === "status_changed" || e.event.startsWith("recovery_")) && reload === null) {
        // its episodes and history read again a second after the first of a burst of events (not postponed by more)
        reload = setTimeout(() => { reload = null; load(); }, 1000);
      }
    }).catch(e => { document.getElementById("headline").textContent = e.message; });
    setInterval(load, 60000); // the history's newest bucket moves on
    setInterval(() => { if (type) { tools(type); } }, 15000);
    window.addEventListener("resize", () => {
      if (plot) { plot.setSize({ width: Math.max(300, document.getElementById("chart").clientWidth), height: 260 }); }
    });
  });
})();
