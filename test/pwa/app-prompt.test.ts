/**
 * The "app download" prompt and the web app (issue 6 and 7). On both databases: without store
 * links, an app prompt offers the web app's install (a button the scripts reveal only where the
 * browser can install) and is marked `install` in the page's data, and is never the no-JavaScript
 * default; with store links it offers them as before. And the reader script's choice, as it is
 * served: an install offer is chosen only where the browser can install.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { PROMPT_SCRIPT_FILE } from '../../src/prompts/assets.js';
import type { Candidate, CampaignInput, PromptScript } from '../../src/prompts/model.js';

const script = (await import(pathToFileURL(PROMPT_SCRIPT_FILE).href)) as PromptScript;

const appPrompt: CampaignInput = {
  name: 'Get the app',
  kind: 'app',
  placement: 'list',
  variants: [{ key: 'a', weight: 1, heading: 'Read us on your phone', body: '<p>Headlines a tap away.</p>', buttonText: 'Add to home screen' }],
};

function pageData(page: string): { candidates: Candidate[] } {
  const json = /<script type="application\/json" id="bs-prompts">([\s\S]*?)<\/script>/.exec(page)?.[1];
  assert.ok(json, 'the page carries the prompt data');
  return JSON.parse(json) as { candidates: Candidate[] };
}

describe('choosing an install offer (public/assets/prompts.js)', () => {
  const offer: Candidate = { id: 1, kind: 'app', placement: 'list', priority: 5, caps: { dismissDays: 7 }, variants: [{ key: 'a', weight: 1 }], install: true };
  const follow: Candidate = { id: 2, kind: 'social', placement: 'list', priority: 0, caps: { dismissDays: 7 }, variants: [{ key: 'a', weight: 1 }] };
  const reader = { flags: [], reads: 0, history: {} };

  test('only where the browser offered to install', () => {
    assert.deepEqual(script.choosePrompts([offer, follow], reader, Date.now(), () => 0.5).map((c) => c.id), [2]);
    assert.deepEqual(script.choosePrompts([offer, follow], { ...reader, installable: false }, Date.now(), () => 0.5).map((c) => c.id), [2]);
    assert.deepEqual(script.choosePrompts([offer, follow], { ...reader, installable: true }, Date.now(), () => 0.5).map((c) => c.id), [1, 2]);
  });

  test('an app prompt with store links needs no install offer', () => {
    const stores: Candidate = { ...offer, install: undefined };
    assert.deepEqual(script.choosePrompts([stores], reader, Date.now(), () => 0.5).map((c) => c.id), [1]);
  });
});

for (const dialect of DIALECTS) {
  describe(`the app prompt on the home page (${dialect})`, () => {
    let t: TestApp;
    let id: number;
    before(async () => {
      t = await startTestApp(dialect);
      id = (await t.app.prompts.campaigns.create(appPrompt)).id;
    });
    after(async () => t.close());

    test('without store links: the install button, hidden until the browser can install, and never the no-JavaScript default', async () => {
      const page = await (await fetch(`${t.url}/`)).text();
      const candidate = pageData(page).candidates.find((c) => c.id === id);
      assert.equal(candidate?.install, true);
      // Not the default: only an empty slot is in the page; the copy comes when the script chooses it.
      assert.match(page, new RegExp(`<div class="prompt-slot" data-prompt="${id}" hidden></div>`));
      assert.doesNotMatch(page, /Read us on your phone/);
      const copy = (await (await fetch(`${t.url}/prompts/copy/${id}.a`)).json()) as Record<string, string>;
      assert.match(copy[`${id}.a`]!, /<button type="button" class="prompt-button" data-app-install hidden>Add to home screen<\/button>/);
      assert.doesNotMatch(copy[`${id}.a`]!, /apps\.example/);
    });

    test('with store links: the links, no install offer, and it may be the default', async () => {
      await t.app.settings.update({ appLinks: { ios: 'https://apps.example/ios/ledger', android: 'https://apps.example/android/ledger' } }, new Date().toISOString());
      const page = await (await fetch(`${t.url}/`)).text();
      const candidate = pageData(page).candidates.find((c) => c.id === id);
      assert.ok(candidate);
      assert.equal(candidate.install, undefined);
      assert.match(page, /Read us on your phone/);
      assert.match(page, /<a href="https:\/\/apps.example\/ios\/ledger" data-prompt-click>Download for iPhone and iPad<\/a>/);
      assert.doesNotMatch(page, /data-app-install/);
    });
  });
}
