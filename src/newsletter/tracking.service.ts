/**
 * Open and click tracking of newsletter sends (docs/newsletters.md, "Open and
 * click tracking"). Off unless the newsroom turns it on (settings
 * `newsletters.trackOpens`, `newsletters.trackClicks`); what a send tracks is
 * fixed when it starts. Aggregate only: one open counter per send and one
 * click counter per linked address, fed by links that are the same for every
 * recipient. Nobody, staff included, can learn who opened or clicked.
 *
 * A click redirects only to an address stored for that send when it started,
 * found by the signed (send, position) pair: never to anything the request
 * names, so the route cannot be used as an open redirect.
 */
import type { Logger } from 'pino';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { rewriteForTracking, trackableLinks } from './tracking-html.js';
import { clickUrl, newTrackingSecret, openPixelUrl, validClickSignature, validOpenSignature } from './tracking-links.js';
import type { TrackingRepository, TrackingRow } from './tracking.repository.js';

/** Distinct addresses tracked per send; links beyond them are left as they are (an email is not a link farm). */
export const MAX_TRACKED_LINKS = 1000;

export interface TrackingChoice {
  trackOpens: boolean;
  trackClicks: boolean;
}

/** A send's counts, as the Admin API shows them. */
export interface SendTrackingStats extends TrackingChoice {
  /** Pixel loads: every load counts (a reader opening twice, a forwarded copy, an image proxy prefetching). */
  opens: number;
  /** All clicks on all links. */
  clicks: number;
  links: { url: string; clicks: number }[];
}

export interface SendTrackingDeps {
  repo: TrackingRepository;
  publicUrl: string;
  /** The newsroom's settings now (read when a send starts). */
  choice: () => TrackingChoice;
  log: Logger;
}

/** A send's tracking row never changes after the send starts: kept in memory so a click costs one query. */
const CACHE_SIZE = 1000;

export class SendTracking {
  private readonly cache = new Map<number, TrackingRow>();

  constructor(private readonly deps: SendTrackingDeps) {}

  /**
   * Called by DeliveryService.startSend inside its transaction, right after
   * the send is stored: when the newsroom tracks, records what this send
   * tracks and its links, and rewrites the stored HTML once (tracked links,
   * open pixel). The text part keeps the original links: plain-text mail
   * cannot be tracked honestly, so it is not tracked at all.
   */
  async start(trx: Transaction<Database>, sendId: number, html: string): Promise<void> {
    const { trackOpens, trackClicks } = this.deps.choice();
    if (!trackOpens && !trackClicks) return;
    const secret = newTrackingSecret();
    const urls = trackClicks ? trackableLinks(html).slice(0, MAX_TRACKED_LINKS) : [];
    const positions = new Map(urls.map((url, i) => [url, i + 1]));
    const rewritten = rewriteForTracking(html, {
      tracked: (url) => {
        const position = positions.get(url);
        return position === undefined ? undefined : clickUrl(this.deps.publicUrl, secret, sendId, position);
      },
      ...(trackOpens ? { pixel: openPixelUrl(this.deps.publicUrl, secret, sendId) } : {}),
    });
    await this.deps.repo.insert(trx, { sendId, secret, trackOpens, trackClicks, urls });
    await this.deps.repo.replaceHtml(trx, sendId, rewritten);
  }

  /**
   * Where a click link goes, counting the click when `count` (not for HEAD
   * requests: link checkers, not readers). Undefined for a bad signature or a
   * position the send does not have. A failure to count never stops the reader.
   */
  async click(sendId: number, position: number, sig: string, count: boolean): Promise<string | undefined> {
    const tracking = await this.tracking(sendId);
    if (!tracking || tracking.track_clicks !== 1 || !validClickSignature(tracking.secret, sendId, position, sig)) return undefined;
    if (count) {
      try {
        return await this.deps.repo.countClick(sendId, position);
      } catch (error) {
        this.deps.log.warn({ err: error, sendId }, 'newsletter click not counted');
      }
    }
    return this.deps.repo.linkUrl(sendId, position);
  }

  /** Whether this is the send's open pixel; counts the open when `count`. A failure to count is only logged. */
  async open(sendId: number, sig: string, count: boolean): Promise<boolean> {
    const tracking = await this.tracking(sendId);
    if (!tracking || tracking.track_opens !== 1 || !validOpenSignature(tracking.secret, sendId, sig)) return false;
    if (count) {
      try {
        return await this.deps.repo.countOpen(sendId);
      } catch (error) {
        this.deps.log.warn({ err: error, sendId }, 'newsletter open not counted');
      }
    }
    return true;
  }

  /** The send's counts, or null when it did not track. */
  async stats(sendId: number): Promise<SendTrackingStats | null> {
    const tracking = await this.deps.repo.get(sendId);
    if (!tracking) return null;
    const links = await this.deps.repo.links(sendId);
    return {
      trackOpens: tracking.track_opens === 1,
      trackClicks: tracking.track_clicks === 1,
      opens: tracking.opens,
      clicks: links.reduce((sum, link) => sum + link.clicks, 0),
      links: links.map((link) => ({ url: link.url, clicks: link.clicks })),
    };
  }

  private async tracking(sendId: number): Promise<TrackingRow | null> {
    const cached = this.cache.get(sendId);
    if (cached) return cached;
    const row = (await this.deps.repo.get(sendId)) ?? null;
    // Only found rows are kept: a send that does not track yet may be starting on another node.
    if (row) {
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sendId, row);
    }
    return row;
  }
}
