// Reader prompts (docs/prompts.md): the page carries every candidate's data (and the
// no-JavaScript default's copy, the others' copy is fetched when chosen); this
// first-party script chooses which to show from what this browser remembers
// (localStorage "bs_prompts": view times, dismissals, the variant given, articles
// read) and the first-party cookie "bs_reader" (donor, former-donor, subscriber).
// Nothing leaves the browser but aggregate counts: campaign, variant, event type.

const DAY = 86400000;
const STORE = 'bs_prompts';

/** Flags from the bs_reader cookie ("donor.subscriber"; ",", "+", "|" and spaces also separate). */
export function readerFlags(cookie) {
  const match = /(?:^|;\s*)bs_reader=([^;]*)/.exec(cookie || '');
  if (!match) return [];
  let value = match[1];
  try { value = decodeURIComponent(value); } catch { /* keep it raw */ }
  return value.replace(/^"|"$/g, '').split(/[.,+| ]+/).filter(Boolean);
}

function segmentOk(c, reader) {
  const flags = reader.flags;
  const donor = flags.includes('donor'), former = flags.includes('former-donor');
  if (c.donor === 'donor' && !donor) return false;
  if (c.donor === 'former-donor' && !former) return false;
  if (c.donor === 'non-donor' && (donor || former)) return false;
  const subscriber = flags.includes('subscriber');
  if (c.subscriber === 'subscriber' && !subscriber) return false;
  if (c.subscriber === 'non-subscriber' && subscriber) return false;
  if (c.readsMin != null && reader.reads < c.readsMin) return false;
  if (c.readsMax != null && reader.reads > c.readsMax) return false;
  return true;
}

function capsOk(c, seen, now) {
  const views = seen.views || [];
  const caps = c.caps;
  if (seen.dismissed != null && caps.dismissDays > 0 && now - seen.dismissed < caps.dismissDays * DAY) return false;
  if (caps.total != null && views.length >= caps.total) return false;
  if (caps.perWeek != null && views.filter((t) => now - t < 7 * DAY).length >= caps.perWeek) return false;
  if (caps.perDay != null && views.filter((t) => now - t < DAY).length >= caps.perDay) return false;
  return true;
}

function pickVariant(c, seen, random) {
  const live = c.variants.filter((v) => v.weight > 0);
  if (seen.variant && live.some((v) => v.key === seen.variant)) return seen.variant;
  const total = live.reduce((sum, v) => sum + v.weight, 0);
  let roll = random() * total;
  for (const v of live) {
    roll -= v.weight;
    if (roll < 0) return v.key;
  }
  return live[live.length - 1].key;
}

/**
 * The pure choice: dates, reader segments, caps and dismissals, then by priority
 * (then id) at most one overlay and at most one other prompt of each kind.
 * A reader keeps the variant they were first given.
 */
export function choosePrompts(candidates, reader, now, random) {
  const eligible = candidates
    .filter((c) => (!c.starts || Date.parse(c.starts) <= now) && (!c.ends || Date.parse(c.ends) > now))
    .filter((c) => c.variants.some((v) => v.weight > 0))
    // The web app's install offer only where the browser can install it (and it is not installed).
    .filter((c) => !c.install || reader.installable === true)
    .filter((c) => segmentOk(c, reader) && capsOk(c, reader.history[c.id] || {}, now))
    .sort((a, b) => b.priority - a.priority || a.id - b.id);
  const chosen = [];
  const kinds = new Set();
  let overlay = false;
  for (const c of eligible) {
    if (c.placement === 'overlay') {
      if (overlay) continue;
      overlay = true;
    } else {
      if (kinds.has(c.kind)) continue;
      kinds.add(c.kind);
    }
    chosen.push({ id: c.id, variant: pickVariant(c, reader.history[c.id] || {}, random) });
  }
  return chosen;
}

// ---- in the page -----------------------------------------------------------------------------

/** site.js keeps the browser's install offer (`beforeinstallprompt`) in window.bsInstall while it is usable. */
function installable() {
  return typeof window !== 'undefined' && !!window.bsInstall && window.bsInstall.available === true;
}

