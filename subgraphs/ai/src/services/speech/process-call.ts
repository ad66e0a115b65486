import type { EntityManager } from '@mikro-orm/core';
import { AppError, ErrorCode, badInput, notFound, uuidOrNothing, type SignedIn, type UploadedFile } from '@salesgraph/platform';
import { SpeechAudio } from '../../entities/index.js';
import { AiObjectType } from '../../types/enums.js';
import type { ProcessCallInput } from '../../types/speech.type.js';
import type { ChatService } from '../chat.js';
import type { Crm } from '../crm.js';
import type { AiFeatures } from '../features.js';
import type { PersonaService } from '../personas.js';
import type { SpeechService } from './index.js';
import { DEFAULT_VOICE } from './presets.js';

/** How long the spoken reply of `process_call` is served from its `audio_url`. */
export const REPLY_AUDIO_SECONDS = 15 * 60;

/** Where a spoken reply is served: `/audio/<id>.wav`, to its owner only (the gateway route asks `speechAudio`). */
export const replyAudioUrl = (id: string) => `/audio/${id}.wav`;

/**
 * Seed 004's `process_call`: a caller's audio heard (speech to text), answered by a persona in a chat session
 * (counted in usage and budgets like any chat), and the answer spoken; the spoken answer is kept for its owner
 * for a limited time. With a call, the exchange is appended to the call's transcript as the caller (the calls
 * subgraph's rules decide whether they may), and the call can be analysed at once.
 */
export class ProcessCall {
  constructor(
    private readonly speech: SpeechService,
    private readonly chat: ChatService,
    private readonly personas: PersonaService,
    private readonly crm: Crm,
    private readonly features: AiFeatures,
  ) {}

  async run(em: EntityManager, caller: SignedIn, audio: UploadedFile, input: ProcessCallInput = {}) {
    // Everything that can be refused is refused before a provider is paid.
    if (input.callId && !(await this.crm.call(caller, input.callId))) throw notFound('Call');
    if (input.analyze && !input.callId) throw badInput('analyze needs a callId', [{ field: 'analyze', message: 'needs callId' }]);
    const session = input.sessionId
      ? await this.chat.session(em, caller, input.sessionId)
      : await this.chat.current(em, caller, input.persona ?? 'anna');
    const persona = await this.personas.find(em, caller, session.personaCode);
    const voice = input.voice ?? persona.voice ?? DEFAULT_VOICE;
    await this.speech.presets.resolve(em, caller, voice);

    const served = input.callId ? { objectType: AiObjectType.CALL, objectId: input.callId } : {};
    const heard = await this.speech.transcribe(em, caller, audio, { language: input.language }, served);
    if (!heard.text) throw new AppError(ErrorCode.BadUserInput, 'No speech was recognised in the audio');
    const { reply } = await this.chat.send(em, caller, session, heard.text);
    const spoken = await this.speech.synthesize(em, caller, { text: reply.content, voice }, served);

    const kept = em.create(SpeechAudio, {
      organizationId: caller.organizationId,
      ownerUserId: caller.userId,
      wav: spoken.audio,
      expiresAt: new Date(Date.now() + REPLY_AUDIO_SECONDS * 1000),
    });
    // Expired replies go as new ones come: the table holds at most a quarter of an hour of them.
    await em.nativeDelete(SpeechAudio, { expiresAt: { $lt: new Date() } });
    await em.persist(kept).flush();

    if (input.callId) {
      const heardFor = heard.durationSeconds ?? 0;
      await this.crm.addTranscript(caller, input.callId, [
        { speaker: 'caller', text: heard.text.slice(0, 20_000), startOffset: 0, endOffset: heardFor },
        { speaker: 'assistant', text: reply.content.slice(0, 20_000), startOffset: heardFor, endOffset: heardFor + spoken.durationSeconds },
      ]);
      if (input.analyze) await this.features.analyzeCall(em, caller, input.callId);
    }
    return {
      transcription: heard.text,
      response: reply.content,
      audioUrl: replyAudioUrl(kept.id),
      audioExpiresAt: kept.expiresAt,
      sessionId: session.id,
      callId: input.callId ?? null,
    };
  }

  /** A spoken reply, to its owner, until it expires; anything else is not found. */
  async audio(em: EntityManager, caller: SignedIn, id: string): Promise<Buffer> {
    const uuid = uuidOrNothing(id.replace(/\.wav$/, ''));
    const row = uuid
      ? await em.findOne(
          SpeechAudio,
          { id: uuid, organizationId: caller.organizationId, ownerUserId: caller.userId, expiresAt: { $gte: new Date() } },
          { populate: ['wav'] },
        )
      : null;
    if (!row) throw notFound('Audio');
    return Buffer.from(row.wav);
  }
}
