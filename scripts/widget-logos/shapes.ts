import type { Shape } from "./canvas.js";

export interface Point {
  x: number;
  y: number;
}

/** A stroke of width `width` along a segment, with round caps. */
export function segment(a: Point, b: Point, width: number): Shape {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy || 1;
  return (x, y) => {
    const t = Math.min(
      1,
      Math.max(0, ((x - a.x) * dx + (y - a.y) * dy) / lengthSquared),
    );
    return Math.hypot(x - a.x - t * dx, y - a.y - t * dy) - width / 2;
  };
}

/**
 * A stroke along a circle arc from angle `from` to `to` (radians, clockwise
 * on screen since y grows downwards), with round caps.
 */
export function arc(
  center: Point,
  radius: number,
  width: number,
  [from, to]: readonly [number, number] = [0, 2 * Math.PI],
): Shape {
  const ends = [from, to].map((angle) => ({
    x: center.x + radius * Math.cos(angle),
    y: center.y + radius * Math.sin(angle),
  }));
  return (x, y) => {
    const angle = Math.atan2(y - center.y, x - center.x);
    if (isWithin(angle, from, to)) {
      return (
        Math.abs(Math.hypot(x - center.x, y - center.y) - radius) - width / 2
      );
    }
    const nearest = Math.min(
      ...ends.map((end) => Math.hypot(x - end.x, y - end.y)),
    );
    return nearest - width / 2;
  };
}

export function union(...shapes: Shape[]): Shape {
  return (x, y) => Math.min(...shapes.map((shape) => shape(x, y)));
}

/** The part of `shape` inside `mask`. */
export function clip(shape: Shape, mask: Shape): Shape {
  return (x, y) => Math.max(shape(x, y), mask(x, y));
}

export function roundedRect(from: Point, to: Point, radius: number): Shape {
  const cx = (from.x + to.x) / 2;
  const cy = (from.y + to.y) / 2;
  const hx = (to.x - from.x) / 2 - radius;
  const hy = (to.y - from.y) / 2 - radius;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    return outside + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

function isWithin(angle: number, from: number, to: number): boolean {
  const full = 2 * Math.PI;
  const span = (((to - from) % full) + full) % full || full;
  const offset = (((angle - from) % full) + full) % full;
  return offset <= span;
}
