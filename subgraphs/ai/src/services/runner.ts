import type { EntityManager } from '@mikro-orm/core';
import type { SignedIn } from '@salesgraph/platform';
import type { Meter, Served } from './meter.js';
import { LOCAL_MODEL, type Completion, type CompletionRequest, type Providers, type Route, type TokenUsage } from './providers/index.js';

const NOTHING: TokenUsage = { promptTokens: 0, completionTokens: 0 };

/** A finished provider call as the features see it: the answer, who produced it and what it cost. */
export interface RunResult extends Completion {
  provider: string;
  cost: number;
}

/** A streamed provider call: its text pieces; `result()` once they end (or were abandoned). */
export interface RunStream extends AsyncIterable<string> {
  result(): RunResult;
}

/**
 * Every provider call goes through here: routed (`Providers.route`), checked against the budgets before the
 * provider is contacted (`Meter.check`), and recorded with its tokens, cost and latency, failures included.
 */
export class Runner {
  constructor(
    readonly providers: Providers,
    readonly meter: Meter,
  ) {}

  route(em: EntityManager, caller: SignedIn, model?: string | null): Promise<Route> {
    return this.providers.route(em, caller, model);
  }

  async complete(
    em: EntityManager,
    caller: SignedIn,
    served: Served,
    route: Route,
    request: Omit<CompletionRequest, 'model'>,
  ): Promise<RunResult> {
    await this.meter.check(em, caller, route.backend, served);
    const started = performance.now();
    try {
      const answer = await route.backend.complete({ ...request, model: route.model });
      const row = await this.record(em, caller, served, route, started, answer);
      return { ...answer, provider: route.backend.name, cost: row.cost };
    } catch (error) {
      // Recording must not hide the provider's error.
      await this.record(em, caller, served, route, started, NOTHING, error).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Records work the offline provider did in the process (scoring, drafting, analysing without a language model):
   * a usage row at no cost, model `local-offline`. Never checked against budgets: it spends nothing.
   */
  async recordOffline(em: EntityManager, caller: SignedIn, served: Served, work: TokenUsage & { latencyMs: number }): Promise<RunResult> {
    const backend = this.providers.local;
    await this.meter.record(em, caller, {
      ...served,
      backend,
      model: LOCAL_MODEL,
      usage: { promptTokens: work.promptTokens, completionTokens: work.completionTokens },
      latencyMs: work.latencyMs,
    });
    return {
      content: '',
      model: LOCAL_MODEL,
      provider: backend.name,
      cost: 0,
      promptTokens: work.promptTokens,
      completionTokens: work.completionTokens,
    };
  }

  /**
   * Streams a call; its usage is recorded when the stream ends, also when the consumer stops early (the client
   * went away: the provider request is aborted and what was produced is what it cost).
   */
  async stream(
    em: EntityManager,
    caller: SignedIn,
    served: Served,
    route: Route,
    request: Omit<CompletionRequest, 'model'>,
  ): Promise<RunStream> {
    await this.meter.check(em, caller, route.backend, served);
    const started = performance.now();
    const upstream = route.backend.stream({ ...request, model: route.model });
    let text = '';
    let result: RunResult | undefined;
    const finish = async (usage: TokenUsage, error?: unknown) => {
      const row = await this.record(em, caller, served, route, started, usage, error);
      result = { content: text, model: route.model, provider: route.backend.name, cost: row.cost, ...usage };
    };
    const pieces = async function* (): AsyncGenerator<string> {
      let failed: unknown;
      try {
        for await (const piece of upstream) {
          text += piece;
          yield piece;
        }
      } catch (error) {
        failed = error;
        throw error;
      } finally {
        await finish(upstream.usage(), failed);
      }
    };
    return Object.assign(pieces(), {
      result: (): RunResult => result ?? { content: text, model: route.model, provider: route.backend.name, cost: 0, ...upstream.usage() },
    });
  }

  /** One call's usage row: what it used, or (with `error`) why it failed, at no cost. */
  private record(em: EntityManager, caller: SignedIn, served: Served, route: Route, started: number, usage: TokenUsage, error?: unknown) {
    return this.meter.record(em, caller, {
      ...served,
      backend: route.backend,
      model: route.model,
      usage,
      latencyMs: performance.now() - started,
      error: error === undefined ? undefined : error instanceof Error ? error.message : (JSON.stringify(error) ?? 'failed'),
    });
  }
}
