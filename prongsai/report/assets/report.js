/* prongsai report: overview charts, a paginated plan list, one plan's section on demand. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = DATA.page_size;
  var fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  var STATUS_TH = { pass: "ผ่าน", fail: "ไม่ผ่าน", not_applicable: "ไม่เกี่ยวข้อง" };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function cell(row, value, cls) {
    var td = el("td", cls ? { class: cls } : null, value === null || value === undefined ? "" : value);
    row.appendChild(td);
    return td;
  }
  function badge(value) { return el("span", { class: "badge " + value }, value); }
  function money(v) { return v === null || v === undefined ? "" : fmt.format(v); }

  function drawChart(target, name, rows) {
    var spec = JSON.parse(JSON.stringify(DATA.charts[name]));
    spec.data = { values: rows };
    if (spec.encoding && spec.encoding.y && spec.encoding.y.type === "nominal") {
      spec.height = Math.max(60, 18 * rows.length);
    }
    if (!rows.length) { target.textContent = "ไม่มีข้อมูล / no data"; target.classList.add("empty"); return; }
    return vegaEmbed(target, spec, { actions: false, renderer: "svg", mode: "vega-lite" }).then(function () {
      target.setAttribute("data-drawn", "1");
    });
  }

  /* sortable table: click a header to sort by its column (numbers as numbers) */
  function makeSortable(table, getRows, render) {
    table.querySelector("thead").addEventListener("click", function (ev) {
      var th = ev.target.closest("th");
      if (!th) return;
      var key = th.getAttribute("data-key");
      var num = th.hasAttribute("data-num");
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      getRows().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        if (num) return sign * (x - y);
        return sign * String(x).localeCompare(String(y), "th");
      });
      render();
    });
  }

  /* ------------------------------------------------------------------ overview */
  Object.keys(DATA.overview).forEach(function (name) {
    var target = document.getElementById("chart-" + name);
    if (target) drawChart(target, name, DATA.overview[name]);
  });

  /* ------------------------------------------------------------------ plan list */
  var plans = DATA.plans;
  plans.forEach(function (p) {
    p.period = p.fy_start ? (p.fy_start === p.fy_end ? String(p.fy_start) : p.fy_start + "-" + p.fy_end) : "";
    p._text = [p.org_name, p.province, p.district, p.org_type, p.status, p.source_path, p.plan_id].join(" ").toLowerCase();
  });
  var shown = plans.slice();
  var page = 0;
  var planTable = document.getElementById("plan-table");
  function renderPlans() {
    var body = planTable.querySelector("tbody");
    body.textContent = "";
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (p) {
      var tr = el("tr", { "data-plan": p.plan_id });
      var a = el("a", { href: "#plan=" + p.plan_id }, p.org_name || "(ไม่ทราบ / unknown)");
      cell(tr, "").appendChild(a);
      cell(tr, p.province); cell(tr, p.org_type); cell(tr, p.period);
      cell(tr, p.n_projects, "num"); cell(tr, money(p.budget_total_thb), "num");
      cell(tr, "").appendChild(badge(p.status));
      cell(tr, p.n_failed_checks, "num"); cell(tr, p.n_warnings, "num"); cell(tr, p.source_path);
      body.appendChild(tr);
    });
    document.getElementById("plan-page").textContent =
      " " + (page + 1) + " / " + pages + " (" + shown.length + " แผน / plans) ";
  }
  document.getElementById("plan-filter").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    shown = plans.filter(function (p) { return !q || p._text.indexOf(q) >= 0; });
    page = 0;
    renderPlans();
  });
  document.getElementById("plan-prev").addEventListener("click", function () { page = Math.max(0, page - 1); renderPlans(); });
  document.getElementById("plan-next").addEventListener("click", function () { page += 1; renderPlans(); });
  makeSortable(planTable, function () { return shown; }, renderPlans);
  renderPlans();

  /* ------------------------------------------------------------------ one plan */
  var LABELS = DATA.project_labels;
  var NUMERIC = { seq: 1, dimension: 1, fy_start: 1, fy_end: 1, budget_thb: 1 };
  var current = null;

  function refLink(planId, ref, projectId) {
    if (!ref) return el("span", { class: "empty" }, "—");
    var target = "#plan=" + planId + (projectId ? "&project=" + projectId : "");
    return el("a", { class: "ref", href: target, title: projectId || ref }, ref);
  }

  function showPlan(planId, projectId) {
    var blob = document.getElementById("plan-" + planId);
    var info = plans.filter(function (p) { return p.plan_id === planId; })[0];
    if (!blob || !info) return;
    var d = JSON.parse(blob.textContent);
    var section = document.getElementById("plan");
    section.hidden = false;
    document.getElementById("plan-title").textContent = (info.org_name || "(ไม่ทราบ / unknown)") + " · " + info.period;
    document.getElementById("plan-meta").textContent = [info.source_path, "plan_id " + info.plan_id,
      info.district && "อ." + info.district, info.province && "จ." + info.province, info.framework && "กรอบ / framework " + info.framework,
      "status " + info.status].filter(Boolean).join(" · ");
    var sc = document.querySelector("#scorecard tbody");
    sc.textContent = "";
    d.checks.forEach(function (c) {
      var tr = el("tr", { "data-check": c.check, "data-status": c.status });
      cell(tr, c.check);
      var s = cell(tr, ""); s.appendChild(badge(c.status)); s.appendChild(document.createTextNode(" " + (STATUS_TH[c.status] || "")));
      cell(tr, c.detail);
      cell(tr, "").appendChild(refLink(planId, c.source_ref, c.project_id));
      sc.appendChild(tr);
    });
    var wt = document.querySelector("#warning-table tbody");
    wt.textContent = "";
    d.warnings.forEach(function (w) {
      var tr = el("tr", { "data-code": w.code });
      cell(tr, w.code); cell(tr, "").appendChild(badge(w.severity)); cell(tr, w.message);
      cell(tr, "").appendChild(refLink(planId, w.source_ref, w.project_id));
      wt.appendChild(tr);
    });
    if (current !== planId) {
      current = planId;
      renderProjects(d);
      ["plan-chart-year", "plan-chart-dimension"].forEach(function (id) {
        var t = document.getElementById(id); t.textContent = ""; t.removeAttribute("data-drawn"); t.classList.remove("empty");
      });
      drawChart(document.getElementById("plan-chart-year"), "plan_budget_by_year", d.budget_by_year);
      drawChart(document.getElementById("plan-chart-dimension"), "plan_budget_by_dimension", d.budget_by_dimension);
    }
    document.querySelectorAll("#project-table tr.hit").forEach(function (r) { r.classList.remove("hit"); });
    var row = projectId && document.getElementById("project-" + projectId);
    if (row) { row.classList.add("hit"); row.scrollIntoView({ block: "center" }); } else { section.scrollIntoView(); }
  }

  function renderProjects(d) {
    var table = document.getElementById("project-table");
    var cols = d.project_columns;
    var rows = d.projects.map(function (r) {
      var o = {}; cols.forEach(function (c, i) { o[c] = r[i]; }); return o;
    });
    var head = table.querySelector("thead tr");
    head.textContent = "";
    cols.forEach(function (c) {
      if (c === "project_id") return;
      var th = el("th", { "data-key": c }, LABELS[c] || c);
      if (NUMERIC[c]) th.setAttribute("data-num", "");
      head.appendChild(th);
    });
    var filter = document.getElementById("project-filter");
    filter.value = "";
    var visible = rows.slice();
    function render() {
      var body = table.querySelector("tbody");
      body.textContent = "";
      visible.forEach(function (o) {
        var tr = el("tr", { id: "project-" + o.project_id });
        cols.forEach(function (c) {
          if (c === "project_id") return;
          cell(tr, c === "budget_thb" ? money(o[c]) : o[c], NUMERIC[c] ? "num" : (c === "title" ? "title" : null));
        });
        body.appendChild(tr);
      });
      document.getElementById("project-count").textContent = visible.length + " / " + rows.length + " โครงการ / projects";
    }
    filter.oninput = function () {
      var q = filter.value.trim().toLowerCase();
      visible = rows.filter(function (o) {
        return !q || cols.some(function (c) { return o[c] !== null && String(o[c]).toLowerCase().indexOf(q) >= 0; });
      });
      render();
    };
    var fresh = table.querySelector("thead").cloneNode(true);  // drop the previous plan's sort handler
    table.replaceChild(fresh, table.querySelector("thead"));
    makeSortable(table, function () { return visible; }, render);
    render();
  }

  function route() {
    var m = /plan=([0-9a-f]+)(?:&project=([0-9a-f-]+))?/.exec(location.hash);
    if (m) showPlan(m[1], m[2]);
  }
  window.addEventListener("hashchange", route);
  route();
  document.body.setAttribute("data-ready", "1");
})();
