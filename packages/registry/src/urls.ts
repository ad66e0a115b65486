import type { RegisteredSubgraph } from './register.js';

/** The subgraphs served elsewhere, by name, from their `SUBGRAPH_<NAME>_URL` variables; the others run in this process. */
export function subgraphUrlsFrom(subgraphs: readonly RegisteredSubgraph[], env: NodeJS.ProcessEnv): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const { name, urlVariable } of subgraphs) {
    const value = env[urlVariable];
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${urlVariable} must be an http(s) URL, got "${value}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${urlVariable} must be an http(s) URL, got "${value}"`);
    urls[name] = value;
  }
  return urls;
}
