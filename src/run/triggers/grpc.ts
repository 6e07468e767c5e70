// The `grpc` trigger: one unary call with @grpc/grpc-js, the method and its (de)serializers from
// @grpc/proto-loader over the proto loaded by grpc-proto.ts.
//
// Address: `host:port` (or any grpc-js target such as `dns:///host:port`) and `http://host:port` use a plaintext
// channel, as Tracetest does; `https://host:port` and `grpcs://host:port` use TLS with the system's CAs.
// A status other than OK is a response (assertions decide); failing to connect or to hear back in time is a failure.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { GrpcTrigger } from '../../core/testfile/model';
import { withTraceContext } from './context';
import { fieldText, looksLikeFileName } from './files';
import { findMethod, loadProto } from './grpc-proto';
import { requestMessage } from './grpc-request';
import { basicCredentials } from './http-send';
import { Interpolator, type Pair, type ResolvedAuth } from './interpolate';
import { ATTR_BODY, ATTR_HEADERS, ATTR_STATUS, errorText, failed, formatTimeout, nowNanos } from './outcome';
import type { TriggerFailure, TriggerOutcome, TriggerRequest } from './types';

const FIELD = 'trigger.grpc';

/**
 * Attributes beyond `tracetest.response.*`:
 * - `tracetest.request.address`, `tracetest.request.method` (`package.Service/method`): what was called;
 * - `tracelens.response.status_message`: the status details when the status is not OK (the body is then empty).
 */
export const ATTR_REQUEST_ADDRESS = 'tracetest.request.address';
export const ATTR_REQUEST_GRPC_METHOD = 'tracetest.request.method';
export const ATTR_STATUS_MESSAGE = 'tracelens.response.status_message';

/** Timers may fire a millisecond early; a server's own DEADLINE_EXCEEDED this close to ours is ours anyway. */
const DEADLINE_SLACK_MS = 20;

/** Proto3 JSON of the response: defaults included, 64-bit integers as strings, enums by name, bytes as base64. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  arrays: true,
  objects: true,
  json: true,
};

export async function runGrpc(request: TriggerRequest, trigger: GrpcTrigger): Promise<TriggerOutcome> {
  if (!trigger.protobufFile || trigger.protobufFile.value.trim() === '') {
    return failed(`${FIELD}.protobufFile: a gRPC trigger needs the service's proto definition (inline text or a file path)`);
  }
  const proto = await fieldText(trigger.protobufFile.value, request.testFile, `${FIELD}.protobufFile`, request.files);
  if (!proto.ok) return proto;
  if (!proto.path && looksLikeFileName(proto.text, ['.proto'])) {
    return failed(`${FIELD}.protobufFile: file ${proto.text.trim()} not found next to the test file`);
  }

  const render = Interpolator.for(request);
  const address = render.text(trigger.address, `${FIELD}.address`).trim();
  const service = render.optional(trigger.service, `${FIELD}.service`);
  const methodText = render.text(trigger.method, `${FIELD}.method`);
  const requestText = render.optional(trigger.request, `${FIELD}.request`);
  const userMetadata = render.pairs(trigger.metadata, `${FIELD}.metadata`);
  const auth = render.auth(trigger.auth, `${FIELD}.auth`);
  if (render.failure) return { ok: false, error: render.failure };

  const target = grpcTarget(address);
  if (!target.ok) return failed(`${FIELD}.address: ${target.reason}`);
  const root = await loadProto(proto.text, proto.path, request.testFile, request.files);
  if (!root.ok) return failed(`${FIELD}.protobufFile: ${root.reason}`);
  const found = findMethod(root.value, service, methodText);
  if (!found.ok) return failed(`${FIELD}.method: ${found.reason}`);
  const { method, path, serviceName } = found.value;
  if (method.requestStream || method.responseStream) {
    return failed(`${FIELD}.method: ${serviceName}.${method.name} is a streaming method; only unary methods can be triggered`);
  }
  const body = requestMessage(method.resolvedRequestType!, requestText);
  if (!body.ok) return failed(`${FIELD}.request: ${body.reason}`);
  const metadata = buildMetadata(userMetadata, auth, request.context);
  if (!metadata.ok) return { ok: false, error: metadata.error };

  let definition: protoLoader.MethodDefinition<object, object>;
  try {
    const pkg = protoLoader.fromJSON(root.value.toJSON(), LOADER_OPTIONS);
    definition = (pkg[serviceName] as protoLoader.ServiceDefinition)[method.name] as protoLoader.MethodDefinition<object, object>;
  } catch (error) {
    return failed(`${FIELD}.protobufFile: ${errorText(error)}`);
  }
  return call({ target, address, path, definition, message: body.value, metadata: metadata.value, request });
}

type Target = { ok: true; target: string; tls: boolean } | { ok: false; reason: string };

function grpcTarget(address: string): Target {
  if (address === '') return { ok: false, reason: 'the address is empty (expected host:port)' };
  const url = /^(https?|grpcs?):\/\/([^/?#]+)[^?#]*$/i.exec(address);
  if (!url)
    return /\s/.test(address) ? { ok: false, reason: `\`${address}\` is not an address (expected host:port)` } : { ok: true, target: address, tls: false };
  const tls = /^(https|grpcs)$/i.test(url[1]!);
  const host = url[2]!;
  return { ok: true, target: /:\d+$/.test(host) ? host : `${host}:${tls ? 443 : 80}`, tls };
}

/** Auth as gRPC metadata: `authorization` for basic and bearer; an apiKey becomes metadata whatever its `in`. */
function withGrpcAuth(metadata: Pair[], auth: ResolvedAuth | undefined): Pair[] {
  if (!auth) return metadata;
  const pair: Pair =
    auth.type === 'apiKey'
      ? { key: auth.key, value: auth.value }
      : { key: 'authorization', value: auth.type === 'basic' ? basicCredentials(auth.username, auth.password) : `Bearer ${auth.token}` };
  return [...metadata.filter((m) => m.key.toLowerCase() !== pair.key.toLowerCase()), pair];
}

