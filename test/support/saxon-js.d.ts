/** saxon-js ships no types; this is the part of its API the EN 16931 validation tests use. */
declare module 'saxon-js' {
  interface TransformOptions {
    stylesheetInternal?: unknown;
    stylesheetFileName?: string;
    sourceText?: string;
    destination?: 'serialized' | 'raw' | 'document';
  }
  const SaxonJS: {
    transform(options: TransformOptions): { principalResult: string };
    XPath: { evaluate(expression: string, context: unknown, options?: { params?: Record<string, unknown> }): unknown };
  };
  export default SaxonJS;
}
