/** `broadsheet subscribers export [--newsletter <slug>] [--status <status>] > subscribers.csv`: the Admin API's CSV, on standard output. */
import { once } from 'node:events';
import type { SubscriptionStatus } from '../db/schema.js';
import { NotFound } from '../shared/errors.js';
import type { PreparedExport, SubscriberExport } from './export.js';
import type { CommandIo } from './import-cli.js';

export async function exportCommand(exporter: SubscriberExport, options: { newsletter?: string; status?: SubscriptionStatus }, io: CommandIo, today: Date): Promise<number> {
  let prepared: PreparedExport;
  try {
    prepared = await exporter.prepare(options, today);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    io.err.write(`broadsheet: ${error.message}\n`);
    return 2;
  }
  for await (const chunk of prepared.chunks) {
    // Waits when the reader (a pipe, a slow disk) falls behind instead of buffering the whole list.
    if (!io.out.write(chunk)) await once(io.out, 'drain');
  }
  return 0;
}
