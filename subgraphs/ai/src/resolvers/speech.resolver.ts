import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ALL_ROLES, UploadScalar, WRITERS, requireRole, type SubgraphContext, type UploadedFile } from '@salesgraph/platform';
import type { TtsPreset } from '../entities/index.js';
import type { SpeechService, VoiceView } from '../services/speech/index.js';
import type { ProcessCall } from '../services/speech/process-call.js';
import {
  CreateTtsPresetInput,
  ProcessCallInput,
  ProcessedCallType,
  SpeechAudioFileType,
  SpeechHealthType,
  SynthesizeSpeechInput,
  SynthesizedSpeechType,
  TranscriptionType,
  TtsPresetType,
  UpdateTtsPresetInput,
  VoiceType,
} from '../types/speech.type.js';

/** Text to speech, speech to text, voices and TTS presets, and seed 004's process_call. */
@Resolver()
export class SpeechResolver {
  constructor(
    private readonly speech: SpeechService,
    private readonly calls: ProcessCall,
  ) {}

  @Authorized(ALL_ROLES)
  @Query(() => [VoiceType], { description: 'Voices you may synthesise with: presets (built-in, yours, shared), then espeak-ng’s' })
  voices(@Ctx() { em, identity }: SubgraphContext): Promise<VoiceView[]> {
    return this.speech.voices(em, requireRole(identity));
  }

  @Authorized(ALL_ROLES)
  @Query(() => [TtsPresetType], { description: 'Saved TTS presets: yours and the shared ones (admins: all of the organization’s)' })
  ttsPresets(@Ctx() { em, identity }: SubgraphContext): Promise<TtsPreset[]> {
    return this.speech.presets.list(em, requireRole(identity));
  }

  @Authorized(ALL_ROLES)
  @Query(() => TtsPresetType)
  ttsPreset(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<TtsPreset> {
    return this.speech.presets.get(em, requireRole(identity), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => TtsPresetType, { description: 'Saves a voice; an admin’s is shared with the organization unless shared: false' })
  createTtsPreset(@Arg('input') input: CreateTtsPresetInput, @Ctx() { em, identity }: SubgraphContext): Promise<TtsPreset> {
    return this.speech.presets.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => TtsPresetType)
  updateTtsPreset(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTtsPresetInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<TtsPreset> {
    return this.speech.presets.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID)
  deleteTtsPreset(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.speech.presets.delete(em, requireRole(identity, WRITERS), id);
  }

  @Authorized(WRITERS)
  @Mutation(() => SynthesizedSpeechType, { description: 'Speaks text as WAV: through your provider when it offers speech, else espeak-ng' })
  async synthesizeSpeech(
    @Arg('input') input: SynthesizeSpeechInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<SynthesizedSpeechType> {
    const spoken = await this.speech.synthesize(em, requireRole(identity, WRITERS), input);
    return { ...spoken, base64: spoken.audio.toString('base64'), contentType: 'audio/wav' };
  }

  @Authorized(WRITERS)
  @Mutation(() => TranscriptionType, { description: 'The text of an audio file, through your provider’s /audio/transcriptions' })
  transcribeSpeech(
    @Arg('audio', () => UploadScalar) audio: UploadedFile,
    @Arg('model', () => String, { nullable: true }) model: string | null,
    @Arg('language', () => String, { nullable: true, description: 'ISO 639-1 (ru, en), a hint' }) language: string | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<TranscriptionType> {
    return this.speech.transcribe(em, requireRole(identity, WRITERS), audio, {
      model: model ?? undefined,
      language: language && /^[a-z]{2}$/.test(language) ? language : undefined,
    });
  }

  @Authorized(WRITERS)
  @Mutation(() => ProcessedCallType, { description: 'Seed 004 process_call: audio heard, answered by a persona, the answer spoken' })
  processCall(
    @Arg('audio', () => UploadScalar) audio: UploadedFile,
    @Arg('input', () => ProcessCallInput, { nullable: true }) input: ProcessCallInput | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<ProcessedCallType> {
    return this.calls.run(em, requireRole(identity, WRITERS), audio, input ?? {});
  }

  @Authorized(ALL_ROLES)
  @Query(() => SpeechAudioFileType, { description: 'A spoken reply of processCall, to its owner until it expires' })
  async speechAudio(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<SpeechAudioFileType> {
    const wav = await this.calls.audio(em, requireRole(identity), id);
    return { base64: wav.toString('base64'), contentType: 'audio/wav' };
  }

  @Query(() => SpeechHealthType, { description: 'Whether speech and language engines work now; open to anyone, as /health is' })
  speechHealth(): Promise<SpeechHealthType> {
    return this.speech.health();
  }
}
