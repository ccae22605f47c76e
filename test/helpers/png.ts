/** PNG bytes decoded to pixels, for the plotting tests (through the canvas library, not Kiln's renderer). */
import assert from "node:assert/strict";
import { createCanvas, loadImage } from "@napi-rs/canvas";

export interface Pixels {
  width: number;
  height: number;
  /** RGB at pixel (x, y), coordinates rounded to the nearest pixel. */
  at(x: number, y: number): [number, number, number];
}

export async function decodePng(png: Buffer): Promise<Pixels> {
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG signature");
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  return {
    width: img.width,
    height: img.height,
    at(x, y) {
      const k = 4 * (Math.round(y) * img.width + Math.round(x));
      return [data[k], data[k + 1], data[k + 2]];
    },
  };
}
