"use strict";
// The overview: the servers' status pushed by server-sent events (/api/v1/stream), filtered and sorted here; a status
// change is shown the moment its event comes (the board follows it at once).
(function () {
  const { rank, status, minute, ms, pct, ago, el } = window.MH;
  let servers = [];
  let uptime = new Map(); // server -> its bars over the chosen period (/api/v1/uptime)
  let uptimeLabel = "";
  const changes = new Map(); // server -> its last status_changed event
  const recoveries = new Map(); // server -> its last recovery_* event
  let sortKey = "status";
  let ascending = true;

  function key(s) {
    switch (sortKey) {
      case "server": return s.server;
      case "type": return s.type;
      case "p50": return minute(s).p50Ms ?? Infinity;
      case "p99": return minute(s).p99Ms ?? Infinity;
      case "sla": return s.sla ?? -1;
      default: return rank[status(s)];
    }
  }
  function cell(row, text, cls) { return row.appendChild(el("td", text, cls)); }
  function render() {
    const filter = document.getElementById("filter").value.trim().toLowerCase();
    const shown = servers.filter(s => !filter || s.server.toLowerCase().includes(filter)
      || s.type.toLowerCase().includes(filter) || status(s).includes(filter));
    shown.sort((a, b) => {
      const x = key(a), y = key(b);
      const c = x < y ? -1 : x > y ? 1 : a.server.localeCompare(b.server);
      return ascending ? c : -c;
    });
    const rows = shown.map(s => {
      const tr = el("tr");
      tr.dataset.server = s.server;
      const th = el("th");
      th.scope = "row";
      const link = el("a", s.server);
      link.href = "server?name=" + encodeURIComponent(s.server);
      th.appendChild(link);
      tr.appendChild(th);
      cell(tr, s.type);
      cell(tr, status(s) === "unknown" ? "not probed yet" : status(s), "status " + status(s));
      cell(tr, ms(minute(s).p50Ms), "num");
      cell(tr, ms(minute(s).p99Ms), "num");
      cell(tr, pct(s.sla), "num");
      tr.appendChild(bars(uptime.get(s.server)));
      tr.appendChild(spark(uptime.get(s.server)));
      cell(tr, (s.details && s.details.breaker) || "–");
      const c = changes.get(s.server);
      cell(tr, c ? (c.from ? c.from + " → " : "first ") + c.to + ", " + ago(c.at) : "–", "change");
      const f = s.lastFailure;
      cell(tr, f ? f.type + ", " + ago(f.at) : "none seen", f ? "failure" : "none").title = f ? f.message : "";
      cell(tr, recovery(recoveries.get(s.server)));
      cell(tr, ago(s.details && s.details.lastProbeAt)
        + (s.details && s.details.heldElsewhere ? " by another monitor" : ""));
      return tr;
    });
    // the table is drawn anew: a keyboard user's place (a server's link) is kept
    const focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("tr[data-server]") : null;
    const keep = focused && document.activeElement.tagName === "A" ? focused.dataset.server : null;
    document.querySelector("#servers tbody").replaceChildren(...rows);
    if (keep !== null) {
      const again = [...document.querySelectorAll("#servers tbody tr")].find(r => r.dataset.server === keep);
      if (again) { again.querySelector("a").focus(); }
    }
    const down = servers.filter(s => status(s) === "critical" || status(s) === "offline").length;
    document.getElementById("summary").textContent = servers.length + " servers, " + down
      + " critical or offline" + (shown.length < servers.length ? " (" + shown.length + " shown)" : "");
    document.querySelectorAll("#servers thead th").forEach(th => th.removeAttribute("aria-sort"));
    const active = document.querySelector("button[data-sort='" + sortKey + "']");
    if (active) { active.parentElement.setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
  }
  // What recovery last did for a server, from its last recovery event.
  function recovery(e) {
    if (!e) { return "–"; }
    switch (e.event) {
      case "recovery_started": return e.action + " #" + e.attempt + " under way";
      case "recovery_succeeded": return "back by " + e.action + ", " + ago(e.at);
      case "recovery_failed": return e.action + " #" + e.attempt + " failed, tries again";
      case "recovery_exhausted": return "gave up, " + ago(e.at);
      default: return "–";
    }
  }
  // A server's uptime bars: one per stretch of the period, coloured by the share of its probes answered.
  function bars(list) {
    const td = el("td");
    if (!Array.isArray(list)) { td.textContent = "–"; return td; }
    const strip = el("span", null, "bars");
    const probes = list.reduce((a, b) => a + b[0], 0);
    const answered = list.reduce((a, b) => a + b[1], 0);
    const failing = list.filter(b => b[0] > 0 && b[1] < b[0]).length;
    strip.setAttribute("role", "img");
    strip.setAttribute("aria-label", probes === 0 ? "no probe over " + uptimeLabel
      : pct(answered / probes) + " of probes answered over " + uptimeLabel + "; " + failing + " of " + list.length
        + " stretches with a failed probe");
    list.forEach(b => {
      const a = b[0] === 0 ? null : b[1] / b[0];
      const bar = el("span", null, "bar " + (a === null ? "none" : a >= 0.999 ? "ok" : a >= 0.99 ? "warn" : "bad"));
      bar.title = a === null ? "no probe" : pct(a) + " (" + b[1] + " of " + b[0] + ")";
      strip.appendChild(bar);
    });
    td.appendChild(strip);
    return td;
  }
  let asked = 0; // the newest request's number: an older answer coming later is not drawn
  // A server's p50 and p99 over the period as a small line chart (one point per bar with answered probes).
  function spark(list) {
    const td = el("td");
    const points = Array.isArray(list) ? list.map((b, i) => [i, b[2], b[3]]).filter(p => p[1] !== undefined) : [];
    if (points.length === 0) { td.textContent = "–"; return td; }
    const width = 96, height = 20, n = Math.max(1, list.length - 1);
    const top = Math.max(...points.map(p => Math.max(p[1], p[2]))) || 1;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("class", "spark");
    svg.setAttribute("role", "img");
    const p50s = points.map(p => p[1]).sort((a, b) => a - b);
    svg.setAttribute("aria-label", "latency over " + uptimeLabel + ": p50 about " + ms(p50s[Math.floor(p50s.length / 2)])
      + ", p99 at most " + ms(top));
    [[1, "p50"], [2, "p99"]].forEach(([k, cls]) => {
      const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      line.setAttribute("class", cls);
      line.setAttribute("fill", "none");
      line.setAttribute("points", points.map(p => (p[0] / n * (width - 2) + 1).toFixed(1) + ","
        + (height - 1 - p[k] / top * (height - 2)).toFixed(1)).join(" "));
      svg.appendChild(line);
      const [x, y] = line.getAttribute("points").split(" ").pop().split(","); // the latest, seen even alone
      const dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      dot.setAttribute("class", cls);
      dot.setAttribute("cx", x);
      dot.setAttribute("cy", y);
      dot.setAttribute("r", "1.8");
      svg.appendChild(dot);
    });
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = svg.getAttribute("aria-label");
    svg.appendChild(title);
    td.appendChild(svg);
    return td;
  }
  async function loadUptime() {
    const period = document.getElementById("uptime-period").value;
    const mine = ++asked;
    try {
      const answer = await window.MH.json("api/v1/uptime?period=" + period);
      if (mine !== asked) { return; }
      uptime = new Map(Object.entries(answer.servers));
      uptimeLabel = period;
      draw();
    } catch (e) { /* the bars stay as they were; the live line says when the monitor is away */ }
  }
  function monitorLine(m) {
    if (!m) { return "no figures yet"; }
    const d = m.details || {};
    return "status " + status(m) + "; probe loop lag p99 " + (d.lagP99Ms ? d.lagP99Ms + " ms" : "–")
      + "; rows waiting " + (d.bufferDepth || "0") + "; missed probes " + (d.missedProbes || "0")
      + (d.storageProblem ? "; storage: " + d.storageProblem : "");
  }
  // The monitors sharing the database (/api/v1/cluster): shown only where they do; each live member, or one gone
  // without stopping, with its heartbeat and the servers it holds.
  async function loadCluster() {
    let answer;
    try {
      answer = await window.MH.json("api/v1/cluster");
    } catch (e) { return; /* kept as it was; the live line says when the monitor is away */ }
    const c = answer.cluster;
    const section = document.getElementById("cluster-section");
    section.hidden = !c;
    if (!c) { return; }
    const shown = c.members.filter(m => m.live || !m.stoppedAt);
    document.querySelector("#cluster tbody").replaceChildren(...shown.map(m => {
      const tr = el("tr");
      const th = el("th", m.id);
      th.scope = "row";
      tr.appendChild(th);
      cell(tr, m.host);
      cell(tr, m.live ? "live" : "gone", "status " + (m.live ? "healthy" : "offline"));
      cell(tr, m.heartbeatSecondsAgo.toFixed(1) + " s ago", "num");
      cell(tr, m.holds.length === 0 ? "nothing" : m.holds.length + ": " + m.holds.join(", "));
      return tr;
    }));
    document.getElementById("cluster-summary").textContent = c.liveMembers + " of " + c.members.length
      + " monitors live, lease " + c.leaseSeconds + " s; " + c.leases.filter(l => l.live).length + " of "
      + c.leases.length + " leases live";
  }
  const draw = window.MH.later(render); // a burst of events and boards is drawn once
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("filter").addEventListener("input", render);
    document.querySelectorAll("button[data-sort]").forEach(b => b.addEventListener("click", () => {
      if (sortKey === b.dataset.sort) { ascending = !ascending; } else { sortKey = b.dataset.sort; ascending = true; }
      render();
    }));
    setInterval(() => { if (servers.length) { draw(); } }, 5000); // "n s ago" moves on; no request
    document.getElementById("uptime-period").addEventListener("change", loadUptime);
    loadUptime();
    setInterval(loadUptime, 60000); // the stored history, once a minute
    loadCluster();
    setInterval(loadCluster, 5000); // heartbeats come every third of the lease
    window.MH.events("api/v1/events?limit=1000", board => {
      servers = board.servers || [];
      document.getElementById("monitor").textContent = monitorLine(board.monitor);
      draw();
    }, e => {
      if (e.event.startsWith("recovery_")) { recoveries.set(e.server, e); draw(); }
      if (e.event !== "status_changed") { return; }
      changes.set(e.server, e);
      const s = servers.find(x => x.server === e.server);
      if (s) { s.status = e.to; } // at once; the board pushed after it agrees
      draw();
    }).catch(() => { /* the list of past events is unreadable: the live ones still come */ });
  });
})();
