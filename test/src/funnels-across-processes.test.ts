import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { newOrganization, type Account } from './support/accounts.js';
import { graphql, unique } from './support/client.js';
import { startSubgraphProcess, type SubgraphProcess } from './support/processes.js';
import { queryDatabase, stack, tempDir, usingServer, type Stack } from './support/stack.js';
import { until } from './support/wait.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const CREATE_FUNNEL = `mutation($input: CreateFunnelInput!) { createFunnel(input: $input) { id } }`;
const CREATE_CONNECTION = `mutation($input: CreateMessengerConnectionInput!) { createMessengerConnection(input: $input) { id state } }`;
const DIALOGS = `query($funnelId: ID) { dialogs(funnelId: $funnelId) { nodes { id threadId } } }`;
const SEND = `mutation($id: ID!, $text: String!) { sendDialogMessage(dialogId: $id, input: { text: $text }) { id } }`;
const FOLLOW_UP = 'Are you still there?';
const FOLLOW_UP_QUEUE = 'funnels.follow-up';

let botNumber = 7_100_000;

const PEERS = ['identity', 'leads', 'calls'];

describe(
  'funnels: follow-ups with two processes working the job queue',
  { skip: !usingServer && 'needs DATABASE_URL: an embedded database cannot be shared by two processes' },
  () => {
    let s: Stack;
    let admin: Account;
    let peerUrls: Record<string, string>;
    let replica: SubgraphProcess | undefined;

    /**
     * The funnels subgraph as a process of its own on the same database: its job workers compete with the
     * stack's for the same queues, and reach the stand-in Bot API as the stack does.
     */
    const startReplica = () =>
      startSubgraphProcess('funnels', {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: tempDir(),
        NODE_ENV: 'development',
        ...peerUrls,
        JWT_SECRET: s.settings.jwtSecret,
        GATEWAY_SECRET: s.settings.gatewaySecret,
        // The connections' tokens are sealed with it.
        SECRETS_KEY: s.settings.secretsKey,
        TELEGRAM_API_ROOT: s.telegram.url,
        WHATSAPP_API_ROOT: s.whatsapp.url,
        PUBLIC_URL: s.url,
      });

    /** A funnel whose first stage has one follow-up after `delayMinutes`, with a running Telegram bot. */
    async function funnelWithBot(delayMinutes: number): Promise<{ funnelId: string; token: string }> {
      const stages = [{ name: 'Greeting', assistantCodeName: 'greeter', followUps: [{ delayMinutes, text: FOLLOW_UP }] }];
      const { createFunnel } = await ok(
        s.url,
        CREATE_FUNNEL,
        { input: { name: unique('xp'), displayName: 'Across processes', stages } },
        admin.token,
      );
      const token = `${botNumber++}:${unique('key')}AAAAAAAAAAAAAAAAAAAA`;
      s.telegram.addBot(token, unique('bot'));
      const { createMessengerConnection } = await ok(
        s.url,
        CREATE_CONNECTION,
        { input: { messengerType: 'TELEGRAM', token, funnelId: createFunnel.id } },
        admin.token,
      );
      assert.equal(createMessengerConnection.state, 'RUNNING');
      return { funnelId: createFunnel.id as string, token };
    }

    /** The client writes first (the dialog is created); its id. */
    async function dialogOf(bot: { funnelId: string; token: string }, chatId: number): Promise<string> {
      assert.equal(await s.telegram.postUpdate(bot.token, s.telegram.textUpdate(chatId, 'Hello')), 200);
      const { dialogs } = await ok(s.url, DIALOGS, { funnelId: bot.funnelId }, admin.token);
      return dialogs.nodes.find((d: { threadId: string }) => d.threadId === String(chatId)).id as string;
    }

    const followUpsSentTo = (chatId: number) =>
      s.telegram.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId) && c.body.text === FOLLOW_UP)
        .length;

    const followUpRows = (dialogId: string) =>
      queryDatabase<{ delivery: string }>(
        s,
        `select delivery from funnels.dialog_messages where dialog_id = $1 and follow_up_id is not null`,
        [dialogId],
      );

    const followUpJobs = (dialogId: string) =>
      queryDatabase<{ state: string; data: object; start_after: Date }>(
        s,
        `select state, data, start_after from job_queue.job where name = $1 and data->>'dialogId' = $2 order by created_on`,
        [FOLLOW_UP_QUEUE, dialogId],
      );

    const stackJobs = () => s.product.subgraphs.get('funnels')!.jobs!;

    before(async () => {
      s = await stack();
      admin = await newOrganization(s.url);
      // Funnels reads identity, leads and calls: the stack's, reached over HTTP.
      peerUrls = {};
      for (const peer of PEERS) peerUrls[`SUBGRAPH_${peer.toUpperCase()}_URL`] = await s.product.subgraphs.get(peer)!.listen(0);
      replica = await startReplica();
    });

    after(async () => {
      await replica?.stop();
      await stackJobs().resume('follow-up');
      for (const peer of PEERS) await s.product.subgraphs.get(peer)!.stopListening();
    });

    it('sends each due follow-up once, also when its job runs twice at the same moment', async () => {
      const bot = await funnelWithBot(0.02);
      const chats = [6_100_001, 6_100_002, 6_100_003, 6_100_004, 6_100_005, 6_100_006];
      const dialogs = await Promise.all(chats.map((chatId) => dialogOf(bot, chatId)));
      // The managers answer: every dialog now waits 1.2 s for its client, then gets the follow-up.
      await Promise.all(dialogs.map((id) => ok(s.url, SEND, { id, text: 'What are you looking for?' }, admin.token)));

      // A job run twice (retried after it expired while the first run went on) is a second job with the same
      // data due at the same moment: two copies more of the first dialog's, for both processes to take.
      const [scheduled] = await followUpJobs(dialogs[0]);
      assert.ok(scheduled, 'the follow-up is a job in the queue');
      const boss = stackJobs().pgBoss!;
      for (let copy = 0; copy < 2; copy++)
        assert.ok(await boss.send(FOLLOW_UP_QUEUE, scheduled.data, { startAfter: scheduled.start_after }));

      await until('every dialog to get its follow-up', () => chats.every((chatId) => followUpsSentTo(chatId) > 0), 15_000);
      await until(
        'the follow-ups to be recorded as sent',
        async () =>
          (await Promise.all(dialogs.map(followUpRows))).every((rows) => rows.length > 0 && rows.every((row) => row.delivery === 'sent')),
        10_000,
      );
      await until(
        'the copies of the job to complete',
        async () => (await followUpJobs(dialogs[0])).every((job) => job.state === 'completed'),
        10_000,
      );
      // Longer than a poll of either process: nothing more comes.
      await sleep(2_500);
      assert.deepEqual(
        chats.map(followUpsSentTo),
        chats.map(() => 1),
      );
      for (const dialog of dialogs) assert.equal((await followUpRows(dialog)).length, 1, `follow-up messages of dialog ${dialog}`);
      assert.deepEqual(
        (await followUpJobs(dialogs[0])).map((job) => job.state),
        ['completed', 'completed', 'completed'],
        'the copies find the follow-up sent and complete without sending',
      );
    });

    it('keeps a follow-up scheduled before a restart and sends it once from the process started after', async () => {
      // Only the replica works the follow-up queue: the stack's worker pauses (its delivery worker goes on).
      await stackJobs().pause('follow-up');
      const bot = await funnelWithBot(0.05);
      const chatId = 6_200_001;
      const dialog = await dialogOf(bot, chatId);
      await ok(s.url, SEND, { id: dialog, text: 'What are you looking for?' }, admin.token);
      const [job] = await followUpJobs(dialog);
      const due = new Date(job.start_after).getTime();

      // The process that would send it stops before it is due: nothing works the queue then.
      await replica!.stop();
      replica = undefined;
      assert.ok(Date.now() < due, `the replica stopped ${Date.now() - due} ms after the follow-up came due: too late to tell`);
      await sleep(due - Date.now() + 2_500);
      assert.equal(followUpsSentTo(chatId), 0);
      assert.deepEqual(
        (await followUpJobs(dialog)).map((j) => j.state),
        ['created'],
        'the due follow-up waits in the queue',
      );

      // A process started afterwards finds it due and sends it, once.
      replica = await startReplica();
      await until('the follow-up to be sent after the restart', () => followUpsSentTo(chatId) > 0, 15_000);
      await until(
        'the follow-up to be recorded as sent',
        async () => (await followUpRows(dialog)).some((row) => row.delivery === 'sent'),
        10_000,
      );
      await sleep(2_000);
      assert.equal(followUpsSentTo(chatId), 1);
      assert.equal((await followUpRows(dialog)).length, 1);
      await stackJobs().resume('follow-up');
    });
  },
);
