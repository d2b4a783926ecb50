// Filters findings by severity, category and rule. Reads everything from the page's own
// data attributes; runs only with the report's nonce.
(function () {
  "use strict";
  var notes = Array.prototype.slice.call(document.querySelectorAll(".note"));
  var meta = {};
  notes.forEach(function (n) {
    meta[n.dataset.f] = { sev: n.dataset.sev, wide: n.dataset.wide === "1" };
  });
  var rank = { info: 1, warning: 2, error: 3 };
  var sevBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter=sev]"));
  var cat = document.getElementById("filter-cat");
  var rule = document.getElementById("filter-rule");
  var counter = document.getElementById("filter-count");

  function strongest(ids, wide) {
    var best = null;
    ids.forEach(function (id) {
      var m = meta[id];
      if (m.wide === wide && (!best || rank[m.sev] > rank[best])) best = m.sev;
    });
    return best;
  }

  function apply() {
    var sevs = {};
    sevBoxes.forEach(function (b) { sevs[b.value] = b.checked; });
    var shown = {};
    var total = 0;
    notes.forEach(function (n) {
      var ok = sevs[n.dataset.sev] && (!cat.value || cat.value === n.dataset.cat) &&
        (!rule.value || rule.value === n.dataset.rule);
      n.hidden = !ok;
      if (ok) { shown[n.dataset.f] = true; total++; }
    });
    document.querySelectorAll("a.ref").forEach(function (a) { a.hidden = !shown[a.dataset.f]; });
    document.querySelectorAll(".seg").forEach(function (s) {
      var ids = s.dataset.f.split(" ").filter(function (id) { return shown[id]; });
      if (!ids.length) { s.className = "seg"; return; }
      var short = strongest(ids, false);
      s.className = short ? "seg hl sev-" + short : "seg hl wide sev-" + strongest(ids, true);
    });
    document.querySelectorAll(".notes").forEach(function (box) {
      box.hidden = !box.querySelector(".note:not([hidden])");
    });
    document.querySelectorAll("section.document").forEach(function (d) {
      var all = d.querySelectorAll(".note").length;
      var vis = d.querySelectorAll(".note:not([hidden])").length;
      var out = d.querySelector(".shown");
      if (out) out.textContent = all ? vis + " of " + all + " shown" : "";
    });
    var all = notes.length;
    counter.textContent = total === all ? all + " findings" : total + " of " + all + " findings shown";
  }

  // The filters live in the address too (#sev=error,warning&cat=terminology&rule=en/run-on),
  // so a filtered view can be bookmarked or sent to someone.
  // A malformed `%`-escape (`#rule=%E0%A4%A`) must not stop the script: it is kept as typed.
  function decodePart(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) params[decodePart(kv.slice(0, i))] = decodePart(kv.slice(i + 1));
    });
    if (!("sev" in params || "cat" in params || "rule" in params)) return false;
    var sevs = (params.sev || "error,warning,info").split(",");
    sevBoxes.forEach(function (b) { b.checked = sevs.indexOf(b.value) >= 0; });
    cat.value = params.cat || "";
    rule.value = params.rule || "";
    return true;
  }

  function writeHash() {
    var sevs = sevBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var parts = [];
    if (sevs.length !== sevBoxes.length) parts.push("sev=" + sevs.join(","));
    if (cat.value) parts.push("cat=" + encodeURIComponent(cat.value));
    if (rule.value) parts.push("rule=" + encodeURIComponent(rule.value));
    try {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
    } catch (e) { /* some browsers refuse it for local files: the filters still work */ }
  }

  function changed() { apply(); writeHash(); }

  sevBoxes.forEach(function (b) { b.addEventListener("change", changed); });
  cat.addEventListener("change", changed);
  rule.addEventListener("change", changed);
  window.addEventListener("hashchange", function () { if (readHash()) apply(); });
  readHash();
  apply();
  document.documentElement.dataset.filtersReady = "1";
})();
