import { Mutex } from "async-mutex";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type OpenTransaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * Prisma's better-sqlite3 adapter runs all of the process's queries on one connection and locks
 * transactions only against each other: a plain query that arrives while another caller's
 * transaction is open runs inside that transaction, and its rollback takes the query back too (a
 * job's saved state, lost without a word). This gives the connection one lock, in arrival order:
 * a transaction holds it from BEGIN to COMMIT or ROLLBACK, a plain query for its one statement.
 *
 * Inside a transaction callback, query through the callback's client: a query through the global
 * client there waits for the very transaction it was meant to join (until Prisma's timeout).
 */
export function withTransactionGate(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => gate(await connect());
  return factory;
}

function gate(adapter: Adapter): Adapter {
  const connection = new Mutex();
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);

  adapter.queryRaw = (query) => connection.runExclusive(() => queryRaw(query));
  adapter.executeRaw = (query) => connection.runExclusive(() => executeRaw(query));
  adapter.startTransaction = async (isolationLevel) => {
    const release = await connection.acquire();
    try {
      return releasedWhenEnded(await startTransaction(isolationLevel), release);
    } catch (error) {
      release();
      throw error;
    }
  };
  return adapter;
}

function releasedWhenEnded(transaction: OpenTransaction, release: () => void): OpenTransaction {
  const commit = transaction.commit.bind(transaction);
  const rollback = transaction.rollback.bind(transaction);
  transaction.commit = () => commit().finally(release);
  transaction.rollback = () => rollback().finally(release);
  return transaction;
}
