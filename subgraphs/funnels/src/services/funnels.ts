import type { EntityManager } from '@mikro-orm/core';
import { badInput, conflict, notFound, type SignedIn } from '@salesgraph/platform';
import { FollowUp, Funnel, FunnelStage } from '../entities/index.js';
import type { CreateFunnelInput, FunnelStageInput, UpdateFunnelInput } from '../types/inputs.js';
import { findFunnel } from './access.js';

/** Writes funnels with their stages and follow-ups; every change is one transaction. */
export class FunnelService {
  async create(em: EntityManager, caller: SignedIn, input: CreateFunnelInput): Promise<Funnel> {
    const stages = checkStages(input.stages ?? []);
    return em.transactional(async (tx) => {
      if (await tx.count(Funnel, { organizationId: caller.organizationId, name: input.name })) {
        throw conflict(`A funnel named "${input.name}" exists already`);
      }
      const funnel = tx.create(Funnel, {
        organizationId: caller.organizationId,
        name: input.name,
        displayName: input.displayName.trim(),
        isActive: input.isActive ?? true,
        createdByUserId: caller.userId,
      });
      stages.forEach((stage, position) => addStage(tx, funnel, stage, position));
      await tx.flush();
      return funnel;
    });
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateFunnelInput): Promise<Funnel> {
    const stages = input.stages && checkStages(input.stages);
    return em.transactional(async (tx) => {
      const funnel = await findFunnel(tx, caller, id);
      if (input.displayName !== undefined) funnel.displayName = input.displayName.trim();
      if (input.isActive !== undefined) funnel.isActive = input.isActive;
      if (stages) await replaceStages(tx, funnel, stages);
      funnel.updatedAt = new Date();
      await tx.flush();
      return funnel;
    });
  }

  /** Deletes the funnel with its stages; its dialogs and connections stay, without a funnel. */
  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    return em.transactional(async (tx) => {
      const funnel = await findFunnel(tx, caller, id);
      tx.remove(funnel);
      await tx.flush();
      return funnel.id;
    });
  }

  /** Seed 003's "update assistant": the prompt of the stage its assistant works. */
  async setAssistantPrompt(em: EntityManager, caller: SignedIn, funnelId: string, codeName: string, prompt: string): Promise<FunnelStage> {
    return em.transactional(async (tx) => {
      const funnel = await findFunnel(tx, caller, funnelId);
      const stage = await tx.findOne(FunnelStage, { funnel, assistantCodeName: codeName });
      if (!stage) throw notFound(`Assistant "${codeName}"`);
      stage.prompt = prompt;
      funnel.updatedAt = new Date();
      await tx.flush();
      return stage;
    });
  }
}

function checkStages(stages: FunnelStageInput[]): FunnelStageInput[] {
  const seen = new Set<string>();
  stages.forEach((stage, i) => {
    if (seen.has(stage.assistantCodeName)) {
      throw badInput(`Two stages have the assistant "${stage.assistantCodeName}"`, [
        { field: `stages[${i}].assistantCodeName`, message: 'must be unique in the funnel' },
      ]);
    }
    seen.add(stage.assistantCodeName);
  });
  return stages;
}

function addStage(em: EntityManager, funnel: Funnel, input: FunnelStageInput, position: number): FunnelStage {
  const stage = em.create(FunnelStage, {
    funnel,
    position,
    name: input.name.trim(),
    assistantCodeName: input.assistantCodeName,
    assistantName: (input.assistantName ?? input.name).trim(),
    prompt: input.prompt ?? '',
  });
  setFollowUps(em, stage, input);
  return stage;
}

function setFollowUps(em: EntityManager, stage: FunnelStage, input: FunnelStageInput): void {
  (input.followUps ?? []).forEach((f, position) => em.create(FollowUp, { stage, position, delayMinutes: f.delayMinutes, text: f.text }));
}

/**
 * Makes the funnel's stages the given list: a stage whose assistant code name stays keeps its id (so its
 * dialogs stay at it); the others are removed (their dialogs lose their stage). Follow-ups are replaced.
 */
async function replaceStages(em: EntityManager, funnel: Funnel, stages: FunnelStageInput[]): Promise<void> {
  const existing = await em.find(FunnelStage, { funnel }, { populate: ['followUps'] });
  const byCode = new Map(existing.map((s) => [s.assistantCodeName, s]));
  const kept = new Set<FunnelStage>();
  // Positions are unique: park the kept stages out of the way before renumbering.
  for (const stage of existing) stage.position += 1000;
  for (const stage of existing) if (!stages.some((s) => s.assistantCodeName === stage.assistantCodeName)) em.remove(stage);
  await em.flush();
  stages.forEach((input, position) => {
    const stage = byCode.get(input.assistantCodeName);
    if (!stage) return addStage(em, funnel, input, position);
    kept.add(stage);
    stage.position = position;
    stage.name = input.name.trim();
    stage.assistantName = (input.assistantName ?? input.name).trim();
    if (input.prompt !== undefined) stage.prompt = input.prompt;
    if (input.followUps !== undefined) {
      for (const f of stage.followUps) em.remove(f);
      setFollowUps(em, stage, input);
    }
  });
}
