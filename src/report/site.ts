/**
 * The report's folder: index.html, img/ (PNGs), downloads/ (exports, the frame, the ledger) and
 * assets/katex/ (KaTeX's stylesheet and fonts, copied from node_modules so the page needs no network).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { KilnError } from "../util/errors.ts";
import { attrs, esc } from "./html.ts";

const require = createRequire(import.meta.url);

export const SITE_DIRS = { images: "img", downloads: "downloads", katex: "assets/katex" } as const;

export class Site {
  readonly dir: string;
  private readonly names = new Set<string>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      // A report written again replaces the old one's images and downloads, so nothing stale is linked.
      for (const d of [SITE_DIRS.images, SITE_DIRS.downloads])
        fs.rmSync(path.join(this.dir, d), { recursive: true, force: true });
      for (const d of [SITE_DIRS.images, SITE_DIRS.downloads])
        fs.mkdirSync(path.join(this.dir, d), { recursive: true });
    } catch (e) {
      throw new KilnError(`cannot write the report folder (${(e as NodeJS.ErrnoException).code})`, {
        where: this.dir,
        hint: "choose another --out folder",
      });
    }
  }

  /** Write a PNG into img/ and return its <img> element (width in CSS pixels, when the PNG is drawn at 2×). */
  image(name: string, png: Buffer, alt: string, opts: { scale?: number; cls?: string } = {}): string {
    const rel = this.write(SITE_DIRS.images, `${name}.png`, png);
    const { width, height } = pngSize(png);
    const s = opts.scale ?? 1;
    return `<img${attrs({
      src: rel,
      alt,
      width: Math.round(width / s),
      height: Math.round(height / s),
      loading: "eager",
      class: opts.cls,
    })}>`;
  }

  /** Write a download into downloads/ and return its relative path. */
  download(file: string, content: string | Buffer): string {
    return this.write(SITE_DIRS.downloads, file, content);
  }

  /** Copy a file into downloads/ (e.g. the ledger) and return its relative path. */
  copyDownload(file: string, from: string): string {
    return this.write(SITE_DIRS.downloads, file, fs.readFileSync(from));
  }

  /** KaTeX's stylesheet and fonts; returns the stylesheet's relative path. */
  copyKatex(): string {
    const dist = path.dirname(require.resolve("katex/dist/katex.min.css"));
    const to = path.join(this.dir, SITE_DIRS.katex);
    fs.mkdirSync(path.join(to, "fonts"), { recursive: true });
    fs.copyFileSync(path.join(dist, "katex.min.css"), path.join(to, "katex.min.css"));
    for (const f of fs.readdirSync(path.join(dist, "fonts"))) {
      fs.copyFileSync(path.join(dist, "fonts", f), path.join(to, "fonts", f));
    }
    return `${SITE_DIRS.katex}/katex.min.css`;
  }

  writeIndex(html: string): string {
    const file = path.join(this.dir, "index.html");
    fs.writeFileSync(file, html);
    return file;
  }

  private write(sub: string, file: string, content: string | Buffer): string {
    const safe = file.replace(/[^A-Za-z0-9._-]+/g, "_");
    if (this.names.has(`${sub}/${safe}`)) throw new Error(`report: ${sub}/${safe} written twice`);
    this.names.add(`${sub}/${safe}`);
    fs.writeFileSync(path.join(this.dir, sub, safe), content);
    return `${sub}/${safe}`;
  }
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(12) !== 0x49484452) throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A link to a download. */
export function downloadLink(rel: string, text: string): string {
  return `<a href="${esc(rel)}" download>${esc(text)}</a>`;
}
