/**
 * Site search wired together: repository, service, the worker's jobs
 * (full reindex; refresh after an author, section or tag changes) and the
 * event that queues refreshes. The reader page is registered separately
 * (search.routes.ts) because it needs the site's layout.
 */
import type { Db } from '../db/connection.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/runner.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/events.js';
import { reindex } from './reindex.js';
import { SearchRepository } from './search.repository.js';
import { REFRESH_JOB, REINDEX_JOB, SearchService } from './search.service.js';

export interface Search {
  service: SearchService;
  repository: SearchRepository;
}

export function createSearch(deps: {
  db: Db;
  settings: SettingsStore;
  taxonomy: TaxonomyRepository;
  jobs: JobQueue;
  runner: JobRunner;
  events: EventBus;
  clock: Clock;
}): Search {
  const repository = new SearchRepository(deps.db.kysely, deps.db.dialect);
  const service = new SearchService({ search: repository, taxonomy: deps.taxonomy, settings: deps.settings, jobs: deps.jobs, clock: deps.clock });
  deps.runner.register(REINDEX_JOB, async () => {
    await reindex({ search: repository, settings: deps.settings });
  });
  deps.runner.register(REFRESH_JOB, async (payload) => {
    const { kind, id } = payload as { kind: 'author' | 'section' | 'tag'; id: number };
    if (['author', 'section', 'tag'].includes(kind) && Number.isInteger(id)) await service.refresh(kind, id);
  });
  service.rememberLanguage();
  deps.events.on('content.changed', ({ change }) => service.onContentChanged(change.tags));
  return { service, repository };
}
