/**
 * Demo image generator for the Broadsheet demo newsroom ("The Harbour Ledger").
 *
 * Each theme key maps to an original, abstract editorial illustration built from
 * simple geometric SVG shapes and gradients. No text, no external references.
 * Output is deterministic for a given key: small variations (lit windows, cloud
 * placement, stall colours) come from a PRNG seeded by the key.
 *
 * All scenes are drawn on a 1600x900 canvas and scaled to the requested size with
 * `preserveAspectRatio="xMidYMid slice"`, so other aspect ratios crop rather than
 * distort.
 */
import sharp from 'sharp';

export const demoImageKeys: readonly string[] = Object.freeze([
  'harbour',
  'school',
  'ferry',
  'council',
  'fire',
  'storm',
  'heatwave',
  'market',
  'election',
  'theatre',
  'courthouse',
  'park',
  'newsroom',
  'bridge',
  'housing',
  'bus',
]);

const W = 1600;
const H = 900;

type Rng = () => number;

function hashKey(key: string): number {
  // FNV-1a, 32-bit
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick() from empty list');
  return item;
}

const n = (v: number): string => (Math.round(v * 10) / 10).toString();

// ---- tiny SVG helpers -------------------------------------------------------

function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
function ellipse(cx: number, cy: number, rx: number, ry: number, fill: string, extra = ''): string {
  return `<ellipse cx="${n(cx)}" cy="${n(cy)}" rx="${n(rx)}" ry="${n(ry)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
function poly(points: [number, number][], fill: string, extra = ''): string {
  const pts = points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
  return `<polygon points="${pts}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
function path(d: string, fill: string, extra = ''): string {
  return `<path d="${d}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, extra = ''): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${n(width)}"${extra ? ' ' + extra : ''}/>`;
}
function linear(id: string, stops: [number, string, number?][], vertical = true): string {
  const dir = vertical ? 'x1="0" y1="0" x2="0" y2="1"' : 'x1="0" y1="0" x2="1" y2="0"';
  const s = stops
    .map(([o, c, op]) => `<stop offset="${o}" stop-color="${c}"${op === undefined ? '' : ` stop-opacity="${op}"`}/>`)
    .join('');
  return `<linearGradient id="${id}" ${dir}>${s}</linearGradient>`;
}
function radial(id: string, stops: [number, string, number?][], cx = 0.5, cy = 0.5, r = 0.5): string {
  const s = stops
    .map(([o, c, op]) => `<stop offset="${o}" stop-color="${c}"${op === undefined ? '' : ` stop-opacity="${op}"`}/>`)
    .join('');
  return `<radialGradient id="${id}" cx="${cx}" cy="${cy}" r="${r}">${s}</radialGradient>`;
}

interface Scene {
  defs: string[];
  body: string[];
}

/** Rolling-hill silhouette across the full width. */
function hills(rng: Rng, baseY: number, amp: number, fill: string, segments = 5): string {
  const step = W / segments;
  let d = `M0,${n(baseY)}`;
  for (let i = 0; i < segments; i++) {
    const x1 = i * step + step / 2;
    const y1 = baseY - amp * (0.4 + rng() * 0.8);
    const x2 = (i + 1) * step;
    const y2 = baseY - amp * rng() * 0.3;
    d += ` Q${n(x1)},${n(y1)} ${n(x2)},${n(y2)}`;
  }
  d += ` L${W},${H} L0,${H} Z`;
  return path(d, fill);
}

function tree(x: number, groundY: number, size: number, leaf: string, trunk = '#5b4636'): string {
  return (
    rect(x - size * 0.08, groundY - size * 0.9, size * 0.16, size * 0.9, trunk) +
    circle(x, groundY - size * 1.1, size * 0.5, leaf) +
    circle(x - size * 0.3, groundY - size * 0.85, size * 0.35, leaf) +
    circle(x + size * 0.3, groundY - size * 0.85, size * 0.35, leaf)
  );
}

function waves(rng: Rng, y0: number, y1: number, count: number, stroke: string, opacity: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const y = y0 + (y1 - y0) * rng();
    const x = rng() * W;
    const len = 60 + rng() * 160;
    out.push(line(x, y, x + len, y, stroke, 2 + rng() * 3, `stroke-linecap="round" opacity="${opacity}"`));
  }
  return `<g>${out.join('')}</g>`;
}

function gull(x: number, y: number, s: number, color: string): string {
  return path(
    `M${n(x - s)},${n(y)} Q${n(x - s / 2)},${n(y - s * 0.6)} ${n(x)},${n(y)} Q${n(x + s / 2)},${n(y - s * 0.6)} ${n(x + s)},${n(y)}`,
    'none',
    `stroke="${color}" stroke-width="3" stroke-linecap="round"`,
  );
}

// ---- scenes ----------------------------------------------------------------

