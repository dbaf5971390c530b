/*
 * The reader site's service worker (docs/web-app.md). Served by src/pwa/pwa.routes.ts at /sw.js with
 * `Cache-Control: no-cache`; the route puts `self.BROADSHEET_SW = { build, precache }` in front of this file,
 * so a new build (new asset hashes) is a new worker and its install precaches the new files.
 *
 * - Static assets (/assets/, /media/, /icons/: content-addressed URLs) are cache-first.
 * - Reader pages are network-first; what was read is kept: the home page and other list pages (a few), and the
 *   last MAX_ARTICLES articles opened (oldest dropped first). Offline, a page comes from that cache, or else /offline.
 * - Never cached: the admin, APIs, anything but GET, and responses marked private or no-store (sign-in, donor
 *   pages, forms' answers). Set-Cookie is invisible to a worker, so the server marks such pages no-store.
 */
/* global self, caches, fetch, URL, Response */
'use strict';

const CONFIG = self.BROADSHEET_SW || { build: 'dev', precache: ['/offline'] };
/** Bump the schema number when what is stored changes shape; a new build only replaces the core cache. */
const CORE_CACHE = `bs-core-${CONFIG.build}`;
const ASSET_CACHE = 'bs-assets-v1';
const ARTICLE_CACHE = 'bs-articles-v1';
const PAGE_CACHE = 'bs-pages-v1';
const KEPT_CACHES = [CORE_CACHE, ASSET_CACHE, ARTICLE_CACHE, PAGE_CACHE];

const MAX_ARTICLES = 20;
const MAX_PAGES = 10;
const MAX_ASSETS = 150;
const OFFLINE_URL = '/offline';

/** First path segments that are never reader pages (or never cached). */
const NOT_PAGES = new Set(['admin', 'api', 'push', 'assets', 'media', 'icons', 'author', 'tag', 'archive', 'search', 'donate', 'donor', 'newsletters', 'prompts', 'preview', 'healthz', 'offline', 'sw.js', 'manifest.webmanifest']);
const NEVER = new Set(['admin', 'api', 'push', 'donor', 'donate', 'newsletters', 'prompts', 'preview', 'healthz', 'sw.js']);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CORE_CACHE);
      // `reload`: the offline page and assets from the network, not the HTTP cache's copy.
      await cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('bs-') && !KEPT_CACHES.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
      // The page the reader is on when the worker first starts was loaded without it: keep it now.
      for (const client of await self.clients.matchAll({ type: 'window' })) {
        await keepPage(new URL(client.url)).catch(() => {});
      }
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const first = url.pathname.split('/')[1] || '';
  if (NEVER.has(first)) return;
  if (first === 'assets' || first === 'media' || first === 'icons') {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(networkFirstPage(request, url));
});

/** Content-addressed files: the cached copy if any, else the network (kept when it is a plain public 200). */
async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (storable(response)) {
    const cache = await caches.open(ASSET_CACHE);
    await cache.put(request, response.clone());
    await trim(cache, MAX_ASSETS, () => false);
  }
  return response;
}

/** Reader pages: the network first; offline, the copy kept from an earlier visit, else the offline page. */
async function networkFirstPage(request, url) {
  const key = pageKey(url);
  const kind = pageKind(url);
  try {
    const response = await fetch(request);
    if (kind) await store(kind, key, response.clone());
    return response;
  } catch (error) {
    const kept = kind ? await caches.match(key) : undefined;
    if (kept) return kept;
    const offline = await caches.match(OFFLINE_URL);
    if (offline) return offline;
    throw error;
  }
}

/** Keeps a reader page's answer (when it may be kept): articles up to MAX_ARTICLES, other pages up to MAX_PAGES besides the home page. */
async function store(kind, key, response) {
  if (!storable(response) || !isHtml(response)) return;
  const cache = await caches.open(kind === 'article' ? ARTICLE_CACHE : PAGE_CACHE);
  // Delete first so the entry moves to the end: the cache's order is the reading order.
  await cache.delete(key);
  await cache.put(key, response);
  if (kind === 'article') await trim(cache, MAX_ARTICLES, () => false);
  else await trim(cache, MAX_PAGES, (entry) => new URL(entry.url).pathname === '/');
}

async function keepPage(url) {
  const kind = url.origin === self.location.origin ? pageKind(url) : undefined;
  if (!kind) return;
  await store(kind, pageKey(url), await fetch(url.href, { credentials: 'same-origin' }));
}

/** The page's cache key: path and page number only, so `?source=pwa` or `utm_*` find the same copy (as the server's page cache). */
function pageKey(url) {
  const key = new URL(url.pathname, url.origin);
  const page = url.searchParams.get('page');
  if (page && page !== '1') key.searchParams.set('page', page);
  return key.href;
}

/** 'article' for /<section>/<slug>, 'page' for the home, section and list pages, undefined for anything not kept. */
function pageKind(url) {
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length === 0) return 'page';
  if (parts.length === 2 && !NOT_PAGES.has(parts[0])) return 'article';
  if (parts.length === 1 && !NOT_PAGES.has(parts[0])) return 'page';
  if (parts.length === 2 && (parts[0] === 'author' || parts[0] === 'tag')) return 'page';
  return undefined;
}

function storable(response) {
  if (!response || response.status !== 200 || response.type !== 'basic') return false;
  const control = (response.headers.get('cache-control') || '').toLowerCase();
  return !/\b(private|no-store)\b/.test(control);
}

function isHtml(response) {
  return (response.headers.get('content-type') || '').startsWith('text/html');
}

/** Drops the oldest entries beyond `max` (entries `keep` says to keep are skipped). */
async function trim(cache, max, keep) {
  const keys = await cache.keys();
  let excess = keys.length - max;
  for (const entry of keys) {
    if (excess <= 0) break;
    if (keep(entry)) continue;
    await cache.delete(entry);
    excess--;
  }
}

// --- Push alerts (owned by src/push) ---
// docs/push.md. The payload is JSON from src/push/payload.ts: { id, title, body, url, tag }.
self.addEventListener('push', (event) => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch {
    alert = {};
  }
  const title = typeof alert.title === 'string' && alert.title ? alert.title : 'News alert';
  const options = {
    body: typeof alert.body === 'string' ? alert.body : '',
    data: { id: Number.isInteger(alert.id) ? alert.id : null, url: typeof alert.url === 'string' ? alert.url : '/' },
  };
  if (typeof alert.tag === 'string' && alert.tag) options.tag = alert.tag;
  // Every push must show a notification (userVisibleOnly): even an unreadable one shows the title.
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  // Only pages of this site open from a notification.
  let target = new URL('/', self.location.origin).href;
  try {
    const url = new URL(data.url, self.location.origin);
    if (url.origin === self.location.origin) target = url.href;
  } catch {
    // keep the home page
  }
  const counted = Number.isInteger(data.id) ? fetch(`/push/alerts/${data.id}/click`, { method: 'POST', credentials: 'omit', keepalive: true }).catch(() => {}) : Promise.resolve();
  event.waitUntil(Promise.all([counted, self.clients.openWindow(target)]));
});
// --- end of push alerts ---
