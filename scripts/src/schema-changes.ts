import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/** What changed between two versions of a client schema, by what it means to the clients of the old one. */
export interface SchemaChanges {
  /** Operations valid against the old schema may fail or change meaning (a field removed, a type narrowed…). */
  breaking: Change[];
  /** Valid operations keep working, but clients may meet what they do not expect (an enum value added…). */
  dangerous: Change[];
  /** Additions and descriptions. */
  safe: Change[];
}

/**
 * The changes from `oldSdl` to `newSdl` as graphql-inspector classifies them, without the description of each
 * element added (graphql-inspector lists it as a second change). A missing old schema (`null`) makes everything
 * in the new one an addition.
 */
export async function schemaChanges(oldSdl: string | null, newSdl: string): Promise<SchemaChanges> {
  const all = await diff(oldSdl === null ? null : buildSchema(oldSdl), buildSchema(newSdl));
  const isDescriptionAdded = (change: Change) => String(change.type).endsWith('_DESCRIPTION_ADDED');
  const added = new Set(
    all.filter((change) => String(change.type).endsWith('_ADDED') && !isDescriptionAdded(change)).map((change) => change.path),
  );
  const changes = all.filter((change) => !(isDescriptionAdded(change) && added.has(change.path)));
  const of = (level: CriticalityLevel) => changes.filter((change) => change.criticality.level === level);
  return { breaking: of(CriticalityLevel.Breaking), dangerous: of(CriticalityLevel.Dangerous), safe: of(CriticalityLevel.NonBreaking) };
}

/** The report `npm run schema:diff` prints: each group with its count, a change per line, then the totals. */
export function formatSchemaChanges(changes: SchemaChanges): string {
  const groups: [string, Change[]][] = [
    ['Breaking', changes.breaking],
    ['Dangerous', changes.dangerous],
    ['Safe', changes.safe],
  ];
  const lines: string[] = [];
  for (const [title, group] of groups) {
    lines.push(`${title} (${group.length})`);
    for (const change of group) {
      lines.push(`  - ${change.message}`);
      // Why a change is breaking or dangerous (graphql-inspector explains those, not additions).
      if (title !== 'Safe' && change.criticality.reason) lines.push(`      ${change.criticality.reason}`);
    }
  }
  const { breaking, dangerous, safe } = changes;
  lines.push('', `${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe`);
  return lines.join('\n');
}
