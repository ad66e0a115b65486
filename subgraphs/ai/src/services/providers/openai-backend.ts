import OpenAI from 'openai';
import { AppError, ErrorCode, badInput, rateLimited, serviceUnavailable } from '@salesgraph/platform';
import type { ChatBackend, Completion, CompletionRequest, CompletionStream, TokenUsage } from './backend.js';
import { estimateTokens } from '../offline/index.js';

export interface OpenAiBackendOptions {
  name: string;
  providerId: string | null;
  /** Without a trailing `/chat/completions`: e.g. `https://api.openai.com/v1`. */
  baseUrl?: string;
  apiKey?: string;
  defaultModel: string;
  /** Models it serves as configured; it is asked (`GET /models`) when empty. */
  models: string[];
  timeoutMs: number;
  maxRetries: number;
}

/** How long the model list an API reports is trusted before it is asked again. */
const MODELS_TTL_MS = 5 * 60_000;

/**
 * An OpenAI-compatible API through the `openai` SDK: its timeout and retries (408, 409, 429, 5xx and lost
 * connections, with backoff and the provider's Retry-After), and every failure turned into an error the caller can
 * act on, naming the provider: never a hang, never a raw stack.
 */
export class OpenAiBackend implements ChatBackend {
  readonly metered = true;
  private readonly client: OpenAI;
  private listed?: { at: number; models: string[] };

  constructor(private readonly options: OpenAiBackendOptions) {
    this.client = new OpenAI({
      // A local server (vLLM, Ollama) may want no key; the SDK insists on one.
      apiKey: options.apiKey ?? 'none',
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  get name(): string {
    return this.options.name;
  }
  get providerId(): string | null {
    return this.options.providerId;
  }
  get defaultModel(): string {
    return this.options.defaultModel;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    try {
      const answer = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          max_tokens: request.maxTokens,
          temperature: request.temperature,
          ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        { signal: request.signal },
      );
      const content = answer.choices[0]?.message?.content ?? '';
      return {
        content,
        model: answer.model || request.model,
        promptTokens: answer.usage?.prompt_tokens ?? estimatePrompt(request),
        completionTokens: answer.usage?.completion_tokens ?? estimateTokens(content),
      };
    } catch (error) {
      throw this.failure(error, request.model);
    }
  }

  stream(request: CompletionRequest): CompletionStream {
    let usage: TokenUsage | undefined;
    let text = '';
    const iterate = async function* (this: OpenAiBackend): AsyncGenerator<string> {
      let chunks;
      try {
        chunks = await this.client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            max_tokens: request.maxTokens,
            temperature: request.temperature,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: request.signal },
        );
      } catch (error) {
        throw this.failure(error, request.model);
      }
      try {
        for await (const chunk of chunks) {
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
          const piece = chunk.choices[0]?.delta?.content;
          if (piece) {
            text += piece;
            yield piece;
          }
        }
      } catch (error) {
        throw this.failure(error, request.model);
      } finally {
        // Ending early (the client left) must stop the provider's work too.
        chunks.controller.abort();
      }
    }.call(this);
    return Object.assign(iterate, {
      usage: (): TokenUsage => usage ?? { promptTokens: estimatePrompt(request), completionTokens: estimateTokens(text) },
    });
  }

  async models(): Promise<string[]> {
    if (this.options.models.length) return this.options.models;
    if (this.listed && Date.now() - this.listed.at < MODELS_TTL_MS) return this.listed.models;
    try {
      const models: string[] = [];
      for await (const model of this.client.models.list()) models.push(model.id);
      if (!models.includes(this.options.defaultModel)) models.unshift(this.options.defaultModel);
      this.listed = { at: Date.now(), models };
      return models;
    } catch {
      // A provider that cannot list still serves its default model.
      return [this.options.defaultModel];
    }
  }

  /**
   * Whether the provider answers with this key: its model list (empty when it has no `/models`), or
   * BAD_USER_INPUT saying why not, so a provider that cannot work is never stored.
   */
  async verify(): Promise<string[]> {
    const provider = `The provider at ${this.options.baseUrl ?? 'OpenAI'}`;
    try {
      const models: string[] = [];
      for await (const model of this.client.models.list({ maxRetries: 0 })) models.push(model.id);
      return models;
    } catch (error) {
      if (error instanceof OpenAI.APIConnectionTimeoutError)
        throw badInput(`${provider} did not answer within ${this.options.timeoutMs} ms`);
      if (error instanceof OpenAI.APIConnectionError) throw badInput(`${provider} cannot be reached`);
      const status = (error as { status?: number }).status;
      if (status === 404 || status === 405) return [];
      if (status === 401 || status === 403) throw badInput(`${provider} refused the API key`);
      throw badInput(`${provider} failed when asked for its models${status ? ` (${status})` : ''}`);
    }
  }

  /**
   * Speech through the provider's `/audio/speech`, as WAV; null when it has no such endpoint (404/405), so the
   * caller can use another engine. The bytes are the provider's: the caller checks them.
   */
  async speech(request: { model: string; voice: string; input: string; speed?: number; signal?: AbortSignal }): Promise<Buffer | null> {
    try {
      const response = await this.client.audio.speech.create(
        { model: request.model, voice: request.voice, input: request.input, response_format: 'wav', speed: request.speed },
        { signal: request.signal },
      );
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (error instanceof OpenAI.APIError && (status === 404 || status === 405)) return null;
      throw this.failure(error, request.model);
    }
  }

  /** Text of an audio file through the provider's `/audio/transcriptions`; a provider without one is SERVICE_UNAVAILABLE. */
  async transcribe(request: { model: string; audio: Buffer; filename: string; contentType: string; language?: string }): Promise<string> {
    try {
      const file = new File([new Uint8Array(request.audio)], request.filename, { type: request.contentType });
      const answer = await this.client.audio.transcriptions.create({
        model: request.model,
        file,
        language: request.language,
        response_format: 'json',
      });
      return answer.text;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (error instanceof OpenAI.APIError && (status === 404 || status === 405))
        throw serviceUnavailable(`The AI provider "${this.options.name}" does not offer speech-to-text (/audio/transcriptions)`);
      throw this.failure(error, request.model);
    }
  }

  /** The provider's failure as an error naming it; the key and the request are never in it. */
  private failure(error: unknown, model: string): Error {
    const provider = `The AI provider "${this.options.name}"`;
    if (error instanceof AppError) return error;
    if (error instanceof OpenAI.APIUserAbortError) return new AppError(ErrorCode.RequestTimeout, 'The request was cancelled');
    if (error instanceof OpenAI.APIConnectionTimeoutError)
      return serviceUnavailable(`${provider} did not answer within ${this.options.timeoutMs} ms; try again later`);
    if (error instanceof OpenAI.APIConnectionError) return serviceUnavailable(`${provider} cannot be reached; try again later`);
    if (error instanceof OpenAI.APIError) {
      const status = (error as { status?: number }).status;
      if (status === 404) return badInput(`${provider} does not serve the model "${model}"`);
      if (status === 400 || status === 422) return badInput(`${provider} refused the request: ${clip(error.message)}`);
      if (status === 401 || status === 403) return serviceUnavailable(`${provider} refused its API key; an administrator must fix it`);
      if (status === 429) return rateLimited(`${provider} is rate limiting requests; try again later`, 30);
      return serviceUnavailable(`${provider} failed${status ? ` (${status})` : ''}: ${clip(error.message)}; try again later`);
    }
    return serviceUnavailable(`${provider} failed: ${clip((error as Error).message ?? String(error))}`);
  }
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

function estimatePrompt(request: CompletionRequest): number {
  return request.messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0);
}
