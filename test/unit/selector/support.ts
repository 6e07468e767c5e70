// Shared helpers for the selector tests: a small Pokeshop-like trace and assertions on what a selector selects.
import assert from 'node:assert/strict';
import { parseSelector, select } from '../../../src/core/selector';
import type { SelectorAst } from '../../../src/core/selector';
import type { SourceError } from '../../../src/core/text-position';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from '../../support/trace-builder';

/**
 * Tracetest trigger
 * └ POST /pokemon                        server, http
 *   ├ validate request                   internal
 *   ├ create pokeshop.pokemon            client, database, 5 ms
 *   └ queue.synchronizePokemon publish   producer, messaging
 *     └ queue.synchronizePokemon process consumer, messaging (service worker)
 *       └ import pokemon                 internal (service worker)
 *         └ GET pokeapi                  client, http, 404
 */
export function pokeshopTrace(): Trace {
  return new TraceBuilder()
    .span('POST /pokemon', { kind: 'server', attrs: { 'http.method': 'POST', 'http.route': '/pokemon', 'http.status_code': 201 } })
    .span('validate request', { parent: 'POST /pokemon', attrs: { 'validation.is_valid': true } })
    .span('create pokeshop.pokemon', {
      parent: 'POST /pokemon',
      kind: 'client',
      durationMs: 5,
      attrs: { 'db.system': 'postgres', 'db.operation': 'create', 'db.sql.table': 'pokemon' },
    })
    .span('queue.synchronizePokemon publish', {
      parent: 'POST /pokemon',
      kind: 'producer',
      attrs: { 'messaging.system': 'rabbitmq', 'messaging.destination': 'queue.synchronizePokemon', 'messaging.operation': 'publish' },
    })
    .span('queue.synchronizePokemon process', {
      parent: 'queue.synchronizePokemon publish',
      kind: 'consumer',
      service: 'worker',
      attrs: { 'messaging.system': 'rabbitmq', 'messaging.operation': 'process' },
    })
    .span('import pokemon', { parent: 'queue.synchronizePokemon process', service: 'worker' })
    .span('GET pokeapi', { parent: 'import pokemon', kind: 'client', service: 'worker', attrs: { 'http.method': 'GET', 'http.status_code': 404 } })
    .build();
}

/** Names of the selected spans, in the order `select` returns them; fails the test on a parse error. */
export function selected(trace: Trace, selector: string, label: (span: Trace['spans'][number]) => string = (s) => s.name): string[] {
  const result = select(trace, selector);
  if (!result.ok) assert.fail(`selector ${JSON.stringify(selector)} did not parse: ${result.error.message}`);
  return result.value.map(label);
}

/** Values of the `label` attribute of the selected spans, for traces whose spans share names. */
export function selectedLabels(trace: Trace, selector: string): string[] {
  return selected(trace, selector, (s) => s.flat.get('label') ?? `<${s.name}>`);
}

export function parsed(selector: string): SelectorAst {
  const result = parseSelector(selector);
  if (!result.ok) assert.fail(`selector ${JSON.stringify(selector)} did not parse: ${result.error.message}`);
  return result.value;
}

export function parseError(selector: string): SourceError {
  const result = parseSelector(selector);
  if (result.ok) assert.fail(`selector ${JSON.stringify(selector)} parsed but should not have`);
  return result.error;
}

/** The AST without positions, to compare the structure of two parses. */
export function shape(ast: SelectorAst): unknown {
  return JSON.parse(JSON.stringify(ast, (key, value) => (key === 'offset' || key === 'length' || key === 'argument' || key === 'quoted' ? undefined : value)));
}
