import type { JsonSchema, RestRequest } from './route.js';

/** One field of a legacy JSON body that sets a field of a GraphQL input. */
export interface BodyField {
  schema: JsonSchema;
  /** Its name in the body. @default the input field's name in snake_case (`customerName` → `customer_name`) */
  name?: string;
  /** How its (already checked) value becomes the input's. @default as it is */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the value is checked against `schema` at run time, which types it
  convert?: (value: any) => unknown;
}

export type Fields<TInput> = { [K in keyof TInput]?: BodyField };

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A legacy JSON body mapped field by field onto a GraphQL input. Declared once, it serves every seed that
 * accepts that body (a seed that names a few fields differently renames them): the route documents and checks
 * `schema()`, and sends `input(body)`.
 */
export class BodyMapping<TInput> {
  /** By input field, in the body's order; spread them into a larger mapping to reuse them. */
  constructor(readonly fields: Fields<TInput>) {}

  private get entries(): [keyof TInput & string, BodyField & { name: string }][] {
    return Object.entries(this.fields as Record<string, BodyField>).map(([key, field]) => [
      key as keyof TInput & string,
      { ...field, name: field.name ?? snakeCase(key) },
    ]);
  }

  /** The body's schema, fields in declaration order; `required` are input fields. */
  schema(required: (keyof TInput & string)[] = []): JsonSchema {
    const names = new Map(this.entries.map(([key, field]) => [key, field.name]));
    return {
      type: 'object',
      properties: this.properties,
      ...(required.length ? { required: required.map((key) => names.get(key)!) } : {}),
    };
  }

  /** The body's fields and their schemas, to combine with others. */
  get properties(): Record<string, JsonSchema> {
    return Object.fromEntries(this.entries.map(([, field]) => [field.name, field.schema]));
  }

  /** The GraphQL input for a checked body; a field the body leaves out stays undefined. */
  input(body: RestRequest['body']): TInput {
    return Object.fromEntries(
      this.entries.map(([key, field]) => [key, field.convert ? field.convert(body[field.name]) : body[field.name]]),
    ) as TInput;
  }

  /** The same mapping where a seed names some fields differently. */
  renamed(names: { [K in keyof TInput]?: string }): BodyMapping<TInput> {
    const fields = Object.fromEntries(this.entries.map(([key, field]) => [key, { ...field, name: names[key] ?? field.name }]));
    return new BodyMapping<TInput>(fields as Fields<TInput>);
  }

  /** Only some of the fields, in declaration order, for a seed that accepts fewer. */
  pick<K extends keyof TInput & string>(...keys: K[]): BodyMapping<Pick<TInput, K>> {
    const fields = Object.fromEntries(this.entries.filter(([key]) => keys.includes(key as K)));
    return new BodyMapping<Pick<TInput, K>>(fields as Fields<Pick<TInput, K>>);
  }
}
