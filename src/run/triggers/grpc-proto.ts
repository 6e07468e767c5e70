// Proto definitions for the `grpc` trigger: inline text or a file, imports resolved next to the importing file and
// then next to the test file (google/protobuf/* are bundled with protobufjs), and the method the trigger names.
// Imports are file references like the proto itself: they must be inside the project root (files.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import * as protobuf from 'protobufjs';
import { outsideMessage, outsideRoot, type FileReferences } from './files';
import { errorText } from './outcome';

type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Entry name for inline proto text: a file in the test's folder, so its imports resolve there; never read from disk. */
const INLINE_NAME = '(inline protobufFile).proto';

/**
 * Field names become lowerCamelCase (keepCase off), the proto3 JSON names the response is written with; requests
 * may use either form (see grpc-request.ts).
 */
export async function loadProto(text: string, path: string | undefined, testFile: string, files: FileReferences): Promise<Loaded<protobuf.Root>> {
  const baseDir = dirname(testFile);
  const entry = path ?? join(baseDir, INLINE_NAME);
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (isAbsolute(target)) return target;
    const candidates = [...(origin ? [resolve(dirname(origin), target)] : []), resolve(baseDir, target)];
    return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
  };
  root.fetch = (file, fetched) => {
    // protobufjs's typings demand an Error even on success.
    const callback = fetched as (error: Error | null, contents?: string) => void;
    if (file === entry) return callback(null, text);
    const shown = relative(baseDir, file) || basename(file);
    void outsideRoot(file, files).then(async (outside) => {
      if (outside !== undefined) return callback(new Error(`import ${outsideMessage(shown, outside, files)}`));
      try {
        callback(null, await readFile(file, 'utf8'));
      } catch (error) {
        callback(new Error(`cannot read imported file ${shown} (${(error as NodeJS.ErrnoException).code ?? errorText(error)})`));
      }
    });
  };
  try {
    await root.load(entry, { keepCase: false });
    root.resolveAll();
    return { ok: true, value: root };
  } catch (error) {
    return { ok: false, reason: withoutContent(errorText(error).replaceAll(entry, path ? basename(path) : 'inline proto')) };
  }
}

/**
 * protobufjs quotes the text it stumbled on (`illegal token 'root:x:0:0:root' (passwd, line 1)`): that is the file's
 * content, which no message repeats. Its `illegal token 'null'` is the end of a truncated file.
 */
function withoutContent(message: string): string {
  return message.replace(/illegal \w+ '([\s\S]*)' \(/, (_match, token: string) => (token === 'null' ? 'unexpected end of text (' : 'syntax error ('));
}

export interface FoundMethod {
  /** `package.Service` */
  serviceName: string;
  method: protobuf.Method;
  /** `/package.Service/method`, the HTTP/2 path. */
  path: string;
}

function servicesIn(ns: protobuf.NamespaceBase): protobuf.Service[] {
  return ns.nestedArray.flatMap((child) => {
    const nested = child instanceof protobuf.Namespace ? servicesIn(child) : [];
    return child instanceof protobuf.Service ? [child, ...nested] : nested;
  });
}

const fullName = (s: protobuf.ReflectionObject): string => s.fullName.replace(/^\./, '');

/**
 * `package.Service.method` (also `package.Service/method`), or `service` + a short method name as some Tracetest
 * files have it; a service may be named without its package when that is unambiguous.
 */
export function findMethod(root: protobuf.Root, serviceText: string | undefined, methodText: string): Loaded<FoundMethod> {
  const services = servicesIn(root);
  if (services.length === 0) return { ok: false, reason: 'the proto defines no service' };
  const methodPath = methodText.trim().replace(/^\//, '').replace('/', '.');
  if (methodPath === '') return { ok: false, reason: 'the method is empty (expected package.Service.method)' };

  let serviceName = serviceText?.trim() ?? '';
  let methodName = methodPath;
  const dot = methodPath.lastIndexOf('.');
  if (dot >= 0) {
    const prefix = methodPath.slice(0, dot);
    if (serviceName !== '' && !sameService(prefix, serviceName) && !sameService(serviceName, prefix)) {
      return { ok: false, reason: `method \`${methodText.trim()}\` is not in service \`${serviceName}\`` };
    }
    if (prefix.length > serviceName.length) serviceName = prefix;
    methodName = methodPath.slice(dot + 1);
  }

  const candidates = serviceName === '' ? services : services.filter((s) => sameService(fullName(s), serviceName));
  if (candidates.length === 0) {
    return { ok: false, reason: `no service \`${serviceName}\` in the proto (services: ${services.map(fullName).join(', ')})` };
  }
  if (candidates.length > 1 && serviceName !== '' && !candidates.some((s) => fullName(s) === serviceName)) {
    return { ok: false, reason: `service \`${serviceName}\` is ambiguous (${candidates.map(fullName).join(', ')}): write it with its package` };
  }
  const inService = (s: protobuf.Service): protobuf.Method[] => {
    const exact = s.methodsArray.filter((m) => m.name === methodName);
    return exact.length > 0 ? exact : s.methodsArray.filter((m) => m.name.toLowerCase() === methodName.toLowerCase());
  };
  const exactService = candidates.find((s) => fullName(s) === serviceName);
  const matches = (exactService ? [exactService] : candidates).flatMap((s) => inService(s).map((method) => ({ service: s, method })));
  if (matches.length === 0) {
    const where = candidates.length === 1 ? `service ${fullName(candidates[0]!)}` : 'the proto';
    const known = candidates.flatMap((s) => s.methodsArray.map((m) => (candidates.length === 1 ? m.name : `${fullName(s)}.${m.name}`)));
    return { ok: false, reason: `no method \`${methodName}\` in ${where} (methods: ${known.join(', ')})` };
  }
  if (matches.length > 1) {
    const names = matches.map((m) => `${fullName(m.service)}.${m.method.name}`).join(', ');
    return { ok: false, reason: `method \`${methodName}\` is ambiguous (${names}): write package.Service.method` };
  }
  const { service, method } = matches[0]!;
  method.resolve();
  return { ok: true, value: { serviceName: fullName(service), method, path: `/${fullName(service)}/${method.name}` } };
}

/** `pokeshop.Pokeshop` matches `pokeshop.Pokeshop` and `Pokeshop`. */
function sameService(full: string, written: string): boolean {
  const name = written.replace(/^\./, '');
  return full === name || full.endsWith(`.${name}`);
}
