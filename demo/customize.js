// The demo customization: on the record list (PC or mobile), read every record of the current view
// with kintone-seek (dist/kintone-seek.iife.js, loaded before this file), with a
// progress bar, a summary and a button that saves the view as CSV with the same file's
// `KintoneSeek.downloadCsv()` (cli-kintone's format, UTF-8 with a BOM, read again page
// by page rather than from the records held here).
//
// For scripts/demo.mjs --headless it leaves `window.demoResult` (the summary, or
// `{ error }`) and `window.demoIds` (the ids read, in order).
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function run() {
    if (window.demoStarted) return;
    window.demoStarted = true;
    // On a mobile page the list's functions live under kintone.mobile.app.
    var listApp = kintone.app && kintone.app.getHeaderSpaceElement ? kintone.app : kintone.mobile.app;
    var space = listApp.getHeaderSpaceElement() || document.body;
    var box = el("section", { id: "demo", class: "demo" });
    box.appendChild(el("h2", {}, "kintone-seek: reading every record of this view"));
    var bar = el("progress", { id: "demo-progress", max: "1", value: "0" });
    var status = el("p", { id: "demo-status" }, "starting…");
    var summary = el("dl", { id: "demo-summary" });
    var button = el("button", { id: "demo-csv", type: "button", disabled: "" }, "Save this view as CSV");
    box.appendChild(bar);
    box.appendChild(status);
    box.appendChild(summary);
    box.appendChild(button);
    space.appendChild(box);

    var view = KintoneSeek.currentView();
    var started = performance.now();
    var last = { fetched: 0, total: null, method: "?", requests: 0 };
    try {
      var records = await KintoneSeek.getAllRecords({
        app: view.app,
        condition: view.condition,
        orderBy: view.orderBy,
        onProgress: function (p) {
          last = p;
          if (p.total) bar.value = p.fetched / p.total;
          status.textContent = p.fetched.toLocaleString() + " / " + (p.total === null ? "?" : p.total.toLocaleString()) +
            " records, " + p.requests + " requests (" + p.method + ")";
        },
      });
      var seconds = (performance.now() - started) / 1000;
      var stats = await fetch("/_sim/stats").then(function (r) { return r.json(); });
      var result = {
        records: records.length,
        total: last.total,
        requests: last.requests,
        method: last.method,
        seconds: Math.round(seconds * 100) / 100,
        cursorsLeftOpen: stats.cursors.liveClient,
        view: view,
      };
      bar.value = 1;
      status.textContent = "done";
      [["records", result.records.toLocaleString()], ["requests", result.requests], ["method", result.method],
        ["seconds", result.seconds.toFixed(2)], ["cursors left open", result.cursorsLeftOpen]].forEach(function (pair) {
        summary.appendChild(el("dt", {}, pair[0]));
        summary.appendChild(el("dd", {}, String(pair[1])));
      });
      button.disabled = false;
      button.addEventListener("click", async function () {
        button.disabled = true;
        try {
          var saved = await KintoneSeek.downloadCsv({
            onProgress: function (p) {
              status.textContent = "CSV: " + p.fetched.toLocaleString() + " / " + (p.total === null ? "?" : p.total.toLocaleString()) + " records";
            },
          });
          status.textContent = "CSV saved: " + saved.fileName + ", " + saved.records.toLocaleString() + " records, " + saved.bytes.toLocaleString() + " bytes";
          window.demoCsvResult = saved;
        } catch (error) {
          status.textContent = "CSV failed: " + (error && error.message ? error.message : String(error));
          window.demoCsvResult = { error: status.textContent };
        } finally {
          button.disabled = false;
        }
      });
      window.demoIds = records.map(function (r) { return r.$id ? r.$id.value : null; });
      window.demoResult = result;
    } catch (error) {
      status.textContent = "failed: " + (error && error.message ? error.message : String(error));
      window.demoResult = { error: status.textContent, code: error && error.code };
    }
  }

  kintone.events.on(["app.record.index.show", "mobile.app.record.index.show"], function (event) {
    run();
    return event;
  });
})();
