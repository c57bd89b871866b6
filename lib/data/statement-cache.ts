import type Database from "better-sqlite3";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

/** Distinct SQL texts kept prepared (the ORM issues a few hundred shapes; list pages' IN lists vary). */
const MAX_CACHED_STATEMENTS = 500;

type Statement = Database.Statement<unknown[]>;

/**
 * Prisma's better-sqlite3 adapter prepares every query anew (`prepare(sql).bind(args)`), so SQLite
 * parses and plans the same few hundred statements again and again: about 4 % of the server's CPU
 * in a renewal round. This keeps the prepared statements by their SQL text and hands the adapter
 * a statement whose `bind` only remembers the arguments, which `run`, `all` and `columns` then
 * pass (better-sqlite3 binds permanently, so a bound statement could not be used twice).
 *
 * It reaches into the adapter's connection (its `client`); `cachedStatementCount` says whether it
 * took, and a test checks that it does with the pinned adapter version.
 */
export function withStatementCache(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (client && typeof client.prepare === "function") cachePreparedStatements(client);
    return adapter;
  };
  return factory;
}

const caches: Array<Map<string, Statement>> = [];

/** How many statements this process keeps prepared (0: the cache did not take). */
export function cachedStatementCount(): number {
  return caches.reduce((count, cache) => count + cache.size, 0);
}

function cachePreparedStatements(client: Database.Database): void {
  const prepare = client.prepare.bind(client) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  caches.push(cache);
  const cachedPrepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      // Most recently used last, so the oldest is the first to go.
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, statement);
    return reusable(statement);
  };
  (client as unknown as { prepare: typeof cachedPrepare }).prepare = cachedPrepare;
}

/** What the adapter calls on a prepared statement, with arguments kept per use instead of bound to it. */
function reusable(statement: Statement) {
  const withArguments = (args: unknown[]) => ({
    reader: statement.reader,
    run: () => statement.run(...args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
  });
  return { ...withArguments([]), bind: (args: unknown[]) => withArguments(args) };
}
