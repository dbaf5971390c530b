/**
 * The media library over real HTTP on SQLite and PostgreSQL, signed in:
 * uploading every accepted format, variants on disk and served with
 * immutable cache headers, EXIF/GPS stripped and images turned upright, bad
 * input refused with nothing stored, identical uploads deduplicated, search,
 * alt text and credit edits reaching the article page, usage, and who may do what.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { processImage, variantWidths } from '../../src/media/images.js';
import { MediaService } from '../../src/media/media.service.js';
import { MediaRepository } from '../../src/media/media.repository.js';
import { LocalMediaStorage } from '../../src/media/storage.js';

// ---------------------------------------------------------------- test images

const noise = (width: number, height: number, channels: 3 | 4 = 3, alpha = 1) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 60, b: 40, alpha }, noise: { type: 'gaussian', mean: 120, sigma: 30 } } });

/** A 800x500 JPEG stored sideways (EXIF orientation 6: upright it is 500x800), with a GPS position and a copyright line. */
async function jpegWithGps(): Promise<Buffer> {
  return noise(800, 500)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Copyright: 'Staff photographer' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
    .toBuffer();
}

/** Whether the image carries EXIF with a GPS block (tag 0x8825, either byte order). */
async function hasGps(buffer: Buffer): Promise<boolean> {
  const { exif } = await sharp(buffer).metadata();
  if (!exif) return false;
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

async function makeImages() {
  const transparent = await sharp({ create: { width: 700, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: await noise(300, 200).png().toBuffer(), left: 100, top: 100 }])
    .png()
    .toBuffer();
  return {
    jpeg: await jpegWithGps(),
    png: transparent,
    webp: await noise(1700, 900).webp().withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 52/1 0/1' } }).toBuffer(),
    avif: await noise(640, 480).avif({ effort: 0 }).toBuffer(),
    gif: await noise(300, 200).gif().toBuffer(),
  };
}

// ---------------------------------------------------------------- helpers

async function upload(t: TestApp, who: Signed | undefined, data: Buffer | Blob, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', data instanceof Blob ? data : new Blob([new Uint8Array(data)]), filename);
  const headers: Record<string, string> = {};
  if (who) {
    headers.cookie = who.cookie;
    headers['x-csrf-token'] = who.csrf;
  }
  const response = await fetch(`${t.url}/api/admin/media`, { method: 'POST', headers, body: form });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)))
    .sort();
}

async function mediaCount(t: TestApp): Promise<number> {
  const row = await t.app.db.kysely.selectFrom('media').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const KEY = /^\d{4}\/\d{2}\/[0-9a-f]{16}-\d+\.(jpg|png|webp|avif)$/;

// ---------------------------------------------------------------- unit-level

describe('image processing', () => {
  test('variant widths: the standard ones that fit, plus the image width when smaller than 1600', () => {
    assert.deepEqual(variantWidths(200), [200]);
    assert.deepEqual(variantWidths(500), [320, 500]);
    assert.deepEqual(variantWidths(960), [320, 640, 960]);
    assert.deepEqual(variantWidths(4000), [320, 640, 960, 1280, 1600]);
  });

  test('a picture with more pixels than allowed is refused before it is decoded', async () => {
    const image = await noise(200, 200).png().toBuffer();
    await assert.rejects(processImage(image, { now: new Date(), maxPixels: 10_000 }), (error: Error) => {
      assert.match(error.message, /too (large|many pixels)/);
      return true;
    });
  });

  test('SVG, TIFF and HEIC-like inputs are not accepted even though sharp can read some of them', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>');
    await assert.rejects(processImage(svg, { now: new Date() }), /not an image we can use/);
    const tiff = await noise(100, 100).tiff().toBuffer();
    await assert.rejects(processImage(tiff, { now: new Date() }), /not an image we can use/);
  });
});

// ---------------------------------------------------------------- over HTTP

