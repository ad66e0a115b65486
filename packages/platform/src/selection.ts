import { Kind, type GraphQLResolveInfo } from 'graphql';

/** What a field resolver learns of the query (type-graphql's `@Info()`). */
export type ResolveInfo = GraphQLResolveInfo;

/**
 * Whether the client asks of this field's object only its id (and `__typename`): a reference it already
 * holds answers that, so the row need not be loaded (REST tables and the gateway's entity keys ask so).
 */
export function selectsOnlyId(info: ResolveInfo): boolean {
  return info.fieldNodes.every((node) =>
    (node.selectionSet?.selections ?? []).every(
      (selection) => selection.kind === Kind.FIELD && (selection.name.value === 'id' || selection.name.value === '__typename'),
    ),
  );
}
