// Web-platform globals that exist both in Node >= 20 and in browsers. src/core compiles without the DOM
// and Node type libraries so that nothing Node-only or browser-only can creep in; these are the exceptions.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare const crypto: {
  getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T;
  randomUUID(): string;
};
