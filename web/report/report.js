// Draws the HTML report's charts and map (src/report/html_report.cpp writes the page), the
// charts of the exploration and optimisation pages (the second function) and those of the
// backtest page (the third, at the end).
// Reads the comparison document (docs/compare-format.md) and the region's GeoJSON from the
// page's two JSON script elements; uses the inlined ECharts with its SVG
// renderer, so that every chart is plain SVG in the page. When a chart has drawn, its
// container gets data-drawn="yes" and <body> data-charts-drawn the number drawn so far
// (tests read these); errors go to <body data-report-error> (the page's error handler).
(function () {
  'use strict';

  // The comparison page only; the exploration and optimisation pages are drawn further down.
  if (!document.getElementById('latwin-compare')) return;
  const doc = JSON.parse(document.getElementById('latwin-compare').textContent);
  const region = JSON.parse(document.getElementById('latwin-region').textContent);
  const strategies = doc.strategies.map((s) => s.name);
  const referenceIdx = strategies.indexOf(doc.reference);
  const indexVariable = doc.index.variable;

  // Okabe–Ito colours (distinguishable with colour blindness); the reference is dark grey.
  const kPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
  const kReferenceColour = '#4d4d4d';
  const strategyColour = strategies.map((_, idx) => {
    if (idx === referenceIdx) return kReferenceColour;
    const rank = idx < referenceIdx ? idx : idx - 1;
    return kPalette[rank % kPalette.length];
  });
  // Blue is better for the U.S., red worse (ColorBrewer RdBu, 7 classes).
  const kDiverging = ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'];
  const kContextGrey = '#dcdcdc';
  const kNoValueGrey = '#9e9e9e';
  const kFont = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

  const isFiniteNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  const label = (idx) => strategies[idx] + (idx === referenceIdx ? ' (reference)' : '');
  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);

  // Decimals that show about three significant digits of numbers of this size.
  function decimalsFor(scale) {
    if (!(scale > 0) || !Number.isFinite(scale)) return 3;
    return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(scale))));
  }
  const indexScale = Math.max(0, ...doc.results.flatMap((r) => {  // two values a strategy
    const h = r.horizon[indexVariable];
    return [h.p5, h.p95].filter(isFiniteNumber).map(Math.abs);
  }));
  const indexDecimals = decimalsFor(indexScale);
  function fixed(x, decimals) {
    if (!isFiniteNumber(x)) return 'n/a';
    const text = x.toFixed(decimals);
    return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
  }
  // A probability in percent, as the page's tables write it (html_report.cpp percent()):
  // exact halves round to even, and only 0 and 1 show as 0% and 100%.
  function percent(p) {
    if (!isFiniteNumber(p)) return 'n/a';
    const x = p * 100;
    if (x > 0 && x < 0.5) return '<1%';
    if (x < 100 && x > 99.5) return '>99%';
    let rounded = Math.round(x);
    if (Math.abs(x % 1) === 0.5 && rounded % 2 !== 0) rounded -= 1;
    return rounded + '%';
  }
  const signed = (x, decimals) => (isFiniteNumber(x) && x > 0 ? '+' : '') + fixed(x, decimals);

  // Decimals that write an axis step exactly: 0.05 -> 2, 0.025 -> 3, 10 -> 0.
  function stepDecimals(step) {
    for (let decimals = 0; decimals < 10; decimals++) {
      const scaled = step * 10 ** decimals;
      if (Math.abs(Math.round(scaled) - scaled) < 1e-6) return decimals;
    }
    return 10;
  }

  // Smallest and largest finite value, without spreading a long array into arguments.
  function finiteRange(values) {
    let low = Infinity;
    let high = -Infinity;
    for (const x of values) {
      if (!isFiniteNumber(x)) continue;
      if (x < low) low = x;
      if (x > high) high = x;
    }
    return [low, high];
  }

  // Type-7 quantile of sorted values.
  function quantile(sorted, q) {
    const position = q * (sorted.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, sorted.length - 1);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }

  // Axis bounds on round numbers, about five steps.
  function niceBounds(low, high) {
    if (!Number.isFinite(low) || !Number.isFinite(high)) return { min: 0, max: 1, step: 0.2 };
    if (low === high) {
      low -= Math.abs(low) * 0.1 || 1;
      high += Math.abs(high) * 0.1 || 1;
    }
    const raw = (high - low) / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const round = (x) => Number(x.toPrecision(12));
    return { min: round(Math.floor(low / step) * step), max: round(Math.ceil(high / step) * step), step };
  }

  // ---- drawing and its bookkeeping

  const containers = Array.from(document.querySelectorAll('.chart'));
  const charts = [];
  let drawnCount = 0;
  document.body.setAttribute('data-charts-total', String(containers.length));

  function makeChart(container) {
    const chart = echarts.init(container, null, { renderer: 'svg' });
    chart.on('finished', () => {
      if (container.getAttribute('data-drawn') === 'yes') return;
      container.setAttribute('data-drawn', 'yes');
      drawnCount += 1;
      document.body.setAttribute('data-charts-drawn', String(drawnCount));
    });
    charts.push(chart);
    return chart;
  }

  // Every chart shares these: no animation (the page is read, and printed, at once).
  const base = {
    animation: false,
    textStyle: { fontFamily: kFont, color: '#222' },
  };

  // Runs one drawing step; a failure is reported and does not stop the other charts.
  function guarded(what, draw) {
    try {
      draw();
    } catch (error) {
      window.latwinReportError(what + ': ' + (error && error.stack ? error.stack : error));
    }
  }

  // ---- the index at the horizon: box plot and every member as a dot

  function drawDistribution(container) {
    const rows = doc.results.map((result) => {
      const values = result.index_at_horizon.filter(isFiniteNumber);
      return values.sort((a, b) => a - b);
    });
    const count = strategies.length;
    container.style.height = (90 + 56 * count) + 'px';
    const chart = makeChart(container);
    const boxes = rows.map((sorted, idx) => ({
      value: sorted.length ? [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => quantile(sorted, q))
        : [null, null, null, null, null],
      itemStyle: { color: 'rgba(255,255,255,0.6)', borderColor: strategyColour[idx], borderWidth: 2 },
    }));
    // At most 1000 dots a strategy, evenly spaced in member order, jittered within the row.
    const dots = [];
    rows.forEach((_, idx) => {
      const members = doc.results[idx].index_at_horizon;
      const stride = Math.max(1, Math.ceil(members.length / 1000));
      for (let m = 0; m < members.length; m += stride) {
        if (!isFiniteNumber(members[m])) continue;
        const jitter = (((m * 2654435761) % 1000) / 1000 - 0.5) * 0.5;
        dots.push({ value: [members[m], idx + jitter], itemStyle: { color: strategyColour[idx] } });
      }
    });
    const bounds = niceBounds(...finiteRange(rows.flat()));
    const referenceMedian = doc.results[referenceIdx].horizon[indexVariable].p50;
    chart.setOption({
      ...base,
      grid: { left: 190, right: 40, top: 34, bottom: 50 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          if (p.seriesType !== 'boxplot') {
            return `${escapeHtml(strategies[Math.round(p.value[1])])}: one member at ${fixed(p.value[0], indexDecimals)}`;
          }
          const [p5, p25, p50, p75, p95] = p.value.slice(-5);
          const r = doc.results[p.dataIndex];
          return `<b>${escapeHtml(label(p.dataIndex))}</b><br>median ${fixed(p50, indexDecimals)}` +
            `<br>middle half ${fixed(p25, indexDecimals)} to ${fixed(p75, indexDecimals)}` +
            `<br>90% of members ${fixed(p5, indexDecimals)} to ${fixed(p95, indexDecimals)}` +
            (p.dataIndex === referenceIdx ? '' :
              `<br>beats ${escapeHtml(doc.reference)} in ${percent(r.prob_beats_reference)} of members`);
        },
      },
      xAxis: {
        type: 'value', min: bounds.min, max: bounds.max, interval: bounds.step,
        name: `${doc.index.label} in ${doc.horizon}`, nameLocation: 'middle', nameGap: 30,
        axisLabel: { formatter: (v) => fixed(v, stepDecimals(bounds.step)) },
        axisLine: { onZero: false },
      },
      yAxis: [
        {
          type: 'category', data: strategies.map((_, idx) => label(idx)), inverse: true,
          axisLabel: {
            fontSize: 13,
            formatter: (value) => (value.endsWith(' (reference)') ? `{ref|${value}}` : value),
            rich: { ref: { fontWeight: 'bold', color: kReferenceColour, fontSize: 13 } },
          },
          axisTick: { show: false },
          axisLine: { onZero: false },
        },
        { type: 'value', min: -0.5, max: count - 0.5, inverse: true, show: false },
      ],
      series: [
        {
          type: 'scatter', yAxisIndex: 1, data: dots, symbolSize: 4, z: 1,
          itemStyle: { opacity: 0.35 },
        },
        {
          type: 'boxplot', data: boxes, boxWidth: [14, 26], z: 2,
          markLine: {
            symbol: 'none', silent: true,
            lineStyle: { color: kReferenceColour, type: 'dashed', width: 1.5 },
            label: { formatter: `${doc.reference} median`, position: 'start', color: kReferenceColour },
            data: isFiniteNumber(referenceMedian) ? [{ xAxis: referenceMedian }] : [],
          },
        },
      ],
    });
  }

  // ---- fan charts: one panel per strategy, the variable chosen in the selector

  const variables = [doc.index, ...doc.components];
  const fanCharts = [];

  function drawFans(containers) {
    containers.forEach((container) => fanCharts.push(makeChart(container)));
    const select = document.getElementById('fan-variable');
    select.addEventListener('change', () => guarded('fan charts', () => updateFans(select.value)));
    updateFans(select.value);
  }

  function updateFans(variable) {
    const meta = variables.find((v) => v.variable === variable);
    document.getElementById('fan-description').textContent = meta.description;
    const trajectories = doc.results.map((r) => r.trajectories[variable]);
    const [low, high] = finiteRange(trajectories.flatMap((t) => [...t.p5, ...t.p95]));
    const bounds = niceBounds(low, high);
    const decimals = decimalsFor(Math.max(Math.abs(low), Math.abs(high)));
    const years = doc.years.map(String);
    const difference = (high, low) => high.map((h, i) => (isFiniteNumber(h) && isFiniteNumber(low[i]) ? h - low[i] : null));
    const reference = trajectories[referenceIdx];
    fanCharts.forEach((chart, idx) => {
      const t = trajectories[idx];
      const colour = strategyColour[idx];
      const band = (name, low, high, opacity) => [
        {
          name: name + ' low', type: 'line', data: low, stack: name, stackStrategy: 'all',
          symbol: 'none', lineStyle: { opacity: 0 }, silent: true, z: 1,
        },
        {
          name, type: 'line', data: difference(high, low), stack: name, stackStrategy: 'all',
          symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: colour, opacity },
          silent: true, z: 1,
        },
      ];
      const series = [
        ...band('5–95%', t.p5, t.p95, 0.18),
        ...band('25–75%', t.p25, t.p75, 0.35),
        {
          name: 'median', type: 'line', data: t.p50, symbol: 'none', z: 3,
          lineStyle: { color: colour, width: 2.5 }, itemStyle: { color: colour },
        },
      ];
      if (idx !== referenceIdx) {
        series.push({
          name: `${doc.reference} median`, type: 'line', data: reference.p50, symbol: 'none', z: 2,
          lineStyle: { color: kReferenceColour, width: 1.5, type: 'dashed' },
          itemStyle: { color: kReferenceColour },
        });
      }
      chart.setOption({
        ...base,
        title: {
          text: label(idx), left: 8, top: 4,
          textStyle: { fontSize: 14, fontWeight: 'bold', color: colour === kReferenceColour ? '#222' : colour },
        },
        grid: { left: 58, right: 16, top: 36, bottom: 30 },
        tooltip: {
          trigger: 'axis',
          formatter: (items) => {
            const y = items[0].dataIndex;
            let html = `<b>${escapeHtml(strategies[idx])}, ${doc.years[y]}</b><br>${escapeHtml(meta.label)}` +
              `<br>median ${fixed(t.p50[y], decimals)}` +
              `<br>middle half ${fixed(t.p25[y], decimals)} to ${fixed(t.p75[y], decimals)}` +
              `<br>90% of members ${fixed(t.p5[y], decimals)} to ${fixed(t.p95[y], decimals)}`;
            if (idx !== referenceIdx) html += `<br>${escapeHtml(doc.reference)} median ${fixed(reference.p50[y], decimals)}`;
            return html;
          },
        },
        xAxis: {
          type: 'category', data: years, boundaryGap: false, axisLabel: { interval: 3 },
          axisLine: { onZero: false },
        },
        yAxis: {
          type: 'value', min: bounds.min, max: bounds.max, interval: bounds.step,
          axisLabel: { formatter: (v) => fixed(v, stepDecimals(bounds.step)) },
        },
        series,
      }, { notMerge: true });
    });
  }

  // ---- the map

  const countries = new Map(doc.countries.map((c) => [c.iso3, c]));
  const shapes = new Map(region.features.map((f) => [f.properties.name, f.properties]));
  // A circle where a state is too small to see, or has no shape in the map at all.
  const markerCountries = doc.countries.filter((c) => {
    const shape = shapes.get(c.iso3);
    return !shape || shape.small;
  });
  let mapChart = null;

  function countryValues(strategyIdx, mode) {
    const values = new Map();
    for (const c of doc.countries) {
      const mean = doc.results[strategyIdx].countries[c.iso3].mean;
      const refMean = doc.results[referenceIdx].countries[c.iso3].mean;
      const value = mode === 'difference'
        ? (isFiniteNumber(mean) && isFiniteNumber(refMean) ? mean - refMean : null) : mean;
      values.set(c.iso3, value);
    }
    return values;
  }

  // The same colour scale for every strategy, so that panels compare; centred on 0.
  function mapExtent(mode) {
    let extent = 0;
    doc.results.forEach((_, idx) => {
      for (const value of countryValues(idx, mode).values()) {
        if (isFiniteNumber(value)) extent = Math.max(extent, Math.abs(value));
      }
    });
    return extent > 0 ? niceBounds(0, extent).max : 1;
  }

  function drawMap(container) {
    echarts.registerMap('latwin-region', region);
    mapChart = makeChart(container);
    const strategySelect = document.getElementById('map-strategy');
    const update = () => guarded('map', () => {
      const mode = document.querySelector('input[name="map-mode"]:checked').value;
      updateMap(strategySelect.selectedIndex, mode);
    });
    strategySelect.selectedIndex = doc.results.reduce((best, r, idx) => {
      const p50 = r.horizon[indexVariable].p50;
      const bestP50 = doc.results[best].horizon[indexVariable].p50;
      return isFiniteNumber(p50) && (!isFiniteNumber(bestP50) || p50 > bestP50) ? idx : best;
    }, 0);
    strategySelect.addEventListener('change', update);
    document.querySelectorAll('input[name="map-mode"]').forEach((input) => input.addEventListener('change', update));
    update();
  }

  function updateMap(strategyIdx, mode) {
    const values = countryValues(strategyIdx, mode);
    const extent = mapExtent(mode);
    const decimals = decimalsFor(extent);
    // The legend's ends are round numbers: one digit less than the values.
    const legendDecimals = Math.max(0, decimals - 1);
    const outcome = doc.country_outcome.label;
    const caption = mode === 'difference'
      ? `${strategies[strategyIdx]} minus ${doc.reference}: ${outcome}, mean over members, ${doc.horizon}`
      : `${label(strategyIdx)}: ${outcome}, mean over members, ${doc.horizon}`;
    document.getElementById('map-caption').textContent = caption +
      (mode === 'difference' && strategyIdx === referenceIdx ? ' (the reference against itself: 0 everywhere)' : '');

    const describe = (iso3) => {
      const country = countries.get(iso3);
      const stats = doc.results[strategyIdx].countries[iso3];
      const name = `<b>${escapeHtml(country.name)}</b> (${escapeHtml(country.subregion)})`;
      const own = `${escapeHtml(strategies[strategyIdx])}: mean ${fixed(stats.mean, decimals)}` +
        `, 90% of members ${fixed(stats.p5, decimals)} to ${fixed(stats.p95, decimals)}`;
      if (mode !== 'difference') return `${name}<br>${escapeHtml(outcome)}<br>${own}`;
      const ref = doc.results[referenceIdx].countries[iso3];
      return `${name}<br>${escapeHtml(outcome)}: difference ${signed(values.get(iso3), decimals)}` +
        `<br>${own}<br>${escapeHtml(doc.reference)}: mean ${fixed(ref.mean, decimals)}`;
    };
    const visual = (seriesIndex, dimension, show) => ({
      type: 'continuous', seriesIndex, dimension, show, min: -extent, max: extent,
      inRange: { color: kDiverging }, calculable: false, orient: 'vertical',
      left: 24, bottom: 40, itemHeight: 220, precision: decimals,
      text: [`${signed(extent, legendDecimals)}  ` + (mode === 'difference' ? `better than ${doc.reference}` : 'higher: better for the U.S.'),
        `${signed(-extent, legendDecimals)}  ` + (mode === 'difference' ? `worse than ${doc.reference}` : 'lower: worse for the U.S.')],
      textStyle: { fontSize: 12 },
      formatter: (v) => signed(v, decimals),
    });
    const contextRegions = region.features
      .filter((f) => f.properties.role === 'context')
      .map((f) => ({
        name: f.properties.name,
        itemStyle: { areaColor: kContextGrey, borderColor: '#ffffff' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        silent: true,
      }));
    mapChart.setOption({
      ...base,
      tooltip: { trigger: 'item', formatter: (p) => (countries.has(p.name) ? describe(p.name) : '') },
      visualMap: [visual(0, 0, true), visual(1, 2, false)],
      geo: {
        map: 'latwin-region', roam: false, aspectScale: 0.92,
        top: 10, bottom: 10, left: 250, right: 10,
        // States with a value get its colour; the outline keeps those near 0 (white) visible.
        itemStyle: { areaColor: kNoValueGrey, borderColor: '#8a8a8a', borderWidth: 0.5 },
        emphasis: { itemStyle: { borderColor: '#222', borderWidth: 1.2 }, label: { show: false } },
        select: { disabled: true },
        label: { show: false },
        regions: contextRegions,
      },
      series: [
        {
          type: 'map', geoIndex: 0, name: outcome,
          data: doc.countries.map((c) => ({ name: c.iso3, value: values.get(c.iso3) })),
        },
        {
          type: 'scatter', coordinateSystem: 'geo', name: 'small states', symbolSize: 11, z: 5,
          itemStyle: { borderColor: '#333333', borderWidth: 1 },
          data: markerCountries.map((c) => ({ name: c.iso3, value: [c.longitude, c.latitude, values.get(c.iso3)] })),
        },
      ],
    }, { notMerge: true });
  }

  // ---- spending by instrument

  function drawSpending(container) {
    const instruments = [];
    for (const s of doc.strategies) {
      for (const name of Object.keys(s.spending_usd_per_year)) {
        if (!instruments.includes(name)) instruments.push(name);
      }
    }
    container.style.height = (110 + 44 * strategies.length) + 'px';
    const chart = makeChart(container);
    const kInstrumentColours = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948',
      '#e15759', '#9c755f', '#bab0ac', '#ff9da7'];
    const billions = (x) => (x === 0 ? '0' : (x / 1e9).toFixed(x >= 1e10 ? 0 : x >= 1e9 ? 1 : 2));
    chart.setOption({
      ...base,
      color: kInstrumentColours,
      legend: { top: 0, left: 190, textStyle: { fontSize: 12 } },
      grid: { left: 190, right: 40, top: 54, bottom: 40 },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (items) => {
          const idx = items[0].dataIndex;
          return `<b>${escapeHtml(strategies[idx])}</b>: $${billions(doc.strategies[idx].total_usd_per_year)} billion a year<br>` +
            items.filter((i) => i.value > 0).map((i) => `${escapeHtml(i.seriesName)}: $${billions(i.value)} billion`).join('<br>');
        },
      },
      xAxis: {
        type: 'value', name: 'U.S. dollars a year, billions', nameLocation: 'middle', nameGap: 28,
        axisLabel: { formatter: (v) => billions(v) },
      },
      yAxis: {
        type: 'category', data: strategies.map((_, idx) => label(idx)), inverse: true,
        axisLabel: { fontSize: 13 }, axisTick: { show: false },
      },
      series: instruments.map((name) => ({
        name: name.replace(/_/g, ' '), type: 'bar', stack: 'spending', barWidth: 22,
        data: doc.strategies.map((s) => s.spending_usd_per_year[name] || 0),
      })),
    });
  }

  // ---- start

  const byKind = (kind) => containers.filter((c) => c.getAttribute('data-chart') === kind);
  byKind('distribution').forEach((c) => guarded('index chart', () => drawDistribution(c)));
  guarded('fan charts', () => drawFans(byKind('fan')));
  byKind('map').forEach((c) => guarded('map', () => drawMap(c)));
  byKind('spending').forEach((c) => guarded('spending chart', () => drawSpending(c)));

  // Charts follow the page's width, on screen and when printed.
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((chart) => chart.resize()), 100);
  });
  window.addEventListener('beforeprint', () => charts.forEach((chart) => chart.resize()));
  window.addEventListener('afterprint', () => charts.forEach((chart) => chart.resize()));
})();

