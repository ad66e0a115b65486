import { randomUUID } from 'node:crypto';
import { ANONYMOUS, executeOperation, type Identity, type RealtimeHooks, type SubgraphClient } from '@salesgraph/platform';
import { RealtimeConnectedDocument, RealtimeDisconnectedDocument, RealtimeHeartbeatDocument } from '../generated/identity.js';

/** This subgraph forgets a connection 90 s after its last heartbeat; beat well within that. */
const HEARTBEAT_MS = 30_000;

/**
 * Tells this subgraph which users hold a realtime connection to the gateway, so they count as online
 * (presence, `availableUsers`). Connections of a gateway that dies expire here for lack of heartbeats.
 */
export class PresenceReporter implements RealtimeHooks {
  private readonly open = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly identity: SubgraphClient) {
    this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Registers a signed-in user's connection; returns its id, or undefined for non-users (API keys). */
  async connected(user: Identity): Promise<string | undefined> {
    if (user.kind !== 'user') return undefined;
    const id = randomUUID();
    this.open.add(id);
    await this.report(() => executeOperation(this.identity, RealtimeConnectedDocument, { id }, user));
    return id;
  }

  async disconnected(id: string): Promise<void> {
    if (!this.open.delete(id)) return;
    await this.report(() => executeOperation(this.identity, RealtimeDisconnectedDocument, { id }, ANONYMOUS));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async heartbeat(): Promise<void> {
    if (this.open.size)
      await this.report(() => executeOperation(this.identity, RealtimeHeartbeatDocument, { ids: [...this.open] }, ANONYMOUS));
  }

  private async report(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      // Presence is advisory: a failed update must not break the connection.
      console.error('presence update failed', (error as Error).message);
    }
  }
}
