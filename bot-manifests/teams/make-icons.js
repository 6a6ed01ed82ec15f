#!/usr/bin/env node
'use strict';
// Draws the Teams app icons as PNG files with no dependencies (zlib only):
//   color.png   192x192, full colour: a white star on the street-office blue.
//   outline.png  32x32, white star on a transparent background (Teams' rule for outline icons).
// Run again after changing the drawing: node bot-manifests/teams/make-icons.js
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (pixel(x, y) → [r, g, b, a]) as a PNG. */
function encodePng(size, pixel) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y += 1) {
    const row = y * (1 + size * 4);
    rows[row] = 0; // filter: none
    for (let x = 0; x < size; x += 1) rows.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A five-pointed star centred at (cx, cy) as polygon vertices. */
function star(cx, cy, outer, inner) {
  const points = [];
  for (let i = 0; i < 10; i += 1) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push([cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]);
  }
  return points;
}

function inside(polygon, x, y) {
  let result = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

/** Fraction of a pixel covered by the polygon (4x4 supersampling, for smooth edges). */
function coverage(polygon, x, y) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy += 1) {
    for (let sx = 0; sx < 4; sx += 1) if (inside(polygon, x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits += 1;
  }
  return hits / 16;
}

const blue = [0x1f, 0x4e, 0x79];
const colorStar = star(96, 102, 70, 28);
const color = encodePng(192, (x, y) => {
  const c = coverage(colorStar, x, y);
  return [...blue.map((v) => Math.round(v + (255 - v) * c)), 255];
});

const outlineStar = star(16, 17, 14, 5.6);
const outline = encodePng(32, (x, y) => [255, 255, 255, Math.round(255 * coverage(outlineStar, x, y))]);

fs.writeFileSync(path.join(__dirname, 'color.png'), color);
fs.writeFileSync(path.join(__dirname, 'outline.png'), outline);
console.log('wrote color.png (192x192) and outline.png (32x32)');
