// Bundles the HTML report's assets into one generated C++ source, so that `latwin` can write
// a report that works offline: the chart library (ECharts), the report's own script and
// style (report.js, report.css) and a map of the region (Natural Earth 1:50m, from
// world-atlas, converted to GeoJSON with topojson-client).
//
//   node web/report/bundle.mjs OUT.cpp
//
// CMake runs it at build time (src/CMakeLists.txt, "report assets"); OUT.cpp defines the
// functions declared in src/report/report_assets.hpp. Plain Node, no build tool. Fails
// (exit 1, a message on stderr) when an asset cannot be embedded safely.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const topojson = require('topojson-client');

function fail(message) {
  process.stderr.write(`bundle.mjs: ${message}\n`);
  process.exit(1);
}

// ---- the map

// The region drawn, [west, south, east, north] in degrees. It holds every Latin American and
// Caribbean state (Galápagos at -92°, Cape Horn at -56°) and the contiguous U.S.; the north
// edge follows the U.S.-Canada border (49°), so Canada shows only where it reaches south of
// it (Ontario, Quebec, the Maritimes); the east edge (-32°) stops short of Cabo Verde and the
// Azores.
const kBox = [-125, -57, -32, 49];
// Coordinate decimals kept: 0.01° is about 1 km, far below a pixel of the report's map.
const kDecimals = 2;
// A state whose largest piece of land is smaller than this (km²) is hard to see or click on
// a 1000-pixel map of the hemisphere (1° is about 8 pixels): the report adds a circle marker.
const kSmallKm2 = 6000;

// world-atlas ids are ISO 3166-1 numeric; the 33 states of data/countries.csv (kind = lac).
const kLac = {
  '032': ['ARG', 'Argentina'], '028': ['ATG', 'Antigua and Barbuda'],
  '044': ['BHS', 'Bahamas'], '084': ['BLZ', 'Belize'], '068': ['BOL', 'Bolivia'],
  '076': ['BRA', 'Brazil'], '052': ['BRB', 'Barbados'], '152': ['CHL', 'Chile'],
  '170': ['COL', 'Colombia'], '188': ['CRI', 'Costa Rica'], '192': ['CUB', 'Cuba'],
  '212': ['DMA', 'Dominica'], '214': ['DOM', 'Dominican Republic'], '218': ['ECU', 'Ecuador'],
  '308': ['GRD', 'Grenada'], '320': ['GTM', 'Guatemala'], '328': ['GUY', 'Guyana'],
  '340': ['HND', 'Honduras'], '332': ['HTI', 'Haiti'], '388': ['JAM', 'Jamaica'],
  '659': ['KNA', 'Saint Kitts and Nevis'], '662': ['LCA', 'Saint Lucia'],
  '484': ['MEX', 'Mexico'], '558': ['NIC', 'Nicaragua'], '591': ['PAN', 'Panama'],
  '604': ['PER', 'Peru'], '600': ['PRY', 'Paraguay'], '222': ['SLV', 'El Salvador'],
  '740': ['SUR', 'Suriname'], '780': ['TTO', 'Trinidad and Tobago'], '858': ['URY', 'Uruguay'],
  '670': ['VCT', 'Saint Vincent and the Grenadines'], '862': ['VEN', 'Venezuela'],
};
// Drawn in grey around them: the U.S., Canada and every territory inside kBox (France and
// the Netherlands for their Caribbean and South American parts only).
const kContext = {
  '840': ['USA', 'United States'], '124': ['CAN', 'Canada'],
  '630': ['PRI', 'Puerto Rico'], '850': ['VIR', 'U.S. Virgin Islands'],
  '092': ['VGB', 'British Virgin Islands'], '660': ['AIA', 'Anguilla'],
  '500': ['MSR', 'Montserrat'], '136': ['CYM', 'Cayman Islands'],
  '796': ['TCA', 'Turks and Caicos Islands'], '060': ['BMU', 'Bermuda'],
  '533': ['ABW', 'Aruba'], '531': ['CUW', 'Curaçao'], '534': ['SXM', 'Sint Maarten'],
  '663': ['MAF', 'Saint Martin (France)'], '652': ['BLM', 'Saint Barthélemy (France)'],
  '250': ['FRA', 'France (French Guiana, Guadeloupe, Martinique)'],
  '528': ['NLD', 'Netherlands (Bonaire, Sint Eustatius, Saba)'],
  '666': ['SPM', 'Saint Pierre and Miquelon (France)'],
  '238': ['FLK', 'Falkland Islands (U.K.)'],
  '239': ['SGS', 'South Georgia and the South Sandwich Islands (U.K.)'],
};

function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  fail(`unexpected geometry type ${geometry.type}`);
}

