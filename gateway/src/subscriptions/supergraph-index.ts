import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';

/**
 * Which subgraph owns each field, read from the supergraph's join directives: `@join__field(graph: X)` on
 * the field, or else the type's single `@join__type(graph: X)`; `join__Graph.X @join__graph(name: "…")`
 * maps the enum value to the subgraph's name. Also the lookups subscriptions declare with `@hydrate(query:)`
 * (the platform's `Hydrate`), and the root fields that require a caller signed in (`@authorized`), which the
 * API schema does not carry.
 */
export class SupergraphIndex {
  private readonly graphNames = new Map<string, string>();
  private readonly typeGraphs = new Map<string, string[]>();
  private readonly fieldGraphs = new Map<string, string[]>();
  private readonly hydrations = new Map<string, string>();
  private readonly authorized = new Set<string>();

  constructor(supergraphSdl: string | DocumentNode) {
    const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
    for (const definition of document.definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
        for (const value of definition.values ?? []) {
          const name = stringArgument(
            value.directives?.find((d) => d.name.value === 'join__graph'),
            'name',
          );
          if (name) this.graphNames.set(value.name.value, name);
        }
        continue;
      }
      if (
        definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
        definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
        definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
      )
        continue;
      const typeName = definition.name.value;
      const graphs = graphsOf(definition.directives, 'join__type');
      this.typeGraphs.set(typeName, [...(this.typeGraphs.get(typeName) ?? []), ...graphs]);
      for (const field of definition.fields ?? []) {
        const fieldGraphs = graphsOf(field.directives, 'join__field');
        if (fieldGraphs.length) this.fieldGraphs.set(`${typeName}.${field.name.value}`, fieldGraphs);
        const query = stringArgument(
          field.directives?.find((d) => d.name.value === 'hydrate'),
          'query',
        );
        if (query !== undefined) this.hydrations.set(`${typeName}.${field.name.value}`, query);
        if (field.directives?.some((d) => d.name.value === 'authorized')) this.authorized.add(`${typeName}.${field.name.value}`);
      }
    }
  }

  /** The subgraph name serving `type.field`, or undefined when none or several do. */
  ownerOf(typeName: string, fieldName: string): string | undefined {
    const graphs = this.fieldGraphs.get(`${typeName}.${fieldName}`) ?? this.typeGraphs.get(typeName) ?? [];
    const unique = [...new Set(graphs)];
    if (unique.length !== 1) return undefined;
    return this.graphNames.get(unique[0]) ?? unique[0].toLowerCase();
  }

  /** Whether anyone may call the root field `type.field`, signed in or not (it declares no `@authorized`). */
  isPublic(typeName: string, fieldName: string): boolean {
    return !this.authorized.has(`${typeName}.${fieldName}`);
  }

  /** The Query field `type.field` declares to hydrate its results with (`@hydrate(query:)`), if any. */
  hydrationOf(typeName: string, fieldName: string): string | undefined {
    return this.hydrations.get(`${typeName}.${fieldName}`);
  }
}

function graphsOf(directives: readonly ConstDirectiveNode[] | undefined, name: string): string[] {
  return (
    (directives ?? [])
      .filter((d) => d.name.value === name)
      // An external field is only referenced by that subgraph, not served by it.
      .filter((d) => !d.arguments?.some((a) => a.name.value === 'external' && a.value.kind === Kind.BOOLEAN && a.value.value))
      .map((d) => d.arguments?.find((a) => a.name.value === 'graph')?.value)
      .flatMap((v) => (v?.kind === Kind.ENUM ? [v.value] : []))
  );
}

function stringArgument(directive: ConstDirectiveNode | undefined, name: string): string | undefined {
  const value = directive?.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}
