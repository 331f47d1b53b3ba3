import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Where PDF tests leave their renders for a person to look at (`.o2c/test-output`, ignored by git). */
export const testOutputDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.o2c', 'test-output');
const standardFontDataUrl = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** Opens PDF bytes with pdfjs, the reader browsers use: what it cannot read, people cannot either. */
export async function openWithPdfJs(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  // pdfjs transfers (detaches) the buffer it is given: hand it a copy.
  return getDocument({ data: bytes.slice(), standardFontDataUrl, verbosity: 0, isEvalSupported: false }).promise;
}

/** Renders one page to PNG with pdfjs on @napi-rs/canvas; returns the PNG and the share of dark pixels. */
export async function renderPage(pdf: PDFDocumentProxy, pageNumber: number, scale = 1.5): Promise<{ png: Buffer; darkShare: number; width: number; height: number }> {
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context as unknown as Parameters<typeof page.render>[0]['canvasContext'], viewport }).promise;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let dark = 0;
  for (let index = 0; index < pixels.length; index += 4) {
    const luminance = 0.299 * (pixels[index] ?? 255) + 0.587 * (pixels[index + 1] ?? 255) + 0.114 * (pixels[index + 2] ?? 255);
    if (luminance < 128) dark += 1;
  }
  return { png: canvas.toBuffer('image/png'), darkShare: dark / (pixels.length / 4), width: canvas.width, height: canvas.height };
}

/**
 * The text of each page, items joined by one space. With `collapseWhitespace`, runs of whitespace become one space
 * too, so phrases can be matched across table cells.
 */
export async function pageTexts(pdf: PDFDocumentProxy, options: { collapseWhitespace?: boolean } = {}): Promise<string[]> {
  const texts: string[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const content = await (await pdf.getPage(number)).getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    texts.push(options.collapseWhitespace ? text.replace(/\s+/g, ' ') : text);
  }
  return texts;
}