// The exploration page (document in <script id="latwin-explore">, format latwin-explore/1) and
// the optimisation page (<script id="latwin-optimize">, latwin-optimize/1). Same conventions as
// above: ECharts' SVG renderer, data-drawn / data-charts-drawn, errors to latwinReportError.
(function () {
  'use strict';

  const exploreData = document.getElementById('latwin-explore');
  const optimizeData = document.getElementById('latwin-optimize');
  if (!exploreData && !optimizeData) return;
  const doc = JSON.parse((exploreData || optimizeData).textContent);

  const kFont = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const kDark = '#0072B2';
  const kLight = '#9ecae1';
  const kMark = '#D55E00';
  const isFiniteNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
  const sig = (x) => (isFiniteNumber(x) ? (x === 0 ? '0' : Number(x.toPrecision(3)).toString()) : 'n/a');
  const pct = (x) => (isFiniteNumber(x) ? Math.round(x * 100) + '%' : 'n/a');

  const containers = Array.from(document.querySelectorAll('.chart'));
  const charts = [];
  let drawnCount = 0;
  document.body.setAttribute('data-charts-total', String(containers.length));

  function makeChart(container) {
    const chart = echarts.init(container, null, { renderer: 'svg' });
    chart.on('finished', () => {
      if (container.getAttribute('data-drawn') === 'yes') return;
      container.setAttribute('data-drawn', 'yes');
      drawnCount += 1;
      document.body.setAttribute('data-charts-drawn', String(drawnCount));
    });
    charts.push(chart);
    return chart;
  }
  const base = { animation: false, textStyle: { fontFamily: kFont, color: '#222' } };
  function guarded(what, draw) {
    try {
      draw();
    } catch (error) {
      window.latwinReportError(what + ': ' + (error && error.stack ? error.stack : error));
    }
  }

  // ---- exploration: sensitivity bars (with whiskers) and the PRIM trajectory

  // A horizontal bar from 0 to value at a pixel offset from the category's centre, and a
  // whisker from low to high when both are numbers. Data items: [category, value, low, high].
  function barSeries(name, colour, offset, data) {
    return {
      type: 'custom', name, data, itemStyle: { color: colour },
      encode: { x: [1, 2, 3], y: 0, tooltip: [1] },
      renderItem: (params, api) => {
        const category = api.value(0);
        const value = api.value(1);
        const band = api.size([0, 1])[1];
        const height = Math.max(3, Math.min(12, band * 0.32));
        const [x0, y] = api.coord([0, category]);
        const centre = y + offset * height * 1.15;
        const children = [];
        if (isFiniteNumber(value)) {
          const x1 = api.coord([value, category])[0];
          children.push({
            type: 'rect',
            shape: { x: Math.min(x0, x1), y: centre - height / 2, width: Math.max(1, Math.abs(x1 - x0)), height },
            style: { fill: colour },
          });
        }
        const low = api.value(2);
        const high = api.value(3);
        if (isFiniteNumber(low) && isFiniteNumber(high)) {
          const xl = api.coord([low, category])[0];
          const xh = api.coord([high, category])[0];
          const line = { stroke: '#333', lineWidth: 1 };
          children.push(
            { type: 'line', shape: { x1: xl, y1: centre, x2: xh, y2: centre }, style: line },
            { type: 'line', shape: { x1: xl, y1: centre - 3, x2: xl, y2: centre + 3 }, style: line },
            { type: 'line', shape: { x1: xh, y1: centre - 3, x2: xh, y2: centre + 3 }, style: line });
        }
        return { type: 'group', children };
      },
    };
  }

  function drawSensitivity(container) {
    const sobol = Array.isArray(doc.sobol);
    const rows = (sobol ? doc.sobol : doc.morris).slice();
    const key = sobol ? 'total' : 'mu_star';
    const rank = (r) => (isFiniteNumber(r[key]) ? r[key] : -Infinity);
    rows.sort((a, b) => rank(b) - rank(a));
    const top = rows.slice(0, 20);
    container.style.height = (110 + 30 * top.length) + 'px';
    const chart = makeChart(container);
    const series = sobol
      ? [
        barSeries('total-order', kDark, -0.5, top.map((r, i) => [i, r.total, r.total_low, r.total_high])),
        barSeries('first-order', kLight, 0.5, top.map((r, i) => [i, r.first, r.first_low, r.first_high])),
      ]
      : [
        barSeries('mu*', kDark, -0.5, top.map((r, i) => [i, r.mu_star, null, null])),
        barSeries('sigma', kLight, 0.5, top.map((r, i) => [i, r.sigma, null, null])),
      ];
    chart.setOption({
      ...base,
      legend: { top: 0, left: 240, data: series.map((s) => ({ name: s.name, itemStyle: s.itemStyle })) },
      grid: { left: 240, right: 40, top: 40, bottom: 44 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const r = top[p.value[0]];
          return `<b>${escapeHtml(r.factor)}</b><br>` + (sobol
            ? `total-order ${sig(r.total)} (${sig(r.total_low)} to ${sig(r.total_high)})<br>` +
              `first-order ${sig(r.first)} (${sig(r.first_low)} to ${sig(r.first_high)})`
            : `mu* ${sig(r.mu_star)}<br>mu ${sig(r.mu)}<br>sigma ${sig(r.sigma)}`);
        },
      },
      xAxis: {
        type: 'value', scale: false,
        name: sobol ? "Sobol' index (share of variance)" : 'elementary effect on the outcome',
        nameLocation: 'middle', nameGap: 28,
      },
      yAxis: {
        type: 'category', data: top.map((r) => r.factor), inverse: true,
        axisTick: { show: false }, axisLabel: { fontSize: 12 },
      },
      series,
    });
  }

  function drawPrim(container) {
    const prim = doc.prim;
    const chart = makeChart(container);
    const points = prim.trajectory.map((b, i) => ({
      value: [b.coverage, b.density, i],
      symbolSize: i === prim.chosen ? 16 : 7,
      itemStyle: { color: i === prim.chosen ? kMark : kDark },
    }));
    chart.setOption({
      ...base,
      grid: { left: 70, right: 40, top: 30, bottom: 50 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const b = prim.trajectory[p.value[2]];
          const limits = b.limits.map((l) => `${escapeHtml(l.factor)} ${sig(l.low)} to ${sig(l.high)}`);
          return `<b>step ${p.value[2]}${p.value[2] === prim.chosen ? ' (chosen)' : ''}</b>` +
            `<br>coverage ${pct(b.coverage)}, density ${pct(b.density)}, mass ${pct(b.mass)}` +
            (limits.length ? '<br>' + limits.join('<br>') : '<br>no limit');
        },
      },
      xAxis: {
        type: 'value', min: 0, max: 1, name: 'coverage (share of all failures in the box)',
        nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: (v) => Math.round(v * 100) + '%' },
      },
      yAxis: {
        type: 'value', min: 0, max: 1, name: 'density (failures in the box)',
        nameLocation: 'middle', nameGap: 48, axisLabel: { formatter: (v) => Math.round(v * 100) + '%' },
      },
      series: [{
        type: 'line', data: points, lineStyle: { color: kDark, width: 2 }, symbol: 'circle',
        label: {
          show: true, formatter: (p) => (p.value[2] === prim.chosen ? 'chosen box' : ''),
          position: 'top', color: kMark, fontWeight: 'bold',
        },
        markLine: {
          symbol: 'none', silent: true, lineStyle: { color: '#4d4d4d', type: 'dashed' },
          label: { formatter: `all runs: ${pct(prim.base_density)}`, position: 'insideStartTop' },
          data: [{ yAxis: prim.base_density }],
        },
      }],
    });
  }

  // ---- optimisation: convergence, spending and the Pareto front

  function drawConvergence(container) {
    container.style.height = '360px';
    const chart = makeChart(container);
    chart.setOption({
      ...base,
      grid: { left: 80, right: 40, top: 30, bottom: 50 },
      tooltip: {
        trigger: 'axis',
        formatter: (items) => `${items[0].value[0]} evaluations<br>best ${sig(items[0].value[1])}`,
      },
      xAxis: { type: 'value', name: 'evaluations', nameLocation: 'middle', nameGap: 30, min: 0 },
      yAxis: {
        type: 'value', scale: true, name: doc.pareto ? 'highest mean index' : `best ${doc.objective}`,
        nameLocation: 'middle', nameGap: 60,
      },
      series: [{
        type: 'line', step: 'end', data: doc.history.map((h) => [h.evaluations, h.best]),
        lineStyle: { color: kDark, width: 2.5 }, itemStyle: { color: kDark }, symbolSize: 7,
      }],
    });
  }

  function drawAllocation(container) {
    const groups = [];
    const instruments = [];
    for (const u of doc.units) {
      if (!groups.includes(u.group)) groups.push(u.group);
      if (!instruments.includes(u.instrument)) instruments.push(u.instrument);
    }
    const largest = Math.max(0, ...groups.map((g) => doc.units
      .filter((u) => u.group === g).reduce((sum, u) => sum + u.usd_per_year, 0)));
    const [scale, unit] = largest >= 1e9 ? [1e9, 'billions'] : [1e6, 'millions'];
    container.style.height = (120 + 44 * groups.length) + 'px';
    const chart = makeChart(container);
    chart.setOption({
      ...base,
      color: ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#e15759', '#9c755f'],
      legend: { top: 0, left: 160 },
      grid: { left: 160, right: 40, top: 50, bottom: 44 },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (items) => `<b>${escapeHtml(groups[items[0].dataIndex])}</b><br>` + items
          .map((i) => `${escapeHtml(i.seriesName)}: $${sig(i.value)} ${unit}`).join('<br>'),
      },
      xAxis: { type: 'value', name: `U.S. dollars a year, ${unit}`, nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: groups, inverse: true, axisTick: { show: false } },
      series: instruments.map((name) => ({
        name: name.replace(/_/g, ' '), type: 'bar', stack: 'spending', barWidth: 22,
        data: groups.map((g) => doc.units
          .filter((u) => u.group === g && u.instrument === name)
          .reduce((sum, u) => sum + u.usd_per_year, 0) / scale),
      })),
    });
  }

  // The Pareto front as parallel coordinates: one axis a component, the index last and as
  // the colour; point 1 (the strategy written to --out) thick in the mark colour.
  function drawPareto(container) {
    const pareto = doc.pareto;
    const labels = objectiveLabels(pareto.objectives);
    const rows = pareto.points.map((p) => [
      ...pareto.objectives.map((o) => (isFiniteNumber(p.components[o]) ? p.components[o] : null)),
      isFiniteNumber(p.index) ? p.index : null,
      p.point,
    ]);
    const indexDim = labels.length;
    const indices = rows.map((r) => r[indexDim]).filter(isFiniteNumber);
    const low = indices.length ? Math.min(...indices) : 0;
    const high = indices.length ? Math.max(...indices) : 1;
    // Enough decimals to tell an axis's ticks apart: a component may move by 1e-6 only.
    const decimals = [...labels, 'index'].map((_, dim) => {
      const values = rows.map((r) => r[dim]).filter(isFiniteNumber);
      const range = values.length ? Math.max(...values) - Math.min(...values) : 0;
      return range > 0 ? Math.min(8, Math.max(2, Math.ceil(-Math.log10(range)) + 1)) : 4;
    });
    container.style.height = '420px';
    const chart = makeChart(container);
    const signed = (v) => (isFiniteNumber(v) ? (v > 0 ? '+' : '') + v.toFixed(4) : 'n/a');
    chart.setOption({
      ...base,
      parallel: { left: 50, right: 90, top: 70, bottom: 40 },
      parallelAxis: [...labels, 'index'].map((name, dim) => ({
        dim, name, type: 'value', scale: true, nameLocation: 'end', nameGap: 12,
        nameTextStyle: { fontWeight: dim === indexDim ? 'bold' : 'normal' },
        axisLabel: { formatter: (v) => v.toFixed(decimals[dim]) },
      })),
      visualMap: {
        type: 'continuous', dimension: indexDim, min: low, max: high === low ? low + 1e-9 : high,
        seriesIndex: 0, orient: 'horizontal', top: 0, left: 'center', calculable: false,
        text: ['higher index', 'lower index'], inRange: { color: ['#d6604d', '#f7f7f7', '#4393c3'] },
        formatter: (v) => signed(v),
      },
      tooltip: {
        trigger: 'item',
        formatter: (p) => `<b>point ${p.value[indexDim + 1]}</b><br>index ${signed(p.value[indexDim])}<br>` +
          labels.map((name, i) => `${escapeHtml(name)} ${signed(p.value[i])}`).join('<br>'),
      },
      series: [
        { type: 'parallel', name: 'front', data: rows, lineStyle: { width: 2, opacity: 0.9 } },
        {
          type: 'parallel', name: 'point 1', data: rows.filter((r) => r[indexDim + 1] === 1),
          lineStyle: { width: 5, color: kMark, opacity: 1 }, z: 3,
        },
      ],
    });
  }

  // The objectives' names without the prefix they share up to an underscore, as
  // html_report.cpp objective_labels() writes them in the table.
  function objectiveLabels(names) {
    let shared = names.length ? names[0].length : 0;
    for (const name of names) {
      let common = 0;
      while (common < shared && common < name.length && name[common] === names[0][common]) common += 1;
      shared = common;
    }
    const underscore = shared === 0 ? -1 : names[0].lastIndexOf('_', shared - 1);
    return names.map((name) => name.slice(underscore + 1).replace(/_/g, ' '));
  }

  const byKind = (kind) => containers.filter((c) => c.getAttribute('data-chart') === kind);
  byKind('sensitivity').forEach((c) => guarded('sensitivity chart', () => drawSensitivity(c)));
  byKind('prim').forEach((c) => guarded('PRIM chart', () => drawPrim(c)));
  byKind('convergence').forEach((c) => guarded('convergence chart', () => drawConvergence(c)));
  byKind('allocation').forEach((c) => guarded('allocation chart', () => drawAllocation(c)));
  byKind('pareto').forEach((c) => guarded('Pareto front chart', () => drawPareto(c)));

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((chart) => chart.resize()), 100);
  });
  window.addEventListener('beforeprint', () => charts.forEach((chart) => chart.resize()));
  window.addEventListener('afterprint', () => charts.forEach((chart) => chart.resize()));
})();

