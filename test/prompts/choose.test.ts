/**
 * The reader script's choice as a pure function, imported from the very file
 * the site serves (public/assets/prompts.js): targeting by reader segment,
 * caps, dismissals, dates, priority, at most one overlay and one prompt of
 * each kind, the traffic split, and the bs_reader cookie's flags.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { PROMPT_SCRIPT_FILE } from '../../src/prompts/assets.js';
import { DEFAULT_CAPS, type Candidate, type PromptScript, type ReaderState } from '../../src/prompts/model.js';

const script = (await import(pathToFileURL(PROMPT_SCRIPT_FILE).href)) as PromptScript;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400_000;

let nextId = 1;
function candidate(fields: Partial<Candidate> = {}): Candidate {
  return {
    id: nextId++,
    kind: 'donation',
    placement: 'inline',
    priority: 0,
    starts: null,
    ends: null,
    donor: 'any',
    subscriber: 'any',
    readsMin: null,
    readsMax: null,
    caps: { ...DEFAULT_CAPS },
    variants: [{ key: 'a', weight: 1 }],
    ...fields,
  };
}
const reader = (fields: Partial<ReaderState> = {}): ReaderState => ({ flags: [], reads: 1, history: {}, ...fields });
const ids = (cs: readonly Candidate[], r: ReaderState, random = () => 0.5) => script.choosePrompts(cs, r, NOW, random).map((c) => c.id);

describe('choosing prompts (public/assets/prompts.js)', () => {
  test('donor segments follow the bs_reader flags', () => {
    const donors = candidate({ donor: 'donor' });
    const former = candidate({ donor: 'former-donor', kind: 'custom' });
    const nonDonors = candidate({ donor: 'non-donor', kind: 'app' });
    const all = [donors, former, nonDonors];
    assert.deepEqual(ids(all, reader()), [nonDonors.id], 'an unknown reader is a non-donor');
    assert.deepEqual(ids(all, reader({ flags: ['donor'] })), [donors.id]);
    assert.deepEqual(ids(all, reader({ flags: ['former-donor'] })), [former.id]);
  });

  test('newsletter subscribers and articles read in the last 30 days', () => {
    const forSubscribers = candidate({ subscriber: 'subscriber' });
    const forOthers = candidate({ subscriber: 'non-subscriber', kind: 'newsletter' });
    assert.deepEqual(ids([forSubscribers, forOthers], reader({ flags: ['subscriber'] })), [forSubscribers.id]);
    assert.deepEqual(ids([forSubscribers, forOthers], reader()), [forOthers.id]);
    const regulars = candidate({ readsMin: 3, readsMax: 10 });
    assert.deepEqual(ids([regulars], reader({ reads: 2 })), []);
    assert.deepEqual(ids([regulars], reader({ reads: 3 })), [regulars.id]);
    assert.deepEqual(ids([regulars], reader({ reads: 10 })), [regulars.id]);
    assert.deepEqual(ids([regulars], reader({ reads: 11 })), []);
  });

  test('caps per day, per week and in total count this browser’s views', () => {
    const c = candidate({ caps: { perDay: 2, perWeek: 3, total: 5, dismissDays: 7 } });
    const seen = (...ago: number[]) => reader({ history: { [c.id]: { views: ago.map((a) => NOW - a) } } });
    assert.deepEqual(ids([c], seen(1000)), [c.id], 'one view today: a second is allowed');
    assert.deepEqual(ids([c], seen(1000, 2000)), [], 'two today: capped for the day');
    assert.deepEqual(ids([c], seen(DAY + 1, 2 * DAY, 3 * DAY)), [], 'three this week: capped for the week');
    assert.deepEqual(ids([c], seen(8 * DAY, 9 * DAY, 10 * DAY, 11 * DAY)), [c.id], 'older views only count in the total');
    assert.deepEqual(ids([c], seen(8 * DAY, 9 * DAY, 10 * DAY, 11 * DAY, 12 * DAY)), [], 'five in all: never again');
  });

  test('a dismissal hides the prompt for its number of days, then it may return', () => {
    const c = candidate({ caps: { ...DEFAULT_CAPS, dismissDays: 3 } });
    const dismissed = (ago: number) => reader({ history: { [c.id]: { dismissed: NOW - ago } } });
    assert.deepEqual(ids([c], dismissed(2 * DAY)), []);
    assert.deepEqual(ids([c], dismissed(3 * DAY + 1)), [c.id]);
    const onlyThisPage = candidate({ caps: { ...DEFAULT_CAPS, dismissDays: 0 } });
    assert.deepEqual(ids([onlyThisPage], reader({ history: { [onlyThisPage.id]: { dismissed: NOW - 1000 } } })), [onlyThisPage.id]);
  });

  test('start and end dates are checked in the browser too (the page may be cached)', () => {
    const future = candidate({ starts: new Date(NOW + 1000).toISOString() });
    const over = candidate({ ends: new Date(NOW - 1000).toISOString(), kind: 'custom' });
    const running = candidate({ starts: new Date(NOW - DAY).toISOString(), ends: new Date(NOW + DAY).toISOString(), kind: 'app' });
    assert.deepEqual(ids([future, over, running], reader()), [running.id]);
  });

  test('by priority: at most one prompt of each kind and one overlay', () => {
    const low = candidate({ priority: 1 });
    const high = candidate({ priority: 5, placement: 'end' });
    const newsletter = candidate({ kind: 'newsletter', priority: 0 });
    const overlayA = candidate({ placement: 'overlay', priority: 1, kind: 'custom' });
    const overlayB = candidate({ placement: 'overlay', priority: 9, kind: 'app' });
    const chosen = ids([low, high, newsletter, overlayA, overlayB], reader());
    assert.deepEqual(chosen.sort(), [high.id, newsletter.id, overlayB.id].sort());
    // Equal priority: the older campaign (lower id) wins.
    const first = candidate({ priority: 2 });
    const second = candidate({ priority: 2 });
    assert.deepEqual(ids([second, first], reader()), [first.id]);
  });

  test('variants split by weight, and a reader keeps the variant first given', () => {
    const c = candidate({ variants: [{ key: 'a', weight: 30 }, { key: 'b', weight: 70 }, { key: 'off', weight: 0 }] });
    const pick = (roll: number, r = reader()) => script.choosePrompts([c], r, NOW, () => roll)[0]!.variant;
    assert.equal(pick(0), 'a');
    assert.equal(pick(0.29), 'a');
    assert.equal(pick(0.31), 'b');
    assert.equal(pick(0.999), 'b');
    assert.equal(pick(0.1, reader({ history: { [c.id]: { variant: 'b' } } })), 'b', 'sticky');
    assert.equal(pick(0.1, reader({ history: { [c.id]: { variant: 'off' } } })), 'a', 'a variant switched off is not kept');
  });

  test('bs_reader cookie flags', () => {
    assert.deepEqual(script.readerFlags('a=1; bs_reader=donor.subscriber; b=2'), ['donor', 'subscriber']);
    assert.deepEqual(script.readerFlags('bs_reader=former-donor%2Csubscriber'), ['former-donor', 'subscriber']);
    assert.deepEqual(script.readerFlags('other=donor'), []);
  });
});
