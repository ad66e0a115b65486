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
    const { result: answer, cost } = await this.metered(
      em,
      caller,
      served,
      route,
      (a) => a,
      () => route.backend.complete({ ...request, model: route.model }),
    );
    return { ...answer, provider: route.backend.name, cost };
  }

  /**
   * Any provider call (a completion, speech, a transcription): refused first when a budget it counts against is
   * spent, then recorded with what `usageOf` says it used, or with its error at no cost. A call whose `usageOf`
   * is null did no work (the provider has no such endpoint) and is not recorded.
   */
  async metered<T>(
    em: EntityManager,
    caller: SignedIn,
    served: Served,
    route: Route,
    usageOf: (result: T) => TokenUsage | null,
    work: () => Promise<T>,
  ): Promise<{ result: T; cost: number }> {
    await this.meter.check(em, caller, route.backend, served);
    const started = performance.now();
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // Recording must not hide the provider's error.
      await this.record(em, caller, served, route, started, NOTHING, error).catch(() => undefined);
      throw error;
    }
    const usage = usageOf(result);
    const row = usage ? await this.record(em, caller, served, route, started, usage) : undefined;
    return { result, cost: row?.cost ?? 0 };
  }

  /**
   * Records work the offline provider did in the process (scoring, drafting, analysing without a language model):
   * a usage row at no cost, model `local-offline` (or the offline engine's, e.g. `espeak-ng`). Never checked against budgets: it spends nothing.
   */
  async recordOffline(
    em: EntityManager,
    caller: SignedIn,
    served: Served,
    work: TokenUsage & { latencyMs: number },
    model = LOCAL_MODEL,
  ): Promise<RunResult> {
    const backend = this.providers.local;
    await this.meter.record(em, caller, {
      ...served,
      backend,
      model,
      usage: { promptTokens: work.promptTokens, completionTokens: work.completionTokens },
      latencyMs: work.latencyMs,
    });
    return {
      content: '',
      model,
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
