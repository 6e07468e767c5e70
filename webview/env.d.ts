// What the webview's page provides, and the text import the bundle resolves (scripts/webview-bundle.mjs).
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}
declare function acquireVsCodeApi(): VsCodeApi;

declare module 'elk-worker-source' {
  const source: string;
  export default source;
}