function harbour(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#f6d2a2'], [0.55, '#e9a37a'], [1, '#9cb8c8']]),
    linear('sea', [[0, '#3d6f86'], [1, '#17324a']]),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)'), circle(1180, 430, 90, '#fbe7c4', 'opacity="0.9"')];
  body.push(hills(rng, 560, 120, '#8a93a6', 6));
  body.push(rect(0, 560, W, H - 560, 'url(#sea)'));
  for (let i = 0; i < 6; i++) body.push(rect(1120 + rng() * 40, 580 + i * 28, 80 + rng() * 60, 5, '#fbe7c4', 'opacity="0.45"'));
  // quay
  body.push(rect(0, 520, 900, 90, '#2b2f3a'));
  const colours = ['#c4553a', '#2f7a8a', '#e0a83c', '#5a6e8c', '#7c8f4e', '#a64452'];
  for (let col = 0; col < 9; col++) {
    const stack = 1 + Math.floor(rng() * 3);
    for (let row = 0; row < stack; row++) {
      body.push(rect(60 + col * 90, 490 - row * 34, 84, 30, pick(rng, colours), 'stroke="#1f2430" stroke-width="2"'));
    }
  }
  // gantry cranes
  for (const cx of [180, 560]) {
    body.push(rect(cx - 60, 300, 14, 220, '#d9643a'), rect(cx + 46, 300, 14, 220, '#d9643a'));
    body.push(rect(cx - 120, 290, 300, 18, '#d9643a'), rect(cx - 20, 250, 40, 44, '#b34e2c'));
    body.push(line(cx + 120, 308, cx + 120, 420, '#2b2f3a', 3));
  }
  // ship
  body.push(poly([[980, 640], [1460, 640], [1420, 700], [1010, 700]], '#23313f'));
  body.push(rect(1040, 600, 120, 40, '#e6e1d6'), rect(1060, 570, 60, 30, '#e6e1d6'), rect(1180, 612, 240, 28, '#c4553a'));
  body.push(waves(rng, 620, 880, 26, '#cfe2ea', 0.35));
  body.push(gull(760, 200, 22, '#3a3f4d'), gull(830, 240, 16, '#3a3f4d'), gull(700, 260, 14, '#3a3f4d'));
  return { defs, body };
}

function school(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#bfe0f0'], [1, '#f3efe2']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(circle(1380, 150, 70, '#fff4c9'));
  body.push(hills(rng, 700, 60, '#9cc38a', 4));
  // building
  body.push(rect(330, 330, 940, 380, '#b5573d'), rect(320, 310, 960, 28, '#7d3a29'));
  body.push(poly([[680, 310], [800, 220], [920, 310]], '#7d3a29'));
  body.push(circle(800, 275, 26, '#f5ecd8'), line(800, 275, 800, 260, '#3b2a22', 4), line(800, 275, 812, 280, '#3b2a22', 4));
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 8; col++) {
      const x = 370 + col * 112;
      if (col === 3 || col === 4) continue;
      const lit = rng() > 0.35;
      body.push(rect(x, 370 + row * 105, 64, 70, lit ? '#f6e6b4' : '#d6e6ee', 'stroke="#f5ecd8" stroke-width="6"'));
    }
  }
  body.push(rect(730, 560, 140, 150, '#3b2a22'), rect(742, 572, 54, 138, '#5c7f91'), rect(804, 572, 54, 138, '#5c7f91'));
  body.push(rect(700, 700, 200, 14, '#d8d2c4'));
  body.push(poly([[760, 714], [840, 714], [1000, 900], [600, 900]], '#d8cfb8'));
  // flagpole
  body.push(line(1360, 700, 1360, 330, '#6d6d6d', 6), rect(1363, 335, 90, 56, '#1f6b63'), circle(1408, 363, 14, '#f0c94a'));
  body.push(tree(200, 720, 150, '#4f8a4b'), tree(1480, 730, 120, '#5f9a55'), tree(90, 740, 100, '#6aa15c'));
  // kids' backpacks (abstract figures)
  for (let i = 0; i < 4; i++) {
    const x = 560 + i * 160 + rng() * 30;
    const c = pick(rng, ['#e36b4f', '#3f7cc2', '#f2b441', '#6c4fa1']);
    body.push(circle(x, 770, 18, '#5a4032'), rect(x - 20, 790, 40, 70, c, 'rx="14"'));
  }
  return { defs, body };
}

function ferry(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#cfe3ee'], [1, '#f8efe0']]),
    linear('sea', [[0, '#4b8aa6'], [1, '#1d4a63']]),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  for (let i = 0; i < 4; i++) {
    const x = rng() * W;
    body.push(ellipse(x, 120 + rng() * 140, 120 + rng() * 80, 26, '#ffffff', 'opacity="0.7"'));
  }
  body.push(hills(rng, 520, 90, '#7f9c8e', 5));
  body.push(rect(0, 510, W, H - 510, 'url(#sea)'));
  // wake
  body.push(poly([[1180, 640], [1600, 600], [1600, 720]], '#e8f3f7', 'opacity="0.55"'));
  body.push(poly([[1180, 650], [1600, 650], [1600, 690]], '#ffffff', 'opacity="0.5"'));
  // ferry hull and decks
  body.push(path('M360,560 L1220,560 L1170,690 Q780,720 420,690 Z', '#f4f1ea'));
  body.push(path('M380,640 L1195,640 L1180,675 Q780,705 410,676 Z', '#1f3c57'));
  body.push(rect(470, 470, 640, 90, '#f4f1ea'), rect(560, 400, 430, 72, '#f4f1ea'), rect(660, 350, 200, 52, '#e8e3d7'));
  body.push(rect(470, 520, 640, 10, '#2f7a8a'));
  for (let i = 0; i < 14; i++) body.push(rect(490 + i * 44, 485, 30, 24, '#3b5b74'));
  for (let i = 0; i < 9; i++) body.push(rect(580 + i * 45, 415, 30, 22, '#3b5b74'));
  body.push(rect(900, 300, 48, 100, '#d24f3a'), rect(900, 300, 48, 16, '#2b2f3a'));
  body.push(waves(rng, 560, 880, 24, '#ffffff', 0.35));
  body.push(gull(300, 240, 20, '#41505e'), gull(360, 280, 14, '#41505e'), gull(1320, 210, 18, '#41505e'));
  return { defs, body };
}

