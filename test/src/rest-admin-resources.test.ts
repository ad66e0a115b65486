import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { rest, unique, type RestResult } from './support/client.js';
import { OpenAIStandIn } from './support/openai.js';
import { stack, type Stack } from './support/stack.js';

/** One owner-scoped resource of seed 004's admin API, as its legacy panel uses it. */
interface Resource {
  path: string;
  /** A body that creates one. */
  create: () => Record<string, unknown>;
  /** A body that changes one. */
  update: Record<string, unknown>;
  /** The items of a list answer. */
  items: (body: unknown) => { id: string; owner_id: number | null }[];
  /** Whether an admin's item serves the whole organization (providers, presets) rather than the admin alone. */
  adminShares: boolean;
  /** Actions of `POST /admin/<resource>/<id>/<action>` that a user may run on their own item. */
  action?: string;
}

const detailOnly = (result: RestResult, status: number, what: string) => {
  assert.equal(result.status, status, `${what}: ${JSON.stringify(result.body)}`);
  assert.deepEqual(Object.keys(result.body as object), ['detail'], `${what}: seed 004's {detail}`);
};

describe('REST seed 004: every owner-scoped admin resource on /admin/{resource}, for each role', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  let web: Account;
  let guest: Account;
  let stranger: Account;
  let provider: OpenAIStandIn;
  const resources: Resource[] = [];

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    [user, web, guest] = await Promise.all([
      newMember(s.url, admin, 'USER'),
      newMember(s.url, admin, 'WEB'),
      newMember(s.url, admin, 'GUEST'),
    ]);
    stranger = await newOrganization(s.url);
    provider = await OpenAIStandIn.start({ models: ['model-a'] });
    resources.push(
      {
        path: '/admin/chat/sessions',
        create: () => ({ title: unique('chat'), persona: 'anna' }),
        update: { title: 'Renamed' },
        items: (body) => (body as { sessions: { id: string; owner_id: number }[] }).sessions,
        adminShares: false,
      },
      {
        path: '/admin/telegram/bots',
        create: () => {
          const token = `${Math.floor(Math.random() * 1e9)}:${unique('tok')}`;
          s.telegram.addBot(token, unique('bot'));
          return { name: 'Shop bot', token, auto_start: false };
        },
        update: { name: 'Renamed bot' },
        items: (body) => body as { id: string; owner_id: number }[],
        adminShares: false,
        action: 'stop',
      },
      {
        path: '/admin/widgets',
        create: () => ({ name: unique('widget'), title: 'Ask us', allowed_origins: ['https://shop.example.com'] }),
        update: { title: 'Ask us anything' },
        items: (body) => body as { id: string; owner_id: number }[],
        adminShares: false,
      },
      {
        path: '/admin/llm/providers',
        create: () => ({
          name: 'vLLM',
          slug: unique('p')
            .replace(/[^a-z0-9_]/g, '_')
            .slice(0, 40),
          base_url: provider.url,
          default_model: 'model-a',
        }),
        update: { name: 'Renamed provider' },
        items: (body) => body as { id: string; owner_id: number | null }[],
        adminShares: true,
        action: 'test',
      },
      {
        path: '/admin/tts/presets',
        create: () => ({
          voice_id: unique('v')
            .replace(/[^a-z0-9_]/g, '_')
            .slice(0, 40),
          name: 'Voice',
          espeak_voice: 'ru+f2',
          rate: 160,
        }),
        update: { pitch: 70 },
        items: (body) => body as { id: string; owner_id: number | null }[],
        adminShares: true,
      },
    );
  });
  after(() => provider.close());

  it('admins see all of the organization’s, users and web their own, guests only read, other organizations nothing', async () => {
    for (const r of resources) {
      const create = async (who: Account) => {
        const created = await rest(s.url, 'POST', r.path, { token: who.token, body: r.create() });
        assert.equal(created.status, 201, `${r.path} by ${who.username}: ${JSON.stringify(created.body)}`);
        return created.body as { id: string; owner_id: number | null };
      };
      const byAdmin = await create(admin);
      const byUser = await create(user);
      const byWeb = await create(web);
      assert.equal(byUser.owner_id, Number(user.id), `${r.path}: a user's own`);
      assert.equal(byAdmin.owner_id, r.adminShares ? null : Number(admin.id), `${r.path}: an admin's`);

      const ids = async (who: Account) => {
        const listed = await rest(s.url, 'GET', r.path, { token: who.token });
        assert.equal(listed.status, 200, `${r.path} list by ${who.username}: ${JSON.stringify(listed.body)}`);
        return new Set(r.items(listed.body).map((i) => i.id));
      };
      const adminSees = await ids(admin);
      assert.ok(
        [byAdmin, byUser, byWeb].every((i) => adminSees.has(i.id)),
        `${r.path}: admins see all`,
      );
      const userSees = await ids(user);
      assert.ok(userSees.has(byUser.id) && !userSees.has(byWeb.id), `${r.path}: users their own`);
      assert.equal(userSees.has(byAdmin.id), r.adminShares, `${r.path}: an admin's item, shared or not`);
      const webSees = await ids(web);
      assert.ok(webSees.has(byWeb.id) && !webSees.has(byUser.id), `${r.path}: web users their own`);
      const guestSees = await ids(guest);
      assert.ok(!guestSees.has(byUser.id) && !guestSees.has(byWeb.id), `${r.path}: guests none of the users'`);
      assert.equal((await ids(stranger)).size, 0, `${r.path}: another organization nothing`);

      detailOnly(await rest(s.url, 'GET', `${r.path}/${byWeb.id}`, { token: user.token }), 404, `${r.path}: a user reads another's`);
      detailOnly(
        await rest(s.url, 'PUT', `${r.path}/${byUser.id}`, { token: web.token, body: r.update }),
        404,
        `${r.path}: web changes a user's`,
      );
      detailOnly(await rest(s.url, 'GET', `${r.path}/${byUser.id}`, { token: stranger.token }), 404, `${r.path}: another organization`);
      detailOnly(await rest(s.url, 'POST', r.path, { token: guest.token, body: r.create() }), 403, `${r.path}: a guest creates`);
      detailOnly(
        await rest(s.url, 'PUT', `${r.path}/${byUser.id}`, { token: guest.token, body: r.update }),
        403,
        `${r.path}: a guest changes`,
      );
      detailOnly(await rest(s.url, 'DELETE', `${r.path}/${byUser.id}`, { token: guest.token }), 403, `${r.path}: a guest deletes`);
      detailOnly(await rest(s.url, 'GET', r.path), 401, `${r.path}: anonymous`);
      detailOnly(await rest(s.url, 'GET', `${r.path}/not-a-uuid`, { token: admin.token }), 404, `${r.path}: a malformed id`);

      const readByAdmin = await rest(s.url, 'GET', `${r.path}/${byUser.id}`, { token: admin.token });
      assert.equal(readByAdmin.status, 200, `${r.path}: admins read a user's`);
      const changed = await rest(s.url, 'PUT', `${r.path}/${byUser.id}`, { token: user.token, body: r.update });
      assert.equal(changed.status, 200, `${r.path}: users change their own: ${JSON.stringify(changed.body)}`);
      for (const [key, value] of Object.entries(r.update))
        assert.deepEqual((changed.body as Record<string, unknown>)[key], value, `${r.path}.${key}`);
      if (r.action) {
        const acted = await rest(s.url, 'POST', `${r.path}/${byUser.id}/${r.action}`, { token: user.token });
        assert.equal(acted.status, 200, `${r.path}/${r.action}: ${JSON.stringify(acted.body)}`);
        detailOnly(
          await rest(s.url, 'POST', `${r.path}/${byUser.id}/${r.action}`, { token: web.token }),
          404,
          `${r.path}/${r.action} by web`,
        );
      }

      const removed = await rest(s.url, 'DELETE', `${r.path}/${byUser.id}`, { token: user.token });
      assert.equal(removed.status, 200, `${r.path}: users delete their own`);
      detailOnly(await rest(s.url, 'GET', `${r.path}/${byUser.id}`, { token: user.token }), 404, `${r.path}: gone`);
      assert.equal(
        (await rest(s.url, 'DELETE', `${r.path}/${byWeb.id}`, { token: admin.token })).status,
        200,
        `${r.path}: admins delete any`,
      );
    }
  });

  it('answers invalid bodies with 422 and {detail}, writing nothing', async () => {
    const before = await rest(s.url, 'GET', '/admin/tts/presets', { token: user.token });
    for (const [path, body] of [
      ['/admin/widgets', { name: 42 }],
      ['/admin/llm/providers', { name: 'x', slug: 'BAD SLUG', base_url: provider.url, default_model: 'model-a' }],
      ['/admin/llm/providers', { name: 'x', slug: 'ok_slug', base_url: 'not a url', default_model: 'model-a' }],
      ['/admin/tts/presets', { voice_id: 'v_bad', name: 'Bad', espeak_voice: 'ru', rate: 5 }],
      ['/admin/tts/presets', { voice_id: 'v_bad', name: 'Bad' }],
    ] as const) {
      const result = await rest(s.url, 'POST', path, { token: user.token, body });
      detailOnly(result, 422, `${path} ${JSON.stringify(body)}`);
    }
    const after = await rest(s.url, 'GET', '/admin/tts/presets', { token: user.token });
    assert.deepEqual(after.body, before.body);
    const llmTest = await rest(s.url, 'POST', `/admin/llm/providers/${crypto.randomUUID()}/test`, { token: user.token });
    detailOnly(llmTest, 404, 'testing a provider that does not exist');
  });
});
