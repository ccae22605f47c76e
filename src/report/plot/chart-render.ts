import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { KilnError } from "../../util/errors.ts";
import { ensureCanvasFonts, FONT_FAMILY, fontFiles } from "./fonts.ts";

/** A vega-lite specification, as given to vega-embed in a page or to chartSvg / chartPng here. */
export type ChartSpec = TopLevelSpec;

export interface ChartPngOptions {
  /** Device pixels per SVG pixel (default 2, for sharp text on high-density screens and in slides). */
  scale?: number;
}

/** The parts of vega's runtime used here that its type definitions leave out. */
interface TextItem {
  fontSize?: number;
  fontStyle?: string;
  fontWeight?: string | number;
}
interface VegaInternals {
  textMetrics: { width: (item: TextItem, text: unknown) => number };
  SVGStringRenderer: new (loader: unknown) => SvgStringRenderer;
}
interface SvgStringRenderer {
  initialize(el: null, width: number, height: number, origin: number[], scale: number): SvgStringRenderer;
  background(colour: unknown): SvgStringRenderer;
  render(scene: unknown): SvgStringRenderer;
  svg(): string;
}
interface ViewInternals {
  _viewWidth: number;
  _viewHeight: number;
  _origin: number[];
  _scenegraph: { root: unknown };
  _pending: unknown;
}

const internals = vega as unknown as VegaInternals;
let measuring = false;

/**
 * Vega lays text out by its width; without node-canvas it guesses 0.8 em per character. Measure with
 * DejaVu Sans through @napi-rs/canvas instead, so labels and legends sit where resvg will draw them.
 */
function measureTextWithCanvas(): void {
  if (measuring) return;
  ensureCanvasFonts();
  const ctx: SKRSContext2D = createCanvas(4, 4).getContext("2d");
  ctx.lang = "en";
  const cache = new Map<string, number>();
  internals.textMetrics.width = (item, text) => {
    const s = text == null ? "" : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    if (!s || size <= 0) return 0;
    const font = `${item.fontStyle ?? ""} ${item.fontWeight ?? ""} ${size}px "${FONT_FAMILY}"`.trim();
    const key = `${font}|${s}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(s).width;
      if (cache.size > 20000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
  measuring = true;
}

/** vega-lite's compiler warnings (about its own defaults) are not the user's business; errors still throw. */
function quietLogger(): vega.LoggerInterface {
  return vega.logger(vega.Error);
}

/**
 * The chart as an SVG string. Vega's own `view.toSVG()` is asynchronous; with inline data the dataflow
 * runs synchronously, so this renders the same scene with the same renderer without awaiting.
 */
export function chartSvg(spec: ChartSpec): string {
  measureTextWithCanvas();
  let view: vega.View;
  try {
    view = new vega.View(vega.parse(compile(spec, { logger: quietLogger() }).spec), {
      renderer: "none",
      logLevel: vega.Error,
    });
    view.run();
  } catch (e) {
    throw new KilnError(`the chart could not be built: ${(e as Error).message}`, {
      where: "vega-lite spec",
      cause: e,
    });
  }
  const v = view as unknown as ViewInternals;
  if (v._pending) {
    throw new KilnError(
      "the chart loads data asynchronously, which the synchronous renderer cannot wait for",
      {
        where: "vega-lite spec",
        hint: "put the data inline (data: { values: [...] })",
      },
    );
  }
  const pad = view.padding() as { left: number; right: number; top: number; bottom: number };
  const width = Math.max(0, v._viewWidth + pad.left + pad.right);
  const height = Math.max(0, v._viewHeight + pad.top + pad.bottom);
  vega.resetSVGDefIds();
  const renderer = new internals.SVGStringRenderer(view.loader())
    .initialize(null, width, height, [pad.left + v._origin[0], pad.top + v._origin[1]], 1)
    .background(view.background());
  const svg = renderer.render(v._scenegraph.root).svg();
  view.finalize();
  return svg;
}

/** An SVG rasterised by resvg with DejaVu Sans only (no system font lookup, so the bytes are reproducible). */
export function svgToPng(svg: string, opts: ChartPngOptions = {}): Buffer {
  const files = fontFiles();
  const scale = opts.scale ?? 2;
  if (!(scale > 0 && scale <= 8)) {
    throw new KilnError(`chart scale ${scale} is out of range`, { hint: "use a scale between 0.25 and 8" });
  }
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [files.regular, files.bold],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}

/** A vega-lite chart as PNG. */
export function chartPng(spec: ChartSpec, opts: ChartPngOptions = {}): Buffer {
  return svgToPng(chartSvg(spec), opts);
}
