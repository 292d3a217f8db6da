/**
 * RPC: choose the function by the names of the supplied arguments (PostgREST's rule), and build the
 * call as a FROM item. Arguments travel as one JSON parameter decoded by `json_to_record` with the
 * function's own parameter types, so `{"ids":[1,2]}` reaches an `int[]` parameter as an array.
 */
import { RestError } from './errors';
import { tableKey, type DbFunction, type SchemaCache } from './schema-cache';
import { ident, qualified, SqlParams } from './sql';

export interface ResolvedFunction {
  fn: DbFunction;
  /** The function takes one unnamed json/jsonb parameter: the whole body is its argument. */
  wholeBody: boolean;
}

function notFound(schema: string, name: string, argNames: string[], suggestion: string | null): RestError {
  const withArgs = argNames.length ? `(${argNames.join(', ')})` : ' without parameters';
  const searched = argNames.length ? ` with parameters ${argNames.join(', ')}` : ' without parameters';
  return new RestError(
    404,
    'PGRST202',
    `Could not find the function ${schema}.${name}${withArgs} in the schema cache`,
    `Searched for the function ${schema}.${name}${searched} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
    suggestion ? `Perhaps you meant to call the function ${schema}.${suggestion}` : null,
  );
}

/** Names of every parameter of any overload (GET RPC claims these query keys as arguments). */
export function parameterNames(cache: SchemaCache, schema: string, name: string): Set<string> {
  return new Set(
    (cache.functions.get(tableKey(schema, name)) ?? []).flatMap((f) =>
      f.params.map((p) => p.name).filter(Boolean),
    ),
  );
}

export function resolveFunction(
  cache: SchemaCache,
  schema: string,
  name: string,
  argNames: string[],
  allowWholeBody: boolean,
): ResolvedFunction {
  const overloads = cache.functions.get(tableKey(schema, name)) ?? [];
  const given = new Set(argNames);
  const matches = overloads.filter(
    (f) =>
      !f.singleUnnamedJson &&
      argNames.every((a) => f.params.some((p) => p.name === a)) &&
      f.params.every((p) => p.hasDefault || given.has(p.name)),
  );
  if (matches.length === 1) return { fn: matches[0], wholeBody: false };
  if (matches.length > 1) {
    const sig = (f: DbFunction) =>
      `${f.schema}.${f.name}(${f.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`;
    throw new RestError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${matches.map(sig).join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    );
  }
  const json = overloads.filter((f) => f.singleUnnamedJson);
  if (allowWholeBody && json.length === 1) return { fn: json[0], wholeBody: true };
  const similar = [...cache.functions.values()]
    .flat()
    .find((f) => f.schema === schema && f.name !== name && f.name.toLowerCase() === name.toLowerCase());
  throw notFound(schema, name, argNames, similar?.name ?? null);
}

/**
 * The function call as FROM text (without alias). `args` holds the supplied named arguments;
 * `wholeBody` is the raw JSON text of the body.
 */
export function functionCallSql(
  r: ResolvedFunction,
  args: Record<string, unknown>,
  wholeBody: string,
  params: SqlParams,
): string {
  const fn = qualified(r.fn.schema, r.fn.name);
  if (r.wholeBody)
    return `${fn}(${params.addAs(wholeBody, r.fn.params[0].type === 'jsonb' ? 'jsonb' : 'json')})`;
  const names = Object.keys(args);
  if (names.length === 0) return `${fn}()`;
  const types = new Map(r.fn.params.map((p) => [p.name, p.type]));
  const defs = names.map((n) => `${ident(n)} ${types.get(n)}`).join(', ');
  const call = names.map((n) => `${ident(n)} := _pgrst_args.${ident(n)}`).join(', ');
  return `json_to_record(${params.addAs(JSON.stringify(args), 'json')}) AS _pgrst_args(${defs}) CROSS JOIN LATERAL ${fn}(${call})`;
}

/** GET arguments are strings; json/jsonb parameters get the parsed value when the text is JSON. */
export function coerceQueryArgs(fn: DbFunction, raw: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of raw) {
    const type = fn.params.find((p) => p.name === k)?.type;
    if (type === 'json' || type === 'jsonb') {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON: passed as a JSON string
      }
    }
    out[k] = v;
  }
  return out;
}
