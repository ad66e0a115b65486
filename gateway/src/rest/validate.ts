import type { JsonSchema } from './route.js';

/** Checks a value against a route schema; returns one message per problem, naming the field. */
export function problemsOf(value: unknown, schema: JsonSchema, path: string): string[] {
  if (value === null || value === undefined) return schema.nullable || value === undefined ? [] : [`${path}: must not be null`];
  const problems: string[] = [];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path || 'body'}: must be a JSON object`];
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (record[name] === undefined || record[name] === null) problems.push(`${join(path, name)}: field required`);
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (record[name] !== undefined) problems.push(...problemsOf(record[name], property, join(path, name)));
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: must be an array`];
      return schema.items ? value.flatMap((item, i) => problemsOf(item, schema.items!, `${path}[${i}]`)) : [];
    case 'integer':
      if (!Number.isSafeInteger(value)) return [`${path}: must be an integer`];
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: must be a number`];
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: must be true or false`];
      break;
    case 'string':
      if (typeof value !== 'string') return [`${path}: must be a string`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) problems.push(`${path}: must be one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    problems.push(`${path}: must be ≥ ${schema.minimum}`);
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum)
    problems.push(`${path}: must be ≤ ${schema.maximum}`);
  return problems;
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** Turns a query-string value into the schema's type; leaves it as is when it does not parse (validation reports it). */
export function coerceQueryValue(raw: unknown, schema: JsonSchema): unknown {
  if (Array.isArray(raw)) raw = raw.at(-1);
  if (typeof raw !== 'string') return raw;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    default:
      return raw;
  }
}
