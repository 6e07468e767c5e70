// Functions: `name(args...)` generating test data (language.md §3). Randomness and the clock are injectable so
// tests are reproducible; uuid() uses crypto.randomUUID unless a random source is injected.
import type { Signature } from './signature';
import type { CallNode } from './ast';
import { DEFAULT_DATE_FORMAT, DEFAULT_DATE_TIME_FORMAT, formatDate } from './dates';
import type { Attempt } from './errors';
import { fail, ok, quoted } from './errors';
import type { Value } from './values';
import { displayValue, numericValue, valueFromText } from './values';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from './words';

export type FunctionSpec = Signature;

export const FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'uuid', minArgs: 0, maxArgs: 0, usage: 'uuid()', description: 'A random version 4 UUID.' },
  { name: 'firstName', minArgs: 0, maxArgs: 0, usage: 'firstName()', description: 'A random first name.' },
  { name: 'lastName', minArgs: 0, maxArgs: 0, usage: 'lastName()', description: 'A random last name.' },
  { name: 'fullName', minArgs: 0, maxArgs: 0, usage: 'fullName()', description: 'A random first and last name.' },
  { name: 'email', minArgs: 0, maxArgs: 0, usage: 'email()', description: 'A random e-mail address at an example domain.' },
  { name: 'phone', minArgs: 0, maxArgs: 0, usage: 'phone()', description: 'A random 10-digit phone number.' },
  { name: 'creditCard', minArgs: 0, maxArgs: 0, usage: 'creditCard()', description: 'A random 16-digit card number that passes the Luhn check.' },
  { name: 'creditCardCvv', minArgs: 0, maxArgs: 0, usage: 'creditCardCvv()', description: 'A random 3-digit card security code.' },
  { name: 'creditCardExpDate', minArgs: 0, maxArgs: 0, usage: 'creditCardExpDate()', description: 'A card expiry date MM/YY in the coming years.' },
  { name: 'randomInt', minArgs: 2, maxArgs: 2, usage: 'randomInt(min, max)', description: 'A random whole number from min to max, both included.' },
  {
    name: 'date',
    minArgs: 0,
    maxArgs: 1,
    usage: 'date(format?)',
    description: `Today's date (UTC), by default as ${DEFAULT_DATE_FORMAT}. Format tokens: YYYY YY MM DD HH mm ss SSS.`,
  },
  {
    name: 'dateTime',
    minArgs: 0,
    maxArgs: 1,
    usage: 'dateTime(format?)',
    description: 'The current time (UTC), by default in RFC 3339. Format tokens: YYYY YY MM DD HH mm ss SSS.',
  },
];

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}

export interface Sources {
  random?: () => number;
  now?: () => Date;
}

export function callFunction(node: CallNode, args: Value[], sources: Sources): Attempt<Value> {
  const random = sources.random ?? Math.random;
  const now = (): Date => (sources.now ? sources.now() : new Date());
  const text = (s: string): Attempt<Value> => ok(valueFromText(s));
  switch (node.name) {
    case 'uuid':
      return text(sources.random ? uuidFrom(random) : crypto.randomUUID());
    case 'firstName':
      return text(pick(FIRST_NAMES, random));
    case 'lastName':
      return text(pick(LAST_NAMES, random));
    case 'fullName':
      return text(`${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`);
    case 'email':
      return text(`${pick(FIRST_NAMES, random)}.${pick(LAST_NAMES, random)}@${pick(EMAIL_DOMAINS, random)}`.toLowerCase());
    case 'phone':
      return text(`${between(2, 9, random)}${digits(9, random)}`);
    case 'creditCard':
      return text(withLuhnDigit(`4${digits(14, random)}`));
    case 'creditCardCvv':
      return text(digits(3, random));
    case 'creditCardExpDate': {
      const year = (now().getUTCFullYear() + between(1, 5, random)) % 100;
      return text(`${String(between(1, 12, random)).padStart(2, '0')}/${String(year).padStart(2, '0')}`);
    }
    case 'randomInt':
      return randomInt(node, args, random);
    case 'date':
      return text(formatDate(now(), args[0] ? displayValue(args[0]) : DEFAULT_DATE_FORMAT));
    default:
      return text(formatDate(now(), args[0] ? displayValue(args[0]) : DEFAULT_DATE_TIME_FORMAT));
  }
}

function randomInt(node: CallNode, args: Value[], random: () => number): Attempt<Value> {
  const bounds: number[] = [];
  for (const [i, arg] of args.entries()) {
    const d = numericValue(arg);
    const n = d === undefined || d.scale !== 0 ? NaN : Number(d.coefficient);
    if (!Number.isSafeInteger(n)) {
      const at = node.args[i]!;
      return fail('invalid-argument', `randomInt needs whole numbers, got ${quoted(displayValue(arg))}`, at.offset, at.length);
    }
    bounds.push(n);
  }
  const [min, max] = bounds as [number, number];
  if (min > max) return fail('invalid-argument', `randomInt needs min <= max, got ${min} and ${max}`, node.offset, node.length);
  return ok(valueFromText(String(between(min, max, random))));
}

/** A whole number from min to max inclusive; a random source returning 1 still stays in range. */
function between(min: number, max: number, random: () => number): number {
  const span = max - min + 1;
  const r = random();
  return min + Math.min(span - 1, Math.max(0, Number.isFinite(r) ? Math.floor(r * span) : 0));
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[between(0, list.length - 1, random)]!;
}

function digits(count: number, random: () => number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += between(0, 9, random);
  return s;
}

function withLuhnDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Counting from the right of the payload, every first, third... digit is doubled once the check digit is added.
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${payload}${(10 - (sum % 10)) % 10}`;
}

function uuidFrom(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => between(0, 255, random));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
