// The database: SQLite (sql.js, in memory) behind a small socket protocol, standing in for the database server
// a real deployment would run. Like a database server it is not instrumented: the services' database clients
// make the spans.
import { serveLines, type LineServer, type Message } from '../lib/line-socket';
import { CATALOG, spriteUrl } from './catalog';

// sql.js ships no type declarations: these are the few calls used here.
interface SqlStatement {
  bind(params: unknown[]): boolean;
  step(): boolean;
  getAsObject(): Record<string, unknown>;
  free(): boolean;
}
interface SqlDatabase {
  run(sql: string, params?: unknown[]): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}
type InitSqlJs = () => Promise<{ Database: new () => SqlDatabase }>;

const SCHEMA = `
  CREATE TABLE pokemon (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    image_url TEXT,
    is_featured INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
`;

// A few rows so that a fresh demo answers GET /pokemon with something, and GET /pokemon/1 exists.
const SEED = [1, 4, 7];

export interface DatabaseServer extends LineServer {
  /** The name clients report as `db.name` / `db.namespace`. */
  name: string;
}

export async function startDatabase(): Promise<DatabaseServer> {
  const initSqlJs = require('sql.js') as InitSqlJs;
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(SCHEMA);
  for (const entry of SEED.map((id) => CATALOG.get(id)!)) {
    db.run('INSERT INTO pokemon (name, type, image_url, is_featured) VALUES (?, ?, ?, 1)', [entry.name, entry.types.join(','), spriteUrl(entry.id)]);
  }

  const server = await serveLines({
    request(message: Message): Message {
      const sql = message['sql'];
      const params = message['params'] ?? [];
      if (typeof sql !== 'string' || !Array.isArray(params)) throw new Error('expected {sql: string, params?: array}');
      return query(db, sql, params);
    },
  });
  return {
    ...server,
    name: 'pokeshop',
    close: async () => {
      await server.close();
      db.close();
    },
  };
}

function query(db: SqlDatabase, sql: string, params: unknown[]): Message {
  let statement: SqlStatement | undefined;
  try {
    statement = db.prepare(sql);
    statement.bind(params);
    const rows: Record<string, unknown>[] = [];
    while (statement.step()) rows.push(statement.getAsObject());
    return { rows };
  } catch (error) {
    // sql.js throws Error objects for SQLite errors and plain strings for API misuse.
    throw new Error(error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    statement?.free();
  }
}
