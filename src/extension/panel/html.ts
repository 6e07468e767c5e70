// The panel's page: one script with a fresh nonce, the bundle's CSS, VS Code's icon font (codicons), and a CSP that
// allows nothing else (no inline script or style, no remote content; fonts only from the extension; workers only
// from blob: URLs, for the elkjs layout worker). No vscode import.
import { randomBytes } from 'node:crypto';

/** The codicon font and its stylesheet, shipped in the package from the dependency (see .vscodeignore). */
export const CODICONS = ['node_modules', '@vscode', 'codicons', 'dist'];
/** All a page may load: its bundle, the stylesheets and the icon font. */
export const PAGE_ROOTS = [['dist', 'webview'], ['media'], CODICONS];

export interface PanelPage {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  script: string;
  styles: string[];
  /** The codicon stylesheet (its @font-face brings the font); the id is where @vscode-elements looks for it. */
  codicons: string;
  title: string;
}

export function panelHtml(page: PanelPage): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${page.nonce}'`,
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
    `font-src ${page.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  const styles = [
    `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(page.codicons)}">`,
    ...page.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}">`),
  ].join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeText(page.title)}</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${page.nonce}" src="${escapeAttribute(page.script)}"></script>
  </body>
</html>`;
}

/** A fresh nonce per page: 128 random bits. */
export function makeNonce(): string {
  return randomBytes(16)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