function civicBuilding(body: string[], stone: string, shade: string, columns: number, domed: boolean): void {
  body.push(rect(360, 380, 880, 300, stone));
  body.push(poly([[330, 380], [800, 230], [1270, 380]], stone));
  body.push(poly([[390, 370], [800, 250], [1210, 370]], shade));
  body.push(rect(330, 372, 940, 20, shade));
  const span = 780 / (columns - 1);
  for (let i = 0; i < columns; i++) {
    const x = 410 + i * span - 18;
    body.push(rect(x, 400, 36, 270, '#f3efe6'), rect(x - 6, 392, 48, 12, shade), rect(x - 6, 664, 48, 12, shade));
  }
  for (let i = 0; i < 4; i++) body.push(rect(300 - i * 20, 680 + i * 22, 1000 + i * 40, 22, i % 2 ? stone : shade));
  if (domed) {
    body.push(rect(650, 180, 300, 70, stone));
    body.push(path('M640,185 A160,150 0 0 1 960,185 Z', '#6f8f8a'));
    body.push(rect(790, 10, 20, 32, shade), circle(800, 40, 14, '#c9a44c'));
  }
}

function council(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#87a9c9'], [1, '#eadfcf']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  for (let i = 0; i < 3; i++) body.push(ellipse(rng() * W, 80 + rng() * 120, 160, 30, '#ffffff', 'opacity="0.55"'));
  body.push(rect(0, 760, W, 140, '#8f9a83'));
  civicBuilding(body, '#d9d0bf', '#b9ad97', 6, true);
  body.push(line(1380, 770, 1380, 300, '#555', 6), rect(1383, 305, 100, 60, '#1f6b63'), poly([[1383, 305], [1423, 335], [1383, 365]], '#f2efe6'), circle(1450, 335, 12, '#f0c94a'));
  body.push(tree(150, 790, 170, '#50784a'), tree(1500, 800, 140, '#5d8a52'));
  return { defs, body };
}

function courthouse(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#3a4a66'], [1, '#b6a99a']]),
    linear('beam', [[0, '#fff6dc', 0.45], [1, '#fff6dc', 0]], false),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  for (let i = 0; i < 4; i++) body.push(ellipse(rng() * W, 60 + rng() * 160, 220, 22, '#d8d0c8', 'opacity="0.25"'));
  body.push(rect(0, 760, W, 140, '#5d5a57'));
  civicBuilding(body, '#c8c2b6', '#9c958a', 8, false);
  // dramatic diagonal light
  body.push(poly([[0, 0], [700, 0], [1600, 900], [1100, 900]], 'url(#beam)'));
  // lamp posts
  for (const x of [220, 1380]) {
    body.push(rect(x - 5, 560, 10, 210, '#2a2d33'), circle(x, 550, 20, '#f7d98a'), circle(x, 550, 46, '#f7d98a', 'opacity="0.25"'));
  }
  // balance scales motif in the pediment
  body.push(line(800, 270, 800, 350, '#6f685e', 6), line(740, 290, 860, 290, '#6f685e', 6));
  body.push(path('M715,320 A25,14 0 0 0 765,320 Z', '#6f685e'), path('M835,320 A25,14 0 0 0 885,320 Z', '#6f685e'));
  body.push(line(740, 290, 725, 320, '#6f685e', 3), line(740, 290, 755, 320, '#6f685e', 3));
  body.push(line(860, 290, 845, 320, '#6f685e', 3), line(860, 290, 875, 320, '#6f685e', 3));
  return { defs, body };
}

