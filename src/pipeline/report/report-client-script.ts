/**
 * The report page's own script (browser JavaScript, run after uPlot): draws every
 * `[data-chart]` element from the embedded chart specs and runs the sample browser. It puts data
 * into the page only through `textContent` and element properties, never as markup, so corpus
 * text cannot become HTML. Kept dependency-free and small; the browser tests run it for real.
 *
 * It is a string, not compiled TypeScript, because the project's compiler settings have no DOM
 * types; a syntax check in the tests guards it. No backticks or dollar-brace inside.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`"use strict";
(function () {
  performance.mark("litelong-script-start");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  performance.mark("litelong-data-parsed");
  var CHART_HEIGHT = 260;
  var charts = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatNumber(value) {
    return value == null ? "\u2014" : Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  function shorten(label, length) {
    return label.length > length ? label.slice(0, length - 1) + "\u2026" : label;
  }

  // Categorical x: series j of category i sits at i + offset(j), so several series form a group.
  function barsData(spec) {
    var count = spec.series.length, slot = 0.84 / count, xs = [], ys = spec.series.map(function () { return []; });
    spec.labels.forEach(function (_, i) {
      spec.series.forEach(function (_, j) {
        xs.push(count === 1 ? i : i + (j - (count - 1) / 2) * slot);
        ys.forEach(function (column, m) { column.push(m === j ? spec.series[j].values[i] : null); });
      });
    });
    return [xs].concat(ys);
  }

  function axisLabel(label) {
    return /^\d+$/.test(label) ? formatNumber(Number(label)) : shorten(label, 30);
  }

  // Words wrap onto short lines (uPlot draws "\n" as a line break).
  function wrapLabel(label, width) {
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    lines.push(line);
    return lines.slice(0, 3).join("\n");
  }

  // Labels that do not fit side by side: words wrap, then rotate; numbers are thinned out.
  function categoryAxis(spec, width) {
    var numeric = spec.labels.every(function (label) { return /^[\d.,\u2013+-]+$/.test(label); });
    var texts = spec.labels.map(function (label) { return numeric ? axisLabel(label) : wrapLabel(axisLabel(label), 14); });
    var lineCount = texts.reduce(function (max, text) { return Math.max(max, text.split("\n").length); }, 1);
    var longest = texts.reduce(function (max, text) { return Math.max(max, Math.max.apply(null, text.split("\n").map(function (line) { return line.length; }))); }, 1);
    var room = Math.max(width - 80, 100);
    var rotate = !numeric && spec.labels.length * (longest * 7 + 16) > room;
    var perLabel = rotate ? 16 : longest * 7 + 16;
    var stride = Math.max(1, Math.ceil(spec.labels.length * perLabel / room));
    if (rotate) texts = spec.labels.map(function (label) { return shorten(label, 18); });
    return {
      label: spec.xLabel,
      rotate: rotate ? -35 : 0,
      size: rotate ? Math.min(140, longest * 6 + 24) : 26 + lineCount * 14,
      splits: function () { return spec.labels.map(function (_, i) { return i; }).filter(function (i) { return i % stride === 0; }); },
      values: function (u, splits) { return splits.map(function (i) { return texts[i] || ""; }); },
      grid: { show: false },
    };
  }

  function valueAxis(label) {
    return {
      label: label,
      size: function (u, values) {
        var longest = (values || []).reduce(function (max, value) { return Math.max(max, String(value).length); }, 1);
        return longest * 7 + 22;
      },
    };
  }

  function barsOptions(spec, width) {
    var count = spec.series.length;
    var category = function (idx) { return count === 1 ? idx : Math.floor(idx / count); };
    var xAxis = categoryAxis(spec, width);
    return {
      width: width, height: CHART_HEIGHT + xAxis.size - 40,
      scales: { x: { time: false, range: [-0.5, spec.labels.length - 0.5] }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      axes: [xAxis, valueAxis(spec.yLabel)],
      series: [{ label: spec.xLabel, value: function (u, v, s, idx) { return idx == null ? "\u2014" : spec.labels[category(idx)]; } }].concat(
        spec.series.map(function (series, j) {
          return {
            label: series.label, fill: series.colour, stroke: series.colour, width: 0,
            paths: uPlot.paths.bars({ size: [count === 1 ? 0.72 : 0.92, 90] }),
            points: { show: false },
            value: function (u, v, s, idx) { return idx == null ? "\u2014" : formatNumber(spec.series[j].values[category(idx)]); },
          };
        })),
    };
  }

  function lineOptions(spec, width) {
    return {
      width: width, height: CHART_HEIGHT,
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
      cursor: { drag: { x: true, y: false } },
      axes: [{ label: spec.xLabel }, valueAxis(spec.yLabel)],
      series: [{ label: spec.xLabel }].concat(spec.series.map(function (series) {
        return { label: series.label, stroke: series.colour, fill: series.colour + "22", width: 1.5, points: { show: false } };
      })),
    };
  }

  function drawChart(container) {
    var spec = data.charts[container.getAttribute("data-chart")];
    if (!spec) {
      container.appendChild(el("p", "empty", "no data in this run"));
      return;
    }
    var width = Math.max(container.clientWidth, 280);
    var plotData = spec.kind === "bars" ? barsData(spec) : [spec.series[0].values.map(function (_, i) { return i + 1; })].concat(spec.series.map(function (s) { return s.values; }));
    var chart = new uPlot(spec.kind === "bars" ? barsOptions(spec, width) : lineOptions(spec, width), plotData, container);
    var points = spec.series.reduce(function (sum, s) { return sum + s.values.length; }, 0);
    container.setAttribute("data-points", String(points));
    charts.push({ chart: chart, container: container });
  }

  function drawCharts() {
    document.querySelectorAll("[data-chart]").forEach(function (container) {
      try {
        drawChart(container);
      } catch (error) {
        container.appendChild(el("p", "empty", "chart failed: " + error.message));
        throw error;
      }
    });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (entry) { entry.chart.setSize({ width: Math.max(entry.container.clientWidth, 280), height: entry.chart.height }); });
      }, 150);
    });
  }

  // ---- sample browser ----
  var browser = data.browser;
  var topicSelect = document.getElementById("topic-select");
  var sampleSelect = document.getElementById("sample-select");
  var topicFilter = document.getElementById("topic-filter");
  var documentSelect = document.getElementById("document-select");
  var meta = document.getElementById("sample-meta");
  var view = document.getElementById("sample-view");

  function fillTopics() {
    var needle = topicFilter.value.trim().toLowerCase();
    var previous = topicSelect.value;
    topicSelect.replaceChildren();
    browser.topics.forEach(function (topic, i) {
      if (needle && topic.text.toLowerCase().indexOf(needle) < 0 && topic.topicId.toLowerCase().indexOf(needle) < 0) return;
      var option = el("option", "", topic.text + " \u2014 " + topic.section + " (" + topic.samples.length + (topic.samples.length === 1 ? " sample)" : " samples)"));
      option.value = String(i);
      topicSelect.appendChild(option);
    });
    if (previous && topicSelect.querySelector("option[value='" + previous + "']")) topicSelect.value = previous;
    fillSamples();
  }

  function fillSamples() {
    sampleSelect.replaceChildren();
    var topic = browser.topics[Number(topicSelect.value)];
    if (!topic || topicSelect.value === "") { showSample(undefined); return; }
    topic.samples.forEach(function (sample, i) {
      var option = el("option", "", sample.id + " (" + sample.embedded + ")");
      option.value = String(i);
      sampleSelect.appendChild(option);
    });
    showSample(topic.samples[0]);
  }

  // Pieces of the text between document starts and negative-span edges, each knowing its document.
  function pieces(sample) {
    var spans = sample.negativeSpans || [];
    var cuts = sample.docOffsets.slice();
    spans.forEach(function (span) { cuts.push(span[0], span[1]); });
    cuts.push(sample.text.length);
    cuts = cuts.filter(function (c, i, all) { return c <= sample.text.length && all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var result = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var start = cuts[i], doc = 0;
      while (doc + 1 < sample.docOffsets.length && sample.docOffsets[doc + 1] <= start) doc++;
      var negative = spans.some(function (span) { return span[0] <= start && start < span[1]; });
      result.push({ start: start, end: cuts[i + 1], doc: doc, negative: negative });
    }
    return result;
  }

  function documentBlock(sample, doc, characters) {
    var block = el("section", "doc");
    block.setAttribute("data-doc-index", String(doc));
    var header = el("header", "doc-header");
    header.appendChild(el("span", "doc-number", "document " + (doc + 1) + " of " + sample.docIds.length));
    header.appendChild(el("code", "doc-id", sample.docIds[doc]));
    header.appendChild(el("span", "doc-size", characters));
    if (doc === 0 && sample.continues) header.appendChild(el("span", "badge", "continues from the previous sample"));
    block.appendChild(header);
    return block;
  }

  function showFullText(sample) {
    var blocks = [];
    pieces(sample).forEach(function (piece) {
      if (!blocks[piece.doc]) {
        var end = sample.docOffsets[piece.doc + 1] === undefined ? sample.text.length : sample.docOffsets[piece.doc + 1];
        blocks[piece.doc] = documentBlock(sample, piece.doc, formatNumber(end - sample.docOffsets[piece.doc]) + " characters");
        blocks[piece.doc].appendChild(el("div", "doc-text"));
        view.appendChild(blocks[piece.doc]);
      }
      var text = sample.text.slice(piece.start, piece.end);
      blocks[piece.doc].lastChild.appendChild(piece.negative ? el("mark", "negative", text) : document.createTextNode(text));
    });
  }

  function showExcerpts(sample) {
    sample.excerpts.forEach(function (excerpt, doc) {
      var block = documentBlock(sample, doc, "first " + formatNumber(excerpt.length) + " characters");
      block.appendChild(el("div", "doc-text", excerpt + "\u2026"));
      view.appendChild(block);
    });
  }

  function showIdsOnly(sample) {
    view.appendChild(el("p", "note", "This sample's text is not embedded (size cap). Read it with: litelong inspect " + data.run.directory + " --sample " + sample.id));
    var list = el("ol", "doc-ids");
    sample.docIds.forEach(function (id) { list.appendChild(el("li", "", id)); });
    view.appendChild(list);
  }

  function fillDocuments(sample) {
    documentSelect.replaceChildren();
    (sample ? sample.docIds : []).forEach(function (id, i) {
      var option = el("option", "", (i + 1) + ". " + id);
      option.value = String(i);
      documentSelect.appendChild(option);
    });
  }

  function showSample(sample) {
    view.replaceChildren();
    meta.replaceChildren();
    fillDocuments(sample);
    if (!sample) { meta.textContent = "No topic matches."; return; }
    [sample.id, formatNumber(sample.tokenCount) + " tokens", formatNumber(sample.characters) + " characters", sample.docIds.length + " documents", "embedded: " + sample.embedded].forEach(function (part) {
      meta.appendChild(el("span", "meta-part", part));
    });
    if (sample.embedded === "full") showFullText(sample);
    else if (sample.embedded === "excerpts") showExcerpts(sample);
    else showIdsOnly(sample);
    view.setAttribute("data-sample-id", sample.id);
  }

  function setUpBrowser() {
    if (!topicSelect || browser.topics.length === 0) return;
    topicFilter.addEventListener("input", fillTopics);
    topicSelect.addEventListener("change", fillSamples);
    documentSelect.addEventListener("change", function () {
      var block = view.querySelector("[data-doc-index='" + documentSelect.value + "']");
      if (block) block.scrollIntoView({ block: "nearest" });
    });
    sampleSelect.addEventListener("change", function () {
      showSample(browser.topics[Number(topicSelect.value)].samples[Number(sampleSelect.value)]);
    });
    fillTopics();
  }

  setUpBrowser();
  performance.mark("litelong-sample-shown");
  drawCharts();
  performance.mark("litelong-charts-drawn");
})();
`;
