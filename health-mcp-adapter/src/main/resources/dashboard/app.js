"use strict";
// The overview: the servers' status pushed by server-sent events (/api/v1/stream), filtered and sorted here.
(function () {
  const rank = { offline: 0, critical: 1, warning: 2, healthy: 3, unknown: 4 };
  let servers = [];
  let sortKey = "status";
  let ascending = true;
  let lastUpdate = 0;

  function minute(s) { return (s.windows || []).find(w => w.window === "1m") || {}; }
  function status(s) { return s.status || "unknown"; }
  function ms(v) { return v === undefined || v === null ? "–" : (v < 10 ? v.toFixed(1) : Math.round(v)) + " ms"; }
  function pct(v) { return v === undefined || v === null ? "–" : (v * 100).toFixed(v >= 0.9999 ? 2 : 3) + " %"; }
  function ago(iso) {
    if (!iso) { return "never"; }
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 60 ? s + " s ago" : Math.round(s / 60) + " min ago";
  }
  function key(s) {
    switch (sortKey) {
      case "server": return s.server;
      case "type": return s.type;
      case "p50": return minute(s).p50Ms ?? Infinity;
      case "p99": return minute(s).p99Ms ?? Infinity;
      case "sla": return s.sla ?? -1;
      default: return rank[status(s)] * 1e6 + 0;
    }
  }
  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function render() {
    const filter = document.getElementById("filter").value.trim().toLowerCase();
    const shown = servers.filter(s => !filter || s.server.toLowerCase().includes(filter)
      || s.type.toLowerCase().includes(filter) || status(s).includes(filter));
    shown.sort((a, b) => {
      const x = key(a), y = key(b);
      const c = x < y ? -1 : x > y ? 1 : a.server.localeCompare(b.server);
      return ascending ? c : -c;
    });
    const body = document.querySelector("#servers tbody");
    const rows = shown.map(s => {
      const tr = document.createElement("tr");
      tr.dataset.server = s.server;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = s.server;
      tr.appendChild(th);
      cell(tr, s.type);
      cell(tr, status(s) === "unknown" ? "not probed yet" : status(s), "status " + status(s));
      cell(tr, ms(minute(s).p50Ms), "num");
      cell(tr, ms(minute(s).p99Ms), "num");
      cell(tr, pct(s.sla), "num");
      cell(tr, (s.details && s.details.breaker) || "–");
      cell(tr, ago(s.details && s.details.lastProbeAt));
      return tr;
    });
    body.replaceChildren(...rows);
    const down = servers.filter(s => status(s) === "critical" || status(s) === "offline").length;
    document.getElementById("summary").textContent = servers.length + " servers, " + down
      + " critical or offline" + (shown.length < servers.length ? " (" + shown.length + " shown)" : "");
    document.querySelectorAll("th[data-sort], th").forEach(th => th.removeAttribute("aria-sort"));
    const active = document.querySelector("button[data-sort='" + sortKey + "']");
    if (active) { active.parentElement.setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
  }
  function monitorLine(m) {
    if (!m) { return "no figures yet"; }
    const d = m.details || {};
    return "status " + (m.status || "unknown") + "; probe loop lag p99 " + (d.lagP99Ms ? d.lagP99Ms + " ms" : "–")
      + "; rows waiting " + (d.bufferDepth || "0") + "; missed probes " + (d.missedProbes || "0")
      + (d.storageProblem ? "; storage: " + d.storageProblem : "");
  }
  function live(text, stale) {
    const el = document.getElementById("live");
    el.textContent = text;
    el.classList.toggle("stale", stale);
  }
  function connect() {
    const source = new EventSource("api/v1/stream");
    source.addEventListener("servers", e => {
      const data = JSON.parse(e.data);
      servers = data.servers || [];
      document.getElementById("monitor").textContent = monitorLine(data.monitor);
      lastUpdate = Date.now();
      live("live, updated " + new Date(lastUpdate).toLocaleTimeString(), false);
      render();
    });
    source.onerror = () => {
      live("stale: the monitor does not answer; trying again", true);
      if (source.readyState === EventSource.CLOSED) { // refused (not a dropped connection): the browser gives up
        setTimeout(connect, 5000);
      }
    };
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("filter").addEventListener("input", render);
    document.querySelectorAll("button[data-sort]").forEach(b => b.addEventListener("click", () => {
      if (sortKey === b.dataset.sort) { ascending = !ascending; } else { sortKey = b.dataset.sort; ascending = true; }
      render();
    }));
    setInterval(() => { // "n s ago" moves on, and an update a second that stopped coming is said; no request
      if (lastUpdate && Date.now() - lastUpdate > 5000) {
        live("stale: no update for " + Math.round((Date.now() - lastUpdate) / 1000) + " s", true);
      }
      if (servers.length) { render(); }
    }, 5000);
    connect();
  });
})();
