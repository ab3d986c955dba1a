"use strict";
// What every page of the dashboard shares: formatting, the live line, the event stream (/api/v1/stream) and how an
// event of the monitor reads in words.
window.MH = (function () {
  const rank = { offline: 0, critical: 1, warning: 2, healthy: 3, unknown: 4 };
  function status(s) { return (s && s.status) || "unknown"; }
  function minute(s) { return (s.windows || []).find(w => w.window === "1m") || {}; }
  function ms(v) {
    if (v === undefined || v === null || Number.isNaN(v)) { return "–"; }
    return v >= 10000 ? (v / 1000).toFixed(1) + " s" : (v < 10 ? v.toFixed(1) : Math.round(v)) + " ms";
  }
  function pct(v) { return v === undefined || v === null ? "–" : (v * 100).toFixed(v >= 0.9999 ? 2 : 3) + " %"; }
  function duration(msv) {
    if (msv === undefined || msv === null) { return "–"; }
    const s = msv / 1000;
    return s < 60 ? s.toFixed(1) + " s" : s < 3600 ? (s / 60).toFixed(1) + " min" : (s / 3600).toFixed(1) + " h";
  }
  function ago(iso) {
    if (!iso) { return "never"; }
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 60 ? s + " s ago" : s < 3600 ? Math.round(s / 60) + " min ago" : s < 172800
      ? Math.round(s / 3600) + " h ago" : Math.round(s / 86400) + " days ago";
  }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : "–"; }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  let wasStale = null;
  // The live line: "live, updated ..." or why it is stale; screen readers are told only when that state changes.
  function live(text, stale, calm) {
    const e = document.getElementById("live");
    e.textContent = text;
    e.classList.toggle("stale", stale);
    if (stale !== wasStale) {
      wasStale = stale;
      document.getElementById("announce").textContent = stale ? text : (calm || "live");
    }
  }
  // fn run once at the next frame however often asked before it (a burst of events renders once).
  function later(fn) {
    let asked = false;
    return () => {
      if (asked) { return; }
      asked = true;
      requestAnimationFrame(() => { asked = false; fn(); });
    };
  }
  // An event of the monitor (docs/events.md) in words, without its kind, server and time (shown beside it).
  function describe(e) {
    switch (e.event) {
      case "status_changed":
        return (e.from || "first status") + " → " + e.to + (e.failure ? " (" + e.failure.type + ": "
          + e.failure.message + ")" : "");
      case "alert": return e.severity + ": " + e.message;
      case "alert_resolved": return e.message;
      case "prediction": return e.metric + " heading for " + e.threshold + " in about "
        + duration(e.timeToCrossSeconds * 1000) + " (now " + e.current + ")";
      case "breaker": return e.from + " → " + e.to + (e.reason ? ": " + e.reason : "");
      default: {
        const rest = Object.keys(e).filter(k => k !== "event" && k !== "server" && k !== "at")
          .map(k => k + " " + (typeof e[k] === "object" ? JSON.stringify(e[k]) : e[k]));
        return rest.join(", ");
      }
    }
  }
  // The stream: onServers(board) for each `servers` event, onEvent(e, seq) for each `monitor` event (seq: its number,
  // as /api/v1/events' `last` counts). The page says it is stale when no board came for 5 s, and a refused stream is
  // tried again after 5 s; a stream that reconnects gets the events it missed from the server (Last-Event-ID).
  function stream(onServers, onEvent) {
    let last = 0;
    function connect() {
      const source = new EventSource("api/v1/stream");
      source.addEventListener("servers", m => {
        last = Date.now();
        const board = JSON.parse(m.data);
        if (board.source === "database") { // mcp-health dashboard: no monitor here, what the database holds
          const age = board.recordedSecondsAgo ?? Infinity; // by the server's clock
          const when = age === Infinity ? "at no time known" : age < 60 ? age + " s ago" : age < 7200
            ? Math.round(age / 60) + " min ago" : Math.round(age / 3600) + " h ago";
          live(age > 15 ? "stale: no monitor is recording; what the last one recorded, " + when
            : "from the database: a running monitor recorded this " + when, age > 15, "from the database");
        } else {
          live("live, updated " + new Date(last).toLocaleTimeString(), false);
        }
        onServers(board);
      });
      source.addEventListener("monitor", m => {
        if (onEvent) { onEvent(JSON.parse(m.data), Number(m.lastEventId)); }
      });
      source.onerror = () => {
        live("stale: the monitor does not answer; trying again", true);
        if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
      };
    }
    setInterval(() => {
      if (last && Date.now() - last > 5000) {
        live("stale: no update for " + Math.round((Date.now() - last) / 1000) + " s", true);
      }
    }, 1000);
    connect();
  }
  // The events kept so far (/api/v1/events), then each as it comes, none twice nor lost between the two: the stream is
  // opened first and what it brings before the list is read waits. onEvent(e) for each, oldest first.
  function events(url, onServers, onEvent) {
    let lastSeq = null;
    const waiting = [];
    stream(onServers, (e, seq) => {
      if (lastSeq === null) { waiting.push([e, seq]); return; }
      if (!(seq <= lastSeq)) { lastSeq = seq; onEvent(e); }
    });
    return json(url).then(answer => {
      answer.events.forEach(onEvent);
      lastSeq = answer.last;
      waiting.filter(w => !(w[1] <= answer.last)).forEach(w => { lastSeq = Math.max(lastSeq, w[1]); onEvent(w[0]); });
      waiting.length = 0;
    });
  }
  async function json(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({ error: "not JSON (HTTP " + r.status + ")" }));
    if (!r.ok) { throw new Error(body.error || "HTTP " + r.status); }
    return body;
  }
  return { rank, status, minute, ms, pct, duration, ago, when, el, live, later, describe, stream, events, json };
})();
