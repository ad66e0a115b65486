import { raw } from '@mikro-orm/core';
import { badInput, groupByKeys, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Dialog } from '../entities/index.js';
import { visibleDialogs, visibleDialogsSql } from './access.js';

export const DIALOGS_BY_PHONE_DEFAULT = 10;
export const DIALOGS_BY_PHONE_MAX = 50;

/** E.164 as calls, leads and clients store it (`PhoneNumbers.toE164`). */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The dialogs of the caller's organization's clients whose phone is `phoneE164`, most recently active first,
 * at most `first`, within what the caller may see (`visibleDialogs`). Every number a request asks about with
 * the same `first` (the calls of a page, a lead's card) is read in one statement: a DataLoader keyed by the
 * number, the newest `first` of each number ranked in the database. A number that is none gives nothing.
 */
export function dialogsByPhone({ em, identity, loaders }: SubgraphContext, phoneE164: string | null | undefined, first: number) {
  if (!Number.isInteger(first) || first < 1 || first > DIALOGS_BY_PHONE_MAX)
    throw badInput(`"first" must be 1–${DIALOGS_BY_PHONE_MAX}`, [{ field: 'first', message: `must be 1–${DIALOGS_BY_PHONE_MAX}` }]);
  const caller = requireRole(identity);
  if (!phoneE164 || !E164.test(phoneE164)) return Promise.resolve([]);
  return loaders
    .get<string, Dialog[]>(`dialogsByPhone:${first}`, async (phones) => {
      const scope = visibleDialogsSql(caller, 'd');
      const ranked =
        `select id from (select d.id, row_number() over (partition by c.phone_e164 order by d.last_activity_at desc, d.id desc) as position ` +
        `from funnels.dialogs d join funnels.clients c on c.id = d.client_id ` +
        `where c.organization_id = ? and c.phone_e164 in (${phones.map(() => '?').join(', ')}) and ${scope.sql}) ranked ` +
        `where position <= ?`;
      const params = [caller.organizationId, ...phones, ...scope.params, first];
      const rows = await em.find(
        Dialog,
        { $and: [visibleDialogs(caller), { [raw((alias) => `${alias}.id in (${ranked})`, params)]: [] }] },
        { populate: ['client'], orderBy: { lastActivityAt: 'desc', id: 'desc' } },
      );
      return groupByKeys(phones, rows, (dialog) => dialog.client.phoneE164!);
    })
    .load(phoneE164);
}
