// Validated YAML documents → typed resources.
import { isMap, type YAMLMap } from 'yaml';
import { convertTest } from './convert-test';
import { parseGoDuration } from './durations';
import type { AnalyzerErrorLevel, ResourceDef, ResourceKind, SourceString, VariableDef } from './model';
import type { YamlReader } from './reader';

export function convertResource(r: YamlReader, kind: ResourceKind, typeName: string, spec: YAMLMap.Parsed): ResourceDef {
  const id = r.string(spec, 'id');
  const name = r.string(spec, 'name');
  switch (kind) {
    case 'Test':
      return convertTest(r, spec);
    case 'TestSuite':
      return {
        kind,
        alias: typeName === 'Transaction' ? 'Transaction' : 'TestSuite',
        id,
        name,
        description: r.string(spec, 'description'),
        steps: r.strings(spec, 'steps'),
      };
    case 'VariableSet':
      return {
        kind,
        alias: typeName === 'Environment' ? 'Environment' : 'VariableSet',
        id,
        name,
        description: r.string(spec, 'description'),
        values: r.list(spec, 'values').flatMap((item): VariableDef[] => (isMap(item) ? [convertVariable(r, item)] : [])),
      };
    case 'PollingProfile': {
      const periodic = r.map(spec, 'periodic');
      return {
        kind,
        id,
        name,
        default: r.boolean(spec, 'default') ?? false,
        retryDelayMs: milliseconds(r.string(periodic, 'retryDelay')),
        timeoutMs: milliseconds(r.string(periodic, 'timeout')),
        selectorMatchRetries: r.number(periodic, 'selectorMatchRetries'),
        ...optional('exportDelayMs', milliseconds(r.string(periodic, 'exportDelay'))),
      };
    }
    case 'DataStore': {
      const type = r.required(spec, 'type').value;
      const settings = r.plain(r.node(spec, type));
      return { kind, id, name, type, default: r.boolean(spec, 'default') ?? false, settings: isRecord(settings) ? settings : {} };
    }
    case 'Analyzer':
      return {
        kind,
        id,
        name,
        enabled: r.boolean(spec, 'enabled'),
        minimumScore: r.number(spec, 'minimumScore'),
        plugins: r.list(spec, 'plugins').flatMap((plugin) =>
          isMap(plugin)
            ? [
                {
                  id: r.required(plugin, 'id'),
                  enabled: r.boolean(plugin, 'enabled'),
                  rules: r.list(plugin, 'rules').flatMap((rule) =>
                    isMap(rule)
                      ? [
                          {
                            id: r.required(rule, 'id'),
                            weight: r.number(rule, 'weight'),
                            errorLevel: r.string(rule, 'errorLevel')?.value as AnalyzerErrorLevel | undefined,
                          },
                        ]
                      : [],
                  ),
                },
              ]
            : [],
        ),
      };
    case 'TestRunner':
      return { kind, id, name, requiredGates: r.node(spec, 'requiredGates') ? r.strings(spec, 'requiredGates') : undefined };
    default:
      return { kind, spec: r.plain(spec) as Record<string, unknown> };
  }
}

/** `{key: value}`, or nothing when the value is absent: fields Tracetest files never have stay off their models. */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]?: V });
}

function convertVariable(r: YamlReader, item: YAMLMap.Parsed): VariableDef {
  const type = r.string(item, 'type')?.value === 'secret' ? 'secret' : 'raw';
  return { key: r.required(item, 'key'), value: r.required(item, 'value'), type };
}

function milliseconds(duration: SourceString | undefined): number | undefined {
  return duration ? parseGoDuration(duration.value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
