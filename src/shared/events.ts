/**
 * A small typed event bus. `newsroom/` announces what changed; other capabilities
 * (page cache, feeds, later related stories and newsletters) react. Handlers run
 * after the write has committed. Anything that must survive a crash is enqueued
 * as a durable job by its handler, not done inline.
 */
export interface ContentChange {
  /** Cache tags of pages that show this thing and must be re-rendered. */
  tags: string[];
}

export interface EventMap {
  'article.saved': { articleId: number; change: ContentChange };
  'article.published': { articleId: number; change: ContentChange };
  'article.unpublished': { articleId: number; change: ContentChange };
  'content.changed': { change: ContentChange };
  /** A payment for a gift was recorded (once per payment, after its transaction committed): receipts listen. */
  'donation.succeeded': { donationId: number };
}

type Handler<T> = (payload: T) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Map<keyof EventMap, Handler<never>[]>();

  constructor(private readonly onError: (error: unknown, event: string) => void = () => {}) {}

  on<K extends keyof EventMap>(event: K, handler: Handler<EventMap[K]>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(event, list);
  }

  async emit<K extends keyof EventMap>(event: K, payload: EventMap[K]): Promise<void> {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        await (handler as Handler<EventMap[K]>)(payload);
      } catch (error) {
        this.onError(error, event);
      }
    }
  }
}
