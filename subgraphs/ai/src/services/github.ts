import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import {
  badInput,
  connectionOf,
  notFound,
  secretHint,
  unsupportedMediaType,
  uuidOrNothing,
  windowOf,
  type EventBus,
  type PageArgs,
  type SecretBox,
  type SignedIn,
  findPage,
} from '@salesgraph/platform';
import { GithubIntegration, IntegrationEvent } from '../entities/index.js';
import { GithubDeliveryOutcome } from '../types/webhooks.enums.js';
import { githubVerifies } from './webhook-proofs.js';

/** Topic of a recorded integration event; the payload carries its id and whom it concerns. */
export const INTEGRATION_EVENT_TOPIC = 'integration_event';

export interface IntegrationEventPayload {
  [field: string]: unknown;
  id: string;
  organizationId: string;
  integrationId: string;
}

/** The events the feed records; others are acknowledged and dropped. */
export const RECORDED_EVENTS = ['workflow_run', 'deployment_status', 'push'] as const;
/** Integrations one hook id may name (anyone may claim an id; the signature says which is meant). */
const MAX_CANDIDATES = 20;
const HOOK_ID = /^\d{1,20}$/;

export interface GithubDelivery {
  integrationId?: string | null;
  hookId?: string | null;
  event: string;
  deliveryId: string;
  signature: string;
  body: string;
  contentType?: string | null;
}

/** A created or rotated integration with its new secret, which is never shown again. */
export interface IssuedSecret {
  integration: GithubIntegration;
  secret: string;
}