// The part of a closed ring inside kBox, or [] when none (Sutherland–Hodgman). A ring with an
// edge across the antimeridian (Fiji) would run through the whole box in plain longitude:
// none is near the Americas, so such rings are dropped, as is what has no area left.
function clipRing(ring) {
  for (let i = 0; i + 1 < ring.length; i++) {
    if (Math.abs(ring[i + 1][0] - ring[i][0]) > 180) return [];
  }
  const clipped = clipToBox(ring);
  return clipped.length >= 4 && ringAreaKm2(clipped) > 0.01 ? clipped : [];
}
function clipToBox(ring) {
  const edges = [
    [(p) => p[0] >= kBox[0], (a, b) => crossX(a, b, kBox[0])],
    [(p) => p[0] <= kBox[2], (a, b) => crossX(a, b, kBox[2])],
    [(p) => p[1] >= kBox[1], (a, b) => crossY(a, b, kBox[1])],
    [(p) => p[1] <= kBox[3], (a, b) => crossY(a, b, kBox[3])],
  ];
  let points = ring.slice(0, -1);
  for (const [inside, cross] of edges) {
    const next = [];
    for (let i = 0; i < points.length; i++) {
      const current = points[i];
      const previous = points[(i + points.length - 1) % points.length];
      if (inside(current)) {
        if (!inside(previous)) next.push(cross(previous, current));
        next.push(current);
      } else if (inside(previous)) {
        next.push(cross(previous, current));
      }
    }
    points = next;
    if (points.length === 0) return [];
  }
  return [...points, points[0]];
}
function crossX(a, b, x) {
  return [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
}
function crossY(a, b, y) {
  return [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
}

// Rounds to kDecimals and drops repeated points; null when fewer than 3 corners remain.
function roundRing(ring) {
  const scale = 10 ** kDecimals;
  const out = [];
  for (const [x, y] of ring) {
    const point = [Math.round(x * scale) / scale, Math.round(y * scale) / scale];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  if (out.length > 1) {
    const [first, last] = [out[0], out[out.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) out.push(first);
  }
  return out.length >= 4 ? out : null;
}

// Area of a ring in km² (shoelace on degrees, scaled at the ring's mean latitude).
function ringAreaKm2(ring) {
  let twice = 0;
  let latSum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    twice += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    latSum += ring[i][1];
  }
  const meanLat = latSum / Math.max(1, ring.length - 1);
  const kmPerDegree = 111.32;
  return (Math.abs(twice) / 2) * kmPerDegree * kmPerDegree * Math.cos((meanLat * Math.PI) / 180);
}

function buildRegion() {
  const topology = require('world-atlas/countries-50m.json');
  const world = topojson.feature(topology, topology.objects.countries);
  const features = [];
  const found = new Set();
  const report = [];
  for (const source of world.features) {
    const lac = kLac[source.id];
    const entry = lac || kContext[source.id];
    const sourcePolygons = polygonsOf(source.geometry);
    if (!entry) {
      // A feature inside the box that neither table names would leave a hole in the map.
      const inside = sourcePolygons.some((polygon) => clipRing(polygon[0]).length > 0);
      if (inside) fail(`world-atlas feature ${source.id} (${source.properties.name}) lies in the map box; add it to kLac or kContext`);
      continue;
    }
    const [iso3, label] = entry;
    const polygons = [];
    let largestKm2 = 0;
    for (const polygon of sourcePolygons) {
      largestKm2 = Math.max(largestKm2, ringAreaKm2(polygon[0]));
      const rings = [];
      for (const ring of polygon) {
        const clipped = lac ? ring : clipRing(ring);
        const rounded = clipped.length ? roundRing(clipped) : null;
        if (rounded) rings.push(rounded);
        else if (rings.length === 0) break;  // the outer ring is gone: so is the polygon
      }
      if (rings.length) polygons.push(rings);
    }
    if (lac) {
      found.add(iso3);
      for (const polygon of sourcePolygons) {
        for (const ring of polygon) {
          for (const [x, y] of ring) {
            if (x < kBox[0] || x > kBox[2] || y < kBox[1] || y > kBox[3]) fail(`${iso3} reaches outside the map box (${x}, ${y}); widen kBox`);
          }
        }
      }
    }
    const small = Boolean(lac) && (largestKm2 < kSmallKm2 || polygons.length === 0);
    if (lac) report.push(`${iso3} ${Math.round(largestKm2)} km²${small ? ' (marker)' : ''}`);
    if (polygons.length === 0) continue;
    const properties = { name: iso3, label, role: lac ? 'lac' : 'context' };
    if (small) properties.small = true;
    features.push({
      type: 'Feature',
      properties,
      geometry: polygons.length === 1
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons },
    });
  }
  const missing = Object.values(kLac).map(([iso3]) => iso3).filter((iso3) => !found.has(iso3));
  if (missing.length) fail(`countries-50m.json has no shape for ${missing.join(', ')}`);
  features.sort((a, b) => a.properties.name.localeCompare(b.properties.name));
  if (process.env.LATWIN_BUNDLE_VERBOSE) {
    process.stderr.write(`largest piece of land per state:\n  ${report.join('\n  ')}\n`);
  }
  return JSON.stringify({ type: 'FeatureCollection', bbox: kBox, features });
}

// ---- the other assets

function readPackage(name, file) {
  return fs.readFileSync(require.resolve(`${name}/${file}`), 'utf8');
}
function version(name) {
  return JSON.parse(readPackage(name, 'package.json')).version;
}

// The report's own script must at least parse: a syntax error would only show in a browser.
function checkedScript(file) {
  const full = path.join(here, file);
  try {
    execFileSync(process.execPath, ['--check', full], { stdio: 'pipe' });
  } catch (error) {
    fail(`${file} does not parse:\n${error.stderr}`);
  }
  return fs.readFileSync(full, 'utf8');
}

const assets = [
  { fn: 'echarts_js', kind: 'script', text: readPackage('echarts', 'dist/echarts.min.js') },
  { fn: 'report_js', kind: 'script', text: checkedScript('report.js') },
  { fn: 'report_css', kind: 'style', text: fs.readFileSync(path.join(here, 'report.css'), 'utf8') },
  { fn: 'region_geojson', kind: 'script', text: buildRegion() },
  {
    fn: 'asset_credits',
    kind: 'text',
    text: `Charts: ECharts ${version('echarts')} (Apache-2.0) with zrender ` +
      `${version('zrender')} (BSD-3-Clause). Map: Natural Earth 1:50m ` +
      `(public domain) from world-atlas ${version('world-atlas')} (ISC), converted with ` +
      `topojson-client ${version('topojson-client')} (ISC).`,
  },
];

// ---- C++ source

const kDelimiter = 'latwin_asset';
// Bytes of one raw string literal; compilers accept far more, but MSVC stops at 64 KB.
const kChunkBytes = 16 * 1024;

function check(asset) {
  const { fn, kind, text } = asset;
  if (text.includes(`)${kDelimiter}"`)) fail(`${fn}: the text contains the raw string delimiter )${kDelimiter}"`);
  // A raw string keeps every byte, but a compiler may turn CR LF into LF and refuses NUL.
  if (/[\r\0]/.test(text)) fail(`${fn}: the text contains a carriage return or NUL byte`);
  // Inlined in <script> or <style>, these would end the element or change how it is parsed.
  if (kind === 'script' && /<\/script|<!--/i.test(text)) fail(`${fn}: the text contains </script or <!--`);
  if (kind === 'style' && /<\/style/i.test(text)) fail(`${fn}: the text contains </style`);
}

// Splits at code point boundaries so that no chunk ends inside a UTF-8 sequence.
function chunks(text) {
  const out = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > kChunkBytes) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current.length || out.length === 0) out.push(current);
  return out;
}