for (const dialect of DIALECTS) {
  describe(`media library on ${dialect}`, () => {
    let t: TestApp;
    let editor: Signed;
    let author: Signed;
    let contributor: Signed;
    let images: Awaited<ReturnType<typeof makeImages>>;
    let room: Newsroom;
    let mediaDir: string;
    const uploaded: Record<string, any> = {};

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { env: { MEDIA_MAX_MB: '2' } }); // BODY_LIMIT_KB stays 1024: uploads have their own limit
      mediaDir = path.join(t.config.dataDir, 'media');
      const e = await createStaff(t, 'editor');
      const a = await createStaff(t, 'author');
      const c = await createStaff(t, 'contributor');
      editor = await signIn(t, e.email, e.password);
      author = await signIn(t, a.email, a.password);
      contributor = await signIn(t, c.email, c.password);
      images = await makeImages();
      room = await makeNewsroom(t.app);
    });
    after(async () => {
      await t?.close();
    });

    test('the JPEG test image really carries GPS EXIF and a sideways orientation', async () => {
      assert.equal(await hasGps(images.jpeg), true);
      assert.equal((await sharp(images.jpeg).metadata()).orientation, 6);
      assert.equal(await hasGps(images.webp), true);
    });

    for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as const) {
      test(`uploading a ${format}: variants in three formats, stored and served with year-long immutable caching, no metadata`, async () => {
        const res = await upload(t, editor, images[format], `harbour-${format}.${format === 'jpeg' ? 'jpg' : format}`, { credit: `Photo: ${format} desk` });
        assert.equal(res.status, 201, res.text);
        const item = res.json.media;
        uploaded[format] = item;
        assert.equal(res.json.duplicate, false);
        assert.equal(item.credit, `Photo: ${format} desk`);
        assert.equal(item.bytes, images[format].length);
        const fallback = format === 'png' ? 'png' : 'jpeg';
        assert.equal(item.mime, `image/${fallback}`, 'PNG with transparency keeps PNG; everything else falls back to JPEG');

        const meta = await sharp(images[format]).metadata();
        const upright = meta.autoOrient!;
        const widths = variantWidths(upright.width);
        const formats = new Set(item.variants.map((v: any) => v.format));
        assert.deepEqual([...formats].sort(), [fallback, 'avif', 'webp'].sort());
        assert.equal(item.variants.length, widths.length * 3);
        assert.deepEqual([...new Set(item.variants.map((v: any) => v.width))], widths);
        for (const v of item.variants) {
          assert.ok(v.width <= 1600 && v.width <= upright.width, 'never enlarged');
          const key = v.url.replace(/^\/media\//, '');
          assert.match(key, KEY);
          const file = path.join(mediaDir, key);
          assert.ok(fs.existsSync(file), `${key} on disk`);
          const data = fs.readFileSync(file);
          const out = await sharp(data).metadata();
          assert.equal(out.format === 'heif' ? 'avif' : out.format, v.format);
          assert.equal(out.width, v.width);
          assert.equal(out.height, v.height);
          assert.equal(out.exif, undefined, `${key}: no EXIF`);
          assert.equal(out.xmp, undefined, `${key}: no XMP`);
          assert.equal(out.iptc, undefined, `${key}: no IPTC`);
          assert.equal(await hasGps(data), false, `${key}: no GPS`);
          assert.ok(!data.includes(Buffer.from('Staff photographer')), `${key}: no EXIF text`);
          // Upright: portrait stays portrait.
          assert.equal(v.width / v.height > 1, upright.width / upright.height > 1, `${key}: oriented like the upright original`);
        }
        if (format === 'jpeg') {
          assert.deepEqual(widths, [320, 500], 'sideways 800x500 is upright 500x800');
          assert.equal(item.width, 500);
          assert.equal(item.height, 800);
        }
        const largest = item.variants.at(-1);
        const served = await fetch(t.url + largest.url);
        assert.equal(served.status, 200);
        assert.match(served.headers.get('cache-control') ?? '', /max-age=31536000/);
        assert.match(served.headers.get('cache-control') ?? '', /immutable/);
        assert.equal(served.headers.get('content-type'), `image/${largest.format}`);
        assert.equal(Buffer.from(await served.arrayBuffer()).length, fs.statSync(path.join(mediaDir, largest.url.slice(7))).size);
      });
    }

    test('uploading the same file again gives the existing item, and stores nothing new', async () => {
      const before = filesUnder(mediaDir);
      const count = await mediaCount(t);
      const res = await upload(t, author, images.jpeg, 'again.jpg');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.duplicate, true);
      assert.equal(res.json.media.id, uploaded.jpeg.id);
      assert.deepEqual(filesUnder(mediaDir), before);
      assert.equal(await mediaCount(t), count);
    });

    const refused: [string, () => Promise<{ data: Buffer; name: string }>, number, RegExp][] = [
      ['a text file named .jpg', async () => ({ data: Buffer.from('Minutes of the council meeting.\n'.repeat(50)), name: 'minutes.jpg' }), 400, /not an image/],
      ['a truncated JPEG', async () => ({ data: images.jpeg.subarray(0, Math.floor(images.jpeg.length / 2)), name: 'cut.jpg' }), 400, /damaged or incomplete/],
      ['a truncated PNG', async () => ({ data: images.png.subarray(0, Math.floor(images.png.length * 0.6)), name: 'cut.png' }), 400, /damaged or incomplete|not an image/],
      ['an SVG', async () => ({ data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), name: 'logo.svg' }), 400, /not an image/],
      ['an empty file', async () => ({ data: Buffer.alloc(0), name: 'empty.jpg' }), 400, /empty/],
      ['a file over MEDIA_MAX_MB (2 MB here)', async () => ({ data: await noise(1000, 1000).png({ compressionLevel: 0 }).toBuffer(), name: 'huge.png' }), 413, /larger than the 2 MB upload limit/],
    ];
    for (const [name, make, status, message] of refused) {
      test(`${name} is refused with ${status} and a clear message; nothing is stored`, async () => {
        const { data, name: filename } = await make();
        const files = filesUnder(mediaDir);
        const count = await mediaCount(t);
        const res = await upload(t, editor, data, filename);
        assert.equal(res.status, status, res.text);
        assert.match(res.json.error.message, message);
        assert.equal(await mediaCount(t), count, 'no database row');
        assert.deepEqual(filesUnder(mediaDir), files, 'no files');
      });
    }

    test('a streamed upload (no Content-Length) over the limit is cut off with 413; nothing is stored', async () => {
      const files = filesUnder(mediaDir);
      const count = await mediaCount(t);
      const big = await noise(1000, 1000).png({ compressionLevel: 0 }).toBuffer();
      const boundary = 'broadsheettestboundary';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const body = Buffer.concat([head, big, tail]);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < body.length; i += 64 * 1024) controller.enqueue(body.subarray(i, i + 64 * 1024));
          controller.close();
        },
      });
      let status: number;
      let text = '';
      try {
        const response = await fetch(`${t.url}/api/admin/media`, {
          method: 'POST',
          headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: stream,
          duplex: 'half',
        } as RequestInit);
        status = response.status;
        text = await response.text();
      } catch (error) {
        assert.fail(`the server should answer, not drop the connection: ${String(error)}`);
      }
      assert.equal(status, 413, text);
      assert.match(JSON.parse(text).error.message, /larger than the 2 MB upload limit/);
      assert.equal(await mediaCount(t), count);
      assert.deepEqual(filesUnder(mediaDir), files);
    });

    test('an image larger than BODY_LIMIT_KB but within MEDIA_MAX_MB is accepted', async () => {
      const data = await noise(800, 700).png({ compressionLevel: 0 }).toBuffer();
      assert.ok(data.length > t.config.bodyLimitBytes && data.length < t.config.media.maxBytes, `${data.length} bytes`);
      const res = await upload(t, editor, data, 'big-but-fine.png');
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.media.mime, 'image/jpeg', 'an opaque PNG falls back to JPEG');
      uploaded.bigPng = res.json.media;
    });

    test('a failure while storing removes every file written so far, and no row is inserted', async () => {
      const storage = new LocalMediaStorage(mediaDir);
      let puts = 0;
      const failing = Object.assign(Object.create(storage) as LocalMediaStorage, {
        put: async (key: string, data: Buffer, type: string) => {
          if (++puts === 4) throw new Error('disk full');
          return storage.put(key, data, type);
        },
      });
      const service = new MediaService({ media: new MediaRepository(t.app.db.kysely), storage: failing, events: t.app.events, clock: t.clock, log: t.app.log });
      const files = filesUnder(mediaDir);
      const count = await mediaCount(t);
      await assert.rejects(service.upload({ data: await noise(1000, 700).jpeg().toBuffer(), filename: 'x.jpg', uploadedBy: null }), /disk full/);
      assert.equal(puts, 4);
      assert.equal(await mediaCount(t), count);
      assert.deepEqual(filesUnder(mediaDir), files);
    });

    test('the library lists newest first, searches alt, caption, credit and file name, and pages', async () => {
      const all = await call(t, 'GET', '/api/admin/media?perPage=2', { cookie: contributor.cookie });
      assert.equal(all.status, 200, all.text);
      assert.equal(all.json.total, 6);
      assert.equal(all.json.items.length, 2);
      assert.deepEqual(all.json.items.map((i: any) => i.id), [uploaded.bigPng.id, uploaded.gif.id], 'newest first');
      const page3 = await call(t, 'GET', '/api/admin/media?perPage=2&page=3', { cookie: editor.cookie });
      assert.deepEqual(page3.json.items.map((i: any) => i.id), [uploaded.png.id, uploaded.jpeg.id]);
      const byCredit = await call(t, 'GET', `/api/admin/media?q=${encodeURIComponent('WEBP desk')}`, { cookie: editor.cookie });
      assert.deepEqual(byCredit.json.items.map((i: any) => i.id), [uploaded.webp.id]);
      const byName = await call(t, 'GET', '/api/admin/media?q=harbour-avif', { cookie: editor.cookie });
      assert.deepEqual(byName.json.items.map((i: any) => i.id), [uploaded.avif.id]);
      const wildcard = await call(t, 'GET', '/api/admin/media?q=%25', { cookie: editor.cookie });
      assert.equal(wildcard.json.total, 0, '% is a character, not a wildcard');
      const one = await call(t, 'GET', `/api/admin/media/${uploaded.png.id}`, { cookie: editor.cookie });
      assert.equal(one.status, 200);
      assert.equal(one.json.media.filename, 'harbour-png.png');
      assert.equal((await call(t, 'GET', '/api/admin/media/999999', { cookie: editor.cookie })).status, 404);
    });

    test('editing alt text and credit re-renders the article page using the image; usage lists the article', async () => {
      const image = uploaded.jpeg;
      const article = await publishedArticle(t.app, room, { imageId: image.id, headline: 'Harbour lights return' });
      const first = await fetch(t.url + article.path);
      assert.equal(first.status, 200);
      const before = await first.text();
      assert.match(before, /<picture><source type="image\/avif" srcset="[^"]+-320\.avif 320w, [^"]+-500\.avif 500w" sizes="[^"]+"><source type="image\/webp"/);
      assert.match(before, /<img src="\/media\/\d{4}\/\d{2}\/[0-9a-f]{16}-500\.jpg" srcset="[^"]+-320\.jpg 320w, [^"]+-500\.jpg 500w" sizes="[^"]+" width="500" height="800"/);
      assert.match(before, /Photo: jpeg desk/);
      await fetch(t.url + article.path); // cached now

      const patch = await call(t, 'PATCH', `/api/admin/media/${image.id}`, {
        cookie: editor.cookie,
        csrf: editor.csrf,
        body: { alt: 'Fishing boats under the harbour lights at dusk', credit: 'Photo: Mara Quinn' },
      });
      assert.equal(patch.status, 200, patch.text);
      assert.equal(patch.json.media.alt, 'Fishing boats under the harbour lights at dusk');
      const after = await (await fetch(t.url + article.path)).text();
      assert.match(after, /alt="Fishing boats under the harbour lights at dusk"/);
      assert.match(after, /<span class="credit">Photo: Mara Quinn<\/span>/);
      assert.doesNotMatch(after, /Photo: jpeg desk/);

      const usage = await call(t, 'GET', `/api/admin/media/${image.id}/usage`, { cookie: contributor.cookie });
      assert.equal(usage.status, 200, usage.text);
      assert.deepEqual(usage.json.articles.map((a: any) => [a.id, a.headline, a.status, a.as]), [[article.id, 'Harbour lights return', 'published', ['lead']]]);
      const unused = await call(t, 'GET', `/api/admin/media/${uploaded.gif.id}/usage`, { cookie: editor.cookie });
      assert.deepEqual(unused.json.articles, []);

      // An image shown inside an article's body (by one of its files' URLs) counts too.
      const inBody = uploaded.webp.variants.find((v: any) => v.format === 'jpeg');
      const bodyArticle = await publishedArticle(t.app, room, {
        headline: 'Night market opens',
        body: {
          type: 'doc',
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: 'Stalls along the quay.' }] },
            { type: 'image', attrs: { src: inBody.url, alt: 'Stalls', width: inBody.width, height: inBody.height } },
          ],
        },
      });
      const bodyUsage = await call(t, 'GET', `/api/admin/media/${uploaded.webp.id}/usage`, { cookie: editor.cookie });
      assert.deepEqual(bodyUsage.json.articles.map((a: any) => [a.id, a.as]), [[bodyArticle.id, ['body']]]);
    });

    test('bad edits are refused with field errors', async () => {
      const long = await call(t, 'PATCH', `/api/admin/media/${uploaded.png.id}`, { cookie: editor.cookie, csrf: editor.csrf, body: { alt: 'x'.repeat(1001) } });
      assert.equal(long.status, 400);
      const unknown = await call(t, 'PATCH', `/api/admin/media/${uploaded.png.id}`, { cookie: editor.cookie, csrf: editor.csrf, body: { storage_key: '../../etc/passwd' } });
      assert.ok(unknown.status === 400 || unknown.status === 200, unknown.text);
      const same = await call(t, 'GET', `/api/admin/media/${uploaded.png.id}`, { cookie: editor.cookie });
      assert.equal(same.json.media.url, uploaded.png.url, 'only alt, caption and credit can change');
      const notText = await call(t, 'PATCH', `/api/admin/media/${uploaded.png.id}`, { cookie: editor.cookie, csrf: editor.csrf, body: { credit: { name: 'x' } } });
      assert.equal(notText.status, 400);
    });

    test('signed out: 401; no CSRF token: 403; contributors upload and edit their own images only', async () => {
      const signedOut = await upload(t, undefined, images.gif, 'x.gif');
      assert.equal(signedOut.status, 401, signedOut.text);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(images.gif)]), 'x.gif');
      const noCsrf = await fetch(`${t.url}/api/admin/media`, { method: 'POST', headers: { cookie: editor.cookie }, body: form });
      assert.equal(noCsrf.status, 403);
      const crossSite = await fetch(`${t.url}/api/admin/media`, { method: 'POST', headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrf, origin: 'https://evil.example' }, body: form });
      assert.equal(crossSite.status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/media')).status, 401);

      const own = await upload(t, contributor, await noise(400, 300).jpeg().toBuffer(), 'mine.jpg');
      assert.equal(own.status, 201, own.text);
      const editOwn = await call(t, 'PATCH', `/api/admin/media/${own.json.media.id}`, { cookie: contributor.cookie, csrf: contributor.csrf, body: { alt: 'Mine' } });
      assert.equal(editOwn.status, 200, editOwn.text);
      const editOthers = await call(t, 'PATCH', `/api/admin/media/${uploaded.png.id}`, { cookie: contributor.cookie, csrf: contributor.csrf, body: { alt: 'Not mine' } });
      assert.equal(editOthers.status, 403);
      const authorEdits = await call(t, 'PATCH', `/api/admin/media/${own.json.media.id}`, { cookie: author.cookie, csrf: author.csrf, body: { alt: 'Not theirs' } });
      assert.equal(authorEdits.status, 403);
      const editorEdits = await call(t, 'PATCH', `/api/admin/media/${own.json.media.id}`, { cookie: editor.cookie, csrf: editor.csrf, body: { caption: 'Edited by the desk' } });
      assert.equal(editorEdits.status, 200);
    });

    test('other Admin API routes still refuse multipart bodies', async () => {
      const form = new FormData();
      form.append('email', 'x@news.test');
      const res = await fetch(`${t.url}/api/admin/session`, { method: 'POST', body: form });
      assert.equal(res.status, 415);
    });
  });
}
