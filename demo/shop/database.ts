// The services' database client: one CLIENT span per statement, following the OpenTelemetry database semantic
// conventions. Like the stock instrumentations, it emits the older attribute names (db.system, db.statement, ...)
// unless OTEL_SEMCONV_STABILITY_OPT_IN contains `database` (stable names only) or `database/dup` (both).
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { SemconvStability, semconvStabilityFromStr } from '@opentelemetry/instrumentation';
import { LineClient, splitAddress } from '../lib/line-socket';
import { recordFailure, tracer } from './tracer';

export type Row = Record<string, unknown>;

export interface Statement {
  /** The SQL keyword, reported as the operation: SELECT, INSERT, ... */
  operation: string;
  table: string;
  sql: string;
  params?: unknown[];
}

export class Database {
  private readonly stability = semconvStabilityFromStr('database', process.env['OTEL_SEMCONV_STABILITY_OPT_IN']);

  private constructor(
    private readonly client: LineClient,
    private readonly name: string,
  ) {}

  static async connect(address: string, name: string): Promise<Database> {
    return new Database(await LineClient.connect(address), name);
  }

  onClosed(handler: (error: Error) => void): void {
    this.client.onClosed(handler);
  }

  query(statement: Statement): Promise<Row[]> {
    const old = (this.stability & SemconvStability.OLD) !== 0;
    const stable = (this.stability & SemconvStability.STABLE) !== 0;
    const spanName = old ? `${statement.operation} ${this.name}.${statement.table}` : `${statement.operation} ${statement.table}`;
    return tracer.startActiveSpan(spanName, { kind: SpanKind.CLIENT, attributes: this.attributes(statement, old, stable) }, async (span) => {
      try {
        const reply = await this.client.request({ sql: statement.sql, params: statement.params ?? [] });
        const rows = Array.isArray(reply['rows']) ? (reply['rows'] as Row[]) : [];
        if (stable) span.setAttribute('db.response.returned_rows', rows.length);
        return rows;
      } catch (error) {
        recordFailure(span, error);
        if (stable) span.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'Error');
        throw error;
      } finally {
        span.end();
      }
    });
  }

  close(): void {
    this.client.close();
  }

  private attributes(statement: Statement, old: boolean, stable: boolean): Attributes {
    const [host, port] = splitAddress(this.client.address);
    const attributes: Attributes = {};
    if (old) {
      Object.assign(attributes, {
        'db.system': 'sqlite',
        'db.name': this.name,
        'db.operation': statement.operation,
        'db.sql.table': statement.table,
        'db.statement': statement.sql,
        'net.peer.name': host,
        'net.peer.port': port,
      });
    }
    if (stable) {
      Object.assign(attributes, {
        'db.system.name': 'sqlite',
        'db.namespace': this.name,
        'db.operation.name': statement.operation,
        'db.collection.name': statement.table,
        'db.query.text': statement.sql,
        'server.address': host,
        'server.port': port,
      });
    }
    return attributes;
  }
}
