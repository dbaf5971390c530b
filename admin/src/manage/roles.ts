/** Role names in plain words, and the roles an admin can give (owner only changes hands by transfer). */
import type { Role } from '../types';

export const ASSIGNABLE_ROLES: Exclude<Role, 'owner'>[] = ['admin', 'editor', 'author', 'contributor'];

export const ROLE_NAMES: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  editor: 'Editor',
  author: 'Author',
  contributor: 'Contributor',
};

export const ROLE_HELP: Record<Exclude<Role, 'owner'>, string> = {
  admin: 'everything an editor can, plus staff and site settings',
  editor: 'publishes and edits anything; sections, tags, authors, the front page',
  author: 'writes, publishes and edits their own articles',
  contributor: 'writes drafts and sends them for review',
};