function cppSource() {
  const lines = [
    '// Generated by web/report/bundle.mjs at build time: do not edit, do not commit.',
    '// Declarations and what each asset holds: src/report/report_assets.hpp.',
    '#include "report/report_assets.hpp"',
    '',
    '#include <string>',
    '#include <string_view>',
    '',
    'namespace latwin::report {',
    'namespace {',
    '',
    'template <std::size_t N>',
    'std::string join(const std::string_view (&parts)[N]) {',
    '  std::string text;',
    '  for (std::string_view part : parts) text += part;',
    '  return text;',
    '}',
    '',
  ];
  for (const asset of assets) {
    check(asset);
    const parts = chunks(asset.text);
    lines.push(`// ${asset.fn}: ${Buffer.byteLength(asset.text, 'utf8')} bytes in ${parts.length} chunks.`);
    lines.push(`const std::string_view k_${asset.fn}[] = {`);
    for (const part of parts) lines.push(`R"${kDelimiter}(${part})${kDelimiter}",`);
    lines.push('};', '');
  }
  lines.push('}  // namespace', '');
  for (const asset of assets) {
    lines.push(`std::string_view ${asset.fn}() {`);
    lines.push(`  static const std::string text = join(k_${asset.fn});`);
    lines.push('  return text;', '}', '');
  }
  lines.push('}  // namespace latwin::report', '');
  return lines.join('\n');
}

const out = process.argv[2];
if (!out) fail('usage: node bundle.mjs OUT.cpp');
const source = cppSource();
// Written under a temporary name and renamed, so an interrupted run leaves no half file.
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(`${out}.tmp`, source);
fs.renameSync(`${out}.tmp`, out);
for (const asset of assets) {
  if (process.env.LATWIN_BUNDLE_VERBOSE) {
    process.stderr.write(`${asset.fn}: ${Buffer.byteLength(asset.text, 'utf8')} bytes\n`);
  }
}
