// Date formats of date() and dateTime(): YYYY, YY, MM, DD, HH, mm, ss and SSS, in UTC so runs agree across machines.

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DD';
/** RFC 3339 in UTC. */
export const DEFAULT_DATE_TIME_FORMAT = 'YYYY-MM-DDTHH:mm:ssZ';

const TOKENS = /YYYY|YY|MM|DD|HH|mm|ss|SSS/g;

export function formatDate(date: Date, format: string): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return format.replace(TOKENS, (token) => {
    switch (token) {
      case 'YYYY':
        return pad(date.getUTCFullYear(), 4);
      case 'YY':
        return pad(date.getUTCFullYear() % 100);
      case 'MM':
        return pad(date.getUTCMonth() + 1);
      case 'DD':
        return pad(date.getUTCDate());
      case 'HH':
        return pad(date.getUTCHours());
      case 'mm':
        return pad(date.getUTCMinutes());
      case 'ss':
        return pad(date.getUTCSeconds());
      default:
        return pad(date.getUTCMilliseconds(), 3);
    }
  });
}
