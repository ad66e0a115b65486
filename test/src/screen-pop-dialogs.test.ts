import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the queries select them
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

const CREATE_CONNECTION = `mutation($input: CreateMessengerConnectionInput!) { createMessengerConnection(input: $input) { id } }`;
const DIALOGS = `{ dialogs(first: 200) { nodes { id threadId client { id } } } }`;
const UPDATE_CLIENT = `mutation($id: ID!, $phone: String) { updateClient(id: $id, input: { phone: $phone }) { id phoneE164 } }`;
const MANAGE = `mutation($id: ID!, $u: ID) { updateDialog(id: $id, input: { managerUserId: $u }) { id } }`;
const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id callerE164 } }`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { __typename ... on Lead { id } } }`;
const CALL_DIALOGS = `query($id: ID!, $first: Int) { call(id: $id) { id callerE164 dialogs(first: $first) { id channel client { name } } } }`;
const LEAD_DIALOGS = `query($id: ID!) { lead(id: $id) { id phoneE164 dialogs { id } } }`;

type DialogCard = { id: string; channel: string; client: { name: string } };
const idsOf = (dialogs: { id: string }[]) => dialogs.map((d) => d.id);

let botNumber = 7_100_000;
let chatNumber = 8_100_000;

/** An organization with a Telegram bot, and the dialogs its clients open by writing to it. */
class Inbox {
  private constructor(
    private readonly s: Stack,
    readonly admin: Account,
    private readonly bot: string,
  ) {}

  static async of(s: Stack, admin: Account): Promise<Inbox> {
    const bot = `${botNumber++}:${unique('key')}AAAAAAAAAAAAAAAAAAAA`;
    s.telegram.addBot(bot, unique('bot'));
    await ok(s.url, CREATE_CONNECTION, { input: { messengerType: 'TELEGRAM', token: bot, name: 'Shop bot' } }, admin.token);
    return new Inbox(s, admin, bot);
  }

  /** A new chat's first message (no phone, as Telegram sends text), then the phone given to its client by hand. */
  async writes(name: string, phone?: string): Promise<{ dialog: string; client: string; chat: number }> {
    const chat = chatNumber++;
    await this.post(this.s.telegram.textUpdate(chat, `Hello, this is ${name}`, { first_name: name }));
    const opened = await this.dialogOf(chat);
    if (phone) await ok(this.s.url, UPDATE_CLIENT, { id: opened.client, phone }, this.admin.token);
    return { ...opened, chat };
  }

  /** A new chat whose first message shares the sender's own contact (Telegram's "share my phone number"). */
  async sharesContact(name: string, phone: string): Promise<{ dialog: string; client: string; chat: number }> {
    const chat = chatNumber++;
    const { message } = this.s.telegram.textUpdate(chat, '', { first_name: name });
    const { text: _text, ...rest } = message;
    await this.post({ message: { ...rest, contact: { phone_number: phone, first_name: name, user_id: chat } } });
    return { ...(await this.dialogOf(chat)), chat };
  }

  /** Another message in a chat: its dialog becomes the most recently active. */
  async again(chat: number, text: string): Promise<void> {
    await this.post(this.s.telegram.textUpdate(chat, text));
  }

  private async post(update: Record<string, unknown>): Promise<void> {
    assert.equal(await this.s.telegram.postUpdate(this.bot, update), 200);
  }

  private async dialogOf(chat: number): Promise<{ dialog: string; client: string }> {
    const { dialogs } = await ok(this.s.url, DIALOGS, {}, this.admin.token);
    const dialog = dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chat));
    assert.ok(dialog, `the dialog of chat ${chat}`);
    return { dialog: dialog.id, client: dialog.client.id };
  }
}

async function call(url: string, token: string, input: Record<string, unknown>): Promise<string> {
  return (await ok(url, CREATE_CALL, { input }, token)).createCall.id as string;
}

