import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest, type GraphQLResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const FIELDS = `id name periodKind periodStart periodEnd predictedRevenue currency predictedDeals confidence method notes
  createdBy { id } createdAt updatedAt`;
const CREATE = `mutation($input: CreateForecastInput!) { createForecast(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateForecastInput!) { updateForecast(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteForecast(id: $id) }`;
const ONE = `query($id: ID!) { forecast(id: $id) { ${FIELDS} } }`;
const LIST = `query($first: Int, $after: String, $offset: Int, $dateFrom: LocalDate, $dateTo: LocalDate, $method: ForecastMethod,
    $periodKind: ForecastPeriodKind, $search: String, $orderBy: ForecastOrderField, $direction: SortDirection) {
  forecasts(first: $first, after: $after, offset: $offset, dateFrom: $dateFrom, dateTo: $dateTo, method: $method, periodKind: $periodKind,
      search: $search, orderBy: $orderBy, direction: $direction) {
    totalCount
    nodes { id name periodStart periodEnd predictedRevenue confidence }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const REST_KEYS = [
  'confidence',
  'created_at',
  'created_by_id',
  'currency',
  'id',
  'method',
  'name',
  'notes',
  'period_end',
  'period_kind',
  'period_start',
  'predicted_deals',
  'predicted_revenue',
  'updated_at',
];

const quarter = { name: 'Q1', periodKind: 'QUARTER', periodStart: '2025-01-01', predictedRevenue: 1_500_000 };

/** The fields a BAD_USER_INPUT error names. */
const fieldsOf = (result: GraphQLResult<unknown>) =>
  ((result.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((f) => f.field);

describe('forecasts (seed 000)', () => {
  let s: Stack;
  let admin: Account;
  let analyst: Account;
  let manager: Account;
  let user: Account;
  let guest: Account;
  let strangerAdmin: Account;
  let strangerAnalyst: Account;

  const create = async (input: Record<string, unknown>, as: Account = analyst) => {
    const result = await graphql(s.url, CREATE, { input }, { token: as.token });
    assert.ok(result.data, JSON.stringify(result.errors));
    return result.data.createForecast as { id: string; [field: string]: unknown };
  };

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    [analyst, manager, user, guest] = await Promise.all(
      ['ANALYST', 'MANAGER', 'USER', 'GUEST'].map((role) => newMember(s.url, admin, role)),
    );
    strangerAdmin = await newOrganization(s.url);
    strangerAnalyst = await newMember(s.url, strangerAdmin, 'ANALYST');
  });

  describe('GraphQL', () => {
    it('lets an analyst record a forecast: a quarter ends when it is over, the method is manual, the author is a User', async () => {
      const forecast = await create({ ...quarter, predictedRevenue: 1_500_000.456, predictedDeals: 12, confidence: 70, notes: 'Pipeline' });
      assert.match(forecast.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(
        { ...forecast, id: undefined, createdAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          name: 'Q1',
          periodKind: 'QUARTER',
          periodStart: '2025-01-01',
          periodEnd: '2025-03-31',
          predictedRevenue: 1_500_000.46,
          currency: 'RUB',
          predictedDeals: 12,
          confidence: 70,
          method: 'MANUAL',
          notes: 'Pipeline',
          createdBy: { id: analyst.id },
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      // The author resolves through the identity subgraph.
      const author = await graphql(
        s.url,
        `
          query ($id: ID!) {
            forecast(id: $id) {
              createdBy {
                id
                username
              }
            }
          }
        `,
        { id: forecast.id },
        { token: guest.token },
      );
      assert.deepEqual(author.data?.forecast.createdBy, { id: analyst.id, username: analyst.username });

      const month = await create({ name: 'Feb', periodKind: 'MONTH', periodStart: '2024-02-01', predictedRevenue: 0, currency: 'USD' });
      assert.equal(month.periodEnd, '2024-02-29');
      const year = await create({
        name: 'FY',
        periodKind: 'YEAR',
        periodStart: '2025-04-01',
        periodEnd: '2026-03-31',
        predictedRevenue: 9,
      });
      assert.equal(year.periodEnd, '2026-03-31');
      const custom = await create({ name: 'Sprint', periodStart: '2025-05-10', periodEnd: '2025-05-10', predictedRevenue: 1 });
      assert.deepEqual([custom.periodKind, custom.predictedDeals, custom.confidence, custom.notes], ['CUSTOM', null, null, null]);
    });

    it('lets everyone signed in read, analysts and admins write, and only admins delete', async () => {
      const forecast = await create(quarter);
      for (const reader of [admin, analyst, manager, user, guest]) {
        const read = await graphql(s.url, ONE, { id: forecast.id }, { token: reader.token });
        assert.equal(read.data?.forecast?.id, forecast.id, JSON.stringify(read.errors));
      }
      for (const writer of [manager, user, guest]) {
        assert.equal(codeOf(await graphql(s.url, CREATE, { input: quarter }, { token: writer.token })), 'FORBIDDEN');
        assert.equal(codeOf(await graphql(s.url, UPDATE, { id: forecast.id, input: { name: 'x' } }, { token: writer.token })), 'FORBIDDEN');
      }
      // The role is checked before the input: a refused caller hears FORBIDDEN whatever they sent.
      assert.equal(codeOf(await graphql(s.url, CREATE, { input: { ...quarter, confidence: 500 } }, { token: user.token })), 'FORBIDDEN');
      assert.equal(codeOf(await graphql(s.url, LIST, {})), 'UNAUTHENTICATED');

      const updated = await graphql(s.url, UPDATE, { id: forecast.id, input: { confidence: 55, notes: null } }, { token: admin.token });
      assert.equal(updated.data?.updateForecast.confidence, 55, JSON.stringify(updated.errors));

      assert.equal(codeOf(await graphql(s.url, DELETE, { id: forecast.id }, { token: analyst.token })), 'FORBIDDEN');
      assert.equal(codeOf(await graphql(s.url, DELETE, { id: forecast.id }, { token: manager.token })), 'FORBIDDEN');
      assert.equal((await graphql(s.url, DELETE, { id: forecast.id }, { token: admin.token })).data?.deleteForecast, true);
      assert.equal((await graphql(s.url, ONE, { id: forecast.id }, { token: admin.token })).data?.forecast, null);
      assert.equal(codeOf(await graphql(s.url, DELETE, { id: forecast.id }, { token: admin.token })), 'NOT_FOUND');
    });

    it('updates what it is given: the period is checked again as a whole', async () => {
      const forecast = await create({ ...quarter, confidence: 40, notes: 'keep' });
      const renamed = await graphql(s.url, UPDATE, { id: forecast.id, input: { name: ' Q1 revised ' } }, { token: analyst.token });
      assert.deepEqual(
        [renamed.data?.updateForecast.name, renamed.data?.updateForecast.confidence, renamed.data?.updateForecast.notes],
        ['Q1 revised', 40, 'keep'],
      );
      // A new start moves the quarter's end with it; a switch to MONTH recomputes it.
      const moved = await graphql(s.url, UPDATE, { id: forecast.id, input: { periodStart: '2025-04-01' } }, { token: analyst.token });
      assert.equal(moved.data?.updateForecast.periodEnd, '2025-06-30');
      const month = await graphql(s.url, UPDATE, { id: forecast.id, input: { periodKind: 'MONTH' } }, { token: analyst.token });
      assert.equal(month.data?.updateForecast.periodEnd, '2025-04-30');
      // CUSTOM keeps the current end unless given one.
      const custom = await graphql(
        s.url,
        UPDATE,
        { id: forecast.id, input: { periodKind: 'CUSTOM', periodStart: '2025-04-15' } },
        { token: analyst.token },
      );
      assert.deepEqual([custom.data?.updateForecast.periodStart, custom.data?.updateForecast.periodEnd], ['2025-04-15', '2025-04-30']);
      const before = await graphql(s.url, UPDATE, { id: forecast.id, input: { periodEnd: '2025-04-01' } }, { token: analyst.token });
      assert.equal(codeOf(before), 'BAD_USER_INPUT');
      assert.deepEqual(fieldsOf(before), ['periodEnd']);
      const cleared = await graphql(s.url, UPDATE, { id: forecast.id, input: { confidence: null, notes: null } }, { token: analyst.token });
      assert.deepEqual([cleared.data?.updateForecast.confidence, cleared.data?.updateForecast.notes], [null, null]);
      const nulled = await graphql(s.url, UPDATE, { id: forecast.id, input: { name: null } }, { token: analyst.token });
      assert.deepEqual([codeOf(nulled), fieldsOf(nulled)], ['BAD_USER_INPUT', ['name']]);
    });

    it("answers another organization's forecast as not found, never forbidden", async () => {
      const forecast = await create(quarter);
      assert.equal((await graphql(s.url, ONE, { id: forecast.id }, { token: strangerAnalyst.token })).data?.forecast, null);
      assert.equal(
        codeOf(await graphql(s.url, UPDATE, { id: forecast.id, input: { name: 'mine' } }, { token: strangerAnalyst.token })),
        'NOT_FOUND',
      );
      assert.equal(codeOf(await graphql(s.url, DELETE, { id: forecast.id }, { token: strangerAdmin.token })), 'NOT_FOUND');
      const listed = await graphql(s.url, LIST, { first: 200 }, { token: strangerAdmin.token });
      assert.ok(!listed.data?.forecasts.nodes.some((f: { id: string }) => f.id === forecast.id));
      // Still there, unchanged, for its own organization.
      assert.equal((await graphql(s.url, ONE, { id: forecast.id }, { token: guest.token })).data?.forecast.name, 'Q1');
    });

    it('refuses bad input as BAD_USER_INPUT naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ ...quarter, periodKind: 'CUSTOM', periodStart: '2025-03-01', periodEnd: '2025-02-28' }, 'periodEnd'],
        [{ ...quarter, periodKind: 'CUSTOM' }, 'periodEnd'],
        [{ ...quarter, confidence: 101 }, 'confidence'],
        [{ ...quarter, confidence: -1 }, 'confidence'],
        [{ ...quarter, predictedRevenue: -0.01 }, 'predictedRevenue'],
        [{ ...quarter, predictedRevenue: 1e16 }, 'predictedRevenue'],
        [{ ...quarter, predictedDeals: -1 }, 'predictedDeals'],
        [{ ...quarter, periodStart: '2025-01-15' }, 'periodStart'],
        [{ ...quarter, periodEnd: '2025-04-30' }, 'periodEnd'],
        [{ ...quarter, periodKind: 'YEAR', periodStart: '9999-06-01' }, 'periodStart'],
        [{ ...quarter, name: '   ' }, 'name'],
        [{ ...quarter, name: 'x'.repeat(201) }, 'name'],
        [{ ...quarter, currency: 'rub' }, 'currency'],
      ];
      for (const [input, field] of cases) {
        const result = await graphql(s.url, CREATE, { input }, { token: analyst.token });
        assert.equal(codeOf(result), 'BAD_USER_INPUT', `${JSON.stringify(input)}: ${JSON.stringify(result.errors)}`);
        assert.deepEqual(fieldsOf(result), [field], JSON.stringify(result.errors));
      }
      // Dates that are not calendar days are refused by the LocalDate scalar, naming the position.
      for (const periodStart of ['2025-02-30', '2025-1-1', 'soon']) {
        const result = await graphql(s.url, CREATE, { input: { ...quarter, periodStart } }, { token: analyst.token });
        assert.equal(codeOf(result), 'BAD_USER_INPUT', JSON.stringify(result.errors));
        assert.match(result.errors![0].message, /periodStart/);
      }
      for (const id of ['42', 'not-a-uuid']) {
        for (const [document, variables] of [
          [ONE, { id }],
          [UPDATE, { id, input: { name: 'x' } }],
          [DELETE, { id }],
        ] as const) {
          const result = await graphql(s.url, document, variables, { token: admin.token });
          assert.deepEqual([codeOf(result), fieldsOf(result)], ['BAD_USER_INPUT', ['id']], JSON.stringify(result.errors));
        }
      }
      const backwards = await graphql(s.url, LIST, { dateFrom: '2025-02-01', dateTo: '2025-01-01' }, { token: guest.token });
      assert.deepEqual([codeOf(backwards), fieldsOf(backwards)], ['BAD_USER_INPUT', ['dateTo']]);
      assert.equal(codeOf(await graphql(s.url, LIST, { first: 201 }, { token: guest.token })), 'BAD_USER_INPUT');
    });

    it('filters by overlapping period, method, kind and text; sorts; pages by offset and cursor', async () => {
      const owner = await newOrganization(s.url);
      const rows = [
        { name: 'Jan', periodKind: 'MONTH', periodStart: '2025-01-01', predictedRevenue: 100, confidence: 90 },
        { name: 'Feb', periodKind: 'MONTH', periodStart: '2025-02-01', predictedRevenue: 300, notes: 'winter push' },
        { name: 'Mar', periodKind: 'MONTH', periodStart: '2025-03-01', predictedRevenue: 200, confidence: 10 },
        { name: 'Q2', periodKind: 'QUARTER', periodStart: '2025-04-01', predictedRevenue: 600, confidence: 50 },
        { name: 'Launch week', periodStart: '2025-02-25', periodEnd: '2025-03-03', predictedRevenue: 50 },
      ];
      const made = new Map<string, string>();
      for (const row of rows) made.set(row.name, (await create(row, owner)).id);
      const list = async (variables: Record<string, unknown>) => {
        const result = await graphql(s.url, LIST, variables, { token: owner.token });
        assert.ok(result.data, JSON.stringify(result.errors));
        return result.data.forecasts as {
          totalCount: number;
          nodes: { name: string }[];
          edges: { cursor: string }[];
          pageInfo: Record<string, unknown>;
        };
      };
      const names = async (variables: Record<string, unknown>) => (await list(variables)).nodes.map((n) => n.name);

      // Newest period first by default.
      assert.deepEqual(await names({}), ['Q2', 'Mar', 'Launch week', 'Feb', 'Jan']);
      // Periods overlapping 2025-03-01…2025-03-31, and those touching the edges' days.
      assert.deepEqual(await names({ dateFrom: '2025-03-01', dateTo: '2025-03-31' }), ['Mar', 'Launch week']);
      assert.deepEqual(await names({ dateFrom: '2025-02-28', dateTo: '2025-02-28' }), ['Launch week', 'Feb']);
      assert.deepEqual(await names({ dateFrom: '2025-04-01' }), ['Q2']);
      assert.deepEqual(await names({ dateTo: '2025-01-31' }), ['Jan']);
      assert.deepEqual(await names({ method: 'MANUAL', periodKind: 'QUARTER' }), ['Q2']);
      assert.deepEqual(await names({ method: 'AI' }), []);
      assert.deepEqual(await names({ search: 'WINTER' }), ['Feb']);
      assert.deepEqual(await names({ search: '%' }), []);
      assert.deepEqual(await names({ orderBy: 'PREDICTED_REVENUE', direction: 'ASC' }), ['Launch week', 'Jan', 'Mar', 'Feb', 'Q2']);
      // Without a confidence comes last, whichever the direction.
      const byConfidenceDown = await names({ orderBy: 'CONFIDENCE', direction: 'DESC' });
      assert.deepEqual(byConfidenceDown.slice(0, 3), ['Jan', 'Q2', 'Mar']);
      assert.deepEqual(byConfidenceDown.slice(3).sort(), ['Feb', 'Launch week']);
      const byConfidence = await names({ orderBy: 'CONFIDENCE', direction: 'ASC' });
      assert.deepEqual(byConfidence.slice(0, 3), ['Mar', 'Q2', 'Jan']);
      assert.deepEqual(byConfidence.slice(3).sort(), ['Feb', 'Launch week']);
      assert.deepEqual(await names({ orderBy: 'NAME', direction: 'ASC' }), ['Feb', 'Jan', 'Launch week', 'Mar', 'Q2']);

      const first = await list({ first: 2 });
      assert.deepEqual([first.totalCount, first.nodes.map((n) => n.name)], [5, ['Q2', 'Mar']]);
      assert.deepEqual([first.pageInfo.hasNextPage, first.pageInfo.hasPreviousPage], [true, false]);
      const second = await list({ first: 2, after: first.pageInfo.endCursor });
      assert.deepEqual(
        second.nodes.map((n) => n.name),
        ['Launch week', 'Feb'],
      );
      const last = await list({ first: 2, after: second.pageInfo.endCursor });
      assert.deepEqual([last.nodes.map((n) => n.name), last.pageInfo.hasNextPage, last.pageInfo.hasPreviousPage], [['Jan'], false, true]);
      assert.deepEqual(await names({ first: 2, offset: 4 }), ['Jan']);
      assert.equal(
        codeOf(await graphql(s.url, LIST, { after: first.pageInfo.endCursor, offset: 1 }, { token: owner.token })),
        'BAD_USER_INPUT',
      );
    });
  });

  describe('REST /api/v1/forecasts', () => {
    it('creates, reads, updates and deletes with snake_case fields, each as the seed allows', async () => {
      const body = {
        name: 'H1',
        period_kind: 'custom',
        period_start: '2025-01-01',
        period_end: '2025-06-30',
        predicted_revenue: 2500000,
        confidence: 60,
      };
      const created = await rest(s.url, 'POST', '/api/v1/forecasts/', { token: analyst.token, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(Object.keys(created.body).sort(), REST_KEYS);
      assert.deepEqual(
        [created.body.period_kind, created.body.method, created.body.created_by_id, created.body.predicted_revenue, created.body.currency],
        ['custom', 'manual', Number(analyst.id), 2500000, 'RUB'],
      );
      const id = created.body.id as string;

      for (const reader of [guest, user, manager]) {
        const read = await rest(s.url, 'GET', `/api/v1/forecasts/${id}`, { token: reader.token });
        assert.deepEqual([read.status, read.body.name], [200, 'H1']);
      }
      const updated = await rest(s.url, 'PUT', `/api/v1/forecasts/${id}`, {
        token: analyst.token,
        body: { predicted_deals: 8, notes: 'two big deals' },
      });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.deepEqual([updated.body.predicted_deals, updated.body.notes, updated.body.name], [8, 'two big deals', 'H1']);

      const forbidden = [
        await rest(s.url, 'POST', '/api/v1/forecasts', { token: manager.token, body }),
        await rest(s.url, 'POST', '/api/v1/forecasts/', { token: user.token, body: {} }),
        await rest(s.url, 'PUT', `/api/v1/forecasts/${id}`, { token: manager.token, body: { name: 'x' } }),
        await rest(s.url, 'DELETE', `/api/v1/forecasts/${id}`, { token: analyst.token }),
      ];
      for (const refused of forbidden) {
        assert.equal(refused.status, 403, JSON.stringify(refused.body));
        assert.equal(typeof refused.body.detail, 'string');
      }
      assert.equal((await rest(s.url, 'GET', '/api/v1/forecasts/')).status, 401);

      assert.equal((await rest(s.url, 'DELETE', `/api/v1/forecasts/${id}`, { token: admin.token })).status, 204);
      const gone = await rest(s.url, 'GET', `/api/v1/forecasts/${id}`, { token: admin.token });
      assert.deepEqual([gone.status, gone.body], [404, { detail: 'Forecast not found' }]);
    });

    it("answers 404 for another organization's forecast on every route", async () => {
      const { id } = await create(quarter);
      const attempts = [
        await rest(s.url, 'GET', `/api/v1/forecasts/${id}`, { token: strangerAnalyst.token }),
        await rest(s.url, 'PUT', `/api/v1/forecasts/${id}`, { token: strangerAnalyst.token, body: { name: 'mine' } }),
        await rest(s.url, 'DELETE', `/api/v1/forecasts/${id}`, { token: strangerAdmin.token }),
      ];
      for (const attempt of attempts) assert.deepEqual([attempt.status, attempt.body], [404, { detail: 'Forecast not found' }]);
      const listed = await rest(s.url, 'GET', '/api/v1/forecasts/?limit=200', { token: strangerAdmin.token });
      assert.ok(!listed.body.items.some((f: { id: string }) => f.id === id));
      assert.equal((await rest(s.url, 'GET', `/api/v1/forecasts/${id}`, { token: analyst.token })).status, 200);
    });

    it('answers 422 with a detail naming the field for invalid input', async () => {
      const valid = { name: 'Q3', period_kind: 'quarter', period_start: '2025-07-01', predicted_revenue: 10 };
      const cases: [string, string, unknown, RegExp][] = [
        ['POST', '/api/v1/forecasts/', { ...valid, period_kind: 'custom', period_end: '2025-06-01' }, /periodEnd/],
        ['POST', '/api/v1/forecasts/', { ...valid, confidence: 101 }, /confidence/],
        ['POST', '/api/v1/forecasts/', { ...valid, predicted_revenue: -5 }, /predicted_revenue/],
        ['POST', '/api/v1/forecasts/', { ...valid, predicted_revenue: 'a lot' }, /predicted_revenue/],
        ['POST', '/api/v1/forecasts/', { ...valid, period_kind: 'week' }, /period_kind/],
        ['POST', '/api/v1/forecasts/', { ...valid, period_start: '2025-13-01' }, /periodStart/],
        ['POST', '/api/v1/forecasts/', { name: 'no period', predicted_revenue: 1 }, /period_start: field required/],
        ['GET', '/api/v1/forecasts/not-a-uuid', undefined, /forecast id/],
        ['PUT', '/api/v1/forecasts/not-a-uuid', { name: 'x' }, /forecast id/],
        ['DELETE', '/api/v1/forecasts/not-a-uuid', undefined, /forecast id/],
        ['GET', '/api/v1/forecasts/?date_from=2025-02-01&date_to=2025-01-01', undefined, /dateTo/],
        ['GET', '/api/v1/forecasts/?date_from=yesterday', undefined, /dateFrom/],
        ['GET', '/api/v1/forecasts/?order_by=revenue', undefined, /order_by/],
        ['GET', '/api/v1/forecasts/?limit=0', undefined, /limit/],
      ];
      for (const [method, path, body, detail] of cases) {
        const response = await rest(s.url, method, path, { token: admin.token, body });
        assert.equal(response.status, 422, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`);
        assert.match(response.body.detail, detail);
      }
    });

    it('lists with filters, sort and the {items,total,page,size,pages} envelope, with or without the trailing slash', async () => {
      const owner = await newOrganization(s.url);
      for (const [name, periodStart, predictedRevenue] of [
        ['Jan', '2025-01-01', 30],
        ['Feb', '2025-02-01', 10],
        ['Mar', '2025-03-01', 20],
      ] as const)
        await create({ name, periodKind: 'MONTH', periodStart, predictedRevenue }, owner);
      const page = await rest(s.url, 'GET', '/api/v1/forecasts/?limit=2', { token: owner.token });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(
        { ...page.body, items: page.body.items.map((f: { name: string }) => f.name) },
        { items: ['Mar', 'Feb'], total: 3, page: 1, size: 2, pages: 2 },
      );
      assert.deepEqual(Object.keys(page.body.items[0]).sort(), REST_KEYS);
      const next = await rest(s.url, 'GET', '/api/v1/forecasts?skip=2&limit=2', { token: owner.token });
      assert.deepEqual([next.body.items.map((f: { name: string }) => f.name), next.body.page], [['Jan'], 2]);
      const sorted = await rest(s.url, 'GET', '/api/v1/forecasts?order_by=predicted_revenue&sort=asc', { token: owner.token });
      assert.deepEqual(
        sorted.body.items.map((f: { name: string }) => f.name),
        ['Feb', 'Mar', 'Jan'],
      );
      const february = await rest(
        s.url,
        'GET',
        '/api/v1/forecasts/?date_from=2025-02-10&date_to=2025-02-20&method=manual&period_kind=month',
        {
          token: owner.token,
        },
      );
      assert.deepEqual([february.body.total, february.body.items[0].name, february.body.items[0].period_end], [1, 'Feb', '2025-02-28']);
    });

    it('is documented in the OpenAPI document', async () => {
      const document = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      assert.deepEqual(Object.keys(document.paths['/api/v1/forecasts']).sort(), ['get', 'post']);
      assert.deepEqual(Object.keys(document.paths['/api/v1/forecasts/{forecast_id}']).sort(), ['delete', 'get', 'put']);
    });
  });
});
