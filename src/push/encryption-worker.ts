/**
 * Push payload encryption on a worker thread. Every Web Push message needs
 * its own ECDH key pair, a shared secret with the subscriber's key, HKDF and
 * AES-GCM (RFC 8291): about 0.4 ms of CPU, most of a message's cost. Done on
 * a second thread, a fan-out keeps the main thread for the HTTPS requests and
 * the database and uses a second core (bench/push-fanout.ts).
 *
 * The worker runs `web-push`'s own generateRequestDetails (encryption and
 * headers), so what goes out is exactly what `web-push` would send. A batch
 * goes over in one message; if the worker fails, the batch is prepared on
 * this thread instead: a claimed delivery is never dropped for want of a
 * worker.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import webpush from 'web-push';
import type { PushUrgency } from '../db/schema.js';

export interface RequestToPrepare {
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  options: { TTL: number; urgency: PushUrgency; topic: string; headers: Record<string, string> };
}

/** What goes on the wire, or why it could not be made (e.g. a key that does not decode). */
export type PreparedRequest = { ok: true; headers: Record<string, string | number>; body: Uint8Array } | { ok: false; error: string };

/**
 * The worker's data is a batch at a time (~500 small requests), but with V8's
 * default young generation its heap grew by ~100 MB during a 100,000-push
 * fan-out; a small one is collected more often and costs little here.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 };

/** The worker's code: CommonJS, evaluated (no separate file to find from both src/ under tsx and dist/). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const webpush = require(workerData.webPush);
parentPort.on('message', ({ id, items }) => {
  const results = items.map((item) => {
    try {
      const details = webpush.generateRequestDetails({ endpoint: item.endpoint, keys: { p256dh: item.p256dh, auth: item.auth } }, item.payload, { ...item.options, contentEncoding: 'aes128gcm' });
      return { ok: true, headers: details.headers, body: details.body };
    } catch (error) {
      return { ok: false, error: error && error.message ? error.message : String(error) };
    }
  });
  parentPort.postMessage({ id, results });
});
`;

/** The same preparation on the calling thread. */
export function prepareHere(items: readonly RequestToPrepare[]): PreparedRequest[] {
  return items.map((item) => {
    try {
      const details = webpush.generateRequestDetails({ endpoint: item.endpoint, keys: { p256dh: item.p256dh, auth: item.auth } }, item.payload, { ...item.options, contentEncoding: 'aes128gcm' });
      return { ok: true, headers: details.headers as Record<string, string | number>, body: details.body as Buffer };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

export class EncryptionWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (results: PreparedRequest[]) => void; reject: (error: Error) => void }>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  /** Prepares a batch on the worker; on this thread when the worker cannot. Results in order. */
  async prepare(items: readonly RequestToPrepare[]): Promise<PreparedRequest[]> {
    if (items.length === 0) return [];
    try {
      return await this.onWorker(items);
    } catch (error) {
      this.onError(error);
      return prepareHere(items);
    }
  }

  private onWorker(items: readonly RequestToPrepare[]): Promise<PreparedRequest[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref(); // a batch is out: the process must wait for it
      worker.postMessage({ id, items });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const webPush = createRequire(import.meta.url).resolve('web-push');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { webPush }, resourceLimits: WORKER_LIMITS });
    worker.unref(); // idle, it never keeps a process alive
    worker.on('message', ({ id, results }: { id: number; results: PreparedRequest[] }) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (this.waiting.size === 0) worker.unref();
      waiter?.resolve(results);
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined; // the next batch starts a new one
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the push encryption worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(new Error('the push sender is closing'));
    this.waiting.clear();
    await worker?.terminate();
  }
}
