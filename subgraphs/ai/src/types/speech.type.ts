import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '@salesgraph/platform';

const VOICE_ID = /^[a-z0-9_]{2,40}$/;
const ESPEAK_VOICE = /^[a-z]{2,3}(-[a-z0-9]{1,12}){0,3}(\+[A-Za-z0-9]{1,20})?$/;
const PROVIDER_VOICE = /^[A-Za-z0-9_.-]{1,60}$/;

@ObjectType('Voice', { description: 'A voice to synthesise with: a preset (built-in or saved) or an espeak-ng voice as it is' })
export class VoiceType {
  @Field({ description: 'What to send as `voice`: a preset id (anna_ru), or espeak:<voice> (espeak:ru)' }) voice!: string;
  @Field() name!: string;
  @Field({ description: 'preset, or the engine whose voice it is (espeak-ng)' }) engine!: string;
  @Field(() => String, { nullable: true, description: 'The language code of an engine voice' }) language!: string | null;
  @Field({ description: 'A preset every organization has' }) builtIn!: boolean;
  @Field(() => ID, { nullable: true, description: 'The saved preset it is' }) presetId!: string | null;
}

@ObjectType('TtsPreset', { description: 'A saved voice (seed 004 TTSPreset): an engine voice, a rate and a pitch under an id' })
export class TtsPresetType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The voice id requests name' }) slug!: string;
  @Field() name!: string;
  @Field({ description: 'The espeak-ng voice, with a variant if any (ru+f3)' }) espeakVoice!: string;
  @Field(() => String, { nullable: true, description: 'A provider’s voice, used when a provider offers speech' })
  providerVoice!: string | null;
  @Field(() => Int, { description: 'Words per minute' }) rate!: number;
  @Field(() => Int, { description: '0–99' }) pitch!: number;
  @Field(() => ID, { nullable: true, description: 'The user it belongs to; none: shared with the organization' })
  ownerUserId!: number | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@InputType()
export class CreateTtsPresetInput {
  @Field({ description: 'The voice id (2–40 lower-case letters, digits or _), e.g. support_ru' })
  @Matches(VOICE_ID, { message: 'slug must be 2–40 lower-case letters, digits or _' })
  slug!: string;
  @Field({ description: 'At most 100 characters' }) @Length(1, 100) name!: string;
  @Field({ description: 'An espeak-ng voice it has, with a variant if any: ru, ru+f3, en-us+m2' })
  @Matches(ESPEAK_VOICE, { message: 'espeakVoice must be an espeak-ng voice such as ru, en-us or ru+f3' })
  espeakVoice!: string;
  @Field(() => String, { nullable: true, description: 'A provider’s voice name (nova, alloy…)' })
  @Matches(PROVIDER_VOICE, { message: 'providerVoice must be 1–60 letters, digits, _, . or -' })
  providerVoice?: string | null;
  @Field(() => Int, { nullable: true, description: 'Words per minute, 80–450 (default 175)' }) @Min(80) @Max(450) rate?: number;
  @Field(() => Int, { nullable: true, description: '0–99 (default 50)' }) @Min(0) @Max(99) pitch?: number;
  @Field({ nullable: true, description: 'Admins only: false keeps it for yourself; true (default for admins) shares it' })
  shared?: boolean;
}

@InputType()
export class UpdateTtsPresetInput {
  @Field({ nullable: true }) @OptionalNotNull() @Length(1, 100) name?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @Matches(ESPEAK_VOICE, { message: 'espeakVoice must be an espeak-ng voice such as ru, en-us or ru+f3' })
  espeakVoice?: string;
  @Field(() => String, { nullable: true, description: 'null: espeak-ng speaks it even where a provider offers speech' })
  @Matches(PROVIDER_VOICE, { message: 'providerVoice must be 1–60 letters, digits, _, . or -' })
  providerVoice?: string | null;
  @Field(() => Int, { nullable: true }) @OptionalNotNull() @Min(80) @Max(450) rate?: number;
  @Field(() => Int, { nullable: true }) @OptionalNotNull() @Min(0) @Max(99) pitch?: number;
}

@InputType()
export class SynthesizeSpeechInput {
  @Field({ description: '1–4096 characters' }) @Length(1, 4096) text!: string;
  @Field({ nullable: true, description: 'A voice id of `voices` (default anna_ru)' }) @OptionalNotNull() @MaxLength(80) voice?: string;
  @Field({ nullable: true, description: 'espeak-ng (or local) for the offline engine; else a provider’s model, e.g. tts-1' })
  @OptionalNotNull()
  @MaxLength(200)
  model?: string;
  @Field(() => Float, { nullable: true, description: '0.25–4 (default 1)' }) @OptionalNotNull() @Min(0.25) @Max(4) speed?: number;
}

@ObjectType('SynthesizedSpeech', { description: 'WAV audio (RIFF, PCM)' })
export class SynthesizedSpeechType {
  @Field({ description: 'The WAV file, base64-encoded' }) base64!: string;
  @Field() contentType!: string;
  @Field({ description: 'espeak-ng, or the provider that spoke it' }) engine!: string;
  @Field() voice!: string;
  @Field(() => Float) durationSeconds!: number;
  @Field({ description: 'Served from the cache of synthesised audio' }) cached!: boolean;
}

@ObjectType('Transcription')
export class TranscriptionType {
  @Field() text!: string;
  @Field({ description: 'The provider that transcribed it' }) provider!: string;
  @Field() model!: string;
  @Field(() => Float, { nullable: true, description: 'Seconds of audio (WAV files)' }) durationSeconds!: number | null;
}

@InputType()
export class ProcessCallInput {
  @Field({ nullable: true, description: 'The persona that answers (default anna), in your latest session with it' })
  @OptionalNotNull()
  @Matches(/^[a-z0-9_]{1,40}$/, { message: 'persona must be 1–40 lower-case letters, digits or _' })
  persona?: string;
  @Field(() => ID, { nullable: true, description: 'A chat session of yours to continue instead' }) sessionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A call to attach the transcription and the reply to' }) callId?: string | null;
  @Field({ nullable: true, description: 'Analyse the call once its transcript has the exchange (with callId)' }) analyze?: boolean;
  @Field({ nullable: true, description: 'The voice of the spoken reply (default: the persona’s, else anna_ru)' })
  @OptionalNotNull()
  @MaxLength(80)
  voice?: string;
  @Field({ nullable: true, description: 'The language spoken, as ISO 639-1 (ru, en), a hint for the provider' })
  @OptionalNotNull()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO 639-1 code such as ru' })
  language?: string;
}

@ObjectType('ProcessedCall', { description: 'What the secretary heard, what it answered, and where the spoken answer is' })
export class ProcessedCallType {
  @Field() transcription!: string;
  @Field() response!: string;
  @Field({ description: 'Serves the spoken answer (WAV) to you until audioExpiresAt' }) audioUrl!: string;
  @Field() audioExpiresAt!: Date;
  @Field(() => ID) sessionId!: string;
  @Field(() => ID, { nullable: true }) callId!: string | null;
}

@ObjectType('SpeechAudioFile')
export class SpeechAudioFileType {
  @Field() base64!: string;
  @Field() contentType!: string;
}

@ObjectType('SpeechHealth', { description: 'Whether each speech and language engine works now (seed 004 /health)' })
export class SpeechHealthType {
  @Field({ description: 'running or unavailable' }) tts!: string;
  @Field({ description: 'running or unavailable' }) stt!: string;
  @Field({ description: 'running or unavailable' }) llm!: string;
}
