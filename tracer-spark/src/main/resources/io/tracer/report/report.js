// Builds the report's charts from the JSON in #report-data. Animation is off so that what a
// screenshot or a printout captures is the final picture.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var pct = function (v) { return v == null ? null : Math.round(v * 10000) / 100; };

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el, null, { renderer: 'canvas' });
    option.animation = false;
    c.setOption(option);
    window.addEventListener('resize', function () { c.resize(); });
  }

  // --- coverage-vs-target frontier: one dotted line per candidate on its own (information only,
  // never a certificate), and what each target deploys (certified) as the marked line ---
  var byPipeline = {};
  D.frontier.forEach(function (p) {
    (byPipeline[p.pipeline] = byPipeline[p.pipeline] || []).push([p.target, pct(p.coverage)]);
  });
  var frontierSeries = Object.keys(byPipeline).sort().map(function (name) {
    return { name: name + ' (information only)', type: 'line', symbolSize: 5, lineStyle: { type: 'dotted', width: 1 },
      data: byPipeline[name].sort(function (a, b) { return a[0] - b[0]; }) };
  });
  frontierSeries.push({
    name: 'deployed (certified)', type: 'line', symbol: 'diamond', symbolSize: 14, z: 10,
    itemStyle: { color: '#d62728' }, lineStyle: { color: '#d62728', width: 2 },
    data: D.deployed.map(function (p) { return { value: [p.target, pct(p.coverage)], name: p.pipeline }; }),
    markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#555' }, label: { formatter: 'deploy target' },
      data: [{ xAxis: D.target }] }
  });
  var targets = D.frontier.map(function (p) { return p.target; });
  chart('chart-frontier', {
    title: { text: 'Coverage by agreement target: deployed (certified) and each candidate on its own', left: 'center' },
    tooltip: { trigger: 'item', formatter: function (p) { return (p.name || p.seriesName) + '<br>target ' + p.value[0] + ': ' + p.value[1] + '% handled'; } },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 60, right: 30, top: 50, bottom: 60 },
    xAxis: { type: 'value', name: 'target', nameLocation: 'middle', nameGap: 28,
      min: Math.min.apply(null, targets.concat([D.target])) - 0.01, max: Math.max.apply(null, targets.concat([D.target])) + 0.01 },
    yAxis: { type: 'value', name: 'coverage %', min: 0, max: 100 },
    series: frontierSeries
  });

  // --- per-label coverage bars (worst first) with agreement on handled rows ---
  var labels = D.labels.slice().sort(function (a, b) { return a.share - b.share || (a.label < b.label ? -1 : 1); });
  chart('chart-labels', {
    title: { text: 'Handled share per teacher label (calibration split)', left: 'center' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0 },
    // containLabel sizes the left margin to the names; very long ones are cut at 260 px and the
    // tooltip still shows them whole.
    grid: { left: 10, right: 40, top: 50, bottom: 50, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, name: '%' },
    yAxis: { type: 'category', inverse: true, axisLabel: { width: 260, overflow: 'truncate' },
      data: labels.map(function (l) { return l.label + ' (' + l.rows + ')'; }) },
    series: [
      { name: 'handled %', type: 'bar', data: labels.map(function (l) { return pct(l.share); }), itemStyle: { color: '#1f77b4' } },
      { name: 'agreement on handled %', type: 'scatter', symbolSize: 9, data: labels.map(function (l) { return pct(l.agreement); }), itemStyle: { color: '#ff7f0e' } }
    ]
  });

  // --- input-length terciles ---
  chart('chart-lengths', {
    title: { text: 'By input length (terciles, characters)', left: 'center' },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 50, right: 30, top: 50, bottom: 50 },
    xAxis: { type: 'category', data: D.lengths.map(function (s) { return s.slice + ' ' + s.min + '-' + s.max + ' (' + s.rows + ')'; }) },
    yAxis: { type: 'value', min: 0, max: 100, name: '%' },
    series: [
      { name: 'handled %', type: 'bar', data: D.lengths.map(function (s) { return pct(s.share); }), itemStyle: { color: '#1f77b4' } },
      { name: 'agreement on handled %', type: 'bar', data: D.lengths.map(function (s) { return pct(s.agreement); }), itemStyle: { color: '#ff7f0e' } }
    ]
  });

  // --- routing flow: calibration rows -> handled (by stage) / deferred (by reason) ---
  var f = D.flow;
  var links = [
    ['calibration rows', 'handled', f.stage1 + f.stage2],
    ['calibration rows', 'deferred', f.gate + f.ood + f.other],
    ['handled', 'stage 1', f.stage1],
    ['handled', 'stage 2', f.stage2],
    ['deferred', 'gate score below threshold', f.gate],
    ['deferred', 'out of distribution', f.ood],
    ['deferred', 'no policy', f.other]
  ].filter(function (l) { return l[2] > 0; });
  // node totals: what flows out of a source node, or into a leaf
  var out = {}, into = {};
  links.forEach(function (l) { out[l[0]] = (out[l[0]] || 0) + l[2]; into[l[1]] = (into[l[1]] || 0) + l[2]; });
  var names = {};
  links.forEach(function (l) { names[l[0]] = true; names[l[1]] = true; });
  chart('chart-flow', {
    title: { text: 'Routing flow of ' + f.rows + ' calibration rows', left: 'center' },
    tooltip: { trigger: 'item' },
    series: [{
      type: 'sankey', top: 50, bottom: 20, left: 20, right: 280, nodeGap: 14,
      label: { formatter: function (p) { return p.name + ': ' + p.value; } },
      data: Object.keys(names).map(function (n) { return { name: n, value: out[n] || into[n] || 0 }; }),
      links: links.map(function (l) { return { source: l[0], target: l[1], value: l[2] }; }),
      lineStyle: { color: 'gradient', opacity: 0.4 }
    }]
  });

  // --- cost projection: savings per day at each target's deployed (certified) coverage ---
  chart('chart-cost', {
    title: { text: 'Projected teacher spend saved per day (' + D.cost.dailyVolume.toLocaleString('en') + ' queries/day at ' + D.cost.price + ' per call)', left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 70, right: 30, top: 50, bottom: 40 },
    xAxis: { type: 'category', name: 'target', data: D.cost.perTarget.map(function (c) { return String(c.target); }) },
    yAxis: { type: 'value', name: 'saved / day' },
    series: [{ name: 'saved per day', type: 'bar', label: { show: true, position: 'top', formatter: function (p) { return p.value.toFixed(2); } },
      data: D.cost.perTarget.map(function (c) { return { value: c.savedPerDay, itemStyle: { color: c.target === D.target ? '#d62728' : '#7f7f7f' } }; }) }]
  });
})();
