import type { EntityManager } from '@mikro-orm/core';
import { badInput, notFound, type SignedIn } from '@salesgraph/platform';
import { Persona } from '../entities/index.js';
import type { SavePersonaInput } from '../types/inputs.js';

export interface PersonaView {
  code: string;
  name: string;
  systemPrompt: string;
  voice: string | null;
  defaultModel: string | null;
  builtIn: boolean;
}

/** Seed 004's secretaries, available to every organization until it saves its own under the same code. */
export const BUILT_IN_PERSONAS: readonly PersonaView[] = [
  {
    code: 'anna',
    name: 'Анна',
    voice: 'anna_ru',
    defaultModel: null,
    builtIn: true,
    systemPrompt: [
      'Ты — Анна, вежливый секретарь компании. Отвечай кратко и по делу, на языке собеседника.',
      'Ты принимаешь звонки и сообщения, записываешь имя, телефон и суть обращения.',
      'Если вопрос о ценах, сроках или договоре, предложи связать с менеджером.',
      'Рабочее время: с понедельника по пятницу, с 9:00 до 18:00.',
    ].join('\n'),
  },
  {
    code: 'marina',
    name: 'Марина',
    voice: 'marina_ru',
    defaultModel: null,
    builtIn: true,
    systemPrompt: [
      'Ты — Марина, дружелюбный консультант отдела продаж. Отвечай тепло и понятно, на языке собеседника.',
      'Ты помогаешь выбрать услугу, рассказываешь о преимуществах и предлагаешь записаться на встречу.',
      'Если клиент хочет поговорить с человеком, пообещай, что менеджер свяжется в течение часа.',
    ].join('\n'),
  },
];

const viewOf = (p: Persona): PersonaView => ({
  code: p.code,
  name: p.name,
  systemPrompt: p.systemPrompt,
  voice: p.voice ?? null,
  defaultModel: p.defaultModel ?? null,
  builtIn: false,
});

/** Personas of an organization: its own, and the built-in ones it has not replaced. */
export class PersonaService {
  async list(em: EntityManager, caller: SignedIn): Promise<PersonaView[]> {
    const own = (await em.find(Persona, { organizationId: caller.organizationId }, { orderBy: { code: 'asc' } })).map(viewOf);
    const codes = new Set(own.map((p) => p.code));
    return [...BUILT_IN_PERSONAS.filter((p) => !codes.has(p.code)), ...own];
  }

  async find(em: EntityManager, caller: SignedIn, code: string): Promise<PersonaView> {
    const own = await em.findOne(Persona, { organizationId: caller.organizationId, code });
    const persona = own ? viewOf(own) : BUILT_IN_PERSONAS.find((p) => p.code === code);
    if (!persona) throw notFound(`Persona "${code}"`);
    return persona;
  }

  async save(em: EntityManager, caller: SignedIn, input: SavePersonaInput): Promise<PersonaView> {
    const systemPrompt = input.systemPrompt.trim();
    if (!systemPrompt) throw badInput('systemPrompt must not be blank', [{ field: 'systemPrompt', message: 'blank' }]);
    let persona = await em.findOne(Persona, { organizationId: caller.organizationId, code: input.code });
    const fields = {
      name: input.name.trim(),
      systemPrompt,
      voice: input.voice?.trim() || null,
      defaultModel: input.defaultModel ?? null,
    };
    if (persona) em.assign(persona, fields);
    else persona = em.create(Persona, { organizationId: caller.organizationId, code: input.code, ...fields });
    await em.persist(persona).flush();
    return viewOf(persona);
  }

  /** Deletes the organization's persona; a built-in one it replaced comes back. */
  async delete(em: EntityManager, caller: SignedIn, code: string): Promise<string> {
    const persona = await em.findOne(Persona, { organizationId: caller.organizationId, code });
    if (!persona) throw notFound(`Persona "${code}" of your organization`);
    await em.remove(persona).flush();
    return code;
  }
}
