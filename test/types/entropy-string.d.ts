// entropy-string ships no types: the part of its API the tests use.
declare module 'entropy-string' {
  export class CharSet {
    constructor(chars: string);
    chars(): string;
    bitsPerChar(): number;
  }
  export const charset64: CharSet;
  export const charset32: CharSet;
  export const charset16: CharSet;
  export const charset8: CharSet;
  export class Entropy {
    constructor(params?: { bits?: number; charset?: CharSet | string });
    bytesNeeded(): number;
    stringWithBytes(bytes: Uint8Array): string;
  }
}
