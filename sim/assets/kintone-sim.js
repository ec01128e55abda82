// The `kintone` object of the simulator's list page, shaped like kintone's own:
// kintone.api (fetch with the session cookie, X-Requested-With and __REQUEST_TOKEN__;
// a GET longer than 4 KB goes as POST + X-HTTP-Method-Override), kintone.api.url,
// kintone.api.getConcurrencyLimit, kintone.app.getId / getQuery / getQueryCondition,
// kintone.getRequestToken, kintone.events.on("app.record.index.show"). On the mobile
// page (`page.mobile`) the list getters live under kintone.mobile.app instead, and the
// event is "mobile.app.record.index.show", as on kintone's mobile pages.
// The page sets window.__KINTONE_SIM__ before this file runs.
(function () {
  "use strict";
  var page = window.__KINTONE_SIM__;
  var handlers = {};
  // Every kintone.api call: { path, method, params } (for tests).
  var requests = [];
  window.kintoneSimRequests = requests;

  function base(detectGuestSpace) {
    return detectGuestSpace && page.guestSpaceId ? "/k/guest/" + page.guestSpaceId + "/v1/" : "/k/v1/";
  }

  function withJson(path) {
    return /\.json$/.test(path) ? path : path + ".json";
  }

  function url(path, detectGuestSpace) {
    var p = String(path).replace(/^https?:\/\/[^/]+/, "");
    p = p.replace(/^\/k\/(guest\/\d+\/)?v1\//, base(detectGuestSpace));
    return location.origin + withJson(p);
  }

  function queryString(params) {
    var parts = [];
    Object.keys(params || {}).forEach(function (key) {
      var value = params[key];
      if (value === undefined || value === null) return;
      if (Array.isArray(value)) {
        value.forEach(function (item, i) {
          parts.push(encodeURIComponent(key + "[" + i + "]") + "=" + encodeURIComponent(String(item)));
        });
      } else if (typeof value === "object") {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(JSON.stringify(value)));
      } else {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(String(value)));
      }
    });
    return parts.join("&");
  }

  function clone(value) {
    try {
      return JSON.parse(JSON.stringify(value === undefined ? {} : value));
    } catch (e) {
      return value;
    }
  }

  async function send(pathOrUrl, method, params) {
    method = String(method).toUpperCase();
    var path = withJson(String(pathOrUrl).replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, ""));
    requests.push({ path: path, method: method, params: clone(params) });
    var headers = { "X-Requested-With": "XMLHttpRequest" };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    var target = path;
    if (method === "GET") {
      var qs = queryString(params);
      var full = qs ? path + "?" + qs : path;
      if (location.origin.length + full.length > 4096) {
        init.method = "POST";
        headers["X-HTTP-Method-Override"] = "GET";
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(Object.assign({}, params, { __REQUEST_TOKEN__: page.requestToken }));
      } else {
        target = full;
      }
    } else {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(Object.assign({}, params, { __REQUEST_TOKEN__: page.requestToken }));
    }
    var response = await fetch(target, init);
    var text = await response.text();
    var body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw text;
    }
    if (!response.ok) throw body;
    return body;
  }

  function api(pathOrUrl, method, params, success, failure) {
    var answer = send(pathOrUrl, method, params || {});
    if (typeof success === "function") {
      answer.then(success, typeof failure === "function" ? failure : function () {});
      return undefined;
    }
    return answer;
  }
  api.url = url;
  api.urlForGet = function (path, params, detectGuestSpace) {
    var qs = queryString(params);
    return url(path, detectGuestSpace) + (qs ? "?" + qs : "");
  };
  api.getConcurrencyLimit = function () {
    return fetch("/_sim/concurrency").then(function (r) { return r.json(); });
  };

  function query() {
    var parts = [];
    if (page.condition) parts.push(page.condition);
    parts.push("order by " + (page.orderBy || "$id desc"));
    parts.push("limit " + page.pageSize + " offset 0");
    return parts.join(" ");
  }

  var listApp = {
    getId: function () { return page.appId; },
    getQuery: query,
    getQueryCondition: function () { return page.condition; },
    getHeaderSpaceElement: function () { return document.getElementById("kintone-sim-header-space"); },
  };
  if (!page.mobile) {
    listApp.getHeaderMenuSpaceElement = function () { return document.getElementById("kintone-sim-header-menu-space"); };
  }
  var listEvent = page.mobile ? "mobile.app.record.index.show" : "app.record.index.show";

  window.kintone = {
    api: api,
    getRequestToken: function () { return page.requestToken; },
    getLoginUser: function () { return { id: "1", code: page.loginUser, name: page.loginUser }; },
    events: {
      on: function (types, handler) {
        [].concat(types).forEach(function (t) { (handlers[t] = handlers[t] || []).push(handler); });
      },
      off: function (types, handler) {
        [].concat(types === undefined ? Object.keys(handlers) : types).forEach(function (t) {
          handlers[t] = handler ? (handlers[t] || []).filter(function (h) { return h !== handler; }) : [];
        });
      },
    },
  };

  if (page.mobile) window.kintone.mobile = { app: listApp };
  else window.kintone.app = listApp;

  function cell(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) {
      return value.map(function (v) { return v && typeof v === "object" ? v.name || v.code || "…" : v; }).join(", ");
    }
    if (typeof value === "object") return value.name || value.code || "";
    return String(value);
  }

  function renderList(records) {
    var table = document.getElementById("kintone-sim-list");
    var codes = page.listFields;
    var head = "<tr>" + codes.map(function (c) { return "<th>" + escapeHtml(c) + "</th>"; }).join("") + "</tr>";
    var rows = records.map(function (r) {
      return "<tr>" + codes.map(function (c) { return "<td>" + escapeHtml(cell(r[c] && r[c].value)) + "</td>"; }).join("") + "</tr>";
    });
    table.innerHTML = head + rows.join("");
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  async function show() {
    var records = [];
    try {
      var answer = await send(url("/k/v1/records", true), "GET", { app: page.appId, query: query() });
      requests.length = 0;
      records = answer.records;
      renderList(records);
    } catch (error) {
      document.getElementById("kintone-sim-list").textContent = "could not read the list: " + JSON.stringify(error);
    }
    var event = {
      type: listEvent, appId: page.appId, viewType: "list", viewId: page.viewId,
      viewName: page.viewName, records: records, offset: 0, size: records.length, date: null,
    };
    var pending = (handlers[listEvent] || []).map(function (handler) {
      try {
        return Promise.resolve(handler(event));
      } catch (error) {
        console.error(error);
        return Promise.resolve();
      }
    });
    window.kintoneSimReady = true;
    window.kintoneSimShown = Promise.allSettled(pending);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
