/**
 * The newsletter benchmarks' SMTP sink: a real `smtp-server` in its own
 * process (so that it does not share an event loop, or a core, with the
 * sender being measured). It accepts every message, reads and discards the
 * body, and counts. The parent (bench/newsletter-send.ts, through `fork`)
 * asks for the count over IPC: `{ type: 'count' }` → `{ type: 'count', messages, bytes }`.
 *
 *   node dist/bench/newsletter-sink.js     (prints "sink ready <port>")
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let messages = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // The sender's pool opens and closes connections all the time; a lot of them may queue at once.
  maxClients: 1000,
  onData(stream, _session, callback) {
    let size = 0;
    stream.on('data', (chunk: Buffer) => (size += chunk.length));
    stream.on('end', () => {
      messages++;
      bytes += size;
      callback();
    });
  },
});
// A sender that goes away mid-message is not the sink's problem.
server.on('error', () => undefined);

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'count') process.send?.({ type: 'count', messages, bytes });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'ready', port });
  console.log(`sink ready ${port}`);
});
