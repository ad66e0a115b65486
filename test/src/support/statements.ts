import { sqlStatements } from '@salesgraph/platform';

/**
 * SQL statements one request costs: the fewest over a few runs, because other work of the same process
 * (another connection's presence update, a credential check after a revocation event, say) may run SQL
 * during any single one.
 */
export async function statementsOf<T>(request: () => Promise<T>, runs = 5): Promise<{ statements: number; result: T }> {
  let fewest = Infinity;
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const before = sqlStatements.count;
    result = await request();
    fewest = Math.min(fewest, sqlStatements.count - before);
  }
  return { statements: fewest, result };
}
