import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * A TTS preset (seed 004's `TTSPreset`): a named voice, `anna_ru`-like, that says which engine voice speaks it
 * (espeak-ng's, and a provider's when one offers speech), how fast and how high. Owner-scoped like providers:
 * an admin's with no owner serves the whole organization, a user's that user.
 */
export const TtsPresetSchema = defineEntity({
  name: 'TtsPreset',
  tableName: 'tts_presets',
  uniques: [{ properties: ['organizationId', 'slug'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ownerUserId: p.integer().nullable(),
    /** The voice id requests name (`voice: "support_ru"`). */
    slug: p.string().length(40),
    name: p.string().length(100),
    /** An espeak-ng voice, with a variant if any: `ru+f3`. */
    espeakVoice: p.string().length(60),
    /** A provider's voice (`nova`), used when a provider offers speech; none: espeak-ng speaks it. */
    providerVoice: p.string().length(60).nullable(),
    /** Words per minute. */
    rate: p.integer(),
    /** 0–99. */
    pitch: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class TtsPreset extends TtsPresetSchema.class {}
TtsPresetSchema.setClass(TtsPreset);

/**
 * A reply `process_call` spoke, kept for its caller to fetch from `audio_url` until it expires. In the database,
 * not in a process, so any replica serves the link.
 */
export const SpeechAudioSchema = defineEntity({
  name: 'SpeechAudio',
  tableName: 'speech_audio',
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ownerUserId: p.integer(),
    wav: p.blob().lazy(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});
export class SpeechAudio extends SpeechAudioSchema.class {}
SpeechAudioSchema.setClass(SpeechAudio);
