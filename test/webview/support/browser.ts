// Webview code in real Chromium: bundle a browser entry with the panel's own esbuild options, load it into a page
// that has the VS Code theme variables a webview gets, and stub `acquireVsCodeApi` so posted messages and saved
// state can be read back. One browser per test file; a page per test.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../support/code-server';
import { webviewOptions } from '../../../scripts/webview-bundle.mjs';
import { launchChromium } from '../../e2e/browser';

export { launchChromium };

/** The theme variables VS Code puts on a webview's <html> (a subset of Dark Modern), so colours are real. */
export const DARK_THEME: Record<string, string> = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-widget-border': '#313131',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': '#cccccc80',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-errorForeground': '#f85149',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-editor-findMatchBorder': '#74879f',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  // Read by the vscode-elements controls and the panel's own CSS.
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-settings-textInputBackground': '#313131',
  '--vscode-settings-textInputForeground': '#cccccc',
  '--vscode-settings-textInputBorder': '#3c3c3c',
  '--vscode-sideBar-background': '#181818',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-sash-hoverBorder': '#0078d4',
  '--vscode-editorWarning-foreground': '#cca700',
};

/** VS Code's icon font as the panel links it (its @font-face brings the font the graph's type glyphs use). */
export const CODICON_CSS = 'node_modules/@vscode/codicons/dist/codicon.css';

/** A stylesheet's text with the files it refers to (`url("./codicon.ttf?…")`) inlined: the page has no origin to load them from. */
function inlineCss(file: string): string {
  const path = join(ROOT, file);
  return readFileSync(path, 'utf8').replace(/url\("\.\/([^"?]+)(\?[^"]*)?"\)/g, (_, name: string) => {
    const type = name.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
    return `url("data:${type};base64,${readFileSync(join(dirname(path), name)).toString('base64')}")`;
  });
}

/** Bundles `entry` (a path from the repository root) for the browser; returns the script text. */
export async function bundle(entry: string): Promise<string> {
  const result = await build(webviewOptions({ entryPoints: [join(ROOT, entry)], write: false, sourcemap: false, minify: false }));
  return result.outputFiles![0]!.text;
}

export interface WebviewPage {
  page: Page;
  /** Messages the page posted through the stubbed acquireVsCodeApi, oldest first. */
  posted(): Promise<unknown[]>;
  /** The last state saved with setState. */
  state(): Promise<unknown>;
  /** Posts a message to the page as the extension would. */
  send(message: unknown): Promise<void>;
}

export interface PageOptions {
  /** Body of the page before the script runs. */
  body?: string;
  /** What getState() returns at start (a restored panel). */
  initialState?: unknown;
  /** CSS files (paths from the repository root) linked as the panel links them. */
  css?: string[];
  width?: number;
  height?: number;
}

/** A page with the theme, the acquireVsCodeApi stub and `script` running in it. */
export async function openWebview(browser: Browser, script: string, options: PageOptions = {}): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 800 } });
  page.on('pageerror', (error) => process.stderr.write(`webview page error: ${error.stack ?? error.message}\n`));
  const theme = Object.entries(DARK_THEME)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ');
  const css = (options.css ?? []).map((file) => `<style>${inlineCss(file)}</style>`).join('\n');
  const stub = `
    window.__posted = [];
    window.__state = ${JSON.stringify(options.initialState ?? null)};
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => window.__state,
      setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); return s; },
    });`;
  await page.setContent(
    `<!DOCTYPE html><html lang="en" style="${theme}"><head><meta charset="utf-8">${css}</head>` +
      `<body class="vscode-dark" data-vscode-theme-kind="vscode-dark">${options.body ?? ''}</body></html>`,
  );
  await page.addScriptTag({ content: stub });
  await page.addScriptTag({ content: script });
  return {
    page,
    posted: () => page.evaluate(() => (globalThis as unknown as { __posted: unknown[] }).__posted),
    state: () => page.evaluate(() => (globalThis as unknown as { __state: unknown }).__state),
    send: (message) => page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(m, '*'), message),
  };
}
