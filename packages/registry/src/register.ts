import { eventChannelOf, type SubgraphModule } from '@salesgraph/platform';

/** The gateway's own port; subgraphs take the ones after it. */
export const GATEWAY_PORT = 4000;

/** A subgraph as the product deploys it. */
export interface RegisteredSubgraph extends SubgraphModule {
  /** Where it listens when run as its own process (docker-compose), unless `PORT` says otherwise. */
  port: number;
  /** Its Postgres NOTIFY channel. */
  channel: string;
  /** The environment variable that points the gateway (and peers) at it when it runs elsewhere. */
  urlVariable: string;
}

/** The registry's entries, checked: names and ports must be unique and ports must not be the gateway's. */
export function register(entries: [module: SubgraphModule, port: number][]): readonly RegisteredSubgraph[] {
  const names = new Set<string>();
  const ports = new Set<number>([GATEWAY_PORT]);
  return entries.map(([module, port]) => {
    if (names.has(module.name)) throw new Error(`subgraph ${module.name} is registered twice`);
    if (ports.has(port)) throw new Error(`subgraph ${module.name}: port ${port} is taken`);
    names.add(module.name);
    ports.add(port);
    return { ...module, port, channel: eventChannelOf(module.name), urlVariable: urlVariableOf(module.name) };
  });
}

export function urlVariableOf(name: string): string {
  return `SUBGRAPH_${name.toUpperCase()}_URL`;
}
