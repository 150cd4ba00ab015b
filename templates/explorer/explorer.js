// The sweep explorer's page script (index.html, written by pwlgen sweep). It reads the rows
// and the compiled charts from #sweep-data, and only filters, sorts and shows them: every
// number, command and summary was computed by pwlgen. No network: Vega is inline.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("sweep-data").textContent);
  const points = data.points;
  const byIndex = new Map(points.map((p) => [p.index, p]));
  const FILTERS = ["function", "method", "target", "format", "status"];
  // [field, heading, numeric]
  const COLUMNS = [
    ["index", "#", true],
    ["function", "function", false],
    ["method", "method", false],
    ["target", "target", false],
    ["format", "format", false],
    ["bound", "bound", false],
    ["status", "status", false],
    ["segments", "segments", true],
    ["errorsMax", "max error", true],
    ["errorsMaxUlp", "ulp", true],
    ["errorsMean", "mean error", true],
    ["romBits", "ROM bits", true],
    ["comparators", "comparators", true],
    ["latency", "latency", true],
    ["cost", data.charts.costTitle, true],
    ["dsp", "DSPs", true],
    ["verified", "verified", false],
    ["architecture", "architecture", false],
    // Without --synth the cost is the ROM bits, already a column.
  ].filter(([field]) => (field !== "dsp" && field !== "cost") || data.targets.length > 0);
  const state = { filters: {}, sort: { field: "index", direction: 1 }, selected: null };
  const views = {};
  let pending = 0;

  const $ = (id) => document.getElementById(id);
  const escape = (text) =>
    String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const show = (value, field) => {
    if (value === null || value === undefined) return "-";
    if (typeof value !== "number") return value;
    if (field === "errorsMax" || field === "errorsMean") return value.toPrecision(4);
    if (field === "errorsMaxUlp") return value.toFixed(2);
    return String(value);
  };

  function busy(delta) {
    pending += delta;
    if (pending > 0) document.body.dataset.busy = "1";
    else delete document.body.dataset.busy;
  }

  function visiblePoints() {
    return points.filter((p) => FILTERS.every((f) => !state.filters[f] || String(p[f]) === state.filters[f]));
  }

  function compare(a, b) {
    const { field, direction } = state.sort;
    const x = a[field];
    const y = b[field];
    // Missing values last whichever the direction; ties keep the sweep's order.
    if (x === null || x === undefined || x === "-")
      return y === null || y === undefined || y === "-" ? a.index - b.index : 1;
    if (y === null || y === undefined || y === "-") return -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? order * direction : a.index - b.index;
  }

  function renderTable(visible) {
    const rows = [...visible].sort(compare);
    const html = rows.map((p) => {
      const cells = COLUMNS.map(
        ([field, , numeric]) => `<td${numeric ? "" : ' class="text"'}>${escape(show(p[field], field))}</td>`,
      );
      return `<tr data-index="${p.index}"${p.index === state.selected ? ' class="selected"' : ""}>${cells.join("")}</tr>`;
    });
    document.querySelector("#points tbody").innerHTML = html.join("");
    for (const th of document.querySelectorAll("#points th")) {
      if (th.dataset.field === state.sort.field)
        th.setAttribute("aria-sort", state.sort.direction > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  /** The chart rows: points with a value, each marked on its function's Pareto front or not. */
  function chartValues(visible, field, log) {
    const usable = visible.filter(
      (p) => p.status === "ok" && p.errorsMax > 0 && p[field] !== null && (!log || p[field] > 0),
    );
    const front = new Set();
    for (const fn of new Set(usable.map((p) => p.function))) {
      const sorted = usable
        .filter((p) => p.function === fn)
        .sort((a, b) => a.errorsMax - b.errorsMax || a[field] - b[field] || a.index - b.index);
      let best = Infinity;
      for (const p of sorted) {
        if (p[field] < best) {
          front.add(p.index);
          best = p[field];
        }
      }
    }
    return usable.map((p) => ({
      index: p.index,
      function: p.function,
      method: p.method,
      format: p.format,
      bound: p.bound,
      errorsMax: p.errorsMax,
      segments: p.segments,
      cost: p.cost,
      front: front.has(p.index) ? "on the front" : "off the front",
      selected: p.index === state.selected,
    }));
  }

  function renderCharts(visible) {
    for (const [name, field, log] of [
      ["segments", "segments", true],
      ["cost", "cost", false],
    ]) {
      const view = views[name];
      busy(1);
      view
        .data("points", chartValues(visible, field, log))
        .runAsync()
        .finally(() => busy(-1));
    }
  }

  function update() {
    const visible = visiblePoints();
    $("status").textContent =
      `${points.length} points, ${visible.length} shown. Written by ${data.tool}; ` +
      'the dashed line and the shape "on the front" mark the Pareto front of each function among the points shown.';
    renderTable(visible);
    renderCharts(visible);
  }

  function select(index) {
    const p = byIndex.get(index);
    if (!p) return;
    state.selected = index;
    $("detail").hidden = false;
    $("detail").dataset.index = String(index);
    $("detail-title").textContent = `Point ${p.index}: ${p.function} ${p.method} ${p.format} ${p.bound}`;
    $("detail-command").textContent = p.command;
    $("copy-note").textContent = "";
    $("detail-summary").textContent = p.summary.join("\n");
    const plot = $("detail-plot");
    plot.hidden = p.plot === "";
    if (p.plot) plot.src = p.plot;
    else plot.removeAttribute("src");
    for (const tr of document.querySelectorAll("#points tbody tr")) {
      tr.classList.toggle("selected", Number(tr.dataset.index) === index);
    }
    renderCharts(visiblePoints());
  }

  function copyCommand() {
    const text = $("detail-command").textContent;
    const done = (note) => ($("copy-note").textContent = note);
    const fallback = () => {
      const range = document.createRange();
      range.selectNodeContents($("detail-command"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      done(document.execCommand("copy") ? "copied" : "selected: press Ctrl+C");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => done("copied"), fallback);
    } else fallback();
  }

  function setup() {
    for (const select of document.querySelectorAll("#filters select")) {
      const field = select.dataset.filter;
      const values = [...new Set(points.map((p) => String(p[field])))].sort();
      select.innerHTML = [
        '<option value="">all</option>',
        ...values.map((v) => `<option>${escape(v)}</option>`),
      ].join("");
      select.addEventListener("change", () => {
        state.filters[field] = select.value;
        update();
      });
    }
    document.querySelector("#points thead tr").innerHTML = COLUMNS.map(
      ([field, title]) => `<th data-field="${field}" scope="col">${escape(title)}</th>`,
    ).join("");
    document.querySelector("#points thead").addEventListener("click", (event) => {
      const th = event.target.closest("th");
      if (!th) return;
      const field = th.dataset.field;
      state.sort = { field, direction: state.sort.field === field ? -state.sort.direction : 1 };
      renderTable(visiblePoints());
    });
    document.querySelector("#points tbody").addEventListener("click", (event) => {
      const tr = event.target.closest("tr");
      if (tr) select(Number(tr.dataset.index));
    });
    $("copy-command").addEventListener("click", copyCommand);
    for (const name of ["segments", "cost"]) {
      const view = new vega.View(vega.parse(data.charts[name]), {
        renderer: "svg",
        container: $(`${name}-chart`),
        hover: true,
      });
      view.addEventListener("click", (_event, item) => {
        if (
          item &&
          item.datum &&
          item.mark &&
          item.mark.marktype === "symbol" &&
          item.datum.index !== undefined
        ) {
          select(item.datum.index);
          const row = document.querySelector(`#points tbody tr[data-index="${item.datum.index}"]`);
          if (row) row.scrollIntoView({ block: "nearest" });
        }
      });
      views[name] = view;
    }
    update();
  }

  setup();
})();
