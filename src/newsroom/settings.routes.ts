/** Admin API for site settings (admins and the owner: `settings.manage`). HTTP only; SettingsStore validates. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { Clock } from '../shared/clock.js';
import { SiteSettings, type SettingsStore } from './settings.js';

export interface SettingsRoutesDeps {
  settings: SettingsStore;
  clock: Clock;
  guard: AdminGuard;
  publicUrl: string;
}

/** Any subset of the settings; groups (social, appLinks, policies) merge key by key. Unknown keys are refused (400). */
const SettingsPatch = Type.Object({}, { additionalProperties: true, description: 'A partial SiteSettings document' });

export function registerSettingsRoutes(app: FastifyInstance, deps: SettingsRoutesDeps): void {
  const { settings, clock, guard, publicUrl } = deps;
  // What every staff screen needs (the editor schedules in the site's time zone); the full settings are admins'.
  app.get(`${ADMIN_PREFIX}/site`, {
    preHandler: guard.requireStaff('account.self'),
    schema: {
      tags: ['settings'],
      response: {
        200: Type.Object({
          name: Type.String(),
          timeZone: Type.String(),
          language: Type.String(),
          publicUrl: Type.String(),
          logoUrl: Type.String(),
          /** How many related picks readers see as inline links (the editor marks them). */
          relatedInlineCount: Type.Integer(),
        }),
      },
    },
    handler: async () => {
      const s = settings.get();
      return { name: s.name, timeZone: s.timeZone, language: s.language, publicUrl, logoUrl: s.logoUrl, relatedInlineCount: s.related.inlineCount };
    },
  });
  app.get(`${ADMIN_PREFIX}/settings`, {
    preHandler: guard.requireStaff('settings.manage'),
    schema: { tags: ['settings'], response: { 200: SiteSettings } },
    handler: async () => settings.get(),
  });
  app.patch(`${ADMIN_PREFIX}/settings`, {
    preHandler: guard.requireStaff('settings.manage'),
    schema: { tags: ['settings'], body: SettingsPatch, response: { 200: SiteSettings } },
    handler: async (request) => settings.update(request.body, clock.now().toISOString()),
  });
}
