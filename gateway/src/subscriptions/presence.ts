import { randomUUID } from 'node:crypto';
import { ANONYMOUS, type Identity, type SubgraphClient } from '@salesgraph/platform';

/** The identity subgraph forgets a connection 90 s after its last heartbeat; beat well within that. */
const HEARTBEAT_MS = 30_000;

const CONNECTED = `mutation RealtimeConnected($id: ID!) { realtimeConnected(connectionId: $id) }`;
const DISCONNECTED = `mutation RealtimeDisconnected($id: ID!) { realtimeDisconnected(connectionId: $id) }`;
const HEARTBEAT = `mutation RealtimeHeartbeat($ids: [ID!]!) { realtimeHeartbeat(connectionIds: $ids) }`;

/**
 * Tells the identity subgraph which users hold a realtime connection, so they count as online (presence,
 * `availableUsers`). Connections of a gateway that dies expire there by themselves for lack of heartbeats.
 */
export class PresenceReporter {
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
    await this.send(CONNECTED, { id }, user);
    return id;
  }

  async disconnected(id: string): Promise<void> {
    if (!this.open.delete(id)) return;
    await this.send(DISCONNECTED, { id }, ANONYMOUS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async heartbeat(): Promise<void> {
    if (this.open.size) await this.send(HEARTBEAT, { ids: [...this.open] }, ANONYMOUS);
  }

  private async send(query: string, variables: Record<string, unknown>, as: Identity): Promise<void> {
    try {
      const response = await this.identity.execute({ query, variables }, as);
      if (response.errors?.length) console.error('presence update refused', response.errors[0].message);
    } catch (error) {
      // Presence is advisory: a failed update must not break the connection.
      console.error('presence update failed', (error as Error).message);
    }
  }
}
