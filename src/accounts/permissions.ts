/**
 * Who may do what: one declarative matrix, read by `can()`. Every Admin API
 * route names its action (`requireStaff(action)`); rules that depend on the
 * resource (is it yours? is it live?) pass `{ ownsResource }` and pick the
 * action that matches the resource's state (`article.edit` for a draft,
 * `article.edit-published` for a live article).
 *
 * Roles, most to least powerful:
 * - owner:       everything an admin can, and transfers ownership
 * - admin:       everything an editor can, and manages staff and site settings
 * - editor:      publishes, edits and unpublishes anything; sections, tags,
 *                bylines, corrections and the home-page ranking
 * - author:      writes, publishes and unpublishes their own articles
 * - contributor: writes their own drafts and submits them for review
 */
import type { StaffRole } from '../db/schema.js';

export type Role = StaffRole;
export const ROLES: readonly Role[] = ['owner', 'admin', 'editor', 'author', 'contributor'];

const ALL: readonly Role[] = ROLES;
const AUTHORS: readonly Role[] = ['owner', 'admin', 'editor', 'author'];
const EDITORS: readonly Role[] = ['owner', 'admin', 'editor'];
const ADMINS: readonly Role[] = ['owner', 'admin'];
const OWNER: readonly Role[] = ['owner'];
const NOBODY: readonly Role[] = [];

interface Rule {
  /** Roles allowed on any resource. */
  any: readonly Role[];
  /** Roles allowed on resources they own (their own article, upload ...). */
  own: readonly Role[];
}

const rule = (any: readonly Role[], own: readonly Role[] = NOBODY): Rule => ({ any, own });

/** The permission matrix. Adding an action here is the only way to make it exist. */
export const MATRIX = {
  // Articles. "own" = the user is one of the article's bylines / its creator.
  'article.view': rule(ALL),
  'article.create': rule(ALL),
  'article.edit': rule(EDITORS, ALL), // a draft, scheduled or unpublished article
  'article.submit': rule(EDITORS, ALL), // send a draft to the editors for review
  'article.edit-published': rule(EDITORS, AUTHORS), // change what readers see now
  'article.publish': rule(EDITORS, AUTHORS), // publish now or schedule
  'article.unpublish': rule(EDITORS, AUTHORS),
  'article.delete': rule(EDITORS, ALL), // never-published drafts only (the service checks)
  // Media library.
  'media.view': rule(ALL), // the library, an item, where it is used
  'media.upload': rule(ALL),
  'media.edit': rule(EDITORS, ALL),
  // The newsroom's structure and front page.
  'section.manage': rule(EDITORS),
  'tag.manage': rule(EDITORS),
  'byline.manage': rule(EDITORS), // author profiles shown to readers
  'correction.manage': rule(EDITORS),
  'homepage.rank': rule(EDITORS), // top stories order, breaking banner
  // Newsletters and their readers' personal data.
  'newsletter.manage': rule(EDITORS), // newsletters, subscribers (search, view, delete)
  // Push alerts reach every subscriber's lock screen at once and cannot be called back: editors decide (docs/push.md).
  'push.send': rule(EDITORS), // send, schedule and cancel alerts; their counts
  // Reader prompts on the site (appeals, sign-ups, app and follow prompts): editorial choices with aggregate counts only, no reader data.
  'prompts.manage': rule(EDITORS), // campaigns, their preview and performance
  // Reader revenue: donors' names, addresses and gifts are personal and financial data.
  'revenue.manage': rule(ADMINS), // donations and donors (view, search)
  // The organisation.
  'staff.manage': rule(ADMINS), // list, invite, change roles, deactivate
  'settings.manage': rule(ADMINS),
  'apikeys.manage': rule(ADMINS), // Content API keys for apps and partners (create, revoke, limits)
  'ownership.transfer': rule(OWNER),
  // Every signed-in user: their own sessions, password and two-factor settings.
  'account.self': rule(ALL),
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof MATRIX;
export const ACTIONS = Object.keys(MATRIX) as Action[];

export interface PermissionContext {
  /** The user owns the resource (default false: only the "any" column applies). */
  ownsResource?: boolean;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, action: Action, context: PermissionContext = {}): boolean {
  const entry: Rule | undefined = MATRIX[action];
  if (!entry) return false;
  if (entry.any.includes(role)) return true;
  return context.ownsResource === true && entry.own.includes(role);
}

/** Whether the role may do the action at all (on some resource): what a route checks before loading it. */
export function canAtAll(role: Role, action: Action): boolean {
  return can(role, action, { ownsResource: true });
}

export interface StaffRef {
  id: number;
  role: Role;
}

/**
 * May `actor` change `target` (role, name, active)? Admins and the owner manage
 * staff; nobody changes their own role or deactivates themselves (no accidental
 * lock-out); the owner's account changes hands only by ownership transfer, and
 * nobody is made owner any other way.
 */
export function canManageStaff(actor: StaffRef, target: StaffRef, change: { role?: Role; deactivate?: boolean } = {}): boolean {
  if (!can(actor.role, 'staff.manage')) return false;
  if (target.role === 'owner' || change.role === 'owner') return false;
  if (actor.id === target.id) return change.role === undefined && !change.deactivate;
  return true;
}

/** Roles an invitation may grant: anything but owner. */
export function canInvite(actor: Role, role: Role): boolean {
  return can(actor, 'staff.manage') && role !== 'owner';
}
