// Span and trace ids arrive as hex (any case), base64 or raw bytes; the span model keeps lowercase hex.
import { bytesToHex } from '../values';

export type IdBytes = 8 | 16;

/** True for an absent id: missing, empty text or zero bytes. */
export function isAbsentId(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (value instanceof Uint8Array && value.length === 0);
}

/**
 * OTLP ids: hex of exactly 2×bytes digits, else base64 of exactly `bytes` bytes (Tempo and older exporters),
 * else raw bytes (protobuf). The expected length makes hex and base64 unambiguous. Undefined when none fits.
 */
export function otlpIdToHex(value: unknown, bytes: IdBytes): string | undefined {
  if (value instanceof Uint8Array) return value.length === bytes ? bytesToHex(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  const decoded = base64ToBytes(value);
  return decoded && decoded.length === bytes ? bytesToHex(decoded) : undefined;
}

/** Jaeger ids are hex without leading zeros (a 64-bit trace id has at most 16 digits): left-pad them. */
export function jaegerIdToHex(value: unknown, bytes: IdBytes): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > bytes * 2 || !HEX.test(value)) return undefined;
  return value.toLowerCase().padStart(bytes * 2, '0');
}

export function isZeroId(hex: string): boolean {
  return /^0+$/.test(hex);
}

/** Standard or URL-safe base64, padding optional; undefined when the text is not base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, ''));
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
