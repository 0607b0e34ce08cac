import { describe, expect, it } from 'vitest';
import { documentText, sanitiseText, UnsupportedMediaTypeError } from './document-text.js';
import { extractSelectors } from './extract-selectors.js';
import { htmlToText } from './html-text.js';
import { buildMinimalPdf } from './pdf-fixture.js';
import { pdfToText, UnreadablePdfError } from './pdf-text.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('htmlToText (visible text only)', () => {
  const page = `<!doctype html>
<html><head><title>hidden-title.example</title><meta name="x" content="meta.example">
<style>.a { background: url(http://css.example.net/x.png) }</style>
<script>fetch("https://script.evil-corp.com/beacon")</script></head>
<body>
  <h1>Indicators</h1>
  <p>C2 at <b>hxxps://c2[.]evil-corp[.]com</b>&#47;gate &amp; 185.220.101&#46;42&nbsp;(seen twice)</p>
  <table><tr><td>evil-corp.net</td><td>8.8.4.4</td></tr></table>
  <div hidden>hidden-attr.evil-corp.com</div>
  <span style="display: none">display-none.evil-corp.com</span>
  <noscript>noscript.evil-corp.com</noscript>
  <template><p>template.evil-corp.com</p></template>
  <pre>line one
  line two</pre>
  <ul><li>one</li><li>two</li></ul>
</body></html>`;

  it('drops head, script, style and hidden elements, decodes entities, breaks blocks into lines', () => {
    expect(htmlToText(page)).toBe(
      [
        'Indicators',
        'C2 at hxxps://c2[.]evil-corp[.]com/gate & 185.220.101.42 (seen twice)',
        'evil-corp.net',
        '8.8.4.4',
        'line one',
        '  line two',
        'one',
        'two',
      ].join('\n'),
    );
  });

  it('feeds extraction only what a reader sees', () => {
    const found = extractSelectors(htmlToText(page)).map((s) => s.value);
    expect(found).toEqual(['https://c2.evil-corp.com/gate', '185.220.101.42', 'evil-corp.net', '8.8.4.4']);
  });

  it('survives broken markup', () => {
    expect(htmlToText('<p>unclosed <b>bold evil-corp.com<p>next &bogus; <')).toBe(
      'unclosed bold evil-corp.com\nnext &bogus; <',
    );
  });
});

describe('pdfToText (text layer)', () => {
  it('reads the text of a generated PDF', async () => {
    const pdf = buildMinimalPdf(['Report (TLP:GREEN)', 'C2 hxxp://evil-corp[.]com/a and 185.220.101.42']);
    const result = await pdfToText(pdf);
    expect(result).toEqual({
      text: 'Report (TLP:GREEN)\nC2 hxxp://evil-corp[.]com/a and 185.220.101.42',
      pages: 1,
      truncated: false,
    });
    expect(extractSelectors(result.text).map((s) => [s.raw, s.value])).toEqual([
      ['hxxp://evil-corp[.]com/a', 'http://evil-corp.com/a'],
      ['185.220.101.42', '185.220.101.42'],
    ]);
  });

  it('refuses bytes that are not a PDF with a permanent error', async () => {
    await expect(pdfToText(utf8('not a pdf at all'))).rejects.toBeInstanceOf(UnreadablePdfError);
  });
});

describe('documentText', () => {
  it('dispatches on the media type, ignoring parameters', async () => {
    expect((await documentText(utf8('\uFEFFplain evil.com'), 'text/plain; charset=utf-8')).text).toBe(
      'plain evil.com',
    );
    expect((await documentText(utf8('<p>a</p><p>b</p>'), 'text/html')).text).toBe('a\nb');
    const pdf = await documentText(buildMinimalPdf(['x 8.8.8.8']), 'application/pdf');
    expect(pdf).toEqual({ text: 'x 8.8.8.8', facts: { pages: 1 } });
  });

  it('replaces NUL and unpaired surrogates one for one, so offsets stay valid', async () => {
    expect(sanitiseText('a\u0000b\uD800c\uDC00d\uD83D\uDE00')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uD83D\uDE00');
    expect((await documentText(utf8('x\u0000y'), 'text/plain')).text).toBe('x\uFFFDy');
  });

  it('refuses media types it cannot read', async () => {
    await expect(documentText(utf8('x'), 'image/png')).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });
});
