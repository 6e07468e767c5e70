// language.md §5: the deliberate fixes that concern assertion expressions (4, 5 and 9).
import { test } from 'node:test';
import { fails, holds } from './support';

test('deviation 4: < > <= >= accept decimals (1.5 > 1 holds)', () => {
  holds('1.5 > 1');
  holds('0.25 < 0.3');
  holds('2.0 >= 2');
  fails('1.5 <= 1');
});

test('deviation 5: arithmetic follows the usual precedence (2 + 3 * 4 = 14)', () => {
  holds('2 + 3 * 4 = 14');
  fails('2 + 3 * 4 = 20');
});

test('deviation 5: arithmetic accepts parentheses', () => {
  holds('(2 + 3) * 4 = 20');
  holds('2 * (10 - (3 + 4)) = 6');
});

test('deviation 9: length of a string counts characters, not bytes', () => {
  holds('"héllo" | length = 5');
  holds('"日本語" | length = 3');
  holds('"👍🏽" | length = 2');
});
