// Rendering templated trigger fields (language.md §4) before anything is sent. The first error wins and is kept as a
// TriggerFailure that names the field, so a trigger renders all its fields and then checks `failure` once.
import { parseTemplate, renderTemplate, type EvalContext } from '../../core/expression/index';
import type { ExpressionError } from '../../core/expression/index';
import { offsetOf, type AuthDef, type KeyValue, type SourceString, type TriggerDef } from '../../core/testfile/model';
import type { TriggerFailure, TriggerRequest } from './types';

export type ResolvedAuth =
  | { type: 'apiKey'; key: string; value: string; in: 'header' | 'query' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string };

export interface Pair {
  key: string;
  value: string;
}

/** The YAML key holding each trigger type's settings, for field names in messages. */
export function triggerSection(type: TriggerDef['type']): string {
  switch (type) {
    case 'http':
      return 'trigger.httpRequest';
    case 'grpc':
    case 'graphql':
    case 'kafka':
    case 'traceid':
      return `trigger.${type}`;
    case 'playwrightengine':
      return 'trigger.playwrightEngine';
    default:
      return 'trigger';
  }
}

export class Interpolator {
  private first: TriggerFailure | undefined;

  constructor(private readonly ctx: EvalContext) {}

  static for(request: TriggerRequest): Interpolator {
    return new Interpolator({ span: undefined, selectedCount: 0, variables: request.variables, processEnv: request.processEnv });
  }

  /** The first field that could not be rendered; nothing may be sent when set. */
  get failure(): TriggerFailure | undefined {
    return this.first;
  }

  /** Renders one field; after a failure it returns '' so callers can finish building and check once. */
  text(source: SourceString | string, field: string): string {
    if (this.first) return '';
    const text = typeof source === 'string' ? source : source.value;
    if (!text.includes('${')) return text;
    const parsed = parseTemplate(text);
    if (!parsed.ok) return this.fail(source, parsed.error, field);
    const rendered = renderTemplate(parsed.value, this.ctx);
    return rendered.ok ? rendered.value : this.fail(source, rendered.error, field);
  }

  optional(source: SourceString | string | undefined, field: string): string | undefined {
    return source === undefined ? undefined : this.text(source, field);
  }

  pairs(list: readonly KeyValue[], field: string): Pair[] {
    return list.map((kv, i) => ({ key: this.text(kv.key, `${field}[${i}].key`), value: this.text(kv.value, `${field}[${i}].value`) }));
  }

  auth(auth: AuthDef | undefined, field: string): ResolvedAuth | undefined {
    switch (auth?.type) {
      case undefined:
        return undefined;
      case 'apiKey':
        return {
          type: 'apiKey',
          key: this.text(auth.apiKey.key, `${field}.apiKey.key`),
          value: this.text(auth.apiKey.value, `${field}.apiKey.value`),
          in: auth.apiKey.in,
        };
      case 'basic':
        return {
          type: 'basic',
          username: this.text(auth.basic.username, `${field}.basic.username`),
          password: this.text(auth.basic.password, `${field}.basic.password`),
        };
      case 'bearer':
        return { type: 'bearer', token: this.text(auth.bearer.token, `${field}.bearer.token`) };
    }
  }

  private fail(source: SourceString | string, error: ExpressionError, field: string): string {
    const text = typeof source === 'string' ? source : source.value;
    const name = error.kind === 'missing-variable' ? missingName(text, error) : undefined;
    const message = name !== undefined ? `missing variable ${name} in ${field}` : `${field}: ${error.message}`;
    this.first = { message, sent: false, ...(typeof source === 'string' ? {} : { offset: offsetOf(source, error.offset) }) };
    return '';
  }
}

/** The error points at the `var:NAME` / `env:NAME` reference; the name alone reads best in a message. */
function missingName(text: string, error: ExpressionError): string | undefined {
  const reference = /^(?:var|env)\s*:\s*(\S+)$/.exec(text.slice(error.offset, error.offset + error.length).trim());
  return reference?.[1];
}
