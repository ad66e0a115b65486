import type { MikroORM } from '@mikro-orm/core';
import { BACKGROUND, Role, executeOperation, type BusEvent, type SignedIn, type SubgraphClient } from '@salesgraph/platform';
import {
  AiClaimAssistantTurnDocument,
  AiHandOverDialogDocument,
  AiPostAssistantReplyDocument,
  type AiClaimAssistantTurnMutation,
} from '../generated/funnels.js';
import { AiObjectType, AiOperation } from '../types/enums.js';
import { asksForPerson } from './handover.js';
import type { PromptMessage } from './providers/index.js';
import type { Runner } from './runner.js';

/** The longest reply sent (a Telegram message's limit, and `sendDialogMessage`'s). */
export const MAX_REPLY_LENGTH = 4_096;
/** The `apiKeyId` of the assistant's service identity, so its calls can be told apart. */
export const ASSISTANT_KEY_ID = 'ai-assistant';

/** The topic of funnels' dialog events (funnels' `DIALOG_TOPIC`). */
const DIALOG_EVENT_TOPIC = 'dialog';

/**
 * What follows the stage's prompt: who the client is and how to answer. Both sentences instruct, so the
 * offline provider, which answers by quoting the prompt, leaves them out.
 */
const replyStyle = (clientName: string) =>
  `You are talking with ${clientName.replace(/\s+/g, ' ').trim() || 'a client'}. Answer briefly, in the language the client writes in.`;

type Turn = NonNullable<AiClaimAssistantTurnMutation['claimAssistantTurn']>;

/** A client's message the assistant is to answer, as the dialog event names it. */
interface Cue {
  dialogId: string;
  messageId: string;
  organizationId: string;
}

/**
 * Who the assistant acts as in funnels: its organization's own automation, with a manager's reach over
 * dialogs (a manager sees all of the organization's, and may write in them). No person is behind it: user id 0
 * (the platform's service identities use it), so its messages have no author and its usage rows no user.
 */
export function assistantIdentity(organizationId: string): SignedIn {
  return { kind: 'apiKey', userId: 0, organizationId, role: Role.MANAGER, apiKeyId: ASSISTANT_KEY_ID };
}

/**
 * Answers clients in dialogs with `ai` set. Funnels publishes a client's message there with `assistant: true`;
 * every AI process hears it (NOTIFY on funnels' channel), and the one whose `claimAssistantTurn` wins answers:
 * - a client asking for a person (`asksForPerson`) is handed over (`handOverDialog`), with no reply;
 * - otherwise the stage's assistant prompt and the dialog's recent messages go to the organization's preferred
 *   backend (the offline provider included) through the Runner, metered as AUTO_REPLY of the DIALOG, and the
 *   answer is posted with `sendDialogMessage` as ASSISTANT, so funnels' outbox delivers it to the client's channel;
 * - when the provider fails or the budget is spent nothing is posted: a warning is logged (without the
 *   client's text) and the dialog handed over, so a person answers.
 * The work runs off the NOTIFY callback, one turn at a time per dialog and dialogs side by side.
 *
 * Delivery is at most once (NOTIFY): a message that arrives while no AI process listens gets no automatic
 * reply. Nothing sweeps for such messages; the managers see them in the dialog as any other.
 */
export class AutoReply {
  /** Per dialog, the end of its latest queued turn. */
  private readonly queues = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly funnels: () => SubgraphClient,
    private readonly runner: Runner,
    private readonly orm: MikroORM,
  ) {}

  /** Takes one of funnels' events: a client's message to answer is queued behind its dialog's earlier turns. */
  hear(event: BusEvent): void {
    if (this.stopped || event.topic !== DIALOG_EVENT_TOPIC || event.assistant !== true) return;
    const { dialogId, messageId, organizationId } = event;
    if (typeof dialogId !== 'string' || typeof messageId !== 'string' || typeof organizationId !== 'string') return;
    this.enqueue(dialogId, () => this.answer({ dialogId, messageId, organizationId }));
  }

  /** Stops taking events and waits for the turns under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }

  private enqueue(dialogId: string, work: () => Promise<void>): void {
    const previous = this.queues.get(dialogId) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(work)
      .catch((error: unknown) => console.warn(`ai: the auto-reply in dialog ${dialogId} failed: ${reasonOf(error)}`))
      .finally(() => {
        if (this.queues.get(dialogId) === next) this.queues.delete(dialogId);
      });
    this.queues.set(dialogId, next);
  }

  /** One turn: claimed, then handed over or answered. */
  async answer(cue: Cue): Promise<void> {
    const caller = assistantIdentity(cue.organizationId);
    const { claimAssistantTurn: turn } = await executeOperation(
      this.funnels(),
      AiClaimAssistantTurnDocument,
      { dialogId: cue.dialogId, messageId: cue.messageId },
      caller,
    );
    if (!turn) return;
    if (asksForPerson(turn.messageText)) {
      await this.handOver(caller, turn.dialogId, 'the client asked for a person');
      return;
    }
    let reply: string;
    let handOver: boolean;
    try {
      ({ reply, handOver } = await this.generate(caller, turn));
      if (!reply) throw new Error('the provider answered nothing');
    } catch (error) {
      const reason = reasonOf(error);
      console.warn(`ai: no auto-reply in dialog ${turn.dialogId}, handed over: ${reason}`);
      await this.handOver(caller, turn.dialogId, `assistant unavailable: ${reason}`);
      return;
    }
    // Sent only if the turn is still the assistant's: a manager who wrote meanwhile has taken the dialog over.
    await executeOperation(
      this.funnels(),
      AiPostAssistantReplyDocument,
      { dialogId: turn.dialogId, messageId: turn.messageId, text: reply.slice(0, MAX_REPLY_LENGTH) },
      caller,
    );
    // The offline provider found no answer in the prompt and told the client a person will answer: so one must.
    if (handOver) await this.handOver(caller, turn.dialogId, 'the assistant found no answer in the stage’s prompt');
  }

  private async generate(caller: SignedIn, turn: Turn): Promise<{ reply: string; handOver: boolean }> {
    const em = this.orm.em.fork(BACKGROUND);
    const route = await this.runner.route(em, caller);
    const system = [turn.prompt?.trim(), replyStyle(turn.clientName)].filter(Boolean).join('\n\n');
    const messages: PromptMessage[] = [
      { role: 'system', content: system },
      ...turn.messages.map((m): PromptMessage => ({ role: m.role === 'USER' ? 'user' : 'assistant', content: m.text })),
    ];
    const served = { operation: AiOperation.AUTO_REPLY, objectType: AiObjectType.DIALOG, objectId: turn.dialogId };
    const answer = await this.runner.complete(em, caller, served, route, { messages, personaName: turn.assistantName });
    return { reply: answer.content.trim(), handOver: answer.handOver === true };
  }

  private async handOver(caller: SignedIn, dialogId: string, reason: string): Promise<void> {
    await executeOperation(this.funnels(), AiHandOverDialogDocument, { dialogId, reason: reason.slice(0, 500) }, caller);
  }
}

/** An error in a few words for a log line or a hand-over reason (never the client's text: errors don't carry it). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 200);
}
