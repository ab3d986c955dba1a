"use strict";
// The failure episodes over a period (/api/v1/failures), filtered by type, with the mean time to recovery by type;
// read again when the stream says an episode began or ended.
(function () {
  const { duration, when, el, json } = window.MH;
  let failures = [];

  function row(cells) {
    const tr = el("tr");
    cells.forEach(c => tr.appendChild(c instanceof Node ? c : el("td", c)));
    return tr;
  }
  function render() {
    const type = document.getElementById("type").value;
    const shown = failures.filter(f => !type || f.failureType === type); // newest first, as the API gives them
    document.querySelector("#failures tbody").replaceChildren(...shown.map(f => {
      const server = el("td");
      const a = el("a", f.server);
      a.href = "server?name=" + encodeURIComponent(f.server);
      server.appendChild(a);
      return row([when(f.occurredAt), server, f.failureType, f.resolved ? "yes" : "no, still failing",
        f.resolved ? duration(f.resolutionMs) : "–", f.recoveryAction || "–", f.details || ""]);
    }));
    document.getElementById("summary").textContent = shown.length + " episodes"
      + (type ? " of type " + type : "") + " in the last " + document.getElementById("period").value
      + (failures.length === 1000 ? " (of the newest 1000)" : "");
    const kinds = [...new Set(failures.map(f => f.failureType))].sort();
    document.querySelector("#by-type tbody").replaceChildren(...kinds.map(t => {
      const of = failures.filter(f => f.failureType === t);
      const done = of.filter(f => f.resolved && f.resolutionMs !== null && f.resolutionMs !== undefined);
      const mean = done.length ? done.reduce((a, f) => a + f.resolutionMs, 0) / done.length : null;
      const th = el("th", t);
      th.scope = "row";
      return row([th, String(of.length), String(done.length), duration(mean),
        duration(done.length ? Math.max(...done.map(f => f.resolutionMs)) : null)]);
    }));
  }
  // The type filter's choices: the types of the period's episodes (the one chosen kept while it has any).
  function types() {
    const select = document.getElementById("type");
    const wanted = [""].concat([...new Set(failures.map(f => f.failureType))].sort());
    if ([...select.options].map(o => o.value).join(",") !== wanted.join(",")) {
      const chosen = select.value;
      select.replaceChildren(...wanted.map(t => {
        const o = el("option", t || "every type");
        o.value = t;
        return o;
      }));
      select.value = wanted.includes(chosen) ? chosen : "";
    }
  }
  let asked = 0; // the newest request's number: an older answer coming later is not drawn
  async function load() {
    try {
      const mine = ++asked;
      const answer = await json("api/v1/failures?limit=1000&period=" + document.getElementById("period").value);
      if (mine !== asked) { return; }
      failures = answer.failures;
      types();
      render();
    } catch (e) {
      document.getElementById("summary").textContent = "the failures cannot be read: " + e.message;
    }
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("period").addEventListener("change", load);
    document.getElementById("type").addEventListener("change", render);
    load();
    let pending = null;
    window.MH.stream(() => { }, e => {
      if (e.event.startsWith("recovery_") || e.event === "status_changed") {
        clearTimeout(pending); // read once after a burst of events
        pending = setTimeout(load, 1000);
      }
    });
  });
})();
