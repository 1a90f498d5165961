/**
 * Draws the Teams app icons into `manifest/` with nothing but Node's zlib:
 * `color.png` (192×192, the accent colour with a white upward arrow) and `outline.png`
 * (32×32, the same arrow in white on transparent, as Teams requires).
 * Run: `npx tsx scripts/generate-icons.ts`. The PNGs are committed; rerun only to change them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export type Rgba = readonly [number, number, number, number];

/** The manifest's accentColor, #5B3FD1. */
export const ACCENT: Rgba = [0x5b, 0x3f, 0xd1, 255];
const WHITE: Rgba = [255, 255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG of `width`×`height` from `pixel(x, y)`; every scanline uses filter 0. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 4);
    for (let x = 0; x < width; x += 1) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** An upward arrow in the unit square: a triangular head over a shaft. */
export function inArrow(u: number, v: number): boolean {
  const head = v >= 0.18 && v <= 0.52 && Math.abs(u - 0.5) <= ((v - 0.18) / 0.34) * 0.3;
  const shaft = v > 0.5 && v <= 0.82 && Math.abs(u - 0.5) <= 0.1;
  return head || shaft;
}

/** Share of `size`-pixel cell (x, y) covered by the arrow, from 4×4 samples (anti-aliasing). */
function coverage(x: number, y: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i += 1) {
    for (let j = 0; j < 4; j += 1) if (inArrow((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hits += 1;
  }
  return hits / 16;
}

function blend(under: Rgba, over: Rgba, share: number): Rgba {
  const mix = (a: number, b: number) => Math.round(a + (b - a) * share);
  return [mix(under[0], over[0]), mix(under[1], over[1]), mix(under[2], over[2]), 255];
}

/** 192×192: white arrow on the accent colour, edge to edge. */
export function colorIcon(size = 192): Buffer {
  return encodePng(size, size, (x, y) => blend(ACCENT, WHITE, coverage(x, y, size)));
}

/** 32×32: white arrow on transparent; only white pixels, edges by alpha. */
export function outlineIcon(size = 32): Buffer {
  return encodePng(size, size, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, size))]);
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'manifest');
  writeFileSync(path.join(dir, 'color.png'), colorIcon());
  writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
  console.log(`wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}`);
}
