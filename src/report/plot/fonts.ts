import { existsSync } from "node:fs";
import path from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";
import { KilnError } from "../../util/errors.ts";

/** The one font family every picture uses, set explicitly so no renderer falls back to a host default. */
export const FONT_FAMILY = "DejaVu Sans";

/** Where Debian, Fedora, Arch and Homebrew put DejaVu; KILN_FONT_DIR (a folder with DejaVuSans.ttf) comes first. */
const FONT_DIRS = [
  "/usr/share/fonts/truetype/dejavu",
  "/usr/share/fonts/dejavu",
  "/usr/share/fonts/TTF",
  "/usr/share/fonts/dejavu-sans-fonts",
  "/usr/local/share/fonts",
  "/opt/homebrew/share/fonts",
];

export interface FontFiles {
  regular: string;
  bold: string;
}

let found: FontFiles | undefined;
let canvasReady = false;

/** Paths of DejaVuSans.ttf and DejaVuSans-Bold.ttf on this machine; a clear error when they are missing. */
export function fontFiles(): FontFiles {
  if (found) return found;
  const dirs = [process.env.KILN_FONT_DIR, ...FONT_DIRS].filter((d): d is string => Boolean(d));
  for (const dir of dirs) {
    const regular = path.join(dir, "DejaVuSans.ttf");
    const bold = path.join(dir, "DejaVuSans-Bold.ttf");
    if (existsSync(regular) && existsSync(bold)) {
      found = { regular, bold };
      return found;
    }
  }
  throw new KilnError("the DejaVu Sans font (DejaVuSans.ttf, DejaVuSans-Bold.ttf) was not found", {
    where: `font folders ${dirs.join(", ")}`,
    hint: "install it (Debian: apt-get install fonts-dejavu-core) or set KILN_FONT_DIR to a folder holding both files",
  });
}

/** Registers DejaVu Sans (regular and bold) with @napi-rs/canvas once per process. */
export function ensureCanvasFonts(): void {
  if (canvasReady) return;
  const files = fontFiles();
  for (const file of [files.regular, files.bold]) {
    if (!GlobalFonts.registerFromPath(file, FONT_FAMILY)) {
      throw new KilnError(`the font file could not be loaded by the canvas renderer`, {
        where: file,
        hint: "reinstall the DejaVu fonts (Debian: fonts-dejavu-core)",
      });
    }
  }
  canvasReady = true;
}

/** A CSS font string for canvas text in the plotting font. */
export function canvasFont(sizePx: number, bold = false): string {
  return `${bold ? "bold " : ""}${sizePx}px "${FONT_FAMILY}"`;
}
