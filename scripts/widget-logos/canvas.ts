import type { RgbaImage } from "./encode-png.js";

/** Signed distance in pixels from a pixel centre to a shape (< 0 inside). */
export type Shape = (x: number, y: number) => number;

export type Rgb = readonly [number, number, number];

export function createImage(width: number, height: number): RgbaImage {
  return { width, height, pixels: new Uint8ClampedArray(width * height * 4) };
}

/** Fills the whole image with one opaque colour. */
export function fillBackground(image: RgbaImage, color: Rgb): void {
  for (let i = 0; i < image.pixels.length; i += 4) {
    image.pixels.set([...color, 255], i);
  }
}

/**
 * Paints a shape over the image. Coverage comes from the distance field, so
 * edges are anti-aliased over one pixel without supersampling.
 */
export function paint(image: RgbaImage, shape: Shape, color: Rgb): void {
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const coverage = Math.min(1, Math.max(0, 0.5 - shape(x + 0.5, y + 0.5)));
      if (coverage > 0)
        blend(image, (y * image.width + x) * 4, color, coverage);
    }
  }
}

function blend(image: RgbaImage, at: number, color: Rgb, alpha: number): void {
  const { pixels } = image;
  const below = (pixels[at + 3] ?? 0) / 255;
  const out = alpha + below * (1 - alpha);
  for (let c = 0; c < 3; c += 1) {
    const mixed =
      (color[c]! * alpha + (pixels[at + c] ?? 0) * below * (1 - alpha)) / out;
    pixels[at + c] = Math.round(mixed);
  }
  pixels[at + 3] = Math.round(out * 255);
}
