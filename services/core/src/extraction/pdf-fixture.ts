export interface BuildPdfOptions {
  /**
   * Extra content streams for the first page, written as given with `/Filter /FlateDecode` (zlib data):
   * lets a test hand pdf.js a stream that unpacks to far more than its size.
   */
  extraStreams?: readonly Uint8Array[];
}

const pdfString = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/**
 * Builds a valid PDF with one page per entry of `pages`, whose text layer holds that page's lines
 * (Helvetica, one line each), for tests, the extraction benchmarks and the adversarial corpus: no binary
 * fixture to commit, and the expected text is visible in the test. Not exported from the package index:
 * production code never writes PDFs.
 */
export function buildPdf(pages: readonly (readonly string[])[], options: BuildPdfOptions = {}): Uint8Array {
  const extra = options.extraStreams ?? [];
  // Objects 1 catalog, 2 page tree, 3 font; then per page a page object and its content stream; then the
  // extra streams.
  const bodies: Array<string | Buffer> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const pageRefs: string[] = [];
  const extraRefs = extra.map((_, i) => `${4 + pages.length * 2 + i} 0 R`);
  pages.forEach((lines, i) => {
    const pageObject = 4 + i * 2;
    const content = `BT /F1 11 Tf 50 780 Td 14 TL ${lines.map((l) => `(${pdfString(l)}) Tj T*`).join(' ')} ET`;
    const contents =
      i === 0 && extra.length > 0
        ? `[${pageObject + 1} 0 R ${extraRefs.join(' ')}]`
        : `${pageObject + 1} 0 R`;
    pageRefs.push(`${pageObject} 0 R`);
    bodies.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents ${contents} /Resources << /Font << /F1 3 0 R >> >> >>`,
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
  });
  for (const stream of extra) {
    bodies.push(
      Buffer.concat([
        Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
        stream,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  }
  bodies[1] = `<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${pages.length} >>`;

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    chunks.push(chunk);
    length += chunk.length;
  });
  let tail = `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  tail += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  tail += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  chunks.push(Buffer.from(tail, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

/** A one-page PDF whose text layer holds `lines` (see {@link buildPdf}). */
export function buildMinimalPdf(lines: readonly string[]): Uint8Array {
  return buildPdf([lines]);
}
