import type { EntityManager } from '@mikro-orm/core';
import { Role, badInput, conflict, notFound, uuidOrNothing, type SignedIn } from '@salesgraph/platform';
import { TtsPreset } from '../../entities/index.js';
import type { CreateTtsPresetInput, UpdateTtsPresetInput } from '../../types/speech.type.js';
import type { Espeak } from './espeak.js';

/** A voice as synthesis uses it: a built-in preset, an organization's or a user's, or an espeak-ng voice as it is. */
export interface VoiceSpec {
  id: string;
  name: string;
  espeakVoice: string;
  providerVoice: string | null;
  rate: number;
  pitch: number;
  /** The preset's row; none for built-in presets and bare engine voices. */
  preset?: TtsPreset;
}

/** The presets every organization has (seed 004's `/v1/voices`), unless it saved one with the same id. */
export const BUILT_IN_PRESETS: readonly VoiceSpec[] = [
  { id: 'anna_ru', name: 'Анна (Russian)', espeakVoice: 'ru+f3', providerVoice: 'nova', rate: 165, pitch: 60 },
  { id: 'marina_ru', name: 'Марина (Russian)', espeakVoice: 'ru+f4', providerVoice: 'shimmer', rate: 175, pitch: 50 },
  { id: 'anna_en', name: 'Anna (English)', espeakVoice: 'en-us+f3', providerVoice: 'nova', rate: 165, pitch: 60 },
  { id: 'marina_en', name: 'Marina (English)', espeakVoice: 'en-gb+f4', providerVoice: 'shimmer', rate: 175, pitch: 50 },
];

/** An espeak-ng voice named as it is, outside any preset: `espeak:ru`, `espeak:en-us+m3`. */
export const ESPEAK_PREFIX = 'espeak:';
export const DEFAULT_VOICE = 'anna_ru';

const specOf = (row: TtsPreset): VoiceSpec => ({
  id: row.slug,
  name: row.name,
  espeakVoice: row.espeakVoice,
  providerVoice: row.providerVoice ?? null,
  rate: row.rate,
  pitch: row.pitch,
  preset: row,
});

/**
 * TTS presets (seed 004): owner-scoped — admins manage all of their organization's and share theirs unless told
 * not to; users and web users their own; everyone may speak with the shared ones and the built-ins.
 */
export class TtsPresetService {
  constructor(private readonly espeak: Espeak) {}

  /** The presets a caller may speak with: their own first, then the shared ones (admins: all of the organization's). */
  async list(em: EntityManager, caller: SignedIn): Promise<TtsPreset[]> {
    const who = caller.role === Role.ADMIN ? {} : { $or: [{ ownerUserId: null }, { ownerUserId: caller.userId }] };
    return em.find(TtsPreset, { organizationId: caller.organizationId, ...who }, { orderBy: { slug: 'asc' } });
  }

  /** One the caller may see. */
  async get(em: EntityManager, caller: SignedIn, id: string): Promise<TtsPreset> {
    const row = (await this.list(em, caller)).find((r) => r.id === uuidOrNothing(id));
    if (!row) throw notFound('TTS preset');
    return row;
  }

  /** One the caller may change: their own, or (admins) any of the organization's. */
  private async owned(em: EntityManager, caller: SignedIn, id: string): Promise<TtsPreset> {
    const uuid = uuidOrNothing(id);
    const row = uuid ? await em.findOne(TtsPreset, { id: uuid, organizationId: caller.organizationId }) : null;
    if (!row || (caller.role !== Role.ADMIN && row.ownerUserId !== caller.userId)) throw notFound('TTS preset');
    return row;
  }

  /** What `voice` names for this caller: a preset of theirs, a built-in one, or `espeak:<voice>`; else BAD_USER_INPUT. */
  async resolve(em: EntityManager, caller: SignedIn, voice: string): Promise<VoiceSpec> {
    const rows = (await this.list(em, caller)).filter((r) => r.slug === voice);
    // The caller's own before the organization's, as `list` orders them.
    const own = rows.find((r) => r.ownerUserId === caller.userId) ?? rows[0];
    if (own) return specOf(own);
    const builtIn = BUILT_IN_PRESETS.find((p) => p.id === voice);
    if (builtIn) return builtIn;
    if (voice.startsWith(ESPEAK_PREFIX)) {
      const engineVoice = voice.slice(ESPEAK_PREFIX.length);
      if (await this.espeak.knows(engineVoice))
        return { id: voice, name: engineVoice, espeakVoice: engineVoice, providerVoice: null, rate: 175, pitch: 50 };
    }
    throw badInput(`Unknown voice "${voice.slice(0, 60)}" (GET /v1/voices lists the voices)`);
  }

  async create(em: EntityManager, caller: SignedIn, input: CreateTtsPresetInput): Promise<TtsPreset> {
    if (BUILT_IN_PRESETS.some((p) => p.id === input.slug)) throw conflict(`"${input.slug}" is a built-in voice; choose another id`);
    if (await em.count(TtsPreset, { organizationId: caller.organizationId, slug: input.slug }))
      throw conflict(`Your organization has a TTS preset "${input.slug}" already`);
    await this.checkVoice(input.espeakVoice);
    const shared = caller.role === Role.ADMIN && input.shared !== false;
    const row = em.create(TtsPreset, {
      organizationId: caller.organizationId,
      ownerUserId: shared ? null : caller.userId,
      slug: input.slug,
      name: input.name.trim(),
      espeakVoice: input.espeakVoice,
      providerVoice: input.providerVoice ?? null,
      rate: input.rate ?? 175,
      pitch: input.pitch ?? 50,
    });
    await em.persist(row).flush();
    return row;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateTtsPresetInput): Promise<TtsPreset> {
    const row = await this.owned(em, caller, id);
    if (input.espeakVoice !== undefined) await this.checkVoice(input.espeakVoice);
    if (input.name !== undefined) row.name = input.name.trim();
    if (input.espeakVoice !== undefined) row.espeakVoice = input.espeakVoice;
    if (input.providerVoice !== undefined) row.providerVoice = input.providerVoice;
    if (input.rate !== undefined) row.rate = input.rate;
    if (input.pitch !== undefined) row.pitch = input.pitch;
    row.updatedAt = new Date();
    await em.flush();
    return row;
  }

  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const row = await this.owned(em, caller, id);
    await em.remove(row).flush();
    return row.id;
  }

  /** A preset must name a voice espeak-ng has, so it speaks offline too; checkable only where espeak-ng runs. */
  private async checkVoice(voice: string): Promise<void> {
    if ((await this.espeak.available()) && !(await this.espeak.knows(voice)))
      throw badInput(`espeak-ng has no voice "${voice}" (GET /v1/voices lists them; add a variant as ru+f3)`);
  }
}