function fire(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#17121f'], [0.6, '#4a1c1a'], [1, '#a2401f']]),
    linear('flame', [[0, '#ffe27a'], [0.5, '#ff8a2a'], [1, '#c2321a']]),
    linear('sea', [[0, '#3a1d18'], [1, '#0f0c12']]),
    radial('glow', [[0, '#ff9a3d', 0.75], [1, '#ff9a3d', 0]]),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(ellipse(820, 480, 620, 360, 'url(#glow)'));
  // smoke
  for (let i = 0; i < 12; i++) {
    const x = 600 + rng() * 500 + i * 20;
    const y = 300 - i * 24 - rng() * 40;
    body.push(circle(x, y, 70 + rng() * 80, pick(rng, ['#3b3436', '#4d4547', '#2d2729']), 'opacity="0.7"'));
  }
  // warehouse with saw-tooth roof
  const roof: [number, number][] = [[300, 640], [300, 430]];
  for (let i = 0; i < 6; i++) roof.push([300 + i * 160, 430], [300 + i * 160 + 160, 370]);
  roof.push([1260, 430], [1260, 640]);
  body.push(poly(roof, '#1a1416'));
  for (let i = 0; i < 7; i++) {
    body.push(rect(340 + i * 130, 480, 70, 90, rng() > 0.3 ? '#ff9c3a' : '#3a2a2a'));
  }
  // flames
  for (let i = 0; i < 7; i++) {
    const x = 480 + i * 100 + rng() * 30;
    const h = 140 + rng() * 170;
    body.push(path(`M${n(x - 60)},420 Q${n(x - 40)},${n(420 - h * 0.6)} ${n(x)},${n(420 - h)} Q${n(x + 20)},${n(420 - h * 0.5)} ${n(x + 60)},420 Z`, 'url(#flame)', 'opacity="0.92"'));
  }
  body.push(rect(0, 640, W, H - 640, 'url(#sea)'));
  for (let i = 0; i < 14; i++) {
    body.push(rect(500 + rng() * 600, 660 + i * 16, 80 + rng() * 160, 5, '#ff8a2a', 'opacity="0.4"'));
  }
  // fire engine with ladder
  body.push(rect(100, 580, 200, 70, '#b3231f'), rect(250, 560, 70, 90, '#b3231f'), rect(262, 570, 46, 30, '#f0d9a8'));
  body.push(circle(140, 652, 20, '#111'), circle(280, 652, 20, '#111'));
  body.push(line(120, 570, 420, 380, '#d9d9d9', 8), line(140, 570, 440, 380, '#d9d9d9', 4));
  body.push(path('M440,380 Q520,360 560,420', 'none', 'stroke="#cfe8ff" stroke-width="6" opacity="0.6"'));
  return { defs, body };
}

function storm(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#1e2633'], [1, '#56606e']]),
    linear('sea', [[0, '#2d4450'], [1, '#111c24']]),
    linear('beam', [[0, '#fff3b0', 0.55], [1, '#fff3b0', 0]], false),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  for (let i = 0; i < 22; i++) {
    body.push(circle(rng() * W, 60 + rng() * 170, 70 + rng() * 90, pick(rng, ['#2b3340', '#343d4b', '#3d4756', '#252c37']), 'opacity="0.9"'));
  }
  const rain: string[] = [];
  for (let i = 0; i < 70; i++) {
    const x = rng() * (W + 200);
    const y = 200 + rng() * 500;
    rain.push(line(x, y, x - 40, y + 110, '#aab8c6', 2));
  }
  body.push(`<g opacity="0.35">${rain.join('')}</g>`);
  body.push(poly([[1010, 220], [960, 360], [1010, 360], [950, 520], [1080, 320], [1020, 320], [1070, 220]], '#f7f0c2'));
  // lighthouse on rocks
  body.push(poly([[120, 700], [180, 610], [360, 600], [430, 700]], '#23272d'));
  body.push(poly([[220, 610], [240, 360], [300, 360], [320, 610]], '#e9e4d8'));
  body.push(poly([[228, 520], [312, 520], [316, 560], [224, 560]], '#b3342a'), poly([[236, 420], [304, 420], [307, 455], [233, 455]], '#b3342a'));
  body.push(rect(232, 320, 76, 42, '#f7e29a'), poly([[226, 322], [270, 290], [314, 322]], '#2a2d33'));
  body.push(poly([[270, 340], [1000, 250], [1000, 430]], 'url(#beam)'));
  body.push(rect(0, 660, W, H - 660, 'url(#sea)'));
  for (let i = 0; i < 9; i++) {
    const x = i * 190 - 40 + rng() * 40;
    const y = 690 + (i % 3) * 60;
    body.push(path(`M${x},${y + 40} Q${x + 60},${y - 50} ${x + 150},${y} Q${x + 100},${y + 10} ${x + 200},${y + 40} Z`, '#d8e2e8', 'opacity="0.55"'));
  }
  return { defs, body };
}

function heatwave(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#f7a34b'], [0.6, '#fbd27a'], [1, '#fdf0c7']]),
    radial('sun', [[0, '#fff6d6'], [0.45, '#ffd86a'], [1, '#ffb347', 0]]),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(circle(1100, 300, 330, 'url(#sun)'), circle(1100, 300, 140, '#fff3c4'));
  const shimmer: string[] = [];
  for (let i = 0; i < 10; i++) {
    const y = 470 + i * 26;
    let d = `M0,${y}`;
    for (let x = 0; x < W; x += 100) d += ` q25,${-8 - rng() * 6} 50,0 t50,0`;
    shimmer.push(path(d, 'none', 'stroke="#fff7e0" stroke-width="3"'));
  }
  body.push(`<g opacity="0.35">${shimmer.join('')}</g>`);
  // skyline
  let x = 0;
  while (x < W) {
    const w = 70 + rng() * 120;
    const h = 120 + rng() * 260;
    body.push(rect(x, 760 - h, w, h + 10, pick(rng, ['#a4583c', '#b96a45', '#8f4a35', '#c57b52'])));
    for (let wy = 760 - h + 20; wy < 740; wy += 40) {
      if (rng() > 0.6) body.push(rect(x + 14, wy, w - 28, 10, '#f6c98a', 'opacity="0.6"'));
    }
    x += w + 6;
  }
  body.push(rect(0, 760, W, 140, '#6b3b2c'));
  // umbrella and shade figure
  body.push(path('M160,700 A140,70 0 0 1 440,700 Z', '#2f8f9d'), line(300, 700, 300, 840, '#3a2a22', 6));
  body.push(rect(700, 780, 360, 20, '#e6d3b3', 'opacity="0.6"'));
  return { defs, body };
}