type Summary = Pick<IntegrationEvent, 'action' | 'repository' | 'ref' | 'sha' | 'status' | 'conclusion' | 'title' | 'url' | 'actor'>;

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value ? value.slice(0, max) : null);
const objectOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * GitHub webhooks of organizations (seed 004's `/webhooks/github`): admins create one per repository or
 * organization hook and get its secret once; deliveries signed with it (`X-Hub-Signature-256`) of CI events
 * are summarised into the admins' feed, once per delivery id, and announced to subscribers.
 */
export class GithubIntegrations {
  constructor(
    private readonly box: SecretBox,
    private readonly bus: EventBus,
  ) {}

  list(em: EntityManager, caller: SignedIn): Promise<GithubIntegration[]> {
    return em.find(GithubIntegration, { organizationId: caller.organizationId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  private async find(em: EntityManager, caller: SignedIn, id: string): Promise<GithubIntegration> {
    const uuid = uuidOrNothing(id);
    const row = uuid ? await em.findOne(GithubIntegration, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!row) throw notFound('GitHub integration');
    return row;
  }

  async create(em: EntityManager, caller: SignedIn, input: { name: string; hookId?: string | null }): Promise<IssuedSecret> {
    const name = input.name.trim();
    if (!name) throw badInput('The name must not be blank', [{ field: 'name', message: 'required' }]);
    const hookId = this.hookIdOf(input.hookId);
    const secret = newSecret();
    const integration = em.create(GithubIntegration, {
      organizationId: caller.organizationId,
      name,
      secretSealed: this.box.seal(secret),
      secretHint: secretHint(secret),
      hookId,
    });
    await em.persist(integration).flush();
    return { integration, secret };
  }

  /** A new secret for the integration; deliveries signed with the old one fail from now on. */
  async rotate(em: EntityManager, caller: SignedIn, id: string): Promise<IssuedSecret> {
    const integration = await this.find(em, caller, id);
    const secret = newSecret();
    integration.secretSealed = this.box.seal(secret);
    integration.secretHint = secretHint(secret);
    await em.flush();
    return { integration, secret };
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: { name?: string | null; hookId?: string | null }) {
    const integration = await this.find(em, caller, id);
    if (input.name != null) {
      if (!input.name.trim()) throw badInput('The name must not be blank', [{ field: 'name', message: 'required' }]);
      integration.name = input.name.trim();
    }
    // An empty hook id forgets it (the bare URL then finds the integration again from its next delivery's query).
    if (input.hookId !== undefined && input.hookId !== null) integration.hookId = input.hookId === '' ? null : this.hookIdOf(input.hookId);
    await em.flush();
    return integration;
  }

  /** Removes the integration; its recorded events stay in the feed. */
  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const integration = await this.find(em, caller, id);
    await em.remove(integration).flush();
    return id;
  }

  async events(em: EntityManager, caller: SignedIn, page: PageArgs & { integrationId?: string | null }) {
    const window = windowOf(page);
    const where: Record<string, unknown> = { organizationId: caller.organizationId };
    if (page.integrationId != null) {
      const integrationId = uuidOrNothing(page.integrationId);
      if (!integrationId) return connectionOf([], 0, window);
      where.integrationId = integrationId;
    }
    return findPage(
      em,
      IntegrationEvent,
      where,
      {
        orderBy: { receivedAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  async event(em: EntityManager, caller: SignedIn, id: string): Promise<IntegrationEvent | null> {
    const uuid = uuidOrNothing(id);
    return uuid ? em.findOne(IntegrationEvent, { id: uuid, organizationId: caller.organizationId }) : null;
  }

  /**
   * One delivery: the integration is the one named (by id, else by hook id) whose secret the signature
   * verifies with; none is NOT_FOUND, whether none is named or the signature is wrong (the sender cannot tell
   * which). `ping` and events the feed does not keep are acknowledged; the others recorded once per delivery id.
   */
  async receive(em: EntityManager, delivery: GithubDelivery): Promise<GithubDeliveryOutcome> {
    const integration = await this.verified(em, delivery);
    if (!integration) {
      console.warn(
        `ai: a GitHub delivery ${JSON.stringify(delivery.deliveryId.slice(0, 100))} names no integration whose secret verifies it; ignored`,
      );
      throw notFound('GitHub integration');
    }
    const deliveryId = delivery.deliveryId.trim();
    if (!deliveryId || deliveryId.length > 100)
      throw badInput('X-GitHub-Delivery must be 1–100 characters', [{ field: 'deliveryId', message: '1–100 characters' }]);
    const recorded = (RECORDED_EVENTS as readonly string[]).includes(delivery.event);
    const payload = recorded ? this.payloadOf(delivery) : undefined;
    try {
      return await em.transactional(async (tx) => {
        const row = await tx.findOne(GithubIntegration, { id: integration.id });
        // Removed since it was verified: as unknown as any other.
        if (!row) throw notFound('GitHub integration');
        row.lastDeliveryAt = new Date();
        if (!row.hookId && delivery.hookId && HOOK_ID.test(delivery.hookId)) row.hookId = delivery.hookId;
        if (delivery.event === 'ping') return GithubDeliveryOutcome.PING;
        if (!payload) return GithubDeliveryOutcome.IGNORED;
        if (await tx.count(IntegrationEvent, { integrationId: row.id, deliveryId })) return GithubDeliveryOutcome.DUPLICATE;
        const event = tx.create(IntegrationEvent, {
          organizationId: row.organizationId,
          integrationId: row.id,
          deliveryId,
          event: delivery.event,
          ...summaryOf(delivery.event, payload),
        });
        await tx.flush();
        const announced: IntegrationEventPayload = { id: event.id, organizationId: event.organizationId, integrationId: row.id };
        await this.bus.publish(tx, INTEGRATION_EVENT_TOPIC, announced);
        return GithubDeliveryOutcome.RECORDED;
      });
    } catch (error) {
      // The same delivery twice at once: the other one recorded it.
      if (error instanceof UniqueConstraintViolationException) return GithubDeliveryOutcome.DUPLICATE;
      throw error;
    }
  }

  private async verified(em: EntityManager, delivery: GithubDelivery): Promise<GithubIntegration | undefined> {
    const byId = delivery.integrationId ? uuidOrNothing(delivery.integrationId) : undefined;
    let candidates: GithubIntegration[] = [];
    if (byId) candidates = await em.find(GithubIntegration, { id: byId });
    else if (!delivery.integrationId && delivery.hookId && HOOK_ID.test(delivery.hookId))
      candidates = await em.find(GithubIntegration, { hookId: delivery.hookId }, { limit: MAX_CANDIDATES, orderBy: { createdAt: 'asc' } });
    return candidates.find((row) => githubVerifies(delivery.body, this.box.open(row.secretSealed), delivery.signature));
  }

  /** The JSON payload, sent as JSON or as the form field `payload` (GitHub's two content types). */
  private payloadOf(delivery: GithubDelivery): Record<string, unknown> {
    const type = (delivery.contentType ?? '').split(';')[0].trim().toLowerCase();
    let json: string;
    if (type === 'application/json') json = delivery.body;
    else if (type === 'application/x-www-form-urlencoded') {
      const field = new URLSearchParams(delivery.body).get('payload');
      if (field === null) throw badInput('The form has no "payload" field', [{ field: 'payload', message: 'required' }]);
      json = field;
    } else throw unsupportedMediaType('A GitHub delivery is application/json or application/x-www-form-urlencoded');
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch {
      throw badInput('The payload is not valid JSON');
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw badInput('The payload must be a JSON object');
    return payload as Record<string, unknown>;
  }

  private hookIdOf(hookId: string | null | undefined): string | null {
    if (hookId == null || hookId === '') return null;
    if (!HOOK_ID.test(hookId)) throw badInput('hookId is GitHub’s numeric hook id', [{ field: 'hookId', message: 'digits only' }]);
    return hookId;
  }
}

const newSecret = () => randomBytes(32).toString('hex');

/** What the feed shows of an event, from its payload. */
function summaryOf(event: string, payload: Record<string, unknown>): Summary {
  const repository = text(objectOf(payload.repository).full_name, 200);
  const actor = text(objectOf(payload.sender).login, 100);
  const action = text(payload.action, 40);
  if (event === 'workflow_run') {
    const run = objectOf(payload.workflow_run);
    const title = [text(run.name, 150), text(run.display_title, 150)].filter(Boolean).join(': ');
    return {
      action,
      repository,
      actor,
      ref: text(run.head_branch, 255),
      sha: text(run.head_sha, 64),
      status: text(run.status, 40),
      conclusion: text(run.conclusion, 40),
      title: title || null,
      url: text(run.html_url, 500),
    };
  }
  if (event === 'deployment_status') {
    const status = objectOf(payload.deployment_status);
    const deployment = objectOf(payload.deployment);
    return {
      action,
      repository,
      actor,
      ref: text(deployment.ref, 255),
      sha: text(deployment.sha, 64),
      status: text(status.state, 40),
      conclusion: null,
      title: text(status.environment ?? deployment.environment, 300),
      url: text(status.target_url ?? status.environment_url, 500),
    };
  }
  // push
  const head = objectOf(payload.head_commit);
  return {
    action,
    repository,
    actor: actor ?? text(objectOf(payload.pusher).name, 100),
    ref: text(payload.ref, 255),
    sha: text(payload.after, 64),
    status: null,
    conclusion: null,
    title: typeof head.message === 'string' ? head.message.split('\n')[0].slice(0, 300) || null : null,
    url: text(payload.compare, 500),
  };
}
