import type { ChatBackend, Completion, CompletionRequest, CompletionStream } from './backend.js';
import { estimateTokens, groundedReply, splitIntoChunks } from '../offline/index.js';

/** The offline provider's one model. */
export const LOCAL_MODEL = 'local-offline';

/**
 * The built-in offline provider: no language model, so a chat answer is the part of the system prompt (the
 * persona's or the funnel stage's) that matches the question, or an honest "an operator will answer" — never
 * invented text. Answers say `provider: "local"`, and cost nothing.
 */
export class LocalBackend implements ChatBackend {
  readonly name = 'local';
  readonly providerId = null;
  readonly defaultModel = LOCAL_MODEL;
  readonly metered = false;

  complete(request: CompletionRequest): Promise<Completion> {
    const systemPrompt = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n');
    const { content, handOver } = groundedReply({ systemPrompt, personaName: request.personaName ?? null, messages: request.messages });
    return Promise.resolve({
      content,
      handOver,
      model: LOCAL_MODEL,
      promptTokens: request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0),
      completionTokens: estimateTokens(content),
    });
  }

  stream(request: CompletionRequest): CompletionStream {
    let usage = { promptTokens: 0, completionTokens: 0 };
    const iterate = async function* (this: LocalBackend): AsyncGenerator<string> {
      const answer = await this.complete(request);
      usage = answer;
      for (const piece of splitIntoChunks(answer.content)) {
        if (request.signal?.aborted) return;
        yield piece;
      }
    }.call(this);
    return Object.assign(iterate, { usage: () => ({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens }) });
  }

  models(): Promise<string[]> {
    return Promise.resolve([LOCAL_MODEL]);
  }
}