/** grpc-js throws on keys or values it cannot send; each entry is tried alone first so the message can name it. */
function buildMetadata(
  user: readonly Pair[],
  auth: ResolvedAuth | undefined,
  context: TriggerRequest['context'],
): { ok: true; value: grpc.Metadata } | { ok: false; error: TriggerFailure } {
  const problem = (pairs: readonly Pair[]): string | undefined => {
    try {
      addAll(new grpc.Metadata(), pairs);
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  };
  for (const [i, pair] of user.entries()) {
    const why = problem([pair]);
    if (why) return { ok: false, error: { message: `${FIELD}.metadata[${i}]: ${why}`, sent: false } };
  }
  const withAuth = withGrpcAuth([...user], auth);
  const authProblem = problem(withAuth);
  if (authProblem) return { ok: false, error: { message: `${FIELD}.auth: ${authProblem}`, sent: false } };
  const metadata = new grpc.Metadata();
  addAll(metadata, withTraceContext(withAuth, context));
  return { ok: true, value: metadata };
}

/** Keys are sent lowercase; `-bin` values are written as base64. */
function addAll(metadata: grpc.Metadata, pairs: readonly Pair[]): void {
  for (const { key, value } of pairs) {
    const lower = key.toLowerCase();
    if (lower.endsWith('-bin')) metadata.add(lower, Buffer.from(value, 'base64'));
    else metadata.add(lower, value);
  }
}

function metadataPairs(metadata: grpc.Metadata | undefined): Pair[] {
  if (!metadata) return [];
  return Object.entries(metadata.toJSON()).flatMap(([key, values]) =>
    values.map((v) => ({ key, value: typeof v === 'string' ? v : Buffer.from(v).toString('base64') })),
  );
}

/** grpc-js says "No connection established. Last error: Error: connect ECONNREFUSED …. Resolution note: "; keep the cause. */
function connectError(details: string): string {
  const cause = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/s.exec(details)?.[1];
  return cause ? `${cause} (UNAVAILABLE)` : `${details} (UNAVAILABLE)`;
}

interface Call {
  target: { target: string; tls: boolean };
  address: string;
  path: string;
  definition: protoLoader.MethodDefinition<object, object>;
  message: Record<string, unknown>;
  metadata: grpc.Metadata;
  request: TriggerRequest;
}

function call(c: Call): Promise<TriggerOutcome> {
  const { request } = c;
  const what = `${c.address} ${c.path}`;
  const startTime = nowNanos();
  if (request.signal?.aborted) return Promise.resolve(failed(`${what}: cancelled`, false, { startTime, endTime: startTime }));
  const credentials = c.target.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
  let client: grpc.Client;
  try {
    client = new grpc.Client(c.target.target, credentials);
  } catch (error) {
    return Promise.resolve(failed(`${FIELD}.address: ${errorText(error)}`));
  }

  return new Promise<TriggerOutcome>((resolvePromise) => {
    let headers: grpc.Metadata | undefined;
    let response: object | undefined;
    const deadline = Date.now() + request.timeoutMs;
    const unary = client.makeUnaryRequest(
      c.path,
      (value: object) => c.definition.requestSerialize(value),
      (bytes: Buffer) => c.definition.responseDeserialize(bytes),
      c.message,
      c.metadata,
      { deadline },
      (_error, value) => {
        response = value;
      },
    );
    const cancel = (): void => unary.cancel();
    request.signal?.addEventListener('abort', cancel, { once: true });
    unary.on('metadata', (m: grpc.Metadata) => {
      headers = m;
    });
    unary.on('status', (status: grpc.StatusObject) => {
      request.signal?.removeEventListener('abort', cancel);
      client.close();
      const times = { startTime, endTime: nowNanos() };
      if (request.signal?.aborted) return resolvePromise(failed(`${what}: cancelled`, true, times));
      if (!headers && status.code === grpc.status.UNAVAILABLE) {
        return resolvePromise(failed(`${what}: could not connect: ${connectError(status.details)}`, false, times));
      }
      // Our own deadline passing is a timeout; a DEADLINE_EXCEEDED the server sends earlier is its answer.
      if (status.code === grpc.status.DEADLINE_EXCEEDED && Date.now() >= deadline - DEADLINE_SLACK_MS) {
        return resolvePromise(failed(`${what}: no response within ${formatTimeout(request.timeoutMs)}`, true, times));
      }
      const attributes = new Map<string, string>([
        [ATTR_STATUS, String(status.code)],
        [ATTR_BODY, status.code === grpc.status.OK && response !== undefined ? JSON.stringify(response) : ''],
        [ATTR_HEADERS, JSON.stringify([...metadataPairs(headers), ...metadataPairs(status.metadata)])],
        [ATTR_REQUEST_ADDRESS, c.address],
        [ATTR_REQUEST_GRPC_METHOD, c.path.slice(1)],
      ]);
      if (status.code !== grpc.status.OK) attributes.set(ATTR_STATUS_MESSAGE, status.details);
      resolvePromise({ ok: true, value: { traceId: request.context.traceId, ...times, status: status.code, attributes, sent: true } });
    });
  });
}
