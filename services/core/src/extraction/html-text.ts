import { Parser } from 'htmlparser2';

/**
 * Elements whose content a reader never sees: code, styling, metadata, embedded documents and templates.
 * `head` covers `title` and `meta` too: the document's title is stored separately by the API.
 */
const INVISIBLE = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'svg',
  'math',
  'canvas',
  'select',
  'datalist',
]);

/**
 * Elements that start a new line when rendered, so words on either side never glue together
 * (`<td>evil.example</td><td>1.2.3.4</td>` must not read `evil.example1.2.3.4`).
 */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** Inline `display:none` / `visibility:hidden`: hidden from the reader by the page itself. */
const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*(?:;|$)/i;

function isHidden(name: string, attributes: Record<string, string>): boolean {
  if (INVISIBLE.has(name)) return true;
  if ('hidden' in attributes) return true;
  if (attributes['aria-hidden'] === 'true' && name !== 'body' && name !== 'html') return true;
  return HIDDEN_STYLE.test(attributes.style ?? '');
}

/**
 * The text a person sees on an HTML page: `head`, `script`, `style` and other invisible elements
 * (including ones hidden with the `hidden` attribute or an inline `display:none`) are dropped, entities
 * are decoded (`&amp;` → `&`, `&#46;` → `.`), block elements become line breaks, and runs of spaces are
 * collapsed. `pre` keeps its whitespace. The result is what extraction reads and what mention offsets
 * point into (stored as the document's `extracted_text`).
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  /** One entry per open element: was it hidden, and was it `pre`. htmlparser2 balances open/close. */
  const stack: Array<{ hidden: boolean; pre: boolean; block: boolean }> = [];
  let hiddenDepth = 0;
  let preDepth = 0;

  /** Ends the current line; an empty one is kept only when forced (`<br>`, newlines in `pre`), once. */
  const breakLine = (force = false) => {
    const trimmed = line.replace(/[ \t]+$/, '');
    line = '';
    if (trimmed !== '') lines.push(trimmed);
    else if (force && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const hidden = isHidden(name, attributes);
        const block = BLOCK.has(name);
        const pre = name === 'pre';
        stack.push({ hidden, pre, block });
        if (hidden) hiddenDepth++;
        if (pre) preDepth++;
        if (block && hiddenDepth === 0) breakLine(name === 'br' && line === '');
      },
      onclosetag() {
        const top = stack.pop();
        if (!top) return;
        if (top.hidden) hiddenDepth--;
        if (top.pre) preDepth--;
        if (top.block && hiddenDepth === 0) breakLine();
      },
      ontext(data) {
        if (hiddenDepth > 0) return;
        if (preDepth > 0) {
          const parts = data.split(/\r?\n/);
          parts.forEach((part, i) => {
            if (i > 0) breakLine(true);
            line += part;
          });
          return;
        }
        const collapsed = data.replace(/[\s\u00A0]+/g, ' ');
        line += line === '' || line.endsWith(' ') ? collapsed.replace(/^ /, '') : collapsed;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  breakLine();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
