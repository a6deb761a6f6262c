// Draws the extension's icon (images/icon.png, 128×128): a heptagon (Kubernetes' wheel has seven
// spokes) on a dark blue tile, with a green check mark: the cluster, checked before it exists.
// Run `node scripts/make-icon.mjs` after changing the drawing; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // per axis, for smooth edges

function roundedSquare(x, y) {
  const r = 24;
  const dx = Math.max(Math.abs(x - 64) - (64 - r), 0);
  const dy = Math.max(Math.abs(y - 64) - (64 - r), 0);
  return Math.hypot(dx, dy) <= r;
}

/** Distance from (x, y) to a regular polygon's outline (n sides, circumradius R, centre c). */
function polygonEdgeDistance(x, y, n, R, cx, cy, rotation) {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const a1 = rotation + (i * 2 * Math.PI) / n;
    const a2 = rotation + ((i + 1) * 2 * Math.PI) / n;
    const [x1, y1] = [cx + R * Math.cos(a1), cy + R * Math.sin(a1)];
    const [x2, y2] = [cx + R * Math.cos(a2), cy + R * Math.sin(a2)];
    best = Math.min(best, segmentDistance(x, y, x1, y1, x2, y2));
  }
  return best;
}

function segmentDistance(px, py, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

function colourAt(x, y) {
  if (!roundedSquare(x, y)) return null;
  const check = Math.min(segmentDistance(x, y, 44, 66, 58, 80), segmentDistance(x, y, 58, 80, 86, 48));
  if (check <= 7) return [76, 217, 100];
  const wheel = polygonEdgeDistance(x, y, 7, 44, 64, 64, -Math.PI / 2);
  if (wheel <= 4.5) return [255, 255, 255];
  return [31, 59, 99];
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a += 255;
      }
    }
    const n = SAMPLES * SAMPLES;
    const covered = a / 255;
    row.set(
      covered ? [Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round(a / n)] : [0, 0, 0, 0],
      1 + x * 4,
    );
  }
  rows.push(row);
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buffer) {
  let c = -1;
  for (const byte of buffer) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);
