/**
 * The admin's scheduling inputs read and show times on the newsroom's clock
 * (the site's time zone), whatever zone the browser is in, including across
 * daylight-saving changes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromZonedInput, toZonedInput } from '../../admin/src/format.js';

describe('times in the site time zone for datetime-local inputs', () => {
  test('a wall-clock time in London, in winter and in summer, becomes the right instant', () => {
    assert.equal(fromZonedInput('2026-01-15T06:30', 'Europe/London'), '2026-01-15T06:30:00.000Z');
    assert.equal(fromZonedInput('2026-07-15T06:30', 'Europe/London'), '2026-07-15T05:30:00.000Z');
    assert.equal(fromZonedInput('2026-07-15T06:30', 'America/New_York'), '2026-07-15T10:30:00.000Z');
    assert.equal(fromZonedInput('2026-12-01T23:45', 'Asia/Kolkata'), '2026-12-01T18:15:00.000Z');
  });

  test('round trip: an instant shown on the site clock reads back as the same instant', () => {
    for (const zone of ['UTC', 'Europe/London', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kathmandu']) {
      for (const iso of ['2026-03-29T00:30:00.000Z', '2026-10-25T02:15:00.000Z', '2026-06-01T12:00:00.000Z']) {
        const shown = toZonedInput(iso, zone);
        assert.match(shown, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
        assert.equal(fromZonedInput(shown, zone), iso, `${iso} in ${zone} shown as ${shown}`);
      }
    }
  });

  test('what is not a time is refused, not guessed', () => {
    for (const bad of ['', 'tomorrow', '2026-13-01', '2026-01-01 06:30', '2026-01-01T6:30']) assert.equal(fromZonedInput(bad, 'UTC'), null, bad);
    assert.equal(toZonedInput(null, 'UTC'), '');
  });
});
