/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile` or
 * `node --cpu-prof`): where the time went, by function (self time), by
 * package or project file (self time), and the inclusive time of chosen
 * functions.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [--top=25] [--focus=name,name]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Line {
  name: string;
  ms: number;
  share: number;
}

function where(url: string): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const dist = url.indexOf('/dist/');
  if (dist !== -1) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function summarise(profile: Profile, focus: string[] = []) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Time per sample: the deltas belong to the sample that follows them.
  const selfMs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(profile.samples[i]!, (selfMs.get(profile.samples[i]!) ?? 0) + dt);
  }
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfMs.entries()].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));

  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const frame = node.callFrame;
    const place = where(frame.url);
    add(byFunction, `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`, ms);
    add(byPlace, place === '(native)' ? frame.functionName || '(native)' : place, ms);
    if (focus.length) {
      // Inclusive time: count each focused name once per sample stack.
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        for (const name of focus) {
          if (!seen.has(name) && (f.functionName === name || `${where(f.url)}`.includes(name))) {
            seen.add(name);
            add(inclusive, name, ms);
          }
        }
      }
    }
  }
  const lines = (map: Map<string, number>, top: number): Line[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return {
    totalMs: total,
    idleMs: idle.reduce((s, [, ms]) => s + ms, 0),
    byFunction: (top: number) => lines(byFunction, top),
    byPlace: (top: number) => lines(byPlace, top),
    inclusive: lines(inclusive, focus.length),
  };
}

function print(title: string, lines: Line[]): void {
  console.log(`\n${title}`);
  for (const l of lines) console.log(`  ${(l.share * 100).toFixed(1).padStart(5)} %  ${l.ms.toFixed(0).padStart(7)} ms  ${l.name}`);
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: profile-summary.js <file.cpuprofile> [--top=25] [--focus=fn,fn]');
    process.exit(2);
  }
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
  const focus = args.find((a) => a.startsWith('--focus='))?.slice(8).split(',').filter(Boolean) ?? [];
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const summary = summarise(profile, focus);
  console.log(`${file}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.idleMs / 1000).toFixed(1)} s idle/program/GC`);
  print('Self time by package or file', summary.byPlace(top));
  print('Self time by function', summary.byFunction(top));
  if (focus.length) print('Inclusive time', summary.inclusive);
}

main();
