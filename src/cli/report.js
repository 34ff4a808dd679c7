/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Script of the HTML report (embedded into every report).  It reads the
 * results from the JSON of the element #nd-data and builds the views:
 * overview (counts, heatmap, histograms, ranked pairs, boilerplate), pair
 * view (#pair-N) and draft audit view (when data.audit is present).  All
 * document text goes into the page through text nodes, never as markup.
 * When it has run, it sets data-nd-ready on <html> (tests look for it).
 */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("nd-data").textContent);
  var docs = D.docs, pairs = D.pairs, pas = D.passages;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(x, d) { return (+x).toFixed(d === undefined ? 2 : d); }
  function num(x) { return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function docName(i) { var d = docs[i]; return d.file + "#" + d.ord; }
  function docCell(i) {
    var d = docs[i];
    return el("div", {cls: "doc"}, [el("div", {text: docName(i)}),
      el("div", {cls: "t", text: d.title})]);
  }
  function hue(k) { return (k * 137.508) % 360; }
  function colour(k) { return "hsl(" + fmt(hue(k), 1) + ",85%,78%)"; }
  function pct(x) { return fmt(100 * x, 1) + "%"; }

  /* Pairs ranked by reused characters. */
  var rank = pairs.map(function (p, i) { return i; });
  rank.sort(function (x, y) {
    var p = pairs[x], q = pairs[y];
    return (q.ra + q.rb) - (p.ra + p.rb) || p.a - q.a || p.b - q.b;
  });

  /* ---------------- overview ---------------- */
  function cards() {
    var near = pairs.filter(function (p) { return p.near; }).length;
    var reused = pas.reduce(function (s, p) { return s + (p.bp ? 0 : p.chars); }, 0);
    var items = [[docs.length, "documents"], [pairs.length, "pairs with reuse"],
      [near, "near-duplicate pairs"], [pas.length, "passages"],
      [D.boiler.length, "boilerplate passages"], [num(reused), "characters in reused passages"],
      [fmt(D.seconds, 2) + " s", "time taken"]];
    return el("section", {}, [el("h2", {text: "Summary"}),
      el("div", {cls: "cards"}, items.map(function (it) {
        return el("div", {cls: "card"}, [el("b", {text: String(it[0])}),
          el("span", {text: it[1]})]);
      }))]);
  }

  function heatmap() {
    var sec = el("section", {}, [el("h2", {text: "Which documents share text"})]);
    var involved = {};
    pairs.forEach(function (p) {
      involved[p.a] = (involved[p.a] || 0) + p.ra;
      involved[p.b] = (involved[p.b] || 0) + p.rb;
    });
    var ids = Object.keys(involved).map(Number);
    var MAX = 120;
    if (ids.length > MAX) {
      ids.sort(function (x, y) { return involved[y] - involved[x] || x - y; });
      ids = ids.slice(0, MAX);
      sec.appendChild(el("p", {cls: "muted", text: "The " + MAX +
        " documents with the most reused text are shown."}));
    }
    ids.sort(function (x, y) { return x - y; });
    if (!ids.length) {
      sec.appendChild(el("p", {cls: "muted", text: "No two documents share text."}));
      return sec;
    }
    var pos = {};
    ids.forEach(function (d, i) { pos[d] = i; });
    var n = ids.length, cell = Math.max(6, Math.min(16, Math.floor(520 / n)));
    var lab = 150, size = lab + n * cell + 4;
    var svg = sv("svg", {width: size, height: size, viewBox: "0 0 " + size + " " + size,
                         role: "img", "aria-label": "document similarity heatmap"});
    ids.forEach(function (d, i) {
      var name = docs[d].file.split("/").pop() + "#" + docs[d].ord;
      svg.appendChild(sv("text", {x: lab - 4, y: lab + i * cell + cell - 2,
        "text-anchor": "end"}, name));
      svg.appendChild(sv("text", {x: 0, y: 0, "text-anchor": "start",
        transform: "translate(" + (lab + i * cell + cell - 2) + "," + (lab - 4) + ") rotate(-90)"}, name));
    });
    svg.appendChild(sv("rect", {x: lab, y: lab, width: n * cell, height: n * cell,
      fill: "#f3f4f6"}));
    pairs.forEach(function (p, k) {
      if (!(p.a in pos) || !(p.b in pos)) return;
      var share = Math.max(p.ra / Math.max(1, docs[p.a].chars),
                           p.rb / Math.max(1, docs[p.b].chars));
      var light = 92 - 62 * Math.min(1, Math.sqrt(share));
      var fill = p.near ? "hsl(0,75%," + light + "%)" : "hsl(220,70%," + light + "%)";
      [[pos[p.a], pos[p.b]], [pos[p.b], pos[p.a]]].forEach(function (xy) {
        var r = sv("rect", {x: lab + xy[0] * cell, y: lab + xy[1] * cell,
          width: cell - 1, height: cell - 1, fill: fill, "class": "cell",
          "data-pair": k});
        r.appendChild(sv("title", {}, docName(p.a) + " \u2194 " + docName(p.b) +
          ": " + p.ra + " / " + p.rb + " characters reused, " + p.np +
          " passage(s), containment " + fmt(p.ca) + " / " + fmt(p.cb)));
        r.addEventListener("click", function () { location.hash = "#pair-" + k; });
        svg.appendChild(r);
      });
    });
    sec.appendChild(svg);
    sec.appendChild(el("p", {cls: "muted", text: "Darker: a larger share of a document " +
      "is reused. Red: near-duplicate pair. Click a cell to open the pair."}));
    return sec;
  }

  function histogram(title, values, bins, lo, hi, label) {
    var sec = el("section", {}, [el("h2", {text: title})]);
    var counts = new Array(bins).fill(0);
    values.forEach(function (v) {
      var b = Math.floor((v - lo) / (hi - lo) * bins);
      counts[Math.max(0, Math.min(bins - 1, b))]++;
    });
    var W = 420, H = 160, pad = 28, bw = (W - pad) / bins;
    var mx = Math.max.apply(null, counts.concat([1]));
    var svg = sv("svg", {width: W, height: H + 30, viewBox: "0 0 " + W + " " + (H + 30)});
    counts.forEach(function (c, i) {
      var h = (H - 10) * c / mx;
      var r = sv("rect", {x: pad + i * bw + 1, y: H - h, width: bw - 2, height: h,
                          fill: "#6b8fd6"});
      r.appendChild(sv("title", {}, label(lo + (hi - lo) * i / bins) + " \u2013 " +
        label(lo + (hi - lo) * (i + 1) / bins) + ": " + c));
      svg.appendChild(r);
      if (c) svg.appendChild(sv("text", {x: pad + i * bw + bw / 2, y: H - h - 2,
        "text-anchor": "middle"}, String(c)));
    });
    for (var i = 0; i <= bins; i += Math.max(1, bins / 5)) {
      svg.appendChild(sv("text", {x: pad + i * bw, y: H + 14, "text-anchor": "middle"},
        label(lo + (hi - lo) * i / bins)));
    }
    svg.appendChild(sv("line", {x1: pad, y1: H, x2: W, y2: H, stroke: "#999"}));
    sec.appendChild(svg);
    return sec;
  }

  function pairTable() {
    var sec = el("section", {}, [el("h2", {text: "Pairs, most reused text first"})]);
    var tb = el("tbody"), MAXROWS = 2000;
    if (rank.length > MAXROWS)
      sec.appendChild(el("p", {cls: "muted", text: "The " + MAXROWS + " pairs with the most " +
        "reused text of " + rank.length + "; the others open from the heatmap, and every " +
        "pair is in the JSON Lines or CSV output."}));
    rank.slice(0, MAXROWS).forEach(function (k, r) {
      var p = pairs[k];
      var tags = [];
      if (p.near) tags.push(el("span", {cls: "tag nd", text: "near-duplicate"}));
      if (p.bp) tags.push(el("span", {cls: "tag", text: p.bp + " boilerplate"}));
      tb.appendChild(el("tr", {cls: "click", "data-pair": k,
        onclick: function () { location.hash = "#pair-" + k; }}, [
        el("td", {cls: "n", text: String(r + 1)}), el("td", {}, [docCell(p.a)]),
        el("td", {}, [docCell(p.b)]),
        el("td", {cls: "n", text: p.ra + " / " + p.rb}),
        el("td", {cls: "n"}, [String(p.np)].concat(tags)),
        el("td", {cls: "n", text: fmt(p.j, 3)}),
        el("td", {cls: "n", text: fmt(p.ca) + " / " + fmt(p.cb)})]));
    });
    sec.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, [
      el("th", {cls: "n", text: "#"}), el("th", {text: "document A"}),
      el("th", {text: "document B"}), el("th", {cls: "n", text: "reused characters"}),
      el("th", {cls: "n", text: "passages"}), el("th", {cls: "n", text: "Jaccard"}),
      el("th", {cls: "n", text: "containment"})])]), tb]));
    return sec;
  }

  function boilerTable() {
    var sec = el("section", {}, [el("h2", {text: "Boilerplate (stock passages in many documents)"})]);
    if (!D.boiler.length) {
      sec.appendChild(el("p", {cls: "muted", text: "None found."}));
      return sec;
    }
    var tb = el("tbody");
    D.boiler.forEach(function (b) {
      tb.appendChild(el("tr", {}, [el("td", {cls: "n", text: String(b.df)}),
        el("td", {cls: "n", text: String(b.chars)}), el("td", {text: b.text})]));
    });
    sec.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, [
      el("th", {cls: "n", text: "documents"}), el("th", {cls: "n", text: "characters"}),
      el("th", {text: "text"})])]), tb]));
    return sec;
  }

  /* ---------------- highlighted text ---------------- */
  /* spans: [{s, e, cls, colour, title, id}] in code points of the doc text;
     earlier spans win where they overlap. */
  function highlighted(doc, spans) {
    var text = Array.from(docs[doc].text || "");
    var box = el("div", {cls: "text"});
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s.s, s.e); });
    cuts = cuts.filter(function (c) { return c >= 0 && c <= text.length; })
               .sort(function (x, y) { return x - y; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      if (a === b) continue;
      var piece = text.slice(a, b).join(""), span = null;
      for (var k = 0; k < spans.length && !span; k++)
        if (spans[k].s <= a && b <= spans[k].e) span = spans[k];
      if (!span) { box.appendChild(document.createTextNode(piece)); continue; }
      var m = el("mark", {cls: span.cls, title: span.title, "data-p": span.id}, [piece]);
      if (span.colour) m.style.background = span.colour;
      box.appendChild(m);
    }
    return box;
  }

  function scrollTo(root, id) {
    root.querySelectorAll('mark[data-p="' + id + '"]').forEach(function (m, i) {
      if (!i) m.scrollIntoView({block: "center"});
    });
  }

  /* ---------------- pair view ---------------- */
  function pairView(k) {
    var p = pairs[k];
    var sec = el("section", {id: "pair-view"});
    sec.appendChild(el("p", {}, [el("a", {href: "#", text: "\u2190 overview"})]));
    sec.appendChild(el("h2", {text: docName(p.a) + "  \u2194  " + docName(p.b)}));
    sec.appendChild(el("p", {cls: "muted", text: p.ra + " / " + p.rb +
      " characters reused in " + p.np + " passage(s); Jaccard " + fmt(p.j, 3) +
      ", containment " + fmt(p.ca) + " / " + fmt(p.cb) + (p.near ? "; near-duplicate" : "")}));
    var hide = el("input", {type: "checkbox", id: "hide-bp"});
    var body = el("div");
    hide.addEventListener("change", function () {
      body.classList.toggle("hide-bp", hide.checked);
    });
    sec.appendChild(el("label", {}, [hide, " hide boilerplate"]));
    var list = el("ul", {cls: "plist"}), sa = [], sb = [];
    for (var i = 0; i < p.n; i++) {
      var q = pas[p.first + i], id = String(p.first + i);
      var title = q.chars + " characters, similarity " + fmt(q.sim) + ", in " +
        q.df + " documents" + (q.bp ? " (boilerplate)" : "");
      var col = q.bp ? null : colour(i);
      var cls = "ps" + (q.bp ? " bp" : "");
      sa.push({s: q.as, e: q.ae, cls: cls, colour: col, title: title, id: id});
      sb.push({s: q.bs, e: q.be, cls: cls, colour: col, title: title, id: id});
      (function (id) {
        list.appendChild(el("li", {cls: q.bp ? "bp" : "", onclick: function () {
          scrollTo(body, id); }}, [
          el("span", {cls: "sw", style: "background:" + (col || "#e5e7eb")}),
          "passage " + (i + 1) + ": " + q.chars + " chars, similarity " + fmt(q.sim) +
          (q.bp ? ", boilerplate (" + q.df + " docs)" : "") + " \u2014 line " + q.al +
          " \u2194 line " + q.bl]));
      })(id);
    }
    /* Other boilerplate occurrences in these documents, muted. */
    D.boiler.forEach(function (b, bi) {
      b.occ.forEach(function (o) {
        var t = "boilerplate in " + b.df + " documents";
        if (o[0] === p.a) sa.push({s: o[1], e: o[2], cls: "bp", title: t, id: "b" + bi});
        if (o[0] === p.b) sb.push({s: o[1], e: o[2], cls: "bp", title: t, id: "b" + bi});
      });
    });
    body.appendChild(list);
    body.appendChild(el("div", {cls: "cols"}, [
      el("div", {}, [docCell(p.a), highlighted(p.a, sa)]),
      el("div", {}, [docCell(p.b), highlighted(p.b, sb)])]));
    sec.appendChild(body);
    return sec;
  }

  /* ---------------- draft audit view ---------------- */
  /* data.audit (neardup check): {doc (the draft, in docs), ratio,
     ratio_no_boilerplate, sources: [{doc, file, title, chars, share}],
     spans: [[start, end, source doc, similarity, boilerplate]]} with spans
     in code points of the draft's text.  Sources need not be in docs. */
  function auditView(A) {
    var sec = el("section", {id: "audit-view"});
    sec.appendChild(el("h2", {text: "Draft audit: " + docName(A.doc)}));
    sec.appendChild(el("div", {cls: "big", text: pct(A.ratio)}));
    sec.appendChild(el("p", {cls: "muted", text: "of the draft's characters are " +
      "found in other documents; " + pct(A.ratio_no_boilerplate) +
      " without boilerplate."}));
    var tb = el("tbody"), src = {};
    A.sources.slice().sort(function (x, y) {
      return y.share - x.share || x.doc - y.doc;
    }).forEach(function (s, i) {
      src[s.doc] = {colour: colour(i), name: s.file, rank: i};
      tb.appendChild(el("tr", {}, [el("td", {}, [el("span", {cls: "sw",
        style: "background:" + colour(i)}), el("div", {cls: "doc"}, [
          el("div", {text: s.file}), el("div", {cls: "t", text: s.title})])]),
        el("td", {cls: "n", text: String(s.chars)}),
        el("td", {cls: "n", text: pct(s.share)}),
        el("td", {style: "width:30%"}, [el("div", {cls: "bar"}, [el("i", {
          style: "width:" + fmt(100 * s.share, 1) + "%;background:" + colour(i)})])])]));
    });
    sec.appendChild(el("table", {}, [el("thead", {}, [el("tr", {}, [
      el("th", {text: "source"}), el("th", {cls: "n", text: "characters"}),
      el("th", {cls: "n", text: "share of draft"}), el("th", {})])]), tb]));
    var spans = A.spans.map(function (t, i) {
      var s = src[t[2]] || {colour: null, name: "document " + t[2]};
      return {s: t[0], e: t[1], cls: "ps" + (t[4] ? " bp" : ""),
              colour: t[4] ? null : s.colour,
              title: "from " + s.name + ", similarity " + fmt(t[3]), id: "a" + i,
              rank: s.rank === undefined ? A.sources.length : s.rank};
    });
    /* Where spans overlap (one passage found in several sources), the
       first covering span colours the text: the source with the most. */
    spans.sort(function (x, y) { return x.rank - y.rank || x.s - y.s; });
    sec.appendChild(highlighted(A.doc, spans));
    return sec;
  }

  /* ---------------- routing ---------------- */
  var main = document.getElementById("nd-main");
  var overview = el("div", {id: "overview"});
  /* A check report (an audit and no pairs) is the audit view alone. */
  var auditOnly = D.audit && !pairs.length;
  if (!auditOnly) overview.appendChild(cards());
  if (D.audit) overview.appendChild(auditView(D.audit));
  if (!auditOnly) {
    overview.appendChild(heatmap());
    overview.appendChild(el("div", {cls: "row"}, [
      histogram("Passage lengths (characters)", pas.map(function (p) { return p.chars; }),
        12, 0, Math.max(60, Math.max.apply(null, pas.map(function (p) { return p.chars; }).concat([0])) + 1),
        function (x) { return String(Math.round(x)); }),
      histogram("Passage similarity", pas.map(function (p) { return p.sim; }), 10, 0.5, 1.0001,
        function (x) { return fmt(x, 2); })]));
    overview.appendChild(pairTable());
    overview.appendChild(boilerTable());
  }
  main.appendChild(overview);
  var pane = el("div", {id: "pair-pane"});
  main.appendChild(pane);

  function route() {
    var m = /^#pair-(\d+)$/.exec(location.hash);
    while (pane.firstChild) pane.removeChild(pane.firstChild);
    if (m && pairs[+m[1]]) {
      overview.classList.add("hidden");
      pane.appendChild(pairView(+m[1]));
      window.scrollTo(0, 0);
    } else {
      overview.classList.remove("hidden");
    }
  }
  window.addEventListener("hashchange", route);
  route();
  document.documentElement.setAttribute("data-nd-ready",
    (window.ndErrors || []).length ? "error" : "ok");
  document.getElementById("nd-status").textContent = "ready";
})();
