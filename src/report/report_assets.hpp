#pragma once
// What the HTML report inlines so that it works offline. The definitions are generated at
// build time by web/report/bundle.mjs from pinned npm packages (web/report/package-lock.json)
// into ${build}/generated/report_assets.cpp; docs/report.md says how. Each text is checked
// there to be safe inside its HTML element (no "</script", "<!--" or "</style").
#include <string_view>

namespace latwin::report {

// The ECharts chart library, dist/echarts.min.js: JavaScript for a <script> element.
std::string_view echarts_js();

// The report's own script (web/report/report.js), which draws the charts and the map from
// the embedded comparison document.
std::string_view report_js();

// The report's style sheet (web/report/report.css), for a <style> element.
std::string_view report_css();

// The map: a GeoJSON FeatureCollection (longitude, latitude in degrees, 0.01° precision)
// cut to the Americas. properties.name is the ISO3 code, properties.label a display name,
// properties.role "lac" for the 33 Latin American and Caribbean states or "context" for the
// U.S., Canada and the territories drawn in grey; properties.small is true for states too
// small to see at the report's scale, which the report also marks with a circle. Holds no
// '<', so it can sit in a <script type="application/json"> element as is.
std::string_view region_geojson();

// One sentence naming the bundled packages, their versions and licences.
std::string_view asset_credits();

}  // namespace latwin::report
