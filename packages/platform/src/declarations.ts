import { getMetadataStorage as validationMetadata } from 'class-validator';
import { getMetadataStorage as typeMetadata } from 'type-graphql';
import { isRole, type Role } from './roles.js';

/**
 * What a subgraph's resolvers declare with decorators, read from type-graphql's and class-validator's
 * metadata once per schema: who may call each root field (`@Authorized`), and how long each string of
 * their input may be (`@MaxLength`, `@Length`). The SDL printed from the schema loses both, so the
 * platform carries them itself into the schema (directives, descriptions) and its input checks.
 */
export interface Declarations {
  /** `Query.users` → roles; `[]` = anyone signed in; absent = public. */
  roles: Map<string, Role[]>;
  /** `CreateCallInput.channelId` (input field) or `Mutation.updateCallNotes(notes)` (argument) → maximum length. */
  stringLimits: Map<string, number>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql's metadata names resolver, input and args classes as Function
type Class = Function;
const ROOTS = { queries: 'Query', mutations: 'Mutation', subscriptions: 'Subscription' } as const;

/** The declarations of the root fields of `resolvers` and of every input and args class they take. */
export function declarationsOf(resolvers: readonly Class[]): Declarations {
  const types = typeMetadata();
  const roles = new Map<string, Role[]>();
  const stringLimits = new Map<string, number>();
  const inputClasses = new Map<string, Class>();

  for (const [list, parent] of Object.entries(ROOTS) as [keyof typeof ROOTS, string][]) {
    for (const handler of types[list].filter((h) => resolvers.includes(h.target))) {
      const field = `${parent}.${handler.schemaName}`;
      const authorized =
        types.authorizedFields.find((a) => a.target === handler.target && a.fieldName === handler.methodName) ??
        types.authorizedResolver.find((a) => a.target === handler.target);
      if (authorized) roles.set(field, authorized.roles.filter(isRole));
      for (const param of types.params.filter((p) => p.target === handler.target && p.methodName === handler.methodName)) {
        if (param.kind === 'arg') collectInputClass(unwrap(param.getType()), inputClasses);
        if (param.kind !== 'args') continue;
        const argsClass = unwrap(param.getType()) as Class;
        for (const arg of fieldsOf(argsClass)) {
          const limit = maxLengthOf(argsClass, arg.name);
          if (limit !== undefined) stringLimits.set(`${field}(${arg.schemaName})`, limit);
          collectInputClass(unwrap(arg.getType()), inputClasses);
        }
      }
    }
  }
  for (const [name, inputClass] of inputClasses) {
    for (const field of fieldsOf(inputClass)) {
      const limit = maxLengthOf(inputClass, field.name);
      if (limit !== undefined) stringLimits.set(`${name}.${field.schemaName}`, limit);
    }
  }
  return { roles, stringLimits };
}

const unwrap = (type: unknown): unknown => (Array.isArray(type) ? unwrap(type[0]) : type);

/** The @Field properties of a class and of the classes it extends. */
function fieldsOf(target: Class) {
  const chain: Class[] = [];
  for (let c: Class | null = target; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as Class | null) chain.push(c);
  return typeMetadata().fields.filter((f) => chain.includes(f.target));
}

/** Adds an @InputType class and the input classes of its fields, by GraphQL name. */
function collectInputClass(type: unknown, into: Map<string, Class>): void {
  const input = typeMetadata().inputTypes.find((t) => t.target === type);
  if (!input || into.has(input.name)) return;
  into.set(input.name, input.target);
  for (const field of fieldsOf(input.target)) collectInputClass(unwrap(field.getType()), into);
}

/** The strictest maximum length class-validator enforces on a property (`@MaxLength(n)`, `@Length(min, n)`). */
function maxLengthOf(target: Class, property: string): number | undefined {
  const maxima = validationMetadata()
    .getTargetValidationMetadatas(target, '', true, false)
    .filter((v) => v.propertyName === property)
    .flatMap((v) => (v.name === 'maxLength' ? [v.constraints[0] as number] : v.name === 'isLength' ? [v.constraints[1] as number] : []))
    .filter((n) => typeof n === 'number');
  return maxima.length ? Math.min(...maxima) : undefined;
}
