/**
 * Push alerts written by editors: checked, stored, sent now or at a time, and
 * listed with their counts. Delivery itself is delivery.service.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import { checked } from '../shared/checked.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import { isUniqueViolation } from '../db/errors.js';
import type { PushUrgency } from '../db/schema.js';
import { emptyDeliveryCounts, type AlertRow, type DeliveryCounts, type PushRepository } from './push.repository.js';
import { BREAKING_TOPIC, sectionIdOf } from './topics.js';

export const PUSH_ALERT_JOB = 'push.alert';
export const alertJobKey = (id: number) => `push-alert:${id}`;

export const MAX_TITLE = 120;
export const MAX_BODY = 500;
/** How far ahead an alert can be scheduled. */
const MAX_SCHEDULE_DAYS = 30;

const URGENCIES = ['very-low', 'low', 'normal', 'high'] as const;

export const AlertInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: MAX_TITLE }),
    body: Type.String({ maxLength: MAX_BODY }),
    /** A path on this site or an absolute URL on PUBLIC_URL; default: the article's page. */
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    articleId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    topic: Type.String({ minLength: 1, maxLength: 40 }),
    urgency: Type.Optional(Type.Union(URGENCIES.map((u) => Type.Literal(u)))),
    /** How long push services keep trying to reach an offline device. */
    ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
    /** Send later (ISO time); absent: now. */
    sendAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    /** Chosen by the client once per alert it composes: sending again with the same key creates nothing new. */
    requestKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type AlertInput = Static<typeof AlertInput>;
const checkAlert = TypeCompiler.Compile(AlertInput);

export interface AlertView {
  id: number;
  articleId: number | null;
  title: string;
  body: string;
  url: string;
  topic: string;
  urgency: PushUrgency;
  ttlMinutes: number;
  status: AlertRow['status'];
  sendAt: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  recipients: number;
  counts: { sent: number; failed: number; waiting: number; clicked: number; removed: number; unknown: number };
}

export interface AlertsDeps {
  repo: PushRepository;
  jobs: JobQueue;
  clock: Clock;
  publicUrl: string;
  /** The reader path of a published article, or undefined when it is not live. */
  articlePath: (id: number) => Promise<string | undefined>;
  sectionIds: () => Promise<Set<number>>;
  /** Lets an in-process worker start at once. */
  poke: () => void;
}

export class PushAlerts {
  private readonly origin: string;

  constructor(private readonly deps: AlertsDeps) {
    this.origin = new URL(deps.publicUrl).origin;
  }

