/** One message of a conversation sent to a model. */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  model: string;
  messages: PromptMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Ask for a JSON object (OpenAI's `response_format: json_object`). */
  json?: boolean;
  /** The persona answering, which the offline provider introduces itself as. */
  personaName?: string | null;
  /** Aborts the provider request (the client went away). */
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion extends TokenUsage {
  content: string;
  /** True when the offline provider found nothing in the prompt that answers, and said a person will. */
  handOver?: boolean;
  /** The model that answered, as the provider names it. */
  model: string;
}

/** A streamed completion: its text pieces, then (once they end) what it used. */
export interface CompletionStream extends AsyncIterable<string> {
  usage(): TokenUsage;
}

/**
 * Something that completes chats: an OpenAI-compatible API (the configured one or a provider an organization
 * added) or the offline provider. `name` is what answers say produced them (`local`, `openai`, a provider's slug).
 */
export interface ChatBackend {
  readonly name: string;
  /** The row of an organization's provider; null for the configured and the offline ones. */
  readonly providerId: string | null;
  /** The model used when none is asked for. */
  readonly defaultModel: string;
  /** Whether its answers cost money and so count against budgets (the offline provider's do not). */
  readonly metered: boolean;
  complete(request: CompletionRequest): Promise<Completion>;
  stream(request: CompletionRequest): CompletionStream;
  models(): Promise<string[]>;
}
