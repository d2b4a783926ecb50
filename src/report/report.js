// Filters findings by severity, category and rule (the selects, and every link to
// `#rule=…`, `#cat=…` or `#sev=…`), and opens a collapsed note when a marker or the triage
// table links to it. Reads everything from the page's own data attributes; runs only with the
// report's nonce. A note stands for a group of findings (`data-count`).
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
    var all = 0;
    notes.forEach(function (n) {
      var ok = sevs[n.dataset.sev] && (!cat.value || cat.value === n.dataset.cat) &&
        (!rule.value || rule.value === n.dataset.rule);
      var count = parseInt(n.dataset.count || "1", 10);
      n.hidden = !ok;
      all += count;
      if (ok) { shown[n.dataset.f] = true; total += count; }
    });
    document.querySelectorAll("a.ref").forEach(function (a) { a.hidden = !shown[a.dataset.f]; });
    document.querySelectorAll("tr.trow").forEach(function (r) { r.hidden = !shown[r.dataset.f]; });
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
      var sum = function (list) {
        var n = 0;
        Array.prototype.forEach.call(list, function (x) { n += parseInt(x.dataset.count || "1", 10); });
        return n;
      };
      var mine = sum(d.querySelectorAll(".note"));
      var vis = sum(d.querySelectorAll(".note:not([hidden])"));
      var out = d.querySelector(".shown");
      if (out) out.textContent = mine ? vis + " of " + mine + " shown" : "";
    });
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

  // A link to a note (`#f-12`, from a marker or the triage table) opens it; a link to a
  // finding's place (`#m-12`) or a document (`#doc-3`) scrolls there.
  function openTarget() {
    var id = location.hash.replace(/^#/, "");
    if (!/^(f|m|doc)-\d+$/.test(id)) return;
    var el = document.getElementById(id);
    if (!el) return;
    if (el.tagName === "DETAILS") el.open = true;
    var note = el.closest ? el.closest("details.note") : null;
    if (note) note.open = true;
    el.scrollIntoView({ block: id.indexOf("doc-") === 0 ? "start" : "center" });
  }

  sevBoxes.forEach(function (b) { b.addEventListener("change", changed); });
  cat.addEventListener("change", changed);
  rule.addEventListener("change", changed);
  window.addEventListener("hashchange", function () {
    if (readHash()) apply();
    openTarget();
  });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    // The same link twice fires no hashchange: open and scroll anyway.
    if (a && a.getAttribute("href") === location.hash) setTimeout(openTarget, 0);
  });
  readHash();
  apply();
  openTarget();
  document.documentElement.dataset.filtersReady = "1";
})();
