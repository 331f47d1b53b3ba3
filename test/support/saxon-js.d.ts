/** saxon-js ships no types; this is the part of its API the EN 16931 validation test uses. */
declare module 'saxon-js' {
  interface TransformOptions {
    stylesheetInternal?: unknown;
    stylesheetFileName?: string;
    sourceText?: string;
    destination?: 'serialized' | 'raw' | 'document';
  }
  const SaxonJS: { transform(options: TransformOptions): { principalResult: string } };
  export default SaxonJS;
}
