/**
 * The manifest and its icons (SQLite and PostgreSQL): what a browser needs to install the site,
 * icons that really are 192 and 512 px PNGs drawn from the logo, a new icon set (new addresses)
 * when the logo or colours change, and the shipped logo when the configured one cannot be used.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';

interface ManifestIcon { src: string; sizes: string; type: string; purpose: string }
interface Manifest {
  id: string; name: string; short_name: string; description: string; start_url: string; scope: string; display: string;
  theme_color: string; background_color: string; icons: ManifestIcon[]; related_applications?: { platform: string; url: string; id?: string }[];
}

/** A logo server the settings can point at: a red square, or a 404 for /missing.png. */
async function logoServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const red = await sharp({ create: { width: 300, height: 300, channels: 4, background: '#d01010' } }).png().toBuffer();
  const server = http.createServer((req, res) => {
    if (req.url === '/red.png') res.writeHead(200, { 'content-type': 'image/png' }).end(red);
    else if (req.url === '/not-an-image.png') res.writeHead(200, { 'content-type': 'image/png' }).end('hello');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function centrePixel(png: Buffer): Promise<[number, number, number]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

for (const dialect of DIALECTS) {
  describe(`web app manifest and icons (${dialect})`, () => {
    let t: TestApp;
    let logos: Awaited<ReturnType<typeof logoServer>>;
    before(async () => {
      t = await startTestApp(dialect);
      logos = await logoServer();
    });
    after(async () => {
      await t.close();
      await logos.close();
    });

    const manifest = async (): Promise<Manifest> => {
      const response = await fetch(`${t.url}/manifest.webmanifest`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/manifest\+json/);
      return (await response.json()) as Manifest;
    };
    const update = (patch: object) => t.app.settings.update(patch, new Date().toISOString());

    test('every reader page links the manifest and the theme colour', async () => {
      const home = await (await fetch(`${t.url}/`)).text();
      assert.match(home, /<link rel="manifest" href="\/manifest.webmanifest">/);
      assert.match(home, /<meta name="theme-color" content="#ffffff">/);
      assert.match(home, /<link rel="apple-touch-icon" href="\/icons\/apple-touch-icon.png">/);
    });

    test('the manifest has what Chromium needs to install the site', async () => {
      const m = await manifest();
      assert.equal(m.name, 'Broadsheet');
      assert.equal(m.short_name, 'Broadsheet');
      assert.equal(m.display, 'standalone');
      assert.equal(m.start_url, '/?source=pwa');
      assert.equal(m.scope, '/');
      assert.equal(m.id, '/');
      assert.equal(m.theme_color, '#ffffff');
      assert.ok(m.description);
      assert.deepEqual(m.icons.map((i) => `${i.sizes} ${i.purpose}`), ['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable']);
      for (const icon of m.icons) {
        const response = await fetch(`${t.url}${icon.src}`);
        assert.equal(response.status, 200, icon.src);
        assert.equal(response.headers.get('content-type'), 'image/png');
        assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        assert.equal(`${meta.width}x${meta.height}`, icon.sizes);
        assert.equal(meta.format, 'png');
      }
      const apple = await fetch(`${t.url}/icons/apple-touch-icon.png`);
      assert.equal((await sharp(Buffer.from(await apple.arrayBuffer())).metadata()).width, 180);
    });

    test('a new logo or colour makes new icons at new addresses; names and store apps come from the settings', async () => {
      const before = await manifest();
      await update({ logoUrl: `${logos.url}/red.png`, name: 'The Riverside Evening Chronicle', webApp: { themeColor: '#0b5394' }, appLinks: { android: 'https://play.google.com/store/apps/details?id=org.example.news' } });
      const after = await manifest();
      assert.equal(after.short_name, 'Riverside');
      assert.equal(after.name, 'The Riverside Evening Chronicle');
      assert.equal(after.theme_color, '#0b5394');
      assert.deepEqual(after.related_applications, [{ platform: 'play', url: 'https://play.google.com/store/apps/details?id=org.example.news', id: 'org.example.news' }]);
      assert.notEqual(after.icons[0]!.src, before.icons[0]!.src);
      const icon = Buffer.from(await (await fetch(`${t.url}${after.icons[1]!.src}`)).arrayBuffer());
      assert.deepEqual(await centrePixel(icon), [0xd0, 0x10, 0x10], 'the icon is drawn from the new logo');
      // The maskable icon keeps the logo inside the safe zone: its corner is the background colour.
      const maskable = await sharp(Buffer.from(await (await fetch(`${t.url}${after.icons[3]!.src}`)).arrayBuffer())).raw().toBuffer();
      assert.deepEqual([...maskable.subarray(0, 3)], [255, 255, 255]);
      // A short name set in the settings wins.
      await update({ webApp: { shortName: 'Chronicle' } });
      assert.equal((await manifest()).short_name, 'Chronicle');
      // The old address still answers (a CDN may hold the old manifest for a while), with today's icon and a short cache.
      const old = await fetch(`${t.url}${before.icons[0]!.src}`);
      assert.equal(old.status, 200);
      assert.equal(old.headers.get('cache-control'), 'public, max-age=300');
    });

    test('a logo that cannot be used falls back to the shipped one', async () => {
      await update({ logoUrl: '' });
      const shipped = (await manifest()).icons[0]!.src;
      for (const broken of [`${logos.url}/missing.png`, `${logos.url}/not-an-image.png`, '/assets/../../package.json', '/media/nothing-here.png']) {
        await update({ logoUrl: broken });
        assert.equal((await manifest()).icons[0]!.src, shipped, broken);
      }
    });

    test('icon addresses that are not ours are a 400, not a 500', async () => {
      assert.equal((await fetch(`${t.url}/icons/abc/icon-192.png`)).status, 400);
      assert.equal((await fetch(`${t.url}/icons/0123456789ab/secret.png`)).status, 400);
    });
  });
}
