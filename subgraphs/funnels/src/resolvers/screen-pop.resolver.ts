import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@salesgraph/platform';
import type { Dialog } from '../entities/index.js';
import type { PhoneOwners } from '../services/phone-owners.js';
import { DIALOGS_BY_PHONE_DEFAULT, DIALOGS_BY_PHONE_MAX, dialogsByPhone } from '../services/dialogs-by-phone.js';
import { DialogType } from '../types/dialog.type.js';
import { CallRef, LeadRef } from '../types/phone-keyed.type.js';

const FIRST = { defaultValue: DIALOGS_BY_PHONE_DEFAULT, description: `How many, 1–${DIALOGS_BY_PHONE_MAX} (default 10)` };

/** What funnels adds to the calls subgraph's Call: the dialogs of the clients with the caller's number. */
@Resolver(() => CallRef)
export class CallDialogsResolver {
  constructor(private readonly owners: PhoneOwners) {}

  /** `Call` resolves here only for a call the calls subgraph says the caller may see. */
  reference(call: { id: string }, ctx: SubgraphContext): Promise<{ id: string } | null> {
    return this.owners.reference('Call', call, ctx);
  }

  @Directive('@requires(fields: "callerE164")')
  @FieldResolver(() => [DialogType], {
    description: "Messenger dialogs of your organization's clients with the caller's number that you may see, most recently active first",
  })
  dialogs(@Root() call: CallRef, @Arg('first', () => Int, FIRST) first: number, @Ctx() ctx: SubgraphContext): Promise<Dialog[]> {
    return dialogsByPhone(ctx, call.callerE164, first);
  }
}

/** What funnels adds to the leads subgraph's Lead: the dialogs of the clients with the lead's phone. */
@Resolver(() => LeadRef)
export class LeadDialogsResolver {
  constructor(private readonly owners: PhoneOwners) {}

  /** `Lead` resolves here only for a lead the leads subgraph says the caller may see. */
  reference(lead: { id: string }, ctx: SubgraphContext): Promise<{ id: string } | null> {
    return this.owners.reference('Lead', lead, ctx);
  }

  @Directive('@requires(fields: "phoneE164")')
  @FieldResolver(() => [DialogType], {
    description: "Messenger dialogs of your organization's clients with this lead's phone that you may see, most recently active first",
  })
  dialogs(@Root() lead: LeadRef, @Arg('first', () => Int, FIRST) first: number, @Ctx() ctx: SubgraphContext): Promise<Dialog[]> {
    return dialogsByPhone(ctx, lead.phoneE164, first);
  }
}
