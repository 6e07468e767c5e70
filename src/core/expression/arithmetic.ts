// `+ - * /` on two numbers or two durations (language.md §3); any other pair is a type error.
import type { BinaryNode } from './ast';
import type { Decimal } from './decimal';
import { addDecimals, divideDecimals, formatDecimal, multiplyDecimals, subtractDecimals } from './decimal';
import type { Attempt } from './errors';
import { fail, ok, quoted } from './errors';
import type { Value } from './values';
import { displayValue, durationValue, numberValue, numericValue } from './values';

export function applyArithmetic(node: BinaryNode, left: Value, right: Value): Attempt<Value> {
  if (left.type === 'duration' && right.type === 'duration') {
    if (node.op === '/' && right.ns === 0n) return divisionByZero(node);
    return ok(durationValue(onIntegers(node.op, left.ns, right.ns)));
  }
  const a = numericValue(left);
  const b = numericValue(right);
  if (a !== undefined && b !== undefined) {
    const result = onDecimals(node.op, a, b);
    return result === undefined ? divisionByZero(node) : ok(numberValue(formatDecimal(result)));
  }
  const leftFits = a !== undefined || left.type === 'duration';
  const rightFits = b !== undefined || right.type === 'duration';
  if (leftFits && rightFits) {
    return fail(
      'type',
      `\`${node.op}\` needs both sides of one type, got ${kindOf(left)} ${quoted(displayValue(left))} and ${kindOf(right)} ${quoted(displayValue(right))}`,
      node.opOffset,
      1,
    );
  }
  const [bad, at] = leftFits ? [right, node.right] : [left, node.left];
  const shown = bad.type === 'nil' ? 'the empty value' : quoted(displayValue(bad));
  return fail('type', `\`${node.op}\` needs numbers or durations, got ${shown}`, at.offset, at.length);
}

function kindOf(v: Value): string {
  return v.type === 'duration' ? 'a duration' : 'a number';
}

function onIntegers(op: BinaryNode['op'], a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      return a / b;
  }
}

function onDecimals(op: BinaryNode['op'], a: Decimal, b: Decimal): Decimal | undefined {
  switch (op) {
    case '+':
      return addDecimals(a, b);
    case '-':
      return subtractDecimals(a, b);
    case '*':
      return multiplyDecimals(a, b);
    default:
      return divideDecimals(a, b);
  }
}

function divisionByZero(node: BinaryNode): Attempt<never> {
  return fail('invalid-argument', 'division by zero', node.right.offset, node.right.length);
}
