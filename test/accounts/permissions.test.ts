/**
 * The permission matrix: every role against every action, with and without
 * owning the resource, checked twice: on `can()` itself against a table written
 * out here independently, and over HTTP through `requireStaff` on a real
 * server (SQLite and PostgreSQL). Then the staff-management rules through the
 * real Admin API: roles, deactivation, ownership transfer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, can, canInvite, canManageStaff, ROLES, type Action, type Role } from '../../src/accounts/permissions.js';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed, type Staff } from './support.js';

type Grant = 'any' | 'own' | '-';
//                                   owner  admin  editor author contributor
const EXPECTED: Record<Action, [Grant, Grant, Grant, Grant, Grant]> = {
  'article.view': ['any', 'any', 'any', 'any', 'any'],
  'article.create': ['any', 'any', 'any', 'any', 'any'],
  'article.edit': ['any', 'any', 'any', 'own', 'own'],
  'article.submit': ['any', 'any', 'any', 'own', 'own'],
  'article.edit-published': ['any', 'any', 'any', 'own', '-'],
  'article.publish': ['any', 'any', 'any', 'own', '-'],
  'article.unpublish': ['any', 'any', 'any', 'own', '-'],
  'article.delete': ['any', 'any', 'any', 'own', 'own'],
  'media.view': ['any', 'any', 'any', 'any', 'any'],
  'media.upload': ['any', 'any', 'any', 'any', 'any'],
  'media.edit': ['any', 'any', 'any', 'own', 'own'],
  'section.manage': ['any', 'any', 'any', '-', '-'],
  'tag.manage': ['any', 'any', 'any', '-', '-'],
  'byline.manage': ['any', 'any', 'any', '-', '-'],
  'correction.manage': ['any', 'any', 'any', '-', '-'],
  'homepage.rank': ['any', 'any', 'any', '-', '-'],
  'newsletter.manage': ['any', 'any', 'any', '-', '-'],
  'push.send': ['any', 'any', 'any', '-', '-'],
  'prompts.manage': ['any', 'any', 'any', '-', '-'],
  'revenue.manage': ['any', 'any', '-', '-', '-'],
  'staff.manage': ['any', 'any', '-', '-', '-'],
  'settings.manage': ['any', 'any', '-', '-', '-'],
  'apikeys.manage': ['any', 'any', '-', '-', '-'],
  'ownership.transfer': ['any', '-', '-', '-', '-'],
  'account.self': ['any', 'any', 'any', 'any', 'any'],
};
const ROLE_ORDER: Role[] = ['owner', 'admin', 'editor', 'author', 'contributor'];
const grant = (role: Role, action: Action): Grant => EXPECTED[action][ROLE_ORDER.indexOf(role)]!;

describe('permission matrix (can)', () => {
  test('the table here names exactly the actions the matrix has', () => {
    assert.deepEqual([...ACTIONS].sort(), Object.keys(EXPECTED).sort());
    assert.deepEqual([...ROLES].sort(), [...ROLE_ORDER].sort());
  });

  for (const role of ROLE_ORDER) {
    test(`${role}: every action, on their own resource and on anyone's`, () => {
      for (const action of ACTIONS) {
        const g = grant(role, action);
        assert.equal(can(role, action), g === 'any', `${role} ${action} (not theirs)`);
        assert.equal(can(role, action, { ownsResource: false }), g === 'any', `${role} ${action} (ownsResource false)`);
        assert.equal(can(role, action, { ownsResource: true }), g !== '-', `${role} ${action} (theirs)`);
      }
    });
  }

  test('unknown roles and actions are denied', () => {
    assert.equal(can('intern' as Role, 'article.view'), false);
    assert.equal(can('owner', 'article.launch' as Action), false);
  });

  test('staff management: admins and the owner manage others, never the owner, never themselves', () => {
    const owner = { id: 1, role: 'owner' as const };
    const admin = { id: 2, role: 'admin' as const };
    const admin2 = { id: 3, role: 'admin' as const };
    const editor = { id: 4, role: 'editor' as const };
    const author = { id: 5, role: 'author' as const };
    // The owner manages everyone else, with any role but owner.
    assert.equal(canManageStaff(owner, admin, { role: 'editor' }), true);
    assert.equal(canManageStaff(owner, editor, { deactivate: true }), true);
    assert.equal(canManageStaff(owner, editor, { role: 'owner' }), false, 'ownership moves only by transfer');
    assert.equal(canManageStaff(owner, owner, { role: 'admin' }), false, 'the owner cannot demote themselves');
    // Admins manage everyone but the owner, including other admins.
    assert.equal(canManageStaff(admin, admin2, { role: 'editor' }), true);
    assert.equal(canManageStaff(admin, editor, { role: 'admin' }), true);
    assert.equal(canManageStaff(admin, author, { deactivate: true }), true);
    assert.equal(canManageStaff(admin, owner, {}), false);
    assert.equal(canManageStaff(admin, owner, { deactivate: true }), false);
    assert.equal(canManageStaff(admin, admin, { role: 'editor' }), false, 'no changing your own role');
    assert.equal(canManageStaff(admin, admin, { deactivate: true }), false, 'no deactivating yourself');
    assert.equal(canManageStaff(admin, admin, {}), true, 'renaming yourself is fine');
    // Everyone else manages nobody.
    for (const actor of [editor, author, { id: 6, role: 'contributor' as const }]) {
      assert.equal(canManageStaff(actor, author, {}), false, `${actor.role} cannot manage staff`);
    }
    assert.equal(canInvite('admin', 'admin'), true);
    assert.equal(canInvite('owner', 'owner'), false);
    assert.equal(canInvite('editor', 'contributor'), false);
  });
});

for (const dialect of DIALECTS) {
  describe(`permissions over HTTP on ${dialect}`, () => {
    let t: TestApp;
    const staff = {} as Record<Role, Staff>;
    const signed = {} as Record<Role, Signed>;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      // Probe routes, one per action, registered the way feature routes will be; then listen.
      t = await startTestApp(dialect, { listen: false });
      for (const action of ACTIONS) {
        const handler = async (request: import('fastify').FastifyRequest) => {
          const owner = (request.query as { owner?: string }).owner;
          if (owner !== undefined) request.staff!.assert(action, { ownsResource: Number(owner) === request.staff!.user.id });
          return { ok: true, action };
        };
        t.app.http.get(`/api/admin/test-probe/${action}`, { preHandler: t.app.adminGuard.requireStaff(action), handler });
        t.app.http.post(`/api/admin/test-probe/${action}`, { preHandler: t.app.adminGuard.requireStaff(action), handler });
      }
      const address = await t.app.start({ worker: false, http: true });
      t.url = address!.replace('0.0.0.0', '127.0.0.1');
      for (const role of ROLE_ORDER) {
        staff[role] = await createStaff(t, role);
        signed[role] = await signIn(t, staff[role].email, staff[role].password);
      }
    });
    after(() => t?.close());

    for (const role of ROLE_ORDER) {
      test(`${role}: every action over HTTP, on their own resource, someone else's, and unspecified`, async () => {
        const s = signed[role];
        const other = staff[role === 'owner' ? 'admin' : 'owner'].id;
        for (const action of ACTIONS) {
          const g = grant(role, action);
          const at = `/api/admin/test-probe/${action}`;
          // requireStaff alone lets through roles that may act on at least their own resources;
          // the handler then checks ownership once it has loaded the resource.
          const plain = await call(t, 'GET', at, { cookie: s.cookie });
          assert.equal(plain.status, g === '-' ? 403 : 200, `${role} GET ${action}: ${plain.text}`);
          const mine = await call(t, 'GET', `${at}?owner=${s.user.id}`, { cookie: s.cookie });
          assert.equal(mine.status, g === '-' ? 403 : 200, `${role} ${action} on their own: ${mine.text}`);
          const theirs = await call(t, 'POST', `${at}?owner=${other}`, { cookie: s.cookie, csrf: s.csrf, body: {} });
          assert.equal(theirs.status, g === 'any' ? 200 : 403, `${role} ${action} on someone else's: ${theirs.text}`);
          if (theirs.status === 403) assert.equal(theirs.json.error.code, 'forbidden');
        }
      });
    }

    test('the session tells the admin app what the role may do', async () => {
      for (const role of ROLE_ORDER) {
        const res = await call(t, 'GET', '/api/admin/session', { cookie: signed[role].cookie });
        assert.equal(res.status, 200);
        for (const action of ACTIONS) {
          const g = grant(role, action);
          assert.equal(res.json.permissions[action], g === '-' ? 'none' : g, `${role} ${action}`);
        }
      }
    });

    test('signed out, every guarded route answers 401; state changes need the CSRF token whatever the role', async () => {
      for (const action of ACTIONS) {
        const res = await call(t, 'GET', `/api/admin/test-probe/${action}`);
        assert.equal(res.status, 401);
        assert.equal(res.json.error.code, 'unauthenticated');
        const noCsrf = await call(t, 'POST', `/api/admin/test-probe/${action}`, { cookie: signed.owner.cookie, body: {} });
        assert.equal(noCsrf.status, 403);
        assert.equal(noCsrf.json.error.code, 'csrf');
      }
    });

    test('only admins and the owner list staff', async () => {
      for (const role of ROLE_ORDER) {
        const res = await call(t, 'GET', '/api/admin/users', { cookie: signed[role].cookie });
        assert.equal(res.status, grant(role, 'staff.manage') === 'any' ? 200 : 403, role);
        if (res.status === 200) {
          assert.equal(res.json.users.length, 5);
          assert.ok(res.json.users.every((u: Record<string, unknown>) => !('password_hash' in u) && !('passwordHash' in u)), 'no hashes leave the server');
        }
      }
    });

    test('changing roles: admins manage others but not the owner nor themselves; editors manage nobody', async () => {
      const admin = signed.admin;
      const patch = (who: Signed, id: number, body: unknown) => call(t, 'PATCH', `/api/admin/users/${id}`, { cookie: who.cookie, csrf: who.csrf, body });
      assert.equal((await patch(admin, staff.owner.id, { role: 'editor' })).status, 403);
      assert.equal((await patch(admin, staff.owner.id, { active: false })).status, 403);
      const self = await patch(admin, staff.admin.id, { role: 'editor' });
      assert.equal(self.status, 403);
      assert.match(self.json.error.message, /your own role/);
      assert.equal((await patch(admin, staff.author.id, { role: 'owner' })).status, 403);
      assert.equal((await patch(signed.editor, staff.author.id, { role: 'contributor' })).status, 403);
      const demoted = await patch(admin, staff.author.id, { role: 'contributor' });
      assert.equal(demoted.status, 200, demoted.text);
      assert.equal(demoted.json.role, 'contributor');
      // The role is read from the database on every request: the change applies at once.
      const probe = await call(t, 'GET', `/api/admin/test-probe/article.publish?owner=${staff.author.id}`, { cookie: signed.author.cookie });
      assert.equal(probe.status, 403, 'a contributor cannot publish, even their own');
      assert.equal((await patch(admin, staff.author.id, { role: 'author' })).status, 200);
      assert.equal((await patch(admin, 999_999, { role: 'author' })).status, 404);
      const empty = await patch(admin, staff.author.id, {});
      assert.equal(empty.status, 400, 'an empty change is refused');
    });

    test('deactivating a user ends their sessions at once', async () => {
      const victim = await createStaff(t, 'contributor');
      const session = await signIn(t, victim.email, victim.password);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: session.cookie })).status, 200);
      const res = await call(t, 'PATCH', `/api/admin/users/${victim.id}`, { cookie: signed.admin.cookie, csrf: signed.admin.csrf, body: { active: false } });
      assert.equal(res.status, 200);
      assert.equal(res.json.active, false);
      assert.equal((await call(t, 'GET', '/api/admin/session', { cookie: session.cookie })).status, 401);
      const again = await call(t, 'POST', '/api/admin/session', { body: { email: victim.email, password: victim.password } });
      assert.equal(again.status, 401, 'a deactivated account cannot sign in');
      assert.equal(again.json.error.message, 'Wrong email or password');
    });

    test('ownership transfer: only the owner, with their password, to an active user; the old owner becomes an admin', async () => {
      const body = (password: string) => ({ userId: staff.editor.id, password });
      const byAdmin = await call(t, 'POST', '/api/admin/ownership', { cookie: signed.admin.cookie, csrf: signed.admin.csrf, body: body(staff.admin.password) });
      assert.equal(byAdmin.status, 403);
      const wrong = await call(t, 'POST', '/api/admin/ownership', { cookie: signed.owner.cookie, csrf: signed.owner.csrf, body: body('not my password at all') });
      assert.equal(wrong.status, 400);
      const toSelf = await call(t, 'POST', '/api/admin/ownership', {
        cookie: signed.owner.cookie,
        csrf: signed.owner.csrf,
        body: { userId: staff.owner.id, password: staff.owner.password },
      });
      assert.equal(toSelf.status, 400);
      const done = await call(t, 'POST', '/api/admin/ownership', { cookie: signed.owner.cookie, csrf: signed.owner.csrf, body: body(staff.owner.password) });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.json.owner.id, staff.editor.id);
      assert.equal(done.json.owner.role, 'owner');
      const formerOwner = await call(t, 'GET', '/api/admin/session', { cookie: signed.owner.cookie });
      assert.equal(formerOwner.json.user.role, 'admin');
      const again = await call(t, 'POST', '/api/admin/ownership', { cookie: signed.owner.cookie, csrf: signed.owner.csrf, body: body(staff.owner.password) });
      assert.equal(again.status, 403, 'the former owner can no longer transfer');
      const users = await call(t, 'GET', '/api/admin/users', { cookie: signed.editor.cookie });
      assert.equal(users.status, 200, 'the new owner manages staff');
      assert.equal(users.json.users.filter((u: { role: string }) => u.role === 'owner').length, 1);
      await assert.rejects(createStaff(t, 'owner'), /already the owner/);
    });
  });
}

describe('every Admin API route must declare its access rule', () => {
  test('registering an /api/admin route with neither requireStaff nor PUBLIC_ADMIN_ROUTE fails at start-up', async () => {
    const t = await startTestApp('sqlite', { listen: false });
    try {
      let failed: unknown;
      try {
        t.app.http.get('/api/admin/forgot-the-guard', async () => ({ ok: true }));
        await t.app.http.ready();
      } catch (error) {
        failed = error;
      }
      assert.match(String(failed), /has no access rule/);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