// The backtest page (<script id="latwin-backtest">, format latwin-backtest/1, written by
// latwin backtest): skill by lead, and the forecasts with their intervals against the
// observed series. Same conventions as above.
(function () {
  'use strict';

  const data = document.getElementById('latwin-backtest');
  if (!data) return;
  const doc = JSON.parse(data.textContent);

  const kFont = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  // Okabe–Ito colours, as on the comparison page.
  const kPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
  const kObserved = '#1f1f1f';
  const isFiniteNumber = (x) => typeof x === 'number' && Number.isFinite(x);
  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
  const sig = (x) => (isFiniteNumber(x) ? (x === 0 ? '0' : Number(x.toPrecision(3)).toString()) : 'n/a');
  const skillText = (x) => (isFiniteNumber(x) ? (x >= 0 ? '+' : '') + x.toFixed(2) : 'n/a');

  const containers = Array.from(document.querySelectorAll('.chart'));
  const charts = [];
  let drawnCount = 0;
  document.body.setAttribute('data-charts-total', String(containers.length));

  function makeChart(container) {
    const chart = echarts.init(container, null, { renderer: 'svg' });
    chart.on('finished', () => {
      if (container.getAttribute('data-drawn') === 'yes') return;
      container.setAttribute('data-drawn', 'yes');
      drawnCount += 1;
      document.body.setAttribute('data-charts-drawn', String(drawnCount));
    });
    charts.push(chart);
    return chart;
  }
  const base = { animation: false, textStyle: { fontFamily: kFont, color: '#222' } };
  function guarded(what, draw) {
    try {
      draw();
    } catch (error) {
      window.latwinReportError(what + ': ' + (error && error.stack ? error.stack : error));
    }
  }

  // Indicator names and which are headline, from the headline table.
  const names = new Map(doc.headline.indicators.map((row) => [row.indicator, row.name]));
  const units = new Map(doc.headline.indicators.map((row) => [row.indicator, row.unit]));
  const isHeadline = new Map(doc.headline.indicators.map((row) => [row.indicator, row.headline]));
  const nameOf = (indicator) => names.get(indicator) || indicator;

  // ---- skill against persistence by lead, one line an indicator

  function drawSkill(container) {
    const rows = doc.scores.filter((row) => isFiniteNumber(row.lead));
    const leads = Array.from(new Set(rows.map((row) => row.lead))).sort((a, b) => a - b);
    const indicators = Array.from(new Set(rows.map((row) => row.indicator)));
    const chart = makeChart(container);
    const series = indicators.map((indicator, idx) => ({
      name: nameOf(indicator),
      type: 'line',
      data: leads.map((lead) => {
        const row = rows.find((r) => r.indicator === indicator && r.lead === lead);
        const value = row ? row.methods.ensemble.crps_skill : null;
        return [lead, isFiniteNumber(value) ? value : null];
      }),
      connectNulls: false,
      symbolSize: 8,
      lineStyle: { width: isHeadline.get(indicator) === false ? 1.5 : 2.5,
        type: isHeadline.get(indicator) === false ? 'dotted' : 'solid' },
      color: kPalette[idx % kPalette.length],
      markLine: idx !== 0 ? undefined : {
        symbol: 'none', silent: true, lineStyle: { color: '#4d4d4d', type: 'dashed' },
        label: { formatter: 'persistence', position: 'insideEndTop' },
        data: [{ yAxis: 0 }],
      },
    }));
    chart.setOption({
      ...base,
      legend: { top: 0, left: 'center' },
      grid: { left: 70, right: 40, top: 60, bottom: 50 },
      tooltip: {
        trigger: 'axis',
        formatter: (items) => `<b>${items[0].value[0]} year${items[0].value[0] === 1 ? '' : 's'} ahead</b><br>` +
          items.map((i) => `${escapeHtml(i.seriesName)}: skill ${skillText(i.value[1])}`).join('<br>'),
      },
      xAxis: {
        type: 'value', name: 'lead (years after the origin)', nameLocation: 'middle', nameGap: 30,
        min: leads.length ? leads[0] : 0, max: leads.length ? leads[leads.length - 1] : 1,
        minInterval: 1, axisLabel: { formatter: (v) => (Number.isInteger(v) ? String(v) : '') },
      },
      yAxis: {
        type: 'value', scale: true, name: 'skill against persistence',
        nameLocation: 'middle', nameGap: 50,
      },
      series,
    });
  }

  // ---- the forecasts from each origin, with their intervals, against the observed series

  // Axis bounds on round numbers, about five steps (as on the comparison page).
  function niceBounds(low, high) {
    if (!Number.isFinite(low) || !Number.isFinite(high)) return { min: 0, max: 1, step: 0.2 };
    if (low === high) {
      low -= Math.abs(low) * 0.1 || 1;
      high += Math.abs(high) * 0.1 || 1;
    }
    const raw = (high - low) / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((x) => x >= raw);
    const round = (x) => Number(x.toPrecision(12));
    return { min: round(Math.floor(low / step) * step), max: round(Math.ceil(high / step) * step), step };
  }

  // Where each drawn quantile sits in a forecast's quantiles.
  const quantileIdx = {};
  for (const q of [0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975]) {
    quantileIdx[q] = doc.forecast_quantiles.findIndex((x) => Math.abs(x - q) < 1e-9);
  }
  const origins = doc.settings.origins.slice().sort((a, b) => a - b);
  const originColour = (origin) => kPalette[origins.indexOf(origin) % kPalette.length];
  let forecastChart = null;

  // A band from `low` to `high` (quantile levels) across the leads of one origin, as a polygon;
  // with a single lead, a rectangle a year wide around it so that it shows.
  function bandSeries(name, cells, low, high, colour, opacity) {
    return {
      type: 'custom', name, silent: true, z: 1, itemStyle: { color: colour },
      data: cells.length ? [0] : [],
      renderItem: (params, api) => {
        const kept = cells.filter((c) => isFiniteNumber(c.quantiles[quantileIdx[low]]) &&
          isFiniteNumber(c.quantiles[quantileIdx[high]]));
        if (!kept.length) return { type: 'group', children: [] };
        const pad = kept.length === 1 ? 0.3 : 0;
        const top = [];
        const bottom = [];
        kept.forEach((c, idx) => {
          const year = c.origin + c.lead;
          const left = idx === 0 ? year - pad : year;
          const right = idx === kept.length - 1 ? year + pad : year;
          for (const x of left === right ? [year] : [left, right]) {
            top.push(api.coord([x, c.quantiles[quantileIdx[high]]]));
            bottom.push(api.coord([x, c.quantiles[quantileIdx[low]]]));
          }
        });
        return {
          type: 'polygon',
          shape: { points: top.concat(bottom.reverse()) },
          style: { fill: colour, opacity, stroke: 'none' },
        };
      },
    };
  }

  function updateForecast() {
    const indicator = document.getElementById('backtest-indicator').value;
    const country = document.getElementById('backtest-country').value;
    const observed = doc.observed.find((s) => s.indicator === indicator && s.country === country);
    const cells = doc.forecasts
      .filter((c) => c.indicator === indicator && c.country === country)
      .sort((a, b) => a.origin - b.origin || a.lead - b.lead);
    const unit = units.get(indicator);
    document.getElementById('backtest-caption').textContent =
      `${nameOf(indicator)}, ${country}` + (unit ? ` (${unit})` : '') +
      (cells.length ? '' : ': no forecasts for this country') +
      (observed && observed.years.length ? '' : ': nothing observed');

    // The years shown: the calibration window before the first origin to the last lead.
    // A tick every year up to 16 years, else every 2 or 5 years from a multiple of the step.
    const span = origins[origins.length - 1] + doc.settings.horizon - origins[0] + doc.settings.calibration_years;
    const yearStep = span <= 16 ? 1 : span <= 32 ? 2 : 5;
    const first = Math.floor((origins[0] - doc.settings.calibration_years) / yearStep) * yearStep;
    const last = Math.ceil((origins[origins.length - 1] + doc.settings.horizon) / yearStep) * yearStep;
    const points = observed
      ? observed.years.map((year, i) => [year, observed.values[i]]).filter((p) => p[0] >= first && p[0] <= last)
      : [];
    const values = points.map((p) => p[1]);
    for (const c of cells) {
      for (const q of [0.025, 0.975]) {
        const v = c.quantiles[quantileIdx[q]];
        if (isFiniteNumber(v)) values.push(v);
      }
    }
    const bounds = niceBounds(values.length ? Math.min(...values) : 0, values.length ? Math.max(...values) : 1);

    const series = [];
    for (const origin of origins) {
      const own = cells.filter((c) => c.origin === origin);
      const colour = originColour(origin);
      const name = `from ${origin}`;
      series.push(bandSeries(name, own, 0.025, 0.975, colour, 0.16));
      series.push(bandSeries(name, own, 0.25, 0.75, colour, 0.34));
      series.push({
        name, type: 'line', z: 3, color: colour,
        data: own.map((c) => ({ value: [c.origin + c.lead, c.quantiles[quantileIdx[0.5]]], cell: c })),
        symbol: 'diamond', symbolSize: 7, lineStyle: { color: colour, width: 2, type: 'dashed' },
      });
    }
    series.push({
      name: 'observed', type: 'line', z: 4, color: kObserved, data: points, symbol: 'circle',
      symbolSize: 6, lineStyle: { color: kObserved, width: 2 },
      markLine: {
        symbol: 'none', silent: true, lineStyle: { color: '#8a8a8a', type: 'dotted', width: 1.5 },
        label: { formatter: (p) => `origin ${p.value}`, position: 'insideEndTop', color: '#5c5c5c' },
        data: origins.map((origin) => ({ xAxis: origin })),
      },
    });
    forecastChart.setOption({
      ...base,
      legend: {
        top: 0, left: 'center',
        data: [{ name: 'observed' }, ...origins.map((origin) => ({ name: `from ${origin}` }))],
      },
      grid: { left: 80, right: 40, top: 50, bottom: 50 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          if (p.seriesName === 'observed') {
            return `<b>${escapeHtml(country)} ${p.value[0]}</b><br>observed ${sig(p.value[1])}`;
          }
          const c = p.data && p.data.cell;
          if (!c) return '';
          const at = (q) => sig(c.quantiles[quantileIdx[q]]);
          const seen = observed ? observed.years.indexOf(c.origin + c.lead) : -1;
          return `<b>${escapeHtml(country)} ${c.origin + c.lead}</b>, forecast from ${c.origin} ` +
            `(${c.lead} year${c.lead === 1 ? '' : 's'} ahead)<br>median ${at(0.5)}` +
            `<br>50% interval ${at(0.25)} to ${at(0.75)}<br>80% interval ${at(0.1)} to ${at(0.9)}` +
            `<br>95% interval ${at(0.025)} to ${at(0.975)}` +
            (seen >= 0 ? `<br>observed ${sig(observed.values[seen])}` : '<br>not observed');
        },
      },
      xAxis: {
        type: 'value', min: first, max: last, interval: yearStep, name: 'year',
        nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: (v) => String(v) },
      },
      yAxis: {
        type: 'value', min: bounds.min, max: bounds.max, interval: bounds.step, name: nameOf(indicator),
        nameLocation: 'middle', nameGap: 60,
        axisLabel: { formatter: (v) => sig(v) },
      },
      series,
    }, { notMerge: true });
  }

  function drawForecast(container) {
    container.style.height = '460px';
    forecastChart = makeChart(container);
    for (const id of ['backtest-indicator', 'backtest-country']) {
      document.getElementById(id).addEventListener('change', () => guarded('forecast chart', updateForecast));
    }
    updateForecast();
  }

  const byKind = (kind) => containers.filter((c) => c.getAttribute('data-chart') === kind);
  byKind('skill').forEach((c) => guarded('skill chart', () => drawSkill(c)));
  byKind('backtest-forecast').forEach((c) => guarded('forecast chart', () => drawForecast(c)));

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((chart) => chart.resize()), 100);
  });
  window.addEventListener('beforeprint', () => charts.forEach((chart) => chart.resize()));
  window.addEventListener('afterprint', () => charts.forEach((chart) => chart.resize()));
})();
