// YAML `Test` documents → TestDef, with the legacy spec forms normalised.
import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import type { AuthDef, KafkaTrigger, OutputDef, SourceString, SpecDef, TestDef, TriggerDef } from './model';
import type { YamlReader } from './reader';
import { contentRange, type YamlNode } from './yaml-nodes';

export function convertTest(r: YamlReader, spec: YAMLMap.Parsed): TestDef {
  return {
    kind: 'Test',
    id: r.string(spec, 'id'),
    name: r.string(spec, 'name'),
    description: r.string(spec, 'description'),
    trigger: convertTrigger(r, r.map(spec, 'trigger')!),
    specs: convertSpecs(r, r.node(spec, 'specs')),
    outputs: r.list(spec, 'outputs').flatMap((item) => (isMap(item) ? [convertOutput(r, item)] : [])),
    skipTraceCollection: r.boolean(spec, 'skipTraceCollection') ?? false,
    pollingProfile: r.string(spec, 'pollingProfile'),
  };
}

function convertTrigger(r: YamlReader, trigger: YAMLMap.Parsed): TriggerDef {
  const type = r.required(trigger, 'type').value;
  switch (type) {
    case 'http': {
      const http = r.map(trigger, 'httpRequest')!;
      return {
        type,
        method: r.string(http, 'method')?.value ?? 'GET',
        url: r.required(http, 'url'),
        headers: r.keyValues(http, 'headers'),
        body: r.string(http, 'body'),
        auth: convertAuth(r, r.map(http, 'auth')),
        sslVerification: r.boolean(http, 'sslVerification') ?? false,
      };
    }
    case 'grpc': {
      const grpc = r.map(trigger, 'grpc')!;
      return {
        type,
        protobufFile: r.string(grpc, 'protobufFile'),
        address: r.required(grpc, 'address'),
        service: r.string(grpc, 'service'),
        method: r.required(grpc, 'method'),
        request: r.string(grpc, 'request'),
        metadata: r.keyValues(grpc, 'metadata'),
        auth: convertAuth(r, r.map(grpc, 'auth')),
      };
    }
    case 'graphql': {
      const graphql = r.map(trigger, 'graphql')!;
      const body = r.map(graphql, 'body');
      return {
        type,
        url: r.required(graphql, 'url'),
        headers: r.keyValues(graphql, 'headers'),
        auth: convertAuth(r, r.map(graphql, 'auth')),
        body: {
          query: r.string(body, 'query'),
          variables: variablesText(r, r.node(body, 'variables')),
          operationName: r.string(body, 'operationName'),
        },
        sslVerification: r.boolean(graphql, 'sslVerification') ?? false,
        schema: r.string(graphql, 'schema'),
      };
    }
    case 'kafka':
      return convertKafka(r, r.map(trigger, 'kafka')!);
    case 'traceid':
      return { type, id: r.string(r.map(trigger, 'traceid'), 'id') };
    case 'playwrightengine': {
      const playwright = r.map(trigger, 'playwrightEngine')!;
      return { type, target: r.required(playwright, 'target'), script: r.required(playwright, 'script'), method: r.required(playwright, 'method') };
    }
    default:
      return { type: type as 'cypress' | 'playwright' | 'k6' | 'artillery' };
  }
}

/** GraphQL variables may be written as a map; the request needs them as JSON text. */
function variablesText(r: YamlReader, node: YamlNode | undefined): SourceString | undefined {
  if (!node) return undefined;
  if (isScalar(node)) return r.scalar(node);
  return { value: JSON.stringify(r.plain(node)), range: contentRange(r.text, node.range[0], node.range[1]) };
}

function convertKafka(r: YamlReader, kafka: YAMLMap.Parsed): KafkaTrigger {
  const authentication = r.map(kafka, 'authentication');
  const plain = r.map(authentication, 'plain');
  return {
    type: 'kafka',
    brokerUrls: r.strings(kafka, 'brokerUrls'),
    topic: r.required(kafka, 'topic'),
    headers: r.keyValues(kafka, 'headers'),
    messageKey: r.string(kafka, 'messageKey'),
    messageValue: r.string(kafka, 'messageValue'),
    sslVerification: r.boolean(kafka, 'sslVerification') ?? false,
    authentication: plain ? { type: 'plain', plain: { username: r.required(plain, 'username'), password: r.required(plain, 'password') } } : undefined,
  };
}

function convertAuth(r: YamlReader, auth: YAMLMap.Parsed | undefined): AuthDef | undefined {
  if (!auth) return undefined;
  const type = r.string(auth, 'type')?.value;
  const settings = r.map(auth, type ?? '');
  if (!settings) return undefined;
  switch (type) {
    case 'apiKey':
      return {
        type,
        apiKey: {
          key: r.required(settings, 'key'),
          value: r.required(settings, 'value'),
          in: r.string(settings, 'in')?.value === 'query' ? 'query' : 'header',
        },
      };
    case 'basic':
      return { type, basic: { username: r.required(settings, 'username'), password: r.required(settings, 'password') } };
    case 'bearer':
      return { type, bearer: { token: r.required(settings, 'token') } };
    default:
      return undefined;
  }
}

/** Specs as a list of `{selector, name, assertions}`, or the legacy map `{<selector>: {name, assertions}}`. */
function convertSpecs(r: YamlReader, specs: YamlNode | undefined): SpecDef[] {
  if (isMap(specs)) {
    return specs.items.flatMap((pair) => {
      const body = r.resolve(pair.value);
      if (!isScalar(pair.key) || !isMap(body)) return [];
      const selector = r.scalar(pair.key as Scalar.Parsed);
      return [specDef(r, body, selector, selector.range.start)];
    });
  }
  return r.items(specs).flatMap((item) => (isMap(item) ? [specDef(r, item, selectorOf(r, item), item.range[0])] : []));
}

function specDef(r: YamlReader, body: YAMLMap.Parsed, selector: SourceString, start: number): SpecDef {
  return { name: r.string(body, 'name'), selector, assertions: r.strings(body, 'assertions'), range: contentRange(r.text, start, body.range[1]) };
}

function convertOutput(r: YamlReader, output: YAMLMap.Parsed): OutputDef {
  return {
    name: r.required(output, 'name'),
    selector: selectorOf(r, output),
    value: r.required(output, 'value'),
    range: contentRange(r.text, output.range[0], output.range[1]),
  };
}

/** `selector: <text>` or the older `selector: {query: <text>}`. */
function selectorOf(r: YamlReader, item: YAMLMap.Parsed): SourceString {
  return r.string(r.map(item, 'selector'), 'query') ?? r.required(item, 'selector');
}
