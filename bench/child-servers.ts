/**
 * Small helpers for benchmarks that run servers as child processes: a free
 * port, waiting for a ready line, stopping, the CPU time a process used
 * (from /proc), and one autocannon measurement with the server's CPU beside it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/shared/paths.js';

export interface Child {
  child: ChildProcess;
  port: number;
}

export interface LoadSide {
  name: string;
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  serverCpu: number;
  cpuUsPerRequest: number;
  bad: number;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(child: ChildProcess, ready: RegExp): Promise<void> {
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (ready.test(chunk.toString())) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output.join('')}`)));
  });
}

/** `node dist/src/main.js serve` on a free port with the given database; resolves when it is ready. */
export async function serveBroadsheet(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/main.js'), 'serve'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitFor(child, /Broadsheet is ready/);
  return { child, port };
}

/** bench/raw-server.ts sending one file's bytes with a content type. */
export async function serveRaw(file: string, contentType: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/bench/raw-server.js'), String(port), file, contentType], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(child, /raw server ready/);
  return { child, port };
}

export async function stop({ child }: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function measureLoad(name: string, server: Child, urlPath: string, options: { seconds: number; connections: number; headers?: Record<string, string>; expect?: number }): Promise<LoadSide> {
  const cpuBefore = cpuSeconds(server.child.pid!);
  const started = performance.now();
  const result = await autocannon({ url: `http://127.0.0.1:${server.port}${urlPath}`, connections: options.connections, duration: options.seconds, timeout: 10, headers: options.headers ?? {} });
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
  const requests = result.requests.total;
  return {
    name,
    rps: requests / result.duration,
    requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpu: cpu / wall,
    cpuUsPerRequest: requests ? (cpu / requests) * 1e6 : NaN,
    // Answers with another status than the expected one (a 304 is expected when revalidating).
    bad: result.errors + result.timeouts + (requests - (result.statusCodeStats[String(options.expect ?? 200)]?.count ?? 0)),
  };
}

/** Rounds of one side as one figure: mean req/s and latency, worst p99, CPU per request over all requests. */
export function combineLoad(name: string, parts: LoadSide[]): LoadSide {
  const requests = parts.reduce((s, p) => s + p.requests, 0);
  const mean = (f: (p: LoadSide) => number) => parts.reduce((s, p) => s + f(p), 0) / parts.length;
  return {
    name,
    rps: mean((p) => p.rps),
    requests,
    p50: mean((p) => p.p50),
    p99: Math.max(...parts.map((p) => p.p99)),
    serverCpu: mean((p) => p.serverCpu),
    cpuUsPerRequest: parts.reduce((s, p) => s + p.cpuUsPerRequest * p.requests, 0) / requests,
    bad: parts.reduce((s, p) => s + p.bad, 0),
  };
}
