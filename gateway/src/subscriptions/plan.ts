import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { SupergraphIndex } from './supergraph-index.js';

/** How one client subscription is served: what to ask the owning subgraph, and how to hydrate each event. */
export interface SubscriptionPlan {
  /** The subgraph that owns the root Subscription field. */
  owner: string;
  fieldName: string;
  /** The key under which the client expects the result (its alias, else the field name). */
  responseKey: string;
  upstream: { query: string; variables: Record<string, unknown>; operationName?: string };
  hydration: Hydration;
}

export type Hydration =
  /** Object type: the Query lookup `field(arg: ID!)` with the client's selection, keyed by the event's `keyField`. */
  | { kind: 'entity'; query: string; operationName?: string; variables: Record<string, unknown>; keyVariable: string; keyField: string }
  /** List: the Query field of the same name with the same arguments, re-run on every event. */
  | { kind: 'list'; query: string; operationName?: string; variables: Record<string, unknown> }
  /** Scalars and enums: the upstream value as it is. */
  | { kind: 'value' };

const unsupported = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });

/**
 * Plans a validated single-root-field subscription. Throws a GraphQLError when the field can't be served
 * (no owner, or no Query field to hydrate its events with).
 */
export function planSubscription(
  schema: GraphQLSchema,
  index: SupergraphIndex,
  document: DocumentNode,
  operationName: string | undefined | null,
  variables: Record<string, unknown> = {},
): SubscriptionPlan {
  const operation = getOperationAST(document, operationName);
  const subscriptionType = schema.getSubscriptionType();
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION || !subscriptionType) throw unsupported('Not a subscription operation');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const field = rootField(operation.selectionSet, fragments);
  const fieldName = field.name.value;
  const definition = subscriptionType.getFields()[fieldName];
  if (!definition) throw unsupported(`Unknown subscription field "${fieldName}"`);
  const owner = index.ownerOf(subscriptionType.name, fieldName);
  if (!owner) throw unsupported(`No single subgraph serves Subscription.${fieldName}`);
  const responseKey = field.alias?.value ?? fieldName;
  const namedType = getNamedType(definition.type);
  const isList = isListType(getNullableType(definition.type));
  const queryType = schema.getQueryType();

  let hydration: Hydration;
  let upstreamSelection: string[] | undefined;
  if (isLeafType(namedType)) {
    hydration = { kind: 'value' };
  } else if (isList) {
    const queryField = queryType?.getFields()[fieldName];
    if (!queryField) throw unsupported(`Subscription.${fieldName} returns a list but there is no Query.${fieldName} to refresh it with`);
    const hydrationField: FieldNode = { ...field, alias: { kind: Kind.NAME, value: responseKey } };
    const built = hydrationDocument(operation, fragments, hydrationField, []);
    hydration = { kind: 'list', ...built, variables: pick(variables, built.declared) };
    upstreamSelection = ['__typename'];
  } else {
    const lookup = lookupFieldOf(queryType?.getFields() ?? {}, namedType);
    if (!lookup) throw unsupported(`Subscription.${fieldName} returns ${namedType.name} but no Query field takes a single "ID!" argument and returns it`);
    const arg = lookup.args[0];
    const keyVariable = freeName('subscriptionKey', operation.variableDefinitions ?? []);
    const hydrationField: FieldNode = {
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: responseKey },
      name: { kind: Kind.NAME, value: lookup.name },
      arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: arg.name }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } } }],
      directives: field.directives,
      selectionSet: field.selectionSet,
    };
    const keyDefinition: VariableDefinitionNode = {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
    };
    const built = hydrationDocument(operation, fragments, hydrationField, [keyDefinition]);
    hydration = { kind: 'entity', ...built, variables: pick(variables, built.declared), keyVariable, keyField: arg.name };
    upstreamSelection = ['__typename', arg.name];
  }
  if ('query' in hydration) {
    const errors = validate(schema, parse(hydration.query));
    if (errors.length) throw unsupported(`Subscription.${fieldName} can't be hydrated: ${errors[0].message}`);
  }

  // Upstream: the same root field and arguments, selecting only what identifies the event.
  const upstreamField: FieldNode = {
    kind: Kind.FIELD,
    name: field.name,
    arguments: field.arguments,
    selectionSet: upstreamSelection && {
      kind: Kind.SELECTION_SET,
      selections: upstreamSelection.map((name) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } })),
    },
  };
  const upstreamUses = variablesUsed(upstreamField, new Map());
  const upstreamDefinitions = (operation.variableDefinitions ?? []).filter((d) => upstreamUses.has(d.variable.name.value));
  const upstreamOperation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.SUBSCRIPTION,
    name: operation.name,
    variableDefinitions: upstreamDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections: [upstreamField] },
  };
  return {
    owner,
    fieldName,
    responseKey,
    upstream: {
      query: print({ kind: Kind.DOCUMENT, definitions: [upstreamOperation] }),
      variables: pick(variables, upstreamDefinitions.map((d) => d.variable.name.value)),
      operationName: operation.name?.value,
    },
    hydration,
  };
}

/** The single root field (root-level fragments followed); validation already guaranteed there is one. */
function rootField(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    if (inner) return rootField(inner, fragments);
  }
  throw unsupported('A subscription selects exactly one root field');
}

/** The Query field returning `type` (not a list) from a single `ID!` argument; `callEvent` for `CallEvent` first. */
function lookupFieldOf(fields: Record<string, GraphQLField<unknown, unknown>>, type: GraphQLNamedType): GraphQLField<unknown, unknown> | undefined {
  const candidates = Object.values(fields).filter((f) =>
    getNamedType(f.type) === type &&
    !isListType(getNullableType(f.type)) &&
    f.args.length === 1 &&
    isNonNullType(f.args[0].type) &&
    getNamedType(f.args[0].type).name === 'ID' &&
    (isObjectType(type) || isInterfaceType(type)) &&
    Boolean(type.getFields()[f.args[0].name]),
  );
  const conventional = type.name.charAt(0).toLowerCase() + type.name.slice(1);
  return candidates.find((f) => f.name === conventional) ?? candidates[0];
}

/** `query Name($used…) { field }` plus the fragments it spreads; only the variables it uses are declared. */
function hydrationDocument(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  field: FieldNode,
  extra: VariableDefinitionNode[],
): { query: string; operationName?: string; declared: string[] } {
  const used = usedFragments(field, fragments);
  const variables = variablesUsed(field, used);
  const declared = (operation.variableDefinitions ?? []).filter((d) => variables.has(d.variable.name.value));
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: operation.name,
    variableDefinitions: [...extra, ...declared],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
  };
  return {
    query: print({ kind: Kind.DOCUMENT, definitions: [query, ...used.values()] }),
    operationName: operation.name?.value,
    declared: declared.map((d) => d.variable.name.value),
  };
}

function usedFragments(field: FieldNode, fragments: Map<string, FragmentDefinitionNode>): Map<string, FragmentDefinitionNode> {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: (FieldNode | FragmentDefinitionNode)[] = [field];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return used;
}

function variablesUsed(field: FieldNode, fragments: Map<string, FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  for (const node of [field, ...fragments.values()]) visit(node, { Variable: (v) => void names.add(v.name.value) });
  return names;
}

function freeName(base: string, definitions: readonly VariableDefinitionNode[]): string {
  const taken = new Set(definitions.map((d) => d.variable.name.value));
  let name = base;
  while (taken.has(name)) name += '_';
  return name;
}

function pick(values: Record<string, unknown>, names: Iterable<string>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (name in values) picked[name] = values[name];
  return picked;
}