  async create(input: unknown, userId: number | null): Promise<{ alert: AlertView; created: boolean }> {
    const data = checked(checkAlert, input, 'The alert has invalid fields');
    if (data.requestKey) {
      const earlier = await this.deps.repo.alertByRequestKey(data.requestKey);
      if (earlier) return { alert: await this.view(earlier), created: false };
    }
    const problems: { path: string; message: string }[] = [];
    if (!data.title.trim()) problems.push({ path: '/title', message: 'The title cannot be empty' });
    if (/[\x00-\x08\x0b-\x1f\x7f]/.test(data.title + data.body)) problems.push({ path: '/title', message: 'Remove control characters from the title and text' });
    const sections = await this.deps.sectionIds();
    const section = sectionIdOf(data.topic);
    if (data.topic !== BREAKING_TOPIC && (section === undefined || !sections.has(section))) problems.push({ path: '/topic', message: 'Choose breaking news or a section' });
    const now = this.deps.clock.now();
    let sendAt = now;
    if (data.sendAt) {
      sendAt = new Date(data.sendAt);
      if (sendAt.getTime() < now.getTime() - 60_000) problems.push({ path: '/sendAt', message: 'The send time has passed; leave it empty to send now' });
      if (sendAt.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) problems.push({ path: '/sendAt', message: `Schedule at most ${MAX_SCHEDULE_DAYS} days ahead` });
      if (sendAt < now) sendAt = now;
    }
    let url: string | undefined;
    if (data.url) {
      url = this.ownUrl(data.url);
      if (!url) problems.push({ path: '/url', message: `The link must be a page of this site (${this.origin})` });
    } else if (data.articleId) {
      const path = await this.deps.articlePath(data.articleId);
      if (path) url = this.origin + path;
      else problems.push({ path: '/articleId', message: 'The article is not published: publish it first, or give a link' });
    } else problems.push({ path: '/url', message: 'Give a link, or send the alert from an article' });
    if (problems.length > 0) throw new Invalid(problems[0]!.message, problems);

    const nowIso = now.toISOString();
    let id: number;
    try {
      id = await this.deps.repo.transaction(async (trx) => {
        const alertId = await this.deps.repo.insertAlert(trx, {
          article_id: data.articleId ?? null,
          title: data.title.trim(),
          body: data.body.trim(),
          url: url!,
          topic: data.topic,
          urgency: data.urgency ?? 'high',
          ttl_seconds: (data.ttlMinutes ?? 240) * 60,
          status: 'scheduled',
          send_at: sendAt.toISOString(),
          request_key: data.requestKey ?? null,
          created_by: userId,
          created_at: nowIso,
          started_at: null,
          finished_at: null,
          recipients: 0,
          clicks: 0,
        });
        // In the same transaction: the alert exists if and only if its job does.
        await this.deps.jobs.enqueue(PUSH_ALERT_JOB, { alertId }, { runAt: sendAt, uniqueKey: alertJobKey(alertId), maxAttempts: 10, executor: trx });
        return alertId;
      });
    } catch (error) {
      // Two identical requests at once: the second finds the first's alert.
      if (data.requestKey && isUniqueViolation(error)) {
        const earlier = await this.deps.repo.alertByRequestKey(data.requestKey);
        if (earlier) return { alert: await this.view(earlier), created: false };
      }
      throw error;
    }
    this.deps.poke();
    return { alert: await this.get(id), created: true };
  }

  async cancel(id: number): Promise<AlertView> {
    const alert = await this.deps.repo.alert(id);
    if (!alert) throw new NotFound('No such alert');
    if (!(await this.deps.repo.setAlertStatus(id, ['scheduled'], 'cancelled', { finished_at: this.deps.clock.now().toISOString() }))) {
      throw new Conflict('Only a scheduled alert can be cancelled; this one has started', { status: alert.status });
    }
    await this.deps.jobs.cancel(alertJobKey(id));
    return this.get(id);
  }

  async get(id: number): Promise<AlertView> {
    const alert = await this.deps.repo.alert(id);
    if (!alert) throw new NotFound('No such alert');
    return this.view(alert);
  }

  async list(limit: number, before?: number): Promise<AlertView[]> {
    const rows = await this.deps.repo.listAlerts(limit, before);
    const counts = await this.deps.repo.deliveryCounts(rows.map((r) => r.id));
    return rows.map((r) => toView(r, counts.get(r.id) ?? emptyDeliveryCounts()));
  }

  private async view(row: AlertRow): Promise<AlertView> {
    const counts = await this.deps.repo.deliveryCounts([row.id]);
    return toView(row, counts.get(row.id) ?? emptyDeliveryCounts());
  }

  /** A link on this site as an absolute URL, or undefined (a path, or a URL on PUBLIC_URL's origin). */
  private ownUrl(raw: string): string | undefined {
    try {
      const url = new URL(raw, this.origin);
      return url.origin === this.origin ? url.href : undefined;
    } catch {
      return undefined;
    }
  }
}

function toView(row: AlertRow, counts: DeliveryCounts): AlertView {
  return {
    id: row.id,
    articleId: row.article_id,
    title: row.title,
    body: row.body,
    url: row.url,
    topic: row.topic,
    urgency: row.urgency,
    ttlMinutes: Math.round(row.ttl_seconds / 60),
    status: row.status,
    sendAt: row.send_at,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    recipients: row.recipients,
    counts: { sent: counts.sent, failed: counts.failed, waiting: counts.pending + counts.sending, clicked: row.clicks, removed: counts.gone, unknown: counts.unknown },
  };
}
