import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, type GraphQLResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

const IMPORT = `mutation($file: Upload!, $merge: Boolean) {
  importLeads(file: $file, merge: $merge) { id status total processed created updated skipped error rows { line outcome leadId reason } }
}`;
const LEAD_IMPORT = `query($id: ID!) { leadImport(id: $id) { id status total processed created updated skipped } }`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on Lead { id } } }`;
const LEADS = `query($filter: LeadFilter) { leads(filter: $filter, first: 200) { totalCount nodes { id name email phone notes status source } } }`;

/** Sends `csv` as a GraphQL multipart request, as Apollo clients do. */
async function upload(
  url: string,
  token: string,
  csv: string | Buffer,
  merge = false,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
): Promise<GraphQLResult<any>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: IMPORT, variables: { file: null, merge } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true', ...headers },
    body: form,
  });
  const body = (await response.json()) as object;
  return { ...body, status: response.status, headers: response.headers };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

/** Waits until an import is no longer running (polling, up to two minutes). */
async function settled(url: string, token: string, id: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const result = await graphql(url, LEAD_IMPORT, { id }, { token });
    const status = (result.data as { leadImport?: { status: string } | null } | undefined)?.leadImport?.status;
    if (status !== 'RUNNING') return;
    if (Date.now() > deadline) throw new Error(`import ${id} still running after two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function exportCsv(url: string, token: string, query = ''): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${url}/api/v1/leads/export.csv${query}`, { headers: { authorization: `Bearer ${token}` } });
  // Decoded as bytes: Response.text() would drop the BOM.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type'), text };
}

describe('leads: CSV import and export', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('imports a file and reports every row that did not create a lead, by its line', async () => {
    const existing = (await ok(s.url, CREATE_LEAD, { input: { name: 'Старый', phone: '+7 701 000 00 01' } }, admin.token)).createLead.id;
    const csv = [
      '\uFEFFName;E-mail;Phone;Notes;quality_score;Status',
      'Иван Петров;ivan@example.com;+7 701 111 11 11;"Первая строка',
      'вторая; с точкой с запятой',
      'и ""кавычки"""; 80;qualified',
      'Дубль старого;;8 701 000 00 01;;;',
      'Мария;MARIA@example.com;;;;',
      'Мария снова;maria@example.com;;;;',
      '',
      'Плохая почта;not-an-email;;;;',
      ';nobody@example.com;;;;',
    ].join('\r\n');
    const result = await upload(s.url, admin.token, csv);
    assert.equal(result.status, 200, JSON.stringify(result.errors));
    const report = result.data.importLeads;
    assert.equal(report.status, 'COMPLETED');
    assert.deepEqual(
      { total: report.total, processed: report.processed, created: report.created, updated: report.updated, skipped: report.skipped },
      { total: 6, processed: 6, created: 2, updated: 0, skipped: 4 },
    );
    const maria = report.rows[1].leadId;
    assert.deepEqual(report.rows, [
      { line: 5, outcome: 'SKIPPED', leadId: existing, reason: 'Duplicate of an existing lead (same phone)' },
      { line: 7, outcome: 'SKIPPED', leadId: maria, reason: 'Duplicate of the lead of line 6 (same email)' },
      { line: 9, outcome: 'SKIPPED', leadId: null, reason: 'email must be an e-mail address' },
      { line: 10, outcome: 'SKIPPED', leadId: null, reason: 'name is missing' },
    ]);
    const leads = (await ok(s.url, LEADS, { filter: { search: 'Иван' } }, admin.token)).leads.nodes;
    assert.equal(leads.length, 1);
    assert.equal(leads[0].notes, 'Первая строка\nвторая; с точкой с запятой\nи "кавычки"');
    assert.equal(leads[0].status, 'QUALIFIED');
    assert.equal(leads[0].source, 'IMPORT');
  });

  it('with merge, duplicate rows update the lead they match', async () => {
    const org = await newOrganization(s.url);
    const id = (await ok(s.url, CREATE_LEAD, { input: { name: 'Анна', email: 'anna@example.com' } }, org.token)).createLead.id;
    const result = await upload(
      s.url,
      org.token,
      'name,email,company\nАнна К.,ANNA@example.com,ТОО Ромашка\nБорис,boris@example.com,\n',
      true,
    );
    const report = result.data.importLeads;
    assert.deepEqual([report.created, report.updated, report.skipped], [1, 1, 0]);
    assert.deepEqual(report.rows, [{ line: 2, outcome: 'UPDATED', leadId: id, reason: 'Merged into an existing lead (same email)' }]);
    const lead = await ok(s.url, `query($id: ID!) { lead(id: $id) { name company } }`, { id }, org.token);
    assert.deepEqual(lead.lead, { name: 'Анна К.', company: 'ТОО Ромашка' });
  });

  it('runs a large file as a job whose progress arrives over graphql-ws, and the API stays responsive', async (t) => {
    const org = await newOrganization(s.url);
    const lines = ['name,phone,email'];
    for (let i = 0; i < 2000; i++) lines.push(`Лид ${i},+7 702 ${String(i).padStart(7, '0')},lead${i}@example.com`);
    const began = performance.now();
    const started = await upload(s.url, org.token, lines.join('\n'));
    const job = started.data.importLeads;
    assert.equal(job.total, 2000);
    try {
      const listening = whenListening(s.product, 'leads');
      const events = subscribe<{ leadImportProgress: { status: string; processed: number; created: number } }>(
        wsClient(s.url, bearer(org.token)),
        { query: `subscription($id: ID!) { leadImportProgress(id: $id) { status processed created } }`, variables: { id: job.id } },
      );
      const seen: { status: string; processed: number; created: number }[] = [];
      const reading = (async () => {
        for (;;) {
          const event = await events.next(120_000);
          seen.push(event.data!.leadImportProgress);
          if (event.data!.leadImportProgress.status !== 'RUNNING') return;
        }
      })();
      await listening();
      // Meanwhile other requests are answered promptly: the import leaves the database to them between batches.
      const waits: number[] = [];
      while (seen.at(-1)?.status !== 'COMPLETED') {
        const asked = performance.now();
        const read = await ok(s.url, `{ leads(first: 1) { totalCount } }`, {}, admin.token);
        waits.push(performance.now() - asked);
        assert.ok(read.leads.totalCount >= 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await reading;
      const elapsed = (performance.now() - began) / 1000;
      t.diagnostic(
        `2000 rows in ${elapsed.toFixed(1)} s (${Math.round(2000 / elapsed)} rows/s); ${waits.length} queries meanwhile, slowest ${Math.round(Math.max(...waits))} ms`,
      );
      assert.ok(waits.length >= 1, 'a query was asked during the import');
      assert.ok(Math.max(...waits) < 1000, `a query waited ${Math.round(Math.max(...waits))} ms during the import`);
      const last = seen.at(-1)!;
      assert.deepEqual(last, { status: 'COMPLETED', processed: 2000, created: 2000 });
      assert.ok(seen.length >= 2, `progress arrived ${seen.length} time(s)`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i].processed >= seen[i - 1].processed);
    } finally {
      await settled(s.url, org.token, job.id);
    }
    const read = await ok(s.url, LEAD_IMPORT, { id: job.id }, org.token);
    assert.equal(read.leadImport.created, 2000);
    // Another organization does not see it.
    const other = await newOrganization(s.url);
    assert.equal((await ok(s.url, LEAD_IMPORT, { id: job.id }, other.token)).leadImport, null);
    // The export pages through all of them.
    const exported = await exportCsv(s.url, org.token);
    assert.equal(exported.text.trimEnd().split('\r\n').length, 2001);
  });

  it('refuses a file over the limit with 413 / PAYLOAD_TOO_LARGE, before reading on', async () => {
    // Independent of the tests before: no import of this organization is still running.
    const running = await upload(s.url, admin.token, 'name\nДо проверки\n');
    await settled(s.url, admin.token, running.data.importLeads.id);
    const big = Buffer.alloc(s.settings.support.uploadMaxBytes + 10, 'a');
    const result = await upload(s.url, admin.token, big);
    assert.equal(result.status, 413);
    assert.equal(codeOf(result), 'PAYLOAD_TOO_LARGE');
    const form = new FormData();
    form.set('file', new Blob([big]), 'big.csv');
    const response = await fetch(`${s.url}/api/v1/leads/import`, { method: 'POST', headers: bearer(admin.token), body: form });
    assert.equal(response.status, 413);
  });

  it('refuses a multipart request without a preflight header (CSRF)', async () => {
    const result = await upload(s.url, admin.token, 'name\nX\n', false, { 'apollo-require-preflight': '' });
    assert.equal(result.status, 400);
  });

  it('exports the leads as CSV with a BOM, the list filters, and only the caller organization', async () => {
    const org = await newOrganization(s.url);
    const csv = 'name;email;phone;status;notes\nЕлена;elena@example.com;+7 705 123 45 67;won;"две\nстроки"\nОлег;oleg@example.com;;new;\n';
    const form = new FormData();
    form.set('file', new Blob([csv]), 'leads.csv');
    const imported = await fetch(`${s.url}/api/v1/leads/import`, { method: 'POST', headers: bearer(org.token), body: form });
    assert.equal(imported.status, 200);
    assert.equal(((await imported.json()) as { created: number }).created, 2);

    const all = await exportCsv(s.url, org.token);
    assert.equal(all.status, 200);
    assert.equal(all.type, 'text/csv; charset=utf-8');
    assert.ok(all.text.startsWith('\uFEFFid,name,company,email,phone,phone_e164,source,status'), all.text.slice(0, 80));
    assert.ok(all.text.includes('"две\r\nстроки"') || all.text.includes('"две\nстроки"'));
    assert.ok(all.text.includes('Елена,,elena@example.com,+7 705 123 45 67,+77051234567,import,won'));
    assert.ok(!all.text.includes('Иван'), 'another organization’s leads stay out');

    const won = await exportCsv(s.url, org.token, '?status=won');
    // The header and Елена's record (the line break inside her quoted note is a lone LF, not a record's CRLF).
    assert.equal(won.text.trimEnd().split('\r\n').length, 2, won.text);
    assert.ok(!won.text.includes('Олег'));
    const searched = await exportCsv(s.url, org.token, '?search=oleg');
    assert.ok(searched.text.includes('Олег') && !searched.text.includes('Елена'));

    // The export imports back: every row is a duplicate of the lead it came from.
    const again = await upload(s.url, org.token, all.text);
    assert.equal(again.data.importLeads.skipped, 2, JSON.stringify(again.data.importLeads.rows));
    const back = (await ok(s.url, LEADS, { filter: { search: 'Елена' } }, org.token)).leads.nodes[0];
    assert.equal(back.notes, 'две\nстроки');
  });

  it('refuses guests, and callers without credentials', async () => {
    const guest = await newMember(s.url, admin, 'GUEST');
    const result = await upload(s.url, guest.token, 'name\nГость\n');
    assert.equal(codeOf(result), 'FORBIDDEN');
    const form = new FormData();
    form.set('file', new Blob(['name\nГость\n']), 'leads.csv');
    const rest = await fetch(`${s.url}/api/v1/leads/import`, { method: 'POST', headers: bearer(guest.token), body: form });
    assert.equal(rest.status, 403);
    assert.equal((await exportCsv(s.url, guest.token)).status, 200, 'guests read');
    const anonymous = await fetch(`${s.url}/api/v1/leads/export.csv`);
    assert.equal(anonymous.status, 401);
  });
});