function market(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#2b3a67'], [0.7, '#c4687a'], [1, '#f2b58a']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(rect(0, 300, W, 300, '#3b2f45', 'opacity="0.6"'));
  // string lights
  body.push(path('M0,120 Q400,220 800,130 T1600,140', 'none', 'stroke="#2a2233" stroke-width="3"'));
  for (let i = 0; i < 20; i++) {
    const t = i / 19;
    const xx = t * W;
    const yy = 120 + Math.sin(t * Math.PI * 2) * -45 + 30;
    body.push(circle(xx, yy, 8, '#ffe59a'), circle(xx, yy, 20, '#ffe59a', 'opacity="0.25"'));
  }
  const palettes: [string, string][] = [['#d94f3d', '#f6ecd9'], ['#2f7a8a', '#f6ecd9'], ['#e0a83c', '#fff3dc'], ['#5d4f9c', '#f6ecd9']];
  for (let s = 0; s < 4; s++) {
    const x0 = 40 + s * 390;
    const [a, b] = pick(rng, palettes);
    body.push(rect(x0 + 10, 360, 10, 360, '#3a2c22'), rect(x0 + 340, 360, 10, 360, '#3a2c22'));
    for (let k = 0; k < 6; k++) body.push(rect(x0 + k * 60, 330, 60, 80, k % 2 ? a : b));
    for (let k = 0; k < 6; k++) body.push(circle(x0 + k * 60 + 30, 410, 30, k % 2 ? a : b));
    body.push(rect(x0, 560, 360, 40, '#8a5a3b'), rect(x0 + 20, 600, 320, 120, '#6e4630'));
    for (let k = 0; k < 9; k++) {
      body.push(circle(x0 + 30 + k * 38, 545 - rng() * 10, 18, pick(rng, ['#d8432f', '#f28c28', '#7fb041', '#f2c230', '#9c3a5a'])));
    }
  }
  body.push(rect(0, 720, W, 180, '#4a3a3a'));
  for (let i = 0; i < 7; i++) {
    const xx = 100 + i * 220 + rng() * 60;
    body.push(circle(xx, 700, 24, '#1f1a24'), rect(xx - 30, 724, 60, 130, '#1f1a24', 'rx="24"'));
  }
  return { defs, body };
}

function election(rng: Rng): Scene {
  const defs = [linear('box', [[0, '#f5f2ea'], [1, '#d9d3c5']])];
  const body: string[] = [rect(0, 0, W, H, '#1d4b52')];
  const bands = ['#24606a', '#e0a83c', '#f2efe6', '#2f7a8a'];
  for (let i = 0; i < 8; i++) {
    const x = -400 + i * 260;
    body.push(poly([[x, 0], [x + 160, 0], [x + 560, H], [x + 400, H]], bands[i % bands.length] ?? '#24466f', 'opacity="0.35"'));
  }
  // confetti of abstract circles and squares
  for (let i = 0; i < 16; i++) {
    const cx = rng() * W;
    const cy = rng() * 320;
    const r = 8 + rng() * 14;
    const c = pick(rng, ['#f2efe6', '#e0a83c', '#c8563a']);
    body.push(i % 2 ? circle(cx, cy, r, c, 'opacity="0.7"') : rect(cx, cy, r * 1.6, r * 1.6, c, `opacity="0.7" transform="rotate(${n(rng() * 90)} ${n(cx)} ${n(cy)})"`));
  }
  // ballot box
  body.push(poly([[520, 430], [1080, 430], [1140, 380], [580, 380]], '#c9c2b2'));
  body.push(rect(520, 430, 560, 360, 'url(#box)'), poly([[1080, 430], [1140, 380], [1140, 740], [1080, 790]], '#b7ae9c'));
  body.push(rect(700, 398, 240, 16, '#2a2d33'));
  body.push(rect(650, 560, 300, 70, '#2f7a8a'));
  // ballot paper being cast
  body.push(poly([[730, 130], [930, 110], [950, 400], [750, 420]], '#ffffff', 'stroke="#cfc8b8" stroke-width="3"'));
  for (let i = 0; i < 4; i++) {
    body.push(rect(780, 180 + i * 55, 26, 26, 'none', 'stroke="#3a3f4d" stroke-width="4"'));
    body.push(rect(820, 188 + i * 55, 90 - i * 8, 10, '#c8c2b6'));
  }
  body.push(path('M784,250 L796,264 L820,228', 'none', 'stroke="#c8423a" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"'));
  body.push(rect(0, 790, W, 110, '#133438'));
  return { defs, body };
}