function load() {
  try {
    const data = JSON.parse(localStorage.getItem(STORE) || '{}');
    return { reads: Array.isArray(data.reads) ? data.reads : [], history: data.history && typeof data.history === 'object' ? data.history : {} };
  } catch {
    return { reads: [], history: {} };
  }
}

function save(state) {
  try { localStorage.setItem(STORE, JSON.stringify(state)); } catch { /* private mode: choices just are not remembered */ }
}

let queue = [];
function send(campaign, variant, type) {
  queue.push({ campaign, variant, type });
  if (queue.length === 1) setTimeout(flush, 1000);
}
function flush() {
  if (!queue.length) return;
  const events = queue.splice(0, 50);
  fetch('/prompts/events', { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) }).catch(() => {});
  if (queue.length) flush();
}

function openOverlay(dialog, onDismiss) {
  const previous = document.activeElement;
  dialog.showModal();
  const focusable = () => [...dialog.querySelectorAll('a[href], button, input:not([type=hidden]):not([tabindex="-1"]), select, textarea')].filter((el) => !el.closest('[hidden]'));
  // Keep Tab inside the dialog (the page behind is inert while it is open).
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = focusable();
    if (!items.length) return;
    const first = items[0], last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  });
  dialog.addEventListener('close', () => {
    onDismiss();
    if (previous && previous.focus) previous.focus();
  }, { once: true });
}

function run() {
  // A page that confirms a conversion from a prompt (the donate thanks page) says so in data-prompt-conversion="id:variant".
  for (const el of document.querySelectorAll('[data-prompt-conversion]')) {
    const [id, variant] = el.getAttribute('data-prompt-conversion').split(':');
    if (Number(id) > 0 && variant) send(Number(id), variant, 'conversion');
  }
  addEventListener('pagehide', flush);
  const dataEl = document.getElementById('bs-prompts');
  if (!dataEl) return;
  let data;
  try { data = JSON.parse(dataEl.textContent); } catch { return; }
  const now = Date.now();
  const state = load();
  state.reads = state.reads.filter((r) => Array.isArray(r) && now - r[1] < 30 * DAY);
  if (data.article != null && !state.reads.some((r) => r[0] === data.article)) state.reads.push([data.article, now]);
  const reader = { flags: readerFlags(document.cookie), reads: state.reads.length, history: state.history, installable: installable() };
  const chosen = choosePrompts(data.candidates, reader, now, Math.random);
  const byId = new Map(data.candidates.map((c) => [c.id, c]));
  // The browser may offer the install after this choice (site.js announces it): the install offer
  // then gets its turn if nothing of its kind (or, for an overlay, no overlay) was chosen.
  if (!reader.installable && data.candidates.some((c) => c.install)) {
    addEventListener('bs:installable', () => {
      const taken = chosen.map((ch) => byId.get(ch.id)).filter(Boolean);
      const open = data.candidates.filter((c) => c.install && !taken.some((t) => (t.placement === 'overlay' ? c.placement === 'overlay' : c.placement !== 'overlay' && t.kind === c.kind)));
      const late = choosePrompts(open, { ...reader, installable: true }, Date.now(), Math.random);
      if (!late.length) return;
      for (const choice of late) (state.history[choice.id] = state.history[choice.id] || {}).variant = choice.variant;
      save(state);
      const inPage = late.filter((choice) => {
        const el = document.querySelector(`[data-prompt="${choice.id}"][data-variant="${choice.variant}"]`);
        if (el) present(byId.get(choice.id), choice.variant, el, state, Date.now());
        return !el;
      });
      if (inPage.length) fetchCopy(inPage, data, byId, state, Date.now());
    }, { once: true });
  }

  // Hide everything (the no-JavaScript default included), then show the choice.
  for (const el of document.querySelectorAll('[data-prompt]')) if (el.tagName !== 'DIALOG') el.hidden = true;
  const missing = [];
  for (const choice of chosen) {
    const c = byId.get(choice.id);
    if (!c) continue;
    (state.history[c.id] = state.history[c.id] || {}).variant = choice.variant;
    const el = document.querySelector(`[data-prompt="${c.id}"][data-variant="${choice.variant}"]`);
    if (el) present(c, choice.variant, el, state, now);
    else missing.push(choice);
  }
  save(state);
  if (missing.length) fetchCopy(missing, data, byId, state, now);
}

