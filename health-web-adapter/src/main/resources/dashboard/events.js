"use strict";
// The monitor's events (/api/v1/events), then each as it happens from the stream; filtered here.
(function () {
  const { when, el, describe } = window.MH;
  const events = [];

  function render() {
    const filter = document.getElementById("filter").value.trim().toLowerCase();
    const shown = events.filter(e => !filter || e.server.toLowerCase().includes(filter)
      || e.event.includes(filter.replace(/ /g, "_"))).slice(-1000).reverse();
    document.querySelector("#events tbody").replaceChildren(...shown.map(e => {
      const tr = el("tr");
      tr.className = "event " + e.event;
      const t = el("td");
      const time = el("time", when(e.at));
      time.dateTime = e.at;
      t.appendChild(time);
      tr.appendChild(t);
      tr.appendChild(el("td", e.server));
      tr.appendChild(el("td", e.event.replace(/_/g, " "), "kind " + e.event));
      tr.appendChild(el("td", describe(e)));
      return tr;
    }));
    document.getElementById("summary").textContent = shown.length + " events"
      + (shown.length < events.length ? " shown of " + events.length : "");
  }
  document.addEventListener("DOMContentLoaded", async () => {
    document.getElementById("filter").addEventListener("input", render);
    const draw = window.MH.later(render);
    window.MH.events("api/v1/events?limit=1000", () => { }, e => {
      events.push(e);
      if (events.length > 2000) { events.splice(0, events.length - 1000); }
      draw();
    }).then(draw, e => {
      document.getElementById("summary").textContent = "the events cannot be read: " + e.message;
    });
  });
})();