function theatre(rng: Rng): Scene {
  const defs = [
    linear('curtain', [[0, '#5c0f1a'], [0.5, '#9e1f2d'], [1, '#5c0f1a']], false),
    linear('floor', [[0, '#7a4a2a'], [1, '#3a2416']]),
    linear('spot', [[0, '#fff4d2', 0.6], [1, '#fff4d2', 0.05]]),
  ];
  const body: string[] = [rect(0, 0, W, H, '#140d12')];
  body.push(rect(260, 120, 1080, 520, '#22161d'));
  body.push(poly([[260, 640], [1340, 640], [1600, 900], [0, 900]], 'url(#floor)'));
  for (let i = 0; i < 8; i++) body.push(line(0 + i * 230, 900, 260 + i * 155, 640, '#2a1a10', 3, 'opacity="0.5"'));
  body.push(poly([[560, 0], [640, 0], [900, 700], [360, 700]], 'url(#spot)'));
  body.push(poly([[1100, 0], [1160, 0], [1200, 700], [860, 700]], 'url(#spot)', 'opacity="0.6"'));
  body.push(ellipse(630, 690, 270, 40, '#fff4d2', 'opacity="0.25"'));
  // performer silhouettes
  body.push(circle(620, 440, 34, '#0d080b'), path('M570,650 L585,500 Q620,470 655,500 L670,650 Z', '#0d080b'));
  body.push(circle(1030, 470, 30, '#0d080b'), path('M985,650 L1000,520 Q1030,495 1060,520 L1075,650 Z', '#0d080b'));
  // curtains
  for (let i = 0; i < 6; i++) {
    body.push(rect(i * 45, 0, 48, 760, 'url(#curtain)'));
    body.push(rect(W - 48 - i * 45, 0, 48, 760, 'url(#curtain)'));
  }
  for (let i = 0; i < 20; i++) {
    body.push(path(`M${i * 80},0 L${i * 80 + 80},0 L${i * 80 + 80},90 Q${i * 80 + 40},140 ${i * 80},90 Z`, 'url(#curtain)'));
  }
  // audience heads
  for (let i = 0; i < 16; i++) body.push(circle(50 + i * 100 + rng() * 20, 880, 44, '#0a0609'));
  return { defs, body };
}

function park(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#9fd0ea'], [1, '#eef6ea']]), linear('pond', [[0, '#7fb5c9'], [1, '#4f8aa0']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(circle(260, 160, 80, '#fff6c8'));
  for (let i = 0; i < 4; i++) body.push(ellipse(400 + rng() * 1100, 100 + rng() * 120, 140, 28, '#ffffff', 'opacity="0.8"'));
  body.push(hills(rng, 520, 110, '#7fae6d', 4));
  body.push(hills(rng, 640, 80, '#6a9c5a', 5));
  body.push(ellipse(1120, 730, 300, 70, 'url(#pond)'));
  body.push(path('M0,860 C300,760 520,820 700,720 S1000,600 1200,600', 'none', 'stroke="#e6d8b8" stroke-width="50" stroke-linecap="round"'));
  for (let i = 0; i < 7; i++) {
    const x = 80 + i * 230 + rng() * 60;
    body.push(tree(x, 560 + rng() * 60, 90 + rng() * 80, pick(rng, ['#3f7a43', '#4f8a4b', '#2f6b3d', '#5f9a55'])));
  }
  // bench
  body.push(rect(380, 760, 200, 16, '#7a4f30'), rect(380, 730, 200, 14, '#7a4f30'), rect(392, 776, 10, 40, '#333'), rect(558, 776, 10, 40, '#333'));
  // kite
  body.push(poly([[1280, 160], [1320, 220], [1280, 300], [1240, 220]], '#e0533d'));
  body.push(path('M1280,300 Q1250,400 1300,480 T1260,620', 'none', 'stroke="#555" stroke-width="2"'));
  return { defs, body };
}