describe('screen-pop: a ringing call with the caller’s messenger dialogs', () => {
  let s: Stack;
  let admin: Account;
  let inbox: Inbox;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    inbox = await Inbox.of(s, admin);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('brings the dialog of a client who shared their number on Telegram in the incomingCall event of their call', async () => {
    const dana = await inbox.sharesContact('Dana', '77011234567');
    const listening = whenListening(s.product);
    const events = subscribe<{ incomingCall: { call: { callerE164: string; dialogs: DialogCard[] } } }>(
      wsClient(s.url, bearer(admin.token)),
      { query: `subscription { incomingCall { call { callerE164 dialogs { id channel client { name } } } } }` },
    );
    const pending = events.next();
    await listening();
    const id = await call(s.url, admin.token, { callerNumber: '8 (701) 123-45-67' });
    const event = await pending;
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.deepEqual(event.data?.incomingCall.call, {
      callerE164: '+77011234567',
      dialogs: [{ id: dana.dialog, channel: 'TELEGRAM', client: { name: 'Dana' } }],
    });
    await events.stop();
    const { call: read } = await ok(s.url, CALL_DIALOGS, { id }, admin.token);
    assert.deepEqual(idsOf(read.dialogs), [dana.dialog]);
  });

  it('lists the dialogs of every client with the number, most recently active first, at most `first`, on the lead’s card too', async () => {
    const phone = '+7 702 111 22 33';
    const first = await inbox.writes('Ivan', phone);
    const second = await inbox.writes('Ivan at work', '87021112233');
    await inbox.writes('Someone else', '+7 702 111 22 34');
    await inbox.again(first.chat, 'Are you there?');
    const id = await call(s.url, admin.token, { callerNumber: '+77021112233' });
    assert.deepEqual(idsOf((await ok(s.url, CALL_DIALOGS, { id }, admin.token)).call.dialogs), [first.dialog, second.dialog]);
    assert.deepEqual(idsOf((await ok(s.url, CALL_DIALOGS, { id, first: 1 }, admin.token)).call.dialogs), [first.dialog]);
    for (const bad of [0, 51]) {
      const refused = await graphql(s.url, CALL_DIALOGS, { id, first: bad }, { token: admin.token });
      assert.equal(codeOf(refused), 'BAD_USER_INPUT', JSON.stringify(refused.errors));
    }

    const { createLead } = await ok(s.url, CREATE_LEAD, { input: { name: 'Ivan', phone } }, admin.token);
    const { lead } = await ok(s.url, LEAD_DIALOGS, { id: createLead.id }, admin.token);
    assert.deepEqual(idsOf(lead.dialogs), [first.dialog, second.dialog]);
    // A number nobody wrote from gives none.
    const nobody = await call(s.url, admin.token, { callerNumber: '+7 702 999 99 99' });
    assert.deepEqual((await ok(s.url, CALL_DIALOGS, { id: nobody }, admin.token)).call.dialogs, []);
  });

  it('never shows another organization’s dialogs of the same number', async () => {
    const phone = '+7 703 555 44 33';
    const ours = await inbox.writes('Ours', phone);
    const other = await newOrganization(s.url);
    const theirCall = await call(s.url, other.token, { callerNumber: phone });
    assert.deepEqual((await ok(s.url, CALL_DIALOGS, { id: theirCall }, other.token)).call.dialogs, []);
    const { createLead } = await ok(s.url, CREATE_LEAD, { input: { name: 'Theirs', phone } }, other.token);
    assert.deepEqual((await ok(s.url, LEAD_DIALOGS, { id: createLead.id }, other.token)).lead.dialogs, []);
    // Their own client with that number is theirs alone.
    const theirs = await (await Inbox.of(s, other)).writes('Theirs', phone);
    assert.deepEqual(idsOf((await ok(s.url, CALL_DIALOGS, { id: theirCall }, other.token)).call.dialogs), [theirs.dialog]);
    const ourCall = await call(s.url, admin.token, { callerNumber: phone });
    assert.deepEqual(idsOf((await ok(s.url, CALL_DIALOGS, { id: ourCall }, admin.token)).call.dialogs), [ours.dialog]);
  });

  it('shows a plain user only the dialogs they may see: theirs and those nobody manages', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const phone = '+7 704 777 66 55';
    const managed = await inbox.writes('Managed', phone);
    const unmanaged = await inbox.writes('Unmanaged', phone);
    await ok(s.url, MANAGE, { id: managed.dialog, u: admin.id }, admin.token);
    await inbox.again(unmanaged.chat, 'newest');
    const id = await call(s.url, admin.token, { callerNumber: phone, assignedUserId: user.id });
    const seen = async (token: string) => idsOf((await ok(s.url, CALL_DIALOGS, { id }, token)).call.dialogs);
    assert.deepEqual(await seen(user.token), [unmanaged.dialog]);
    assert.deepEqual(await seen(admin.token), [unmanaged.dialog, managed.dialog]);
    // Handing a dialog over is activity: it comes first.
    await ok(s.url, MANAGE, { id: managed.dialog, u: user.id }, admin.token);
    assert.deepEqual(await seen(user.token), [managed.dialog, unmanaged.dialog]);
    await ok(s.url, MANAGE, { id: unmanaged.dialog, u: admin.id }, admin.token);
    assert.deepEqual(await seen(user.token), [managed.dialog]);
    assert.deepEqual(await seen(admin.token), [unmanaged.dialog, managed.dialog]);
    // `first` counts what they may see: their one dialog, not the admin's newer one.
    assert.deepEqual(idsOf((await ok(s.url, CALL_DIALOGS, { id, first: 1 }, user.token)).call.dialogs), [managed.dialog]);
  });

  it('reads the dialogs of a whole page of calls, and of their leads, in statements that do not grow with the page', async (t) => {
    const org = await newOrganization(s.url);
    const theirs = await Inbox.of(s, org);
    const add = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const phone = `+7 705 000 00 ${String(i).padStart(2, '0')}`;
        await theirs.writes(`Client ${i}`, phone);
        await ok(s.url, CREATE_LEAD, { input: { name: `Lead ${i}`, phone } }, org.token);
        await call(s.url, org.token, { callerNumber: phone });
      }
    };
    const page = () =>
      graphql(
        s.url,
        `
          {
            calls(first: 50) {
              nodes {
                id
                dialogs {
                  id
                  channel
                  client {
                    name
                  }
                }
                lead {
                  name
                  dialogs {
                    id
                  }
                }
              }
            }
          }
        `,
        {},
        { token: org.token },
      );
    type Page = { id: string; dialogs: DialogCard[]; lead: { name: string; dialogs: { id: string }[] } }[];
    const eachHasOne = (nodes: Page) =>
      nodes.every(
        (n) => n.dialogs.length === 1 && n.lead.dialogs[0]?.id === n.dialogs[0].id && n.dialogs[0].client.name.startsWith('Client'),
      );
    await add(0, 2);
    const few = await statementsOf(page);
    assert.equal(few.result.data?.calls.nodes.length, 2, JSON.stringify(few.result.errors));
    assert.ok(eachHasOne(few.result.data.calls.nodes), JSON.stringify(few.result.data));
    await add(2, 6);
    const many = await statementsOf(page);
    assert.equal(many.result.data?.calls.nodes.length, 8, JSON.stringify(many.result.errors));
    assert.ok(eachHasOne(many.result.data.calls.nodes), JSON.stringify(many.result.data));
    assert.equal(many.statements, few.statements, `${few.statements} statements for 2 calls, ${many.statements} for 8`);
    t.diagnostic(`${many.statements} statements for a page of 2 or 8 calls with their dialogs and their leads' dialogs`);
  });
});
