/**
 * The push encryption worker (src/push/encryption-worker.ts): what it makes is
 * what web-push makes, a key that does not decode is a refusal for that
 * message only, and a worker that dies does not lose a batch (it is prepared
 * on the calling thread, and the next batch gets a new worker).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { EncryptionWorker, type RequestToPrepare } from '../../src/push/encryption-worker.js';
import { decryptPush } from '../../bench/push-service-kit.js';

function subscriber() {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  const auth = randomBytes(16);
  return { keys: { ecdh, publicKey, auth }, p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') };
}

const request = (s: { p256dh: string; auth: string }, payload: string): RequestToPrepare => ({
  endpoint: 'https://push.example.net/send/1',
  p256dh: s.p256dh,
  auth: s.auth,
  payload,
  options: { TTL: 600, urgency: 'high', topic: 'breaking', headers: { Authorization: 'vapid t=x, k=y' } },
});

test('a batch is encrypted for each subscriber, with web-push headers; a bad key fails only its own message', async () => {
  const errors: unknown[] = [];
  const worker = new EncryptionWorker((e) => errors.push(e));
  try {
    const a = subscriber();
    const b = subscriber();
    const results = await worker.prepare([request(a, '{"n":1}'), request({ p256dh: 'not-a-key', auth: b.auth }, '{"n":2}'), request(b, '{"n":3}')]);
    assert.equal(results.length, 3);
    const [first, bad, third] = results;
    assert.ok(first?.ok && third?.ok);
    assert.equal(decryptPush(Buffer.from(first.body), a.keys).toString(), '{"n":1}');
    assert.equal(decryptPush(Buffer.from(third.body), b.keys).toString(), '{"n":3}');
    assert.equal(first.headers['Content-Encoding'], 'aes128gcm');
    assert.equal(first.headers.TTL, 600);
    assert.equal(first.headers.Urgency, 'high');
    assert.equal(first.headers.Topic, 'breaking');
    assert.equal(first.headers.Authorization, 'vapid t=x, k=y');
    assert.ok(bad && !bad.ok && bad.error.length > 0, 'the undecodable key is refused with a reason');
    assert.deepEqual(errors, [], 'the worker itself did not fail');
  } finally {
    await worker.close();
  }
});

test('a worker that dies mid-batch: the batch is prepared here instead, and the next one gets a new worker', async () => {
  const errors: unknown[] = [];
  const worker = new EncryptionWorker((e) => errors.push(e));
  try {
    const a = subscriber();
    await worker.prepare([request(a, '{"warm":true}')]); // the worker exists now
    const internal = worker as unknown as { worker?: { terminate(): Promise<number> } };
    const batch = worker.prepare([request(a, '{"n":1}'), request(a, '{"n":2}')]);
    await internal.worker!.terminate(); // dies with the batch out
    const results = await batch;
    assert.equal(errors.length, 1, 'the failure is reported');
    assert.deepEqual(
      results.map((r) => (r.ok ? decryptPush(Buffer.from(r.body), a.keys).toString() : r.error)),
      ['{"n":1}', '{"n":2}'],
    );
    const next = await worker.prepare([request(a, '{"n":3}')]);
    assert.ok(next[0]?.ok);
    assert.equal(decryptPush(Buffer.from(next[0].body), a.keys).toString(), '{"n":3}');
    assert.ok(internal.worker, 'a new worker was started');
  } finally {
    await worker.close();
  }
});
