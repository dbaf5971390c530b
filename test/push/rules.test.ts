/** The pure rules of push alerts: which addresses count as public, how a long alert is cut to fit, Retry-After. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicAddress, checkEndpoint, EndpointRefused } from '../../src/push/endpoint-guard.js';
import { buildPayload, MAX_PAYLOAD_BYTES } from '../../src/push/payload.js';
import { retryAfterMs } from '../../src/push/sender.js';

test('special-use addresses are not public; ordinary unicast ones are', () => {
  for (const a of ['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.1.1', '0.0.0.0', '192.0.2.1', '198.18.0.1', '224.0.0.251', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '2001:db8::1', '::ffff:10.0.0.1', 'ff02::1', 'not-an-ip']) {
    assert.equal(isPublicAddress(a), false, a);
  }
  for (const a of ['8.8.8.8', '142.250.180.10', '2a00:1450:4001:80b::200a', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(a), true, a);
});

test('a host name is refused when any of its addresses is private', async () => {
  const resolve = async () => ['142.250.180.10', '10.0.0.7'];
  await assert.rejects(checkEndpoint('https://push.example.com/x', { allowLocal: false, resolve }), EndpointRefused);
  const url = await checkEndpoint('https://push.example.com/x', { allowLocal: false, resolve: async () => ['142.250.180.10'] });
  assert.equal(url.hostname, 'push.example.com');
});

test('a long body is cut on a character boundary with an ellipsis so the payload stays under 3 KB', () => {
  const alert = { id: 7, title: 'Flood warning', body: '🌊 Rising water. '.repeat(400), url: 'https://news.example/local/flood', tag: 'alert-7' };
  const payload = buildPayload(alert);
  assert.ok(Buffer.byteLength(payload) <= MAX_PAYLOAD_BYTES);
  const parsed = JSON.parse(payload);
  assert.ok(parsed.body.endsWith('…'));
  assert.ok(!parsed.body.includes('\uFFFD'), 'no broken character');
  assert.equal(parsed.title, 'Flood warning');
  assert.equal(parsed.url, alert.url);
  assert.ok(Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES - 40, 'as much of the body as fits is kept');
  const short = buildPayload({ ...alert, body: 'Short.' });
  assert.equal(JSON.parse(short).body, 'Short.', 'a short body is untouched');
});

test('Retry-After as seconds or an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('120', now), 120_000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', now), 60_000);
  assert.equal(retryAfterMs(undefined, now), undefined);
  assert.equal(retryAfterMs('soon', now), undefined);
});
