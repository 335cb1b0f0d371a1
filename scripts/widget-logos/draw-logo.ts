import { createImage, fillBackground, paint } from "./canvas.js";
import type { Rgb } from "./canvas.js";
import type { RgbaImage } from "./encode-png.js";
import { arc, clip, segment, union } from "./shapes.js";
import type { Point } from "./shapes.js";

const AMOCRM_BLUE: Rgb = [47, 111, 222];
const ONEC_AMBER: Rgb = [240, 165, 0];
const ONEC_RED: Rgb = [217, 72, 15];
const TILE_GREY: Rgb = [244, 247, 251];

/** Where to put the mark (two linked rings) and the "amo1c" wordmark. */
export interface LogoLayout {
  width: number;
  height: number;
  background?: Rgb | undefined;
  mark?: { center: Point; radius: number } | undefined;
  /** `x` is the left edge, or the centre when `centered`. */
  wordmark?:
    | { x: number; baseline: number; xHeight: number; centered?: boolean }
    | undefined;
}

/** The sizes amoCRM asks for (reference amocrm §5.1). */
export const LOGO_LAYOUTS: Record<string, LogoLayout> = {
  "logo_main.png": {
    width: 400,
    height: 272,
    background: TILE_GREY,
    mark: { center: { x: 200, y: 104 }, radius: 40 },
    wordmark: { x: 200, baseline: 226, xHeight: 34, centered: true },
  },
  "logo_medium.png": {
    width: 240,
    height: 84,
    mark: { center: { x: 40, y: 42 }, radius: 16 },
    wordmark: { x: 82, baseline: 57, xHeight: 22 },
  },
  "logo_small.png": {
    width: 108,
    height: 108,
    mark: { center: { x: 54, y: 54 }, radius: 26 },
  },
  "logo_min.png": {
    width: 84,
    height: 84,
    mark: { center: { x: 42, y: 42 }, radius: 21 },
  },
  "logo.png": {
    width: 130,
    height: 100,
    mark: { center: { x: 65, y: 38 }, radius: 22 },
    wordmark: { x: 65, baseline: 90, xHeight: 13, centered: true },
  },
};

export function drawLogo(layout: LogoLayout): RgbaImage {
  const image = createImage(layout.width, layout.height);
  if (layout.background !== undefined) fillBackground(image, layout.background);
  if (layout.mark !== undefined)
    drawMark(image, layout.mark.center, layout.mark.radius);
  if (layout.wordmark !== undefined) drawWordmark(image, layout.wordmark);
  return image;
}

/**
 * Two linked rings, amoCRM blue and 1C amber. The blue ring is painted again
 * over the upper crossing so the rings look interlocked.
 */
function drawMark(image: RgbaImage, center: Point, radius: number): void {
  const width = radius * 0.3;
  const offset = radius * 0.55;
  const blue = arc({ x: center.x - offset, y: center.y }, radius, width);
  const amber = arc({ x: center.x + offset, y: center.y }, radius, width);
  const upperCrossing: (x: number, y: number) => number = (x, y) =>
    Math.max(y - center.y, Math.abs(x - center.x) - radius * 0.6);

  paint(image, blue, AMOCRM_BLUE);
  paint(image, amber, ONEC_AMBER);
  paint(image, clip(blue, upperCrossing), AMOCRM_BLUE);
}

interface Glyph {
  advance: number;
  /** Strokes in x-height units: y 0 is the x-height line, 1 the baseline. */
  strokes: (
    origin: Point,
    unit: number,
    width: number,
  ) => ReturnType<typeof union>;
}

const STROKE_EM = 0.2;
const GAP_EM = 0.18;
const at = (origin: Point, unit: number, x: number, y: number): Point => ({
  x: origin.x + x * unit,
  y: origin.y + y * unit,
});

const GLYPHS: Record<string, Glyph> = {
  a: {
    advance: 1,
    strokes: (o, u, w) =>
      union(
        arc(at(o, u, 0.5, 0.5), 0.4 * u, w),
        segment(at(o, u, 0.9, 0.1), at(o, u, 0.9, 0.9), w),
      ),
  },
  m: {
    advance: 1.4,
    strokes: (o, u, w) =>
      union(
        segment(at(o, u, 0.1, 0.1), at(o, u, 0.1, 0.9), w),
        segment(at(o, u, 0.7, 0.4), at(o, u, 0.7, 0.9), w),
        segment(at(o, u, 1.3, 0.4), at(o, u, 1.3, 0.9), w),
        arc(at(o, u, 0.4, 0.4), 0.3 * u, w, [Math.PI, 2 * Math.PI]),
        arc(at(o, u, 1.0, 0.4), 0.3 * u, w, [Math.PI, 2 * Math.PI]),
      ),
  },
  o: { advance: 1, strokes: (o, u, w) => arc(at(o, u, 0.5, 0.5), 0.4 * u, w) },
  "1": {
    advance: 0.6,
    strokes: (o, u, w) =>
      union(
        segment(at(o, u, 0.35, -0.3), at(o, u, 0.35, 0.9), w),
        segment(at(o, u, 0.35, -0.3), at(o, u, 0.05, -0.05), w),
      ),
  },
  c: {
    advance: 0.95,
    strokes: (o, u, w) =>
      arc(at(o, u, 0.5, 0.5), 0.4 * u, w, [Math.PI / 4, (7 * Math.PI) / 4]),
  },
};

const WORDMARK: readonly (readonly [string, Rgb])[] = [
  ["a", AMOCRM_BLUE],
  ["m", AMOCRM_BLUE],
  ["o", AMOCRM_BLUE],
  ["1", ONEC_RED],
  ["c", ONEC_RED],
];

function wordmarkWidthEm(): number {
  const advances = WORDMARK.map(([letter]) => GLYPHS[letter]?.advance ?? 0);
  return (
    advances.reduce((sum, advance) => sum + advance, 0) +
    GAP_EM * (WORDMARK.length - 1)
  );
}

function drawWordmark(
  image: RgbaImage,
  {
    x: anchor,
    baseline,
    xHeight,
    centered,
  }: NonNullable<LogoLayout["wordmark"]>,
): void {
  let x =
    centered === true ? anchor - (wordmarkWidthEm() * xHeight) / 2 : anchor;
  for (const [letter, color] of WORDMARK) {
    const glyph = GLYPHS[letter];
    if (glyph === undefined) continue;
    const origin = { x, y: baseline - xHeight };
    paint(image, glyph.strokes(origin, xHeight, STROKE_EM * xHeight), color);
    x += (glyph.advance + GAP_EM) * xHeight;
  }
}
