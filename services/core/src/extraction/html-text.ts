import { Tokenizer } from 'htmlparser2';

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

/**
 * Inline `display:none` / `visibility:hidden` (optionally `!important`): hidden from the reader by the page
 * itself. Read declaration by declaration with `split` and `trim` rather than one regular expression: an
 * attribute is page-controlled and may be megabytes of blanks, and a pattern with two blank runs side by
 * side backtracks quadratically on that.
 */
function hidesElement(style: string): boolean {
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    let value = declaration
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (value.endsWith('!important')) value = value.slice(0, -'!important'.length).trimEnd();
    if ((property === 'display' && value === 'none') || (property === 'visibility' && value === 'hidden')) {
      return true;
    }
  }
  return false;
}

function isHidden(name: string, attributes: Record<string, string>): boolean {
  if (INVISIBLE.has(name)) return true;
  if ('hidden' in attributes) return true;
  if (attributes['aria-hidden'] === 'true' && name !== 'body' && name !== 'html') return true;
  return hidesElement(attributes.style ?? '');
}

/** `line` without trailing spaces and tabs, by a scan from the end (`/[ \t]+$/` retries from every blank). */
function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

/** Elements without content or end tag (WHATWG HTML, "void elements"): never on the open-element stack. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Elements whose start tag closes the element on top of the stack when it is one of these (WHATWG HTML). */
const P_ONLY = new Set(['p']);
const FORM_CONTROLS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const IMPLIED_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ...[
    'address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6',
    'header hr main nav ol p pre section table ul',
  ]
    .join(' ')
    .split(' ')
    .map((name): [string, ReadonlySet<string>] => [name, P_ONLY]),
  ['li', new Set(['li'])],
  ['dt', new Set(['dt', 'dd'])],
  ['dd', new Set(['dt', 'dd'])],
  ['tr', new Set(['tr', 'th', 'td'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map(
    (name): [string, ReadonlySet<string>] => [name, FORM_CONTROLS],
  ),
]);

interface OpenElement {
  name: string;
  hidden: boolean;
  pre: boolean;
  block: boolean;
}

/**
 * The visible text being assembled: finished lines, and the current line as pieces (appending to one
 * growing string and asking whether it ends in a space would flatten it on every text node: quadratic).
 */
class TextBuilder {
  readonly lines: string[] = [];
  private pieces: string[] = [];
  private empty = true;
  private endsWithSpace = false;

  append(text: string): void {
    if (text === '') return;
    this.pieces.push(text);
    this.empty = false;
    this.endsWithSpace = text.charCodeAt(text.length - 1) === 0x20;
  }

  /** Collapsed text (whitespace runs already one space): no space at the start of a line or after one. */
  appendCollapsed(text: string): void {
    this.append((this.empty || this.endsWithSpace) && text.charCodeAt(0) === 0x20 ? text.slice(1) : text);
  }

  get lineIsEmpty(): boolean {
    return this.empty;
  }

  /** Ends the current line; an empty one is kept only when forced (`<br>`, newlines in `pre`), once. */
  breakLine(force = false): void {
    const trimmed = trimBlanksEnd(this.pieces.join(''));
    this.pieces = [];
    this.empty = true;
    this.endsWithSpace = false;
    if (trimmed !== '') this.lines.push(trimmed);
    else if (force && this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
}

/**
 * The text a person sees on an HTML page: `head`, `script`, `style` and other invisible elements
 * (including ones hidden with the `hidden` attribute or an inline `display:none`) are dropped, entities
 * are decoded (`&amp;` → `&`, `&#46;` → `.`), block elements become line breaks, and runs of spaces are
 * collapsed. `pre` keeps its whitespace. The result is what extraction reads and what mention offsets
 * point into (stored as the document's `extracted_text`).
 *
 * Runs htmlparser2's tokenizer (linear, and it decodes entities and knows raw-text elements) under an
 * element stack of our own: htmlparser2's `Parser` keeps its stack with `Array.unshift`, which makes deep
 * nesting quadratic. Here an open is a push, a close pops to its element only when one of that name is
 * open (counted per name, so a stray end tag costs nothing), and every element is popped once: linear
 * whatever the nesting. Start tags close the element on top of the stack as HTML implies (`<p>` closes
 * an open `p`, `<li>` an open `li`...).
 */
export function htmlToText(html: string): string {
  const out = new TextBuilder();
  const stack: OpenElement[] = [];
  const openByName = new Map<string, number>();
  let hiddenDepth = 0;
  let preDepth = 0;

  let tagName = '';
  let attributes: Record<string, string> = {};
  let attributeName = '';
  let attributeValue: string[] = [];

  const pop = (): void => {
    const top = stack.pop();
    if (!top) return;
    openByName.set(top.name, (openByName.get(top.name) ?? 1) - 1);
    if (top.hidden) hiddenDepth--;
    if (top.pre) preDepth--;
    if (top.block && hiddenDepth === 0) out.breakLine();
  };

  const open = (name: string, attrs: Record<string, string>, selfClosing: boolean): void => {
    const closes = IMPLIED_CLOSE.get(name);
    while (closes && stack.length > 0 && closes.has((stack[stack.length - 1] as OpenElement).name)) pop();
    const hidden = isHidden(name, attrs);
    const block = BLOCK.has(name);
    if (VOID.has(name)) {
      if (block && hiddenDepth === 0 && !hidden) out.breakLine(name === 'br' && out.lineIsEmpty);
      return;
    }
    const pre = name === 'pre';
    stack.push({ name, hidden, pre, block });
    openByName.set(name, (openByName.get(name) ?? 0) + 1);
    if (hidden) hiddenDepth++;
    if (pre) preDepth++;
    if (block && hiddenDepth === 0) out.breakLine();
    if (selfClosing) pop();
  };

  const close = (name: string): void => {
    if (name === 'br') {
      open('br', {}, false);
      return;
    }
    if ((openByName.get(name) ?? 0) === 0) {
      // A stray end tag: HTML reads `</p>` as an empty paragraph, anything else as nothing.
      if (name === 'p' && hiddenDepth === 0) out.breakLine();
      return;
    }
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as OpenElement;
      pop();
      if (top.name === name) return;
    }
  };

  const text = (data: string): void => {
    if (hiddenDepth > 0 || data === '') return;
    if (preDepth > 0) {
      const parts = data.split(/\r?\n/);
      parts.forEach((part, i) => {
        if (i > 0) out.breakLine(true);
        out.append(part);
      });
      return;
    }
    out.appendCollapsed(data.replace(/[\s\u00A0]+/g, ' '));
  };

  const endOpenTag = (selfClosing: boolean): void => {
    if (tagName === '') return;
    const name = tagName;
    tagName = '';
    open(name, attributes, selfClosing);
  };

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true, recognizeSelfClosing: true },
    {
      onopentagname(start, end) {
        tagName = html.slice(start, end).toLowerCase();
        attributes = {};
      },
      onattribname(start, end) {
        attributeName = html.slice(start, end).toLowerCase();
        attributeValue = [];
      },
      onattribdata(start, end) {
        attributeValue.push(html.slice(start, end));
      },
      onattribentity(codepoint) {
        attributeValue.push(String.fromCodePoint(codepoint));
      },
      onattribend() {
        if (!(attributeName in attributes)) attributes[attributeName] = attributeValue.join('');
        attributeValue = [];
      },
      onopentagend() {
        endOpenTag(false);
      },
      onselfclosingtag() {
        endOpenTag(true);
      },
      onclosetag(start, end) {
        close(html.slice(start, end).toLowerCase());
      },
      ontext(start, end) {
        text(html.slice(start, end));
      },
      ontextentity(codepoint) {
        text(String.fromCodePoint(codepoint));
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  while (stack.length > 0) pop();
  out.breakLine();
  const lines = out.lines;
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
