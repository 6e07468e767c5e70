// Colours come from the VS Code theme's CSS variables only. Canvas drawing cannot use `var(...)`, so the values are
// read into a Palette, and read again when the theme changes (VS Code swaps the body's class and the variables).

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  border: string;
  /** Lines between spans. */
  lines: string;
  selection: string;
  focus: string;
  /** Matches of the selector or the search. */
  highlight: string;
  error: string;
  passed: string;
  failed: string;
  /** Service colours, in order; service i gets services[i % length]. */
  services: string[];
  fontFamily: string;
  fontSize: number;
}

/** No red and no green: in a test tool they say failed and passed, and a healthy service must not look broken. */
const SERVICE_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
];

export function readPalette(root: Element = document.documentElement): Palette {
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-foreground', '#cccccc');
  const services = SERVICE_VARIABLES.map((v) => read(v, '')).filter((c) => c !== '');
  return {
    foreground,
    muted: read('--vscode-descriptionForeground', foreground),
    background: read('--vscode-editor-background', '#1e1e1e'),
    border: read('--vscode-panel-border', read('--vscode-widget-border', '#444444')),
    lines: read('--vscode-charts-lines', '#808080'),
    selection: read('--vscode-focusBorder', '#007fd4'),
    focus: read('--vscode-focusBorder', '#007fd4'),
    highlight: read('--vscode-editor-findMatchBorder', read('--vscode-charts-yellow', '#cca700')),
    error: read('--vscode-errorForeground', '#f48771'),
    passed: read('--vscode-testing-iconPassed', read('--vscode-charts-green', '#73c991')),
    failed: read('--vscode-testing-iconFailed', read('--vscode-charts-red', '#f14c4c')),
    services: services.length > 0 ? services : ['#3794ff', '#d18616', '#b180d7', '#cca700', '#11a8cd', '#bc3fbc'],
    fontFamily: read('--vscode-font-family', 'sans-serif'),
    fontSize: Number.parseFloat(read('--vscode-font-size', '13')) || 13,
  };
}

export function serviceColor(palette: Palette, serviceIndex: number): string {
  return palette.services[serviceIndex % palette.services.length]!;
}

/** Calls `changed` with a fresh palette whenever VS Code changes the theme (the body's class or the root style). */
export function watchTheme(changed: (palette: Palette) => void): () => void {
  const observer = new MutationObserver(() => changed(readPalette()));
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