function newsroom(rng: Rng): Scene {
  const defs = [linear('wall', [[0, '#e9e4da'], [1, '#cfc7b8']]), linear('city', [[0, '#a8c6dc'], [1, '#e8d9c4']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#wall)')];
  // windows with city view
  for (let i = 0; i < 4; i++) {
    const x = 80 + i * 380;
    body.push(rect(x, 70, 320, 320, 'url(#city)'));
    for (let b = 0; b < 5; b++) {
      const bh = 80 + rng() * 160;
      body.push(rect(x + b * 64, 390 - bh, 56, bh, pick(rng, ['#8799ab', '#7a8a9b', '#95a5b5'])));
    }
    body.push(rect(x, 70, 320, 320, 'none', 'stroke="#514a40" stroke-width="12"'), line(x + 160, 70, x + 160, 390, '#514a40', 8));
  }
  // pendant lights
  for (let i = 0; i < 5; i++) {
    const x = 160 + i * 320;
    body.push(line(x, 0, x, 440, '#3a3530', 3), path(`M${x - 50},470 L${x - 25},440 L${x + 25},440 L${x + 50},470 Z`, '#2f4f4f'));
    body.push(ellipse(x, 476, 48, 10, '#fff2c0', 'opacity="0.8"'));
  }
  body.push(rect(0, 600, W, 300, '#6b5b4b'));
  // desks, monitors, people
  for (let i = 0; i < 4; i++) {
    const x = 60 + i * 390;
    body.push(rect(x, 600, 340, 24, '#c9b79c'), rect(x + 20, 624, 14, 180, '#4a3f35'), rect(x + 306, 624, 14, 180, '#4a3f35'));
    body.push(rect(x + 60, 470, 200, 120, '#22262d', 'rx="8"'), rect(x + 72, 482, 176, 96, pick(rng, ['#3e7cb1', '#2f7a8a', '#48607d'])));
    for (let l = 0; l < 4; l++) body.push(rect(x + 86, 496 + l * 20, 60 + rng() * 90, 8, '#e8eef4', 'opacity="0.75"'));
    body.push(rect(x + 150, 590, 20, 12, '#22262d'));
    if (rng() > 0.3) {
      const px = x + 250 + rng() * 40;
      body.push(circle(px, 560, 34, '#3b2f2a'), rect(px - 50, 596, 100, 180, pick(rng, ['#b5573d', '#2f4f6f', '#6c5a8f', '#4f7a4f']), 'rx="40"'));
    }
    body.push(rect(x + 200, 588, 60, 12, '#f5f1e8'));
  }
  return { defs, body };
}

function bridge(rng: Rng): Scene {
  const defs = [
    linear('sky', [[0, '#4a5b8c'], [0.55, '#e68a6b'], [1, '#f7c98c']]),
    linear('sea', [[0, '#6a5f7d'], [1, '#232a40']]),
  ];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(circle(800, 560, 110, '#ffd9a0', 'opacity="0.85"'));
  body.push(hills(rng, 600, 70, '#3c3f5c', 6));
  body.push(rect(0, 590, W, H - 590, 'url(#sea)'));
  for (let i = 0; i < 8; i++) body.push(rect(720 + rng() * 60, 610 + i * 30, 100 + rng() * 60, 5, '#ffd9a0', 'opacity="0.4"'));
  // towers
  for (const tx of [420, 1180]) {
    body.push(rect(tx - 30, 180, 18, 440, '#5f7470'), rect(tx + 12, 180, 18, 440, '#5f7470'));
    for (const y of [240, 380, 500]) body.push(rect(tx - 30, y, 60, 14, '#5f7470'));
  }
  // main cables and hangers
  body.push(path('M0,330 Q210,500 420,185 Q800,560 1180,185 Q1390,500 1600,330', 'none', 'stroke="#44524f" stroke-width="7"'));
  const hangers: string[] = [];
  for (let x = 460; x < 1160; x += 40) {
    const t = (x - 420) / 760;
    const y = (1 - t) * (1 - t) * 185 + 2 * (1 - t) * t * 560 + t * t * 185;
    hangers.push(line(x, y, x, 520, '#44524f', 2));
  }
  body.push(`<g>${hangers.join('')}</g>`);
  body.push(rect(0, 520, W, 26, '#2c2f3f'), rect(0, 546, W, 8, '#5f7470'));
  // closure barriers
  for (let i = 0; i < 3; i++) {
    const x = 80 + i * 70;
    body.push(rect(x, 480, 56, 14, '#f2c230'), rect(x + 8, 494, 6, 26, '#2c2f3f'), rect(x + 42, 494, 6, 26, '#2c2f3f'));
  }
  body.push(waves(rng, 620, 880, 18, '#f7c98c', 0.25));
  return { defs, body };
}

function housing(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#b7d4e6'], [1, '#f4ecde']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  body.push(hills(rng, 480, 90, '#9fb59a', 5));
  // apartment block in back
  body.push(rect(960, 200, 420, 420, '#c9b9a3'));
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 6; c++) body.push(rect(990 + c * 64, 225 + r * 48, 36, 28, rng() > 0.5 ? '#f3e2b0' : '#7f93a3'));
  }
  body.push(rect(940, 190, 460, 16, '#8f7f6b'));
  // crane over new construction
  body.push(rect(1450, 120, 16, 500, '#e0a83c'), rect(1180, 120, 400, 14, '#e0a83c'), line(1240, 134, 1240, 300, '#333', 3));
  // row houses
  const colours = ['#d96c4f', '#e8c15a', '#5b8fb0', '#7aa36a', '#b56b8c', '#efe6d6', '#9c6b4f'];
  for (let i = 0; i < 9; i++) {
    const x = 20 + i * 170;
    const top = 470 + rng() * 40;
    const col = pick(rng, colours);
    body.push(rect(x, top, 160, 780 - top, col));
    body.push(poly([[x - 8, top], [x + 80, top - 90], [x + 168, top]], pick(rng, ['#4a3c36', '#5d4a42', '#3c3f4a'])));
    body.push(rect(x + 22, top + 40, 40, 50, '#f5efe2'), rect(x + 98, top + 40, 40, 50, '#f5efe2'));
    body.push(rect(x + 60, 780 - 110, 40, 110, '#3b2f2a'));
  }
  body.push(rect(0, 780, W, 120, '#8a8f86'), rect(0, 800, W, 10, '#e6e1d6', 'opacity="0.6"'));
  body.push(tree(1540, 800, 90, '#4f8a4b'));
  return { defs, body };
}

function bus(rng: Rng): Scene {
  const defs = [linear('sky', [[0, '#a9c8de'], [1, '#f1e6d4']]), linear('glass', [[0, '#9fc3d6'], [1, '#4d7187']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#sky)')];
  // street-front buildings
  let x = 0;
  while (x < W) {
    const w = 160 + rng() * 140;
    const h = 260 + rng() * 220;
    body.push(rect(x, 620 - h, w, h, pick(rng, ['#c98f6b', '#b9a58c', '#8fa3a8', '#d8c3a0', '#a86f5a'])));
    for (let wy = 620 - h + 30; wy < 560; wy += 70) {
      for (let wx = x + 20; wx < x + w - 50; wx += 60) body.push(rect(wx, wy, 34, 40, rng() > 0.4 ? '#e9eef0' : '#6f8592'));
    }
    x += w;
  }
  body.push(rect(0, 620, W, 60, '#c9c1b4'), rect(0, 680, W, 220, '#4a4d52'));
  for (let i = 0; i < 8; i++) body.push(rect(i * 220 + 40, 785, 120, 10, '#e9e2cf'));
  // bus shelter
  body.push(rect(1220, 470, 260, 14, '#2f4f4f'), rect(1230, 484, 8, 140, '#2f4f4f'), rect(1462, 484, 8, 140, '#2f4f4f'));
  body.push(rect(1240, 490, 220, 110, '#cfe3ea', 'opacity="0.45"'), rect(1270, 560, 160, 14, '#7a4f30'));
  body.push(circle(1330, 520, 18, '#3b2f2a'), rect(1310, 538, 40, 70, '#e0a83c', 'rx="16"'));
  // bus
  body.push(rect(260, 470, 860, 230, '#2f7a8a', 'rx="28"'), rect(260, 640, 860, 40, '#1f5560'));
  body.push(rect(300, 500, 700, 90, 'url(#glass)', 'rx="8"'));
  for (let i = 1; i < 6; i++) body.push(rect(300 + i * 117, 500, 8, 90, '#2f7a8a'));
  body.push(rect(1030, 500, 70, 150, 'url(#glass)', 'rx="6"'), rect(1064, 500, 4, 150, '#2f7a8a'));
  body.push(rect(260, 600, 860, 16, '#e0a83c'), rect(1090, 440, 10, 30, '#2a2d33'), rect(1100, 460, 30, 10, '#f7e29a'));
  body.push(circle(420, 700, 46, '#1d1f23'), circle(420, 700, 20, '#8a8f96'), circle(960, 700, 46, '#1d1f23'), circle(960, 700, 20, '#8a8f96'));
  body.push(rect(1100, 640, 24, 20, '#f7e29a'));
  return { defs, body };
}

function abstractFallback(rng: Rng): Scene {
  const defs = [linear('bg', [[0, '#2f4f6f'], [1, '#d9c6a5']])];
  const body: string[] = [rect(0, 0, W, H, 'url(#bg)')];
  const colours = ['#c4553a', '#e0a83c', '#2f7a8a', '#f2efe6', '#5a6e8c'];
  for (let i = 0; i < 18; i++) {
    body.push(circle(rng() * W, rng() * H, 40 + rng() * 200, pick(rng, colours), `opacity="${n(0.25 + rng() * 0.4)}"`));
  }
  return { defs, body };
}

const scenes: Record<string, (rng: Rng) => Scene> = {
  harbour,
  school,
  ferry,
  council,
  fire,
  storm,
  heatwave,
  market,
  election,
  theatre,
  courthouse,
  park,
  newsroom,
  bridge,
  housing,
  bus,
};

/**
 * Returns an SVG document illustrating the given theme at width x height pixels.
 * Unknown keys get a deterministic abstract composition instead of an error.
 */
export function demoImageSvg(key: string, width: number, height: number): string {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const rng = mulberry32(hashKey(key));
  const scene = (Object.prototype.hasOwnProperty.call(scenes, key) ? scenes[key] : undefined) ?? abstractFallback;
  const { defs, body } = scene(rng);
  // Soft vignette + paper-tone wash for a consistent editorial look across themes.
  defs.push(radial('vignette', [[0.55, '#000000', 0], [1, '#000000', 0.35]], 0.5, 0.5, 0.75));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid slice">` +
    `<defs>${defs.join('')}</defs>` +
    body.join('') +
    rect(0, 0, W, H, '#f4e9d8', 'opacity="0.06"') +
    rect(0, 0, W, H, 'url(#vignette)') +
    `</svg>`
  );
}

/** Renders the theme illustration to a JPEG buffer (quality 78, baseline libjpeg). */
export async function renderDemoImage(key: string, width: number, height: number): Promise<Buffer> {
  const svg = demoImageSvg(key, width, height);
  return sharp(Buffer.from(svg))
    .resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)), { fit: 'cover' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 78, mozjpeg: false })
    .toBuffer();
}
