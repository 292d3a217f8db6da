/**
 * Named prepared statements for repeated query shapes: PostgreSQL parses and plans a shape once
 * per connection instead of once per request. Values are always parameters, so a shape's SQL text
 * is the same across requests that differ only in values. Bounded: beyond the cap, new shapes run
 * unnamed (no per-connection growth). A schema reload starts a new generation of names.
 */
import type { PoolClient } from '../db';

export const MAX_NAMED_STATEMENTS = 2000;

export class StatementCache {
  private names = new Map<string, string>();
  private generation = 0;

  reset(): void {
    this.generation += 1;
    this.names = new Map();
  }

  nameFor(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_NAMED_STATEMENTS) {
      name = `pgrst_${this.generation}_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }

  query<R extends Record<string, unknown>>(client: PoolClient, sql: string, values: unknown[]) {
    const name = this.nameFor(sql);
    return client.query<R>(name ? { name, text: sql, values } : { text: sql, values });
  }
}
