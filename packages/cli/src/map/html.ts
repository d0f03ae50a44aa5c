import type { ArchitectureMap } from "@archlint/core";

/**
 * `--format html`: one self-contained page (no network, no CDN, no external file): the map as JSON
 * in the page, a searchable endpoint table (free text, and filters by finding, model, auth and
 * hot), and a view of one endpoint or one model at a time: the endpoint's services, accesses,
 * caches and findings drawn left to right as an SVG graph, each model a link to its own view, each
 * place a `file:line` link relative to the mapped folder (open the page from there).
 */
export function toHtml(map: ArchitectureMap): string {
  // `</script>` inside the data would end the script element early.
  const data = JSON.stringify(map).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>archlint map</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #212529; }
header { padding: 12px 16px; background: #f1f3f5; border-bottom: 1px solid #dee2e6; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
header h1 { font-size: 16px; margin: 0 12px 0 0; }
input, select { font: inherit; padding: 4px 6px; }
main { display: grid; grid-template-columns: minmax(420px, 1fr) 1.2fr; gap: 0; }
#list { overflow: auto; max-height: calc(100vh - 60px); border-right: 1px solid #dee2e6; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #f1f3f5; vertical-align: top; }
tr.row { cursor: pointer; }
tr.row:hover, tr.row.selected { background: #e7f5ff; }
.tag { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; margin-right: 4px; }
.public { background: #fff3bf; } .protected { background: #d3f9d8; } .hot { background: #ffd8a8; } .finding { background: #ffe3e3; color: #c92a2a; }
#detail { padding: 12px 16px; overflow: auto; max-height: calc(100vh - 60px); }
#detail h2 { font-size: 16px; margin: 0 0 8px; }
#detail ul { padding-left: 18px; margin: 4px 0 12px; }
a.model { color: #0ca678; cursor: pointer; text-decoration: underline; }
svg text { font: 12px system-ui, sans-serif; }
#count { color: #868e96; }
</style>
</head>
<body>
<header>
<h1>archlint map</h1>
<input id="search" type="search" placeholder="Search endpoints, services, models" aria-label="Search">
<select id="auth" aria-label="Auth"><option value="">any auth</option><option value="public">public</option><option value="protected">protected</option></select>
<select id="hot" aria-label="Hot"><option value="">hot or not</option><option value="hot">hot only</option></select>
<select id="model" aria-label="Model"><option value="">any model</option></select>
<select id="rule" aria-label="Finding"><option value="">any finding</option><option value="*">with findings</option></select>
<span id="count"></span>
</header>
<main>
<div id="list"><table><thead><tr><th>Endpoint</th><th>Auth</th><th>Input</th><th>Models</th><th>Findings</th></tr></thead><tbody id="rows"></tbody></table></div>
<div id="detail"><p>Pick an endpoint, or a model.</p></div>
</main>
<script type="application/json" id="map-data">${data}</script>
<script>
(function () {
  var map = JSON.parse(document.getElementById("map-data").textContent);
  var findingsById = {};
  map.findings.forEach(function (f) { findingsById[f.id] = f; });
  var servicesById = {};
  map.services.forEach(function (s) { servicesById[s.id] = s; });
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function place(loc) { return el("a", { href: loc.file + "#L" + loc.line, class: "place", text: loc.file + ":" + loc.line }); }
  function endpointFindings(e) {
    var ids = e.findings.slice();
    e.services.forEach(function (s) { var svc = servicesById[s.id]; if (svc) ids = ids.concat(svc.findings); });
    return ids.filter(function (id, i) { return ids.indexOf(id) === i; }).map(function (id) { return findingsById[id]; }).filter(Boolean);
  }
  function rules(list) { return list.map(function (f) { return f.rule; }); }
  map.models.forEach(function (m) { $("model").appendChild(el("option", { value: m.name, text: m.name })); });
  var allRules = map.findings.map(function (f) { return f.rule; }).filter(function (r, i, a) { return a.indexOf(r) === i; }).sort();
  allRules.forEach(function (r) { $("rule").appendChild(el("option", { value: r, text: r })); });

  function matches(e) {
    var q = $("search").value.trim().toLowerCase();
    var text = [e.name, e.kind, e.auth.access, e.input.how].concat(e.models, e.services.map(function (s) { return s.id; })).join(" ").toLowerCase();
    if (q && text.indexOf(q) < 0) return false;
    if ($("auth").value && e.auth.access !== $("auth").value) return false;
    if ($("hot").value && !e.hot.hot) return false;
    if ($("model").value && e.models.indexOf($("model").value) < 0) return false;
    var rule = $("rule").value, found = rules(endpointFindings(e));
    if (rule === "*" && found.length === 0) return false;
    if (rule && rule !== "*" && found.indexOf(rule) < 0) return false;
    return true;
  }
  function render() {
    var rows = $("rows");
    rows.textContent = "";
    var shown = 0;
    map.endpoints.forEach(function (e) {
      if (!matches(e)) return;
      shown++;
      var findings = endpointFindings(e);
      var tr = el("tr", { class: "row", "data-id": e.id }, [
        el("td", {}, [e.name + " ", el("small", { text: e.kind })].concat(e.hot.hot ? [" ", el("span", { class: "tag hot", text: "hot" })] : [])),
        el("td", {}, [el("span", { class: "tag " + e.auth.access, text: e.auth.access })]),
        el("td", { text: e.input.validation }),
        el("td", { text: e.models.join(", ") }),
        el("td", {}, findings.map(function (f) { return el("span", { class: "tag finding", text: f.rule.replace("archlint/", "") }); })),
      ]);
      tr.addEventListener("click", function () { showEndpoint(e); });
      rows.appendChild(tr);
    });
    $("count").textContent = shown + " of " + map.endpoints.length + " endpoints";
  }
  function modelLink(name) {
    var a = el("a", { class: "model", "data-model": name, text: name });
    a.addEventListener("click", function () { showModel(name); });
    return a;
  }
  function list(items) { return el("ul", {}, items.map(function (i) { return el("li", {}, Array.isArray(i) ? i : [i]); })); }
  function access(a) { return [a.operation + " ", a.model ? modelLink(a.model) : "(raw SQL)", " in " + a.service.split("#")[1] + (a.cache ? " (cached: " + (a.cache.by || a.cache.kind) + ")" : "")]; }
  function graph(columns) {
    var ns = "http://www.w3.org/2000/svg", w = 220, h = 34, gap = 70, pad = 8;
    var rowsMax = Math.max.apply(null, columns.map(function (c) { return c.length; }).concat([1]));
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", String(columns.length * (w + gap)));
    svg.setAttribute("height", String(rowsMax * (h + pad) + pad));
    var pos = {};
    columns.forEach(function (col, x) {
      col.forEach(function (node, y) {
        var g = document.createElementNS(ns, "g");
        var r = document.createElementNS(ns, "rect");
        var px = x * (w + gap), py = pad + y * (h + pad);
        pos[node.id] = { x: px, y: py };
        r.setAttribute("x", String(px)); r.setAttribute("y", String(py)); r.setAttribute("width", String(w)); r.setAttribute("height", String(h)); r.setAttribute("rx", node.kind === "model" ? "14" : "4");
        r.setAttribute("fill", node.kind === "model" ? "#e6fcf5" : node.kind === "endpoint" ? "#e8f0fe" : "#f1f3f5");
        r.setAttribute("stroke", node.findings ? "#c92a2a" : "#868e96");
        var t = document.createElementNS(ns, "text");
        t.setAttribute("x", String(px + 8)); t.setAttribute("y", String(py + 21));
        t.textContent = node.label.length > 32 ? node.label.slice(0, 31) + "…" : node.label;
        g.appendChild(r); g.appendChild(t);
        svg.appendChild(g);
      });
    });
    columns.forEach(function (col) {
      col.forEach(function (node) {
        (node.to || []).forEach(function (to) {
          var a = pos[node.id], b = pos[to];
          if (!a || !b) return;
          var line = document.createElementNS(ns, "line");
          line.setAttribute("x1", String(a.x + w)); line.setAttribute("y1", String(a.y + h / 2));
          line.setAttribute("x2", String(b.x)); line.setAttribute("y2", String(b.y + h / 2));
          line.setAttribute("stroke", "#adb5bd");
          svg.insertBefore(line, svg.firstChild);
        });
      });
    });
    return svg;
  }
  function showEndpoint(e) {
    Array.prototype.forEach.call(document.querySelectorAll("tr.row"), function (tr) { tr.classList.toggle("selected", tr.getAttribute("data-id") === e.id); });
    var d = $("detail");
    d.textContent = "";
    var byDepth = [];
    e.services.forEach(function (s) { (byDepth[s.depth] = byDepth[s.depth] || []).push(s); });
    var columns = [[{ id: "endpoint", label: e.name, kind: "endpoint", findings: e.findings.length > 0, to: [] }]];
    byDepth.slice(1).forEach(function (col) {
      columns.push(col.map(function (s) { var svc = servicesById[s.id]; return { id: s.id, label: svc ? svc.name : s.id, kind: "service", findings: svc && svc.findings.length > 0, to: [] }; }));
    });
    columns.push(e.models.map(function (m) { return { id: "model:" + m, label: m, kind: "model" }; }));
    var handler = e.handler;
    columns.forEach(function (col) {
      col.forEach(function (node) {
        var svc = servicesById[node.kind === "endpoint" ? handler : node.id];
        if (!svc) return;
        node.to = svc.calls.map(function (c) { return c.to; }).concat(svc.reads.concat(svc.writes).filter(function (a) { return a.model; }).map(function (a) { return "model:" + a.model; }));
      });
    });
    d.appendChild(el("h2", { text: e.name }));
    d.appendChild(el("p", {}, [e.kind + " · ", place(e.location)]));
    d.appendChild(list([
      "Auth: " + e.auth.access + " (" + e.auth.why + ")",
      "Input: " + e.input.validation + " (" + e.input.how + ")",
      "Hot: " + (e.hot.hot ? "yes (" + e.hot.why + ")" : "no"),
    ]));
    d.appendChild(graph(columns));
    d.appendChild(el("h3", { text: "Services" }));
    d.appendChild(list(e.services.map(function (s) { var svc = servicesById[s.id]; return [s.id.split("#")[1] + " (depth " + s.depth + (s.cachedBy ? ", cached: " + (s.cachedBy.by || s.cachedBy.kind) : "") + ") ", svc ? place(svc.location) : ""]; })));
    d.appendChild(el("h3", { text: "Reads" }));
    d.appendChild(list(e.reads.map(access)));
    d.appendChild(el("h3", { text: "Writes" }));
    d.appendChild(list(e.writes.map(access)));
    if (e.effects.length) {
      d.appendChild(el("h3", { text: "Effect runs" }));
      d.appendChild(list(e.effects.map(function (r) {
        var errors = !r.typed ? "error types need type information" : r.errors === null ? "error type not readable" : r.errors.length ? "can fail with " + r.errors.join(", ") : "cannot fail";
        return [r.runner + " in " + r.service.split("#")[1] + ": " + errors + (r.opaque ? " (generic)" : "") + (r.handled ? " (handled)" : "") + " ", place(r.location)];
      })));
    }
    d.appendChild(el("h3", { text: "Findings" }));
    d.appendChild(list(endpointFindings(e).map(function (f) { return [f.rule + ": " + f.message + " ", place(f.location)]; })));
  }
  function showModel(name) {
    var m = map.models.filter(function (x) { return x.name === name; })[0];
    var d = $("detail");
    d.textContent = "";
    d.appendChild(el("h2", { text: name }));
    if (!m) { d.appendChild(el("p", { text: "Not a model of the Prisma schema or a table of the SQL migrations (a client property, a table created elsewhere)." })); return; }
    d.appendChild(el("p", {}, ["table " + m.table + " · ", place(m.location)]));
    var readers = m.readBy.map(function (id) { return { id: id, label: id.replace(/^[a-z]+:/, ""), kind: "endpoint", to: ["model"] }; });
    var writers = m.writtenBy.filter(function (id) { return m.readBy.indexOf(id) < 0; }).map(function (id) { return { id: id, label: id.replace(/^[a-z]+:/, ""), kind: "endpoint", to: ["model"] }; });
    d.appendChild(graph([readers.concat(writers), [{ id: "model", label: name, kind: "model", findings: m.findings.length > 0 }]]));
    d.appendChild(el("h3", { text: "Relations" }));
    d.appendChild(list(m.relations.map(function (r) { return [r.field + " -> ", modelLink(r.model), r.fields.length ? " (" + r.fields.join(", ") + ")" : ""]; })));
    d.appendChild(el("h3", { text: "Indexes" }));
    d.appendChild(list(m.indexes.map(function (i) { return i.kind + " (" + i.fields.join(", ") + ")"; })));
    if (m.sql) {
      d.appendChild(el("h3", { text: "SQL table " + m.sql.schema + "." + m.sql.table }));
      d.appendChild(list([
        ["Row level security: " + (m.sql.rls.enabled ? "enabled " : "disabled "), m.sql.rls.location ? place(m.sql.rls.location) : ""],
        "Columns: " + m.sql.columns.join(", "),
      ].concat(m.sql.foreignKeys.map(function (f) { return ["foreign key (" + f.columns.join(", ") + ") -> " + f.references + " ", place(f.location)]; }))
        .concat(m.sql.policies.map(function (p) { return ["policy \u201c" + p.name + "\u201d " + p.command + " to " + p.roles.join(", ") + " (using " + p.using + ", with check " + p.withCheck + ") ", place(p.location)]; }))));
    }
    d.appendChild(el("h3", { text: "Read by" }));
    d.appendChild(list(m.readBy));
    d.appendChild(el("h3", { text: "Written by" }));
    d.appendChild(list(m.writtenBy));
    d.appendChild(el("h3", { text: "Findings" }));
    d.appendChild(list(m.findings.map(function (id) { var f = findingsById[id]; return [f.rule + ": " + f.message + " ", place(f.location)]; })));
  }
  // The search box re-renders as one types, not again on "change": that fires when the box loses
  // focus to a click on a row, and re-rendering then would replace the row under the pointer.
  $("search").addEventListener("input", render);
  ["auth", "hot", "model", "rule"].forEach(function (id) { $(id).addEventListener("change", render); });
  render();
})();
</script>
</body>
</html>
`;
}
