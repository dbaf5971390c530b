/**
 * One local HTTP server in the test process speaking the parts of four
 * networks' APIs that Broadsheet's adapters call, each under the path its
 * network uses (so the adapters are pointed at it exactly as at another host):
 * - Mastodon REST: /api/v1/accounts/verify_credentials, /api/v1/statuses (honours Idempotency-Key)
 * - Bluesky XRPC: com.atproto.server.createSession, com.atproto.repo.uploadBlob,
 *   com.atproto.repo.createRecord (refuses a record key twice), com.atproto.repo.getRecord
 * - Facebook Graph: GET /{version}/{page-id}?fields=..., POST /{version}/{page-id}/feed
 * - X API v2: GET /2/users/me, POST /2/tweets
 * Every request is recorded with its headers and parsed body; a test scripts
 * answers per route (`fail('x.tweet', {...})`) for errors and rate limits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = 'mastodon.verify' | 'mastodon.status' | 'bluesky.session' | 'bluesky.blob' | 'bluesky.create' | 'bluesky.get' | 'facebook.page' | 'facebook.feed' | 'x.me' | 'x.tweet';

export interface Received {
  route: Route;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: Buffer;
}

export interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class FakeNetworks {
  readonly received: Received[] = [];
  private readonly scripts = new Map<Route, Scripted[]>();
  private readonly mastodonKeys = new Map<string, unknown>();
  /** Bluesky records by record key. */
  readonly blueskyRecords = new Map<string, { uri: string; value: unknown }>();
  private server: http.Server | undefined;
  private counter = 100;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next answers of a route, in order; afterwards the route answers normally again. */
  fail(route: Route, ...answers: Scripted[]): void {
    this.scripts.set(route, [...(this.scripts.get(route) ?? []), ...answers]);
  }

  of(route: Route): Received[] {
    return this.received.filter((r) => r.route === route);
  }

  reset(): void {
    this.received.length = 0;
    this.scripts.clear();
  }

  private route(method: string, path: string): Route | undefined {
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') return 'mastodon.verify';
    if (method === 'POST' && path === '/api/v1/statuses') return 'mastodon.status';
    if (method === 'POST' && path === '/xrpc/com.atproto.server.createSession') return 'bluesky.session';
    if (method === 'POST' && path === '/xrpc/com.atproto.repo.uploadBlob') return 'bluesky.blob';
    if (method === 'POST' && path === '/xrpc/com.atproto.repo.createRecord') return 'bluesky.create';
    if (method === 'GET' && path === '/xrpc/com.atproto.repo.getRecord') return 'bluesky.get';
    if (method === 'GET' && /^\/v\d+\.\d\/\d+$/.test(path)) return 'facebook.page';
    if (method === 'POST' && /^\/v\d+\.\d\/\d+\/feed$/.test(path)) return 'facebook.feed';
    if (method === 'GET' && path === '/2/users/me') return 'x.me';
    if (method === 'POST' && path === '/2/tweets') return 'x.tweet';
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const route = this.route(req.method ?? 'GET', url.pathname);
    const type = String(req.headers['content-type'] ?? '');
    const body = type.includes('json') && raw.length ? JSON.parse(raw.toString()) : type.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw.toString())) : Object.fromEntries(url.searchParams);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    if (!route) return send(404, { error: `fake networks: no route for ${req.method} ${url.pathname}` });
    this.received.push({ route, method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body, raw });
    const scripted = this.scripts.get(route)?.shift();
    if (scripted) return send(scripted.status, scripted.body, scripted.headers);
    const id = String(++this.counter);
    switch (route) {
      case 'mastodon.verify':
        return send(200, { id: '1', username: 'gazette', acct: 'gazette', display_name: 'The Gazette', url: 'https://social.example/@gazette' });
      case 'mastodon.status': {
        const key = String(req.headers['idempotency-key'] ?? '');
        const earlier = key ? this.mastodonKeys.get(key) : undefined;
        if (earlier) return send(200, earlier);
        const status = { id, uri: `https://social.example/users/gazette/statuses/${id}`, url: `https://social.example/@gazette/${id}`, content: body.status, visibility: body.visibility, created_at: new Date().toISOString() };
        if (key) this.mastodonKeys.set(key, status);
        return send(200, status);
      }
      case 'bluesky.session':
        if (body.password !== 'app-pass-1234') return send(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
        return send(200, { accessJwt: 'access.jwt.token', refreshJwt: 'refresh.jwt.token', handle: body.identifier, did: 'did:plc:gazette123', active: true });
      case 'bluesky.blob':
        return send(200, { blob: { $type: 'blob', ref: { $link: 'bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy' }, mimeType: String(req.headers['content-type']), size: raw.length } });
      case 'bluesky.create': {
        const rkey = String(body.rkey);
        if (this.blueskyRecords.has(rkey)) return send(400, { error: 'InvalidRequest', message: 'Record already exists' });
        const uri = `at://${body.repo}/${body.collection}/${rkey}`;
        this.blueskyRecords.set(rkey, { uri, value: body.record });
        return send(200, { uri, cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm' });
      }
      case 'bluesky.get': {
        const found = this.blueskyRecords.get(String(body.rkey));
        if (!found) return send(400, { error: 'RecordNotFound', message: 'Could not locate record' });
        return send(200, { uri: found.uri, cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm', value: found.value });
      }
      case 'facebook.page':
        return send(200, { id: url.pathname.split('/').pop(), name: 'The Gazette', link: 'https://www.facebook.com/thegazette' });
      case 'facebook.feed':
        return send(200, { id: `${url.pathname.split('/')[2]}_${id}` });
      case 'x.me':
        return send(200, { data: { id: '42', name: 'The Gazette', username: 'gazette' } });
      case 'x.tweet':
        return send(201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
    }
  }
}