/** Only the no-JavaScript default is in the page; the other chosen variants' copy comes from one cacheable request. */
function fetchCopy(missing, data, byId, state, now) {
  missing.sort((a, b) => a.id - b.id);
  const refs = missing.map((m) => `${m.id}.${m.variant}`).join(',');
  fetch(`/prompts/copy/${refs}?v=${encodeURIComponent(data.v || '')}`, { credentials: 'omit' })
    .then((response) => (response.ok ? response.json() : {}))
    .then((copy) => {
      for (const choice of missing) {
        const slot = document.querySelector(`[data-prompt="${choice.id}"]`);
        const markup = copy[`${choice.id}.${choice.variant}`];
        if (!slot || typeof markup !== 'string') continue;
        const template = document.createElement('template');
        template.innerHTML = markup;
        const el = template.content.firstElementChild;
        if (!el) continue;
        // The copy is the same for every page: this page's article and address go in here.
        for (const a of el.querySelectorAll('a[href^="/donate?"]')) {
          const url = new URL(a.getAttribute('href'), location.href);
          if (data.article != null) url.searchParams.set('article', data.article);
          a.setAttribute('href', url.pathname + url.search);
        }
        const source = el.querySelector('input[name="source"]');
        if (source) source.value = `article:${location.pathname}`;
        slot.replaceWith(el);
        present(byId.get(choice.id), choice.variant, el, state, now);
      }
    })
    .catch(() => { /* offline or gone: the page simply shows no prompt there */ });
}

/** Shows one chosen variant's element, counts it, and wires its buttons. */
function present(c, variant, el, state, now) {
  const seen = (state.history[c.id] = state.history[c.id] || {});
  const shown = () => {
    seen.views = (seen.views || []).filter((t) => now - t < 400 * DAY).concat(Date.now()).slice(-200);
    save(state);
    send(c.id, variant, 'impression');
  };
  const dismiss = () => {
    seen.dismissed = Date.now();
    save(state);
    send(c.id, variant, 'dismiss');
  };
  el.addEventListener('click', (event) => {
    if (event.target.closest('a[href], [data-app-install]')) send(c.id, variant, 'click');
  });
  // The install button (site.js opens the browser's dialog): an accepted install is the conversion;
  // either answer puts the prompt away (declining counts as "not now").
  for (const button of el.querySelectorAll('[data-app-install]')) {
    button.hidden = false;
    button.addEventListener('bs:install-answer', (event) => {
      if (event.detail === 'accepted') send(c.id, variant, 'conversion');
      if (el.tagName === 'DIALOG') return el.open && el.close();
      if (el.hidden) return;
      el.hidden = true;
      if (event.detail === 'dismissed') dismiss();
    });
  }
  const form = el.querySelector('[data-prompt-form]');
  if (form) form.addEventListener('submit', () => { send(c.id, variant, 'click'); flush(); });
  if (el.tagName === 'DIALOG') {
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      removeEventListener('scroll', onScroll);
      shown();
      openOverlay(el, dismiss);
    };
    const onScroll = () => {
      const depth = (scrollY + innerHeight) / document.documentElement.scrollHeight;
      if (depth > 0.6) open();
    };
    // Never on first paint: after a while, or once the reader is well into the page.
    addEventListener('scroll', onScroll, { passive: true });
    setTimeout(open, 20000);
    el.querySelector('[data-prompt-dismiss]').addEventListener('click', () => el.close());
  } else {
    el.hidden = false;
    const button = el.querySelector('[data-prompt-dismiss]');
    if (button) {
      button.hidden = false;
      button.addEventListener('click', () => {
        el.hidden = true;
        dismiss();
      });
    }
    shown();
  }
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
}
