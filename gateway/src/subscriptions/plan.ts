import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { lookupOf } from './lookups.js';
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
  /**
   * Object type: the declared Query lookup `field(arg: ID!)` with the client's selection, keyed by the event's
   * `keyField` (and given the subscription's own arguments it also takes, as the client wrote them).
   */
  | { kind: 'entity'; query: string; operationName?: string; variables: Record<string, unknown>; keyVariable: string; keyField: string }
  /** List: the declared Query field with the subscription's arguments, re-run on every event. */
  | { kind: 'list'; query: string; operationName?: string; variables: Record<string, unknown> }
  /** Scalars and enums: the upstream value as it is. */
  | { kind: 'value' };

const unsupported = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });

/**
 * Plans a validated single-root-field subscription, hydrating its events with the lookup its subgraph
 * declared (`@hydrate(query:)`, see lookups.ts). Throws a GraphQLError when the field can't be served (no
 * owner, or no usable lookup; the gateway's start-up check already refused such a supergraph).
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
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION || !subscriptionType)
    throw unsupported('Not a subscription operation');
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
  const lookup = lookupOf(schema, index, fieldName);
  if ('problem' in lookup) throw unsupported(lookup.problem);

  let hydration: Hydration;
  let upstreamSelection: string[] | undefined;
  if (lookup.kind === 'value') {
    hydration = { kind: 'value' };
  } else if (lookup.kind === 'list') {
    // The client's field, arguments and selection as they are, on the Query field, under the client's key.
    const hydrationField: FieldNode = {
      ...field,
      name: { kind: Kind.NAME, value: lookup.field.name },
      alias: { kind: Kind.NAME, value: responseKey },
    };
    const built = hydrationDocument(operation, fragments, hydrationField, []);
    hydration = { kind: 'list', ...built, variables: pick(variables, built.declared) };
    upstreamSelection = ['__typename'];
  } else {
    const keyVariable = freeName('subscriptionKey', operation.variableDefinitions ?? []);
    const hydrationField: FieldNode = {
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: responseKey },
      name: { kind: Kind.NAME, value: lookup.field.name },
      arguments: [
        {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: lookup.key },
          value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
        },
        ...(field.arguments ?? []).filter((a) => lookup.passed.includes(a.name.value)),
      ],
      directives: field.directives,
      selectionSet: field.selectionSet,
    };
    const keyDefinition: VariableDefinitionNode = {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
    };
    const built = hydrationDocument(operation, fragments, hydrationField, [keyDefinition]);
    hydration = { kind: 'entity', ...built, variables: pick(variables, built.declared), keyVariable, keyField: lookup.key };
    upstreamSelection = ['__typename', lookup.key];
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
      variables: pick(
        variables,
        upstreamDefinitions.map((d) => d.variable.name.value),
      ),
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
