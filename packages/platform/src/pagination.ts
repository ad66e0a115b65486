import { ClassType, Field, Int, ObjectType, ArgsType, Directive, registerEnumType } from 'type-graphql';
import { Max, MaxLength, Min } from 'class-validator';
import type { EntityManager, EntityName, FilterQuery, FindOptions } from '@mikro-orm/core';
import { badInput } from './errors.js';

@Directive('@shareable')
@ObjectType({ description: 'Relay page information' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export const MAX_PAGE_SIZE = 200;
/** Rows a page may start after: deeper offsets cost a scan of every skipped row, and cursors are checked against it too. */
export const MAX_OFFSET = 1_000_000;
const MAX_CURSOR_LENGTH = 100;

/** Cursor (`first`/`after`) and offset (`offset`) paging; REST `skip`/`limit` and `page`/`limit` map onto these. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_PAGE_SIZE} (default 20)` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last row of the previous page' })
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string;

  @Field(() => Int, {
    nullable: true,
    description: `Rows to skip, 0–${MAX_OFFSET.toLocaleString('en-US')} (offset paging, as the legacy APIs do)`,
  })
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}

export interface Window {
  offset: number;
  limit: number;
}

const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const offset = match ? Number(match[1]) + 1 : Infinity;
  // A well-formed cursor can still point past anything issued (it is only base64): the same bound as `offset`.
  if (offset > MAX_OFFSET) throw badInput('Invalid cursor in "after"', [{ field: 'after', message: 'not a cursor this API issued' }]);
  return offset;
}

/** The rows a page covers; an explicit null `after`, `offset` or `first` means the same as leaving it out. */
export function windowOf(args: PageArgs, defaultSize = 20): Window {
  const after = args.after ?? undefined;
  if (after !== undefined && args.offset != null) throw badInput('Use either "after" or "offset", not both');
  const offset = after !== undefined ? decodeCursor(after) : (args.offset ?? 0);
  return { offset, limit: args.first ?? defaultSize };
}

export interface ConnectionShape<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** A number, or (`findPage`) counted when GraphQL resolves it: only if the client selected `totalCount`. */
  totalCount: number | Promise<number>;
}

/** Builds a connection from one page of rows and the total row count. */
export function connectionOf<T>(rows: T[], totalCount: number, window: Window): ConnectionShape<T> {
  const edges = rows.map((node, i) => ({ node, cursor: encodeCursor(window.offset + i) }));
  return {
    nodes: rows,
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: window.offset + rows.length < totalCount,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * One page of `entity` rows matching `where` (in `options.orderBy`, with its `populate`…) as a connection. It reads
 * one row beyond the page to tell whether another follows, and counts every matching row only when the client
 * selects `totalCount`: on a large table the count is a list's costliest statement, and most screens never show it.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: Omit<FindOptions<T>, 'offset' | 'limit'>,
  window: Window,
): Promise<ConnectionShape<T>> {
  // (MikroORM's filter types do not survive a generic entity: the callers' own calls are typed.)
  const rows = (await em.find(entity, where as never, { ...options, offset: window.offset, limit: window.limit + 1 } as never)) as T[];
  const more = rows.length > window.limit;
  const page = more ? rows.slice(0, window.limit) : rows;
  const edges = page.map((node, i) => ({ node, cursor: encodeCursor(window.offset + i) }));
  let counted: Promise<number> | undefined;
  return {
    nodes: page,
    edges,
    // Read by GraphQL's default resolver only when selected; aliases of it count once.
    get totalCount() {
      return (counted ??= em.count(entity, where, options));
    },
    pageInfo: {
      hasNextPage: more,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Base of `@ObjectType() class <Name>Connection extends Connection(<Name>) {}`; declares `<Name>Edge` too. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [nodeType]) nodes!: T[];
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType;
}

export enum SortDirection {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

/** An ILIKE pattern matching `search` anywhere, its own `%`, `_` and `\` taken literally; undefined when blank. */
export function containsPattern(search: string | null | undefined): string | undefined {
  const trimmed = search?.trim();
  return trimmed ? `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
}
