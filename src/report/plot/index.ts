/** Plotting primitives for Kiln's pictures: maps (canvas, pixel-exact cells) and charts (vega-lite → SVG → PNG). */
export { renderMap, renderMapPanel, mapLayout, type MapPanelOptions } from "./map.ts";
export { mapPixel, type MapLayout, type PixelRect } from "./map-layout.ts";
export { NO_DATA_COLOUR, type MapOptions, type LatLonBox } from "./map-options.ts";
export { schemeNames, type ColourKind } from "./colours.ts";
export { lineChart, lineChartSpec, type LineChartOptions, type LineSeries } from "./line-chart.ts";
export { barChart, barChartSpec, ZERO_GROUP, type Bar, type BarChartOptions } from "./bar-chart.ts";
export { heatmap, heatmapSpec, type HeatmapOptions } from "./heatmap.ts";
export {
  scatterChart,
  scatterChartSpec,
  type ScatterChartOptions,
  type ScatterPoint,
} from "./scatter-chart.ts";
export { paretoFront, type ParetoSense } from "./pareto.ts";
export { chartPng, chartSvg, svgToPng, type ChartPngOptions, type ChartSpec } from "./chart-render.ts";
