import { Kind, parse, type DocumentNode, type ValueNode } from 'graphql';
import { isRole, type Role } from '@salesgraph/platform';

/** Who may run an operation: anyone signed in (`roles` absent), or one of `roles`. */
export interface Requirement {
  roles?: Role[];
}

const ROOT_OF = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/**
 * The roles each root field requires, as the subgraphs declare them (`@authorized`, composed into the
 * supergraph from their resolvers' @Authorized). The REST layer asks it before looking at a request's body,
 * so a caller who may not run a route's operation hears 401/403 whatever they sent, and no route repeats a rule.
 */
export class FieldAccess {
  private constructor(private readonly fields: ReadonlyMap<string, Role[]>) {}

  static fromSupergraph(sdl: string): FieldAccess {
    const fields = new Map<string, Role[]>();
    for (const definition of parse(sdl).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !Object.values<string>(ROOT_OF).includes(definition.name.value)) continue;
      for (const field of definition.fields ?? []) {
        const authorized = field.directives?.find((d) => d.name.value === 'authorized');
        if (!authorized) continue;
        const roles = authorized.arguments?.find((a) => a.name.value === 'roles')?.value;
        fields.set(`${definition.name.value}.${field.name.value}`, roles ? stringsOf(roles).filter(isRole) : []);
      }
    }
    return new FieldAccess(fields);
  }

  /** What running `operation` requires (every root field's roles at once); undefined when anyone may. */
  of(operation: DocumentNode): Requirement | undefined {
    let requirement: Requirement | undefined;
    for (const definition of operation.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const roles = this.fields.get(`${ROOT_OF[definition.operation]}.${selection.name.value}`);
        if (!roles) continue;
        const narrowed = roles.length
          ? requirement?.roles
            ? requirement.roles.filter((r) => roles.includes(r))
            : roles
          : requirement?.roles;
        requirement = narrowed ? { roles: narrowed } : {};
      }
    }
    return requirement;
  }
}

const stringsOf = (value: ValueNode): string[] =>
  value.kind === Kind.LIST ? value.values.flatMap(stringsOf) : value.kind === Kind.STRING ? [value.value] : [];
