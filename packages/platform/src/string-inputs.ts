import {
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { FieldProblem } from './errors.js';

/** The longest String argument or input field, for those that declare no limit of their own. */
export const MAX_STRING_LENGTH = 10_000;
/** The longest ID: ids are integers or UUIDs. */
export const MAX_ID_LENGTH = 100;

const NUL = '\u0000';
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Characters as PostgreSQL and class-validator count them: code points, so an emoji is one. */
function characters(value: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) surrogatePairs++;
  }
  return value.length - surrogatePairs;
}

/**
 * Every string a client sends, checked before its resolver runs: no NUL character (PostgreSQL text
 * cannot hold one) and no more characters than its position allows — its own declared limit
 * (`Declarations.stringLimits`), else MAX_STRING_LENGTH (MAX_ID_LENGTH for IDs).
 */
export class StringInputs {
  constructor(private readonly limits: ReadonlyMap<string, number>) {}

  /** The limit of `InputType.field` or `Parent.field(argument)`. */
  limitOf(position: string, scalar: string): number {
    return this.limits.get(position) ?? (scalar === 'ID' ? MAX_ID_LENGTH : MAX_STRING_LENGTH);
  }

  /** What is wrong with the strings among one root field's arguments, each named by its path in the input. */
  problems(parent: string, field: string, args: readonly GraphQLArgument[], values: Record<string, unknown>): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const arg of args) {
      // Fields of an input object are named as class-validator names them: by their path inside it.
      const inputObject = isInputObjectType(getNullableType(arg.type));
      this.check(values[arg.name], arg.type, inputObject ? '' : arg.name, `${parent}.${field}(${arg.name})`, problems);
    }
    return problems;
  }

  private check(value: unknown, type: GraphQLInputType, path: string, position: string, problems: FieldProblem[]): void {
    if (value === null || value === undefined) return;
    const inner = getNullableType(type);
    if (isListType(inner)) {
      if (Array.isArray(value)) value.forEach((item, i) => this.check(item, inner.ofType, `${path}[${i}]`, position, problems));
    } else if (isInputObjectType(inner)) {
      for (const child of Object.values(inner.getFields())) {
        this.check(
          (value as Record<string, unknown>)[child.name],
          child.type,
          path ? `${path}.${child.name}` : child.name,
          `${inner.name}.${child.name}`,
          problems,
        );
      }
    } else if (isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID') && typeof value === 'string') {
      if (value.includes(NUL)) problems.push({ field: path, message: 'must not contain the NUL character (U+0000)' });
      const limit = this.limitOf(position, inner.name);
      if (value.length > limit && characters(value) > limit) problems.push({ field: path, message: `must be at most ${limit} characters` });
    }
  }

  /** Writes each String position's limit into its description, so the schema documents what is enforced. */
  describe(schema: GraphQLSchema): void {
    const note = (holder: GraphQLArgument | GraphQLInputField, position: string) => {
      const inner = getNullableType(holder.type);
      const list = isListType(inner);
      const named = list ? getNullableType(inner.ofType) : inner;
      if (!isScalarType(named) || named.name !== 'String') return;
      const limit = `${list ? 'each ' : ''}at most ${this.limitOf(position, named.name).toLocaleString('en-US')} characters`;
      holder.description = holder.description ? `${holder.description} (${limit})` : limit.charAt(0).toUpperCase() + limit.slice(1);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type) && ROOT_TYPES.has(type.name)) {
        for (const field of Object.values(type.getFields()))
          field.args.forEach((arg) => note(arg, `${type.name}.${field.name}(${arg.name})`));
      } else if (isInputObjectType(type) && !type.name.startsWith('__')) {
        for (const field of Object.values(type.getFields())) note(field, `${type.name}.${field.name}`);
      }
    }
  }
}
