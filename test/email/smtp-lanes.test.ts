/**
 * The newsletter's SMTP connections (src/email/smtp-lanes.ts) against a real
 * SMTP server: no more connections than configured, reused for the next
 * message; a refused recipient leaves the connection usable (RSET); a
 * connection the server dropped while it sat idle is replaced and the message
 * arrives exactly once; an unreachable server is a connection error the sender
 * can retry later.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { classifySendError } from '../../src/email/bulk.js';
import { SmtpLanes } from '../../src/email/smtp-lanes.js';

const message = (n: number) => Buffer.from(`From: desk@news.test\r\nTo: r@example.org\r\nSubject: ${n}\r\nMessage-ID: <m${n}@news.test>\r\n\r\nBody ${n}\r\n.starts with a dot\r\n`);

describe('SMTP lanes', () => {
  const received: { connection: string; subject: string; body: string }[] = [];
  let open = 0;
  let mostOpen = 0;
  const connections = new Set<string>();
  /** Set by a test: what the server does with a MAIL FROM (drop the connection, or refuse a recipient). */
  let onMail: ((session: SMTPServerSession) => 'drop' | undefined) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(session, callback) {
      connections.add(session.id);
      open++;
      mostOpen = Math.max(mostOpen, open);
      callback();
    },
    onClose() {
      open--;
    },
    onMailFrom(_address, session, callback) {
      if (onMail?.(session) === 'drop') {
        // The server goes away without a word, as an idle timeout or a restart does.
        const live = [...(server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections].find((c) => c.id === session.id);
        live?._socket.destroy();
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        received.push({ connection: session.id, subject: /Subject: (\d+)/.exec(text)?.[1] ?? '', body: text.split('\r\n\r\n')[1] ?? '' });
        callback();
      });
    },
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    connections.clear();
    mostOpen = open;
    onMail = undefined;
  });

  test('ten messages at once go over at most two connections, reused, each arriving once and intact', async () => {
    const lanes = new SmtpLanes({ url, connections: 2, ratePerSecond: 1000 });
    try {
      await Promise.all(Array.from({ length: 10 }, (_, i) => lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(i))));
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(10));
    } finally {
      await lanes.close();
    }
    assert.deepEqual(received.map((r) => Number(r.subject)).sort((a, b) => a - b), Array.from({ length: 11 }, (_, i) => i));
    assert.ok(mostOpen <= 2, `at most 2 connections at once (saw ${mostOpen})`);
    assert.equal(connections.size, 2, 'the connections were reused, not opened per message');
    // Dot-stuffing undone by the server: the line that starts with a dot arrives as written.
    assert.match(received[0]!.body, /^Body \d+\r\n\.starts with a dot\r\n/);
  });

  test('a refused recipient is a permanent error with its SMTP code, and the same connection sends the next message', async () => {
    const lanes = new SmtpLanes({ url, connections: 1, ratePerSecond: 1000 });
    try {
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(1));
      await assert.rejects(lanes.send({ from: 'desk@news.test', to: 'nobody@example.org' }, message(2)), (error: { responseCode?: number }) => error.responseCode === 550);
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(3));
    } finally {
      await lanes.close();
    }
    assert.deepEqual(received.map((r) => r.subject), ['1', '3']);
    assert.equal(connections.size, 1, 'one connection throughout');
  });

  test('a reused connection the server dropped is replaced, and the message arrives exactly once', async () => {
    const lanes = new SmtpLanes({ url, connections: 1, ratePerSecond: 1000 });
    // The second message on the first connection finds it gone.
    onMail = (session) => (session.transaction === 2 && [...connections][0] === session.id ? 'drop' : undefined);
    try {
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(1));
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(2));
      await lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(3));
    } finally {
      await lanes.close();
    }
    assert.deepEqual(received.map((r) => r.subject), ['1', '2', '3']);
    assert.equal(connections.size, 2, 'a second connection replaced the dropped one');
    assert.notEqual(received[1]!.connection, received[0]!.connection);
  });

  test('a server that cannot be reached is a connection error (worth retrying), not a hang', async () => {
    const lanes = new SmtpLanes({ url: 'smtp://127.0.0.1:1', connections: 1, ratePerSecond: 1000, connectionTimeoutMs: 2000 });
    try {
      const temporary = (error: unknown) => /ECONNREFUSED/.test(String(error)) && !classifySendError(error).permanent;
      await assert.rejects(lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(1)), temporary);
      // The failed connection does not count against the limit: the next attempt connects again (and fails the same way, not waiting for a free connection).
      await assert.rejects(lanes.send({ from: 'desk@news.test', to: 'r@example.org' }, message(2)), temporary);
    } finally {
      await lanes.close();
    }
  });
});
