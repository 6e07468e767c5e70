// Text widths from a canvas context, so SVG nodes can be sized to their text before layout and canvas nodes can
// cut long names with an ellipsis. Whole strings' widths are cached: a trace repeats its names a lot.
import type { Palette } from '../../theme';

interface Fonts {
  /** The span name (second line). */
  name: string;
  /** Service, type, duration and badges (first line, smaller). */
  small: string;
}

export function fontsOf(palette: Palette): Fonts {
  return { name: `${palette.fontSize - 1}px ${palette.fontFamily}`, small: `${palette.fontSize - 2}px ${palette.fontFamily}` };
}

/** The two fonts' measures, shared by the view and its renderers (replaced when the theme's font changes). */
export interface TextFits {
  name: TextFit;
  small: TextFit;
}

export class TextFit {
  private readonly context: CanvasRenderingContext2D;
  private readonly widths = new Map<string, number>();

  constructor(readonly font: string) {
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('no 2d canvas context');
    context.font = font;
    this.context = context;
  }

  width(text: string): number {
    let w = this.widths.get(text);
    if (w === undefined) {
      w = this.context.measureText(text).width;
      this.widths.set(text, w);
    }
    return w;
  }

  /** `text`, or its longest prefix that fits in `max` with an ellipsis. */
  fit(text: string, max: number): string {
    if (this.width(text) <= max) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.context.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
      else hi = mid - 1;
    }
    return lo === 0 ? '' : `${text.slice(0, lo)}…`;
  }
}
