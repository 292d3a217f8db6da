/**
 * Resolves an embed (`select=…,target!hint(…)`) to one foreign-key relationship: many-to-one,
 * one-to-many, one-to-one, or many-to-many through a junction table, with PostgREST's
 * disambiguation errors (PGRST200 none, PGRST201 several).
 */
import { Errors, RestError } from './errors';
import { tableKey, type ForeignKey, type SchemaCache, type Table } from './schema-cache';

export type Cardinality = 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many';

/** Column pairs are `[left, right]`, equal in the join. */
export type Relationship =
  | {
      cardinality: Exclude<Cardinality, 'many-to-many'>;
      source: Table;
      target: Table;
      fk: ForeignKey;
      pairs: [string, string][];
    }
  | {
      cardinality: 'many-to-many';
      source: Table;
      target: Table;
      junction: Table;
      sourceFk: ForeignKey;
      targetFk: ForeignKey;
      /** source column = junction column */
      sourcePairs: [string, string][];
      /** junction column = target column */
      targetPairs: [string, string][];
    };

export const isToOne = (r: Relationship) => r.cardinality === 'many-to-one' || r.cardinality === 'one-to-one';

const sameTable = (t: Table, schema: string, name: string) => t.schema === schema && t.name === name;
const zip = (a: string[], b: string[]): [string, string][] => a.map((x, i) => [x, b[i]]);
const isUnique = (t: Table, cols: string[]) =>
  t.uniqueKeys.some((k) => k.length === cols.length && k.every((c) => cols.includes(c)));

function directCandidates(cache: SchemaCache, source: Table, target: Table): Relationship[] {
  const out: Relationship[] = [];
  for (const fk of cache.foreignKeys) {
    if (sameTable(source, fk.schema, fk.table) && sameTable(target, fk.refSchema, fk.refTable)) {
      out.push({
        cardinality: isUnique(source, fk.columns) ? 'one-to-one' : 'many-to-one',
        source,
        target,
        fk,
        pairs: zip(fk.columns, fk.refColumns),
      });
    }
    if (sameTable(target, fk.schema, fk.table) && sameTable(source, fk.refSchema, fk.refTable)) {
      out.push({
        cardinality: isUnique(target, fk.columns) ? 'one-to-one' : 'one-to-many',
        source,
        target,
        fk,
        pairs: zip(fk.refColumns, fk.columns),
      });
    }
  }
  return out;
}

function junctionCandidates(cache: SchemaCache, source: Table, target: Table): Relationship[] {
  const out: Relationship[] = [];
  const byTable = new Map<string, ForeignKey[]>();
  for (const fk of cache.foreignKeys) {
    const k = tableKey(fk.schema, fk.table);
    byTable.set(k, [...(byTable.get(k) ?? []), fk]);
  }
  for (const [k, fks] of byTable) {
    const junction = cache.tables.get(k);
    if (!junction || junction === source || junction === target) continue;
    for (const a of fks) {
      if (!sameTable(source, a.refSchema, a.refTable)) continue;
      for (const b of fks) {
        if (a === b || !sameTable(target, b.refSchema, b.refTable)) continue;
        const both = [...a.columns, ...b.columns];
        if (!junction.uniqueKeys.some((key) => both.every((c) => key.includes(c)))) continue;
        out.push({
          cardinality: 'many-to-many',
          source,
          target,
          junction,
          sourceFk: a,
          targetFk: b,
          sourcePairs: zip(a.refColumns, a.columns),
          targetPairs: zip(b.columns, b.refColumns),
        });
      }
    }
  }
  return out;
}

function matchesHint(r: Relationship, hint: string): boolean {
  if (r.cardinality === 'many-to-many')
    return r.junction.name === hint || r.sourceFk.name === hint || r.targetFk.name === hint;
  return r.fk.name === hint || r.fk.columns.includes(hint);
}

function describe(r: Relationship): { cardinality: Cardinality; embedding: string; relationship: string } {
  const embedding = `${r.source.name} with ${r.target.name}`;
  if (r.cardinality === 'many-to-many') {
    return {
      cardinality: r.cardinality,
      embedding,
      relationship: `${r.junction.name} using ${r.sourceFk.name}(${r.sourceFk.columns.join(', ')}) and ${r.targetFk.name}(${r.targetFk.columns.join(', ')})`,
    };
  }
  const [left, right] = r.fk.table === r.source.name ? [r.source, r.target] : [r.target, r.source];
  return {
    cardinality: r.cardinality,
    embedding,
    relationship: `${r.fk.name} using ${left.name}(${r.fk.columns.join(', ')}) and ${right.name}(${r.fk.refColumns.join(', ')})`,
  };
}

/**
 * `name` is a table/view of the source's schema, or a foreign-key column of the source
 * (`director_id(*)` embeds what that column references).
 */
export function resolveRelationship(
  cache: SchemaCache,
  source: Table,
  name: string,
  hint: string | undefined,
): Relationship {
  let target = cache.tables.get(tableKey(source.schema, name));
  let candidates: Relationship[] = [];
  if (target) {
    candidates = [...directCandidates(cache, source, target), ...junctionCandidates(cache, source, target)];
  } else {
    // Embedding through a foreign-key column name.
    candidates = cache.foreignKeys
      .filter(
        (fk) => sameTable(source, fk.schema, fk.table) && fk.columns.length === 1 && fk.columns[0] === name,
      )
      .flatMap((fk) => {
        const t = cache.tables.get(tableKey(fk.refSchema, fk.refTable));
        return t
          ? [
              {
                cardinality: isUnique(source, fk.columns) ? 'one-to-one' : 'many-to-one',
                source,
                target: t,
                fk,
                pairs: zip(fk.columns, fk.refColumns),
              } as Relationship,
            ]
          : [];
      });
    target = candidates[0]?.target;
  }
  if (hint !== undefined) candidates = candidates.filter((r) => matchesHint(r, hint));
  // A self-referencing key hinted by its column reads as the to-one direction ("my parent").
  if (candidates.length === 2 && candidates[0].source === candidates[0].target && hint !== undefined) {
    const toOne = candidates.filter(isToOne);
    if (toOne.length === 1) candidates = toOne;
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw Errors.noRelationship(source.name, hint ? `${name}!${hint}` : name, source.schema);
  }
  const hints = candidates.map(
    (r) => `'${name}!${r.cardinality === 'many-to-many' ? r.junction.name : r.fk.name}'`,
  );
  throw new RestError(
    300,
    'PGRST201',
    `Could not embed because more than one relationship was found for '${source.name}' and '${name}'`,
    candidates.map(describe),
    `Try changing '${name}' to one of the following: ${hints.join(', ')}. Find the desired relationship in the 'details' key.`,
  );
}
