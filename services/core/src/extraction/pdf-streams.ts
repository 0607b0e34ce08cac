import { constants, inflateRawSync } from 'node:zlib';

/**
 * Default cap on what the streams of one PDF may decompress to, summed (64 MiB). A text report's content
 * streams and fonts come to a few MB even at the page cap, while deflate reaches about 1,000:1, so a 1 MB
 * upload could otherwise unpack to a gigabyte inside the PDF parser. Image streams are not counted: reading
 * the text layer never decodes them.
 */
export const MAX_PDF_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** How far before a `stream` keyword its dictionary is looked for: dictionaries are short. */
const DICTIONARY_WINDOW = 4096;

/**
 * Bounded decoding: returns the decoded bytes, or throws {@link OVERFLOW} as soon as they would exceed
 * `room`, so no decoder ever holds more than `room` bytes.
 */
type Decoder = (data: Buffer, room: number) => Buffer;

/** Thrown by a decoder whose output would pass its room: the document is over the cap, stop there. */
const OVERFLOW = Symbol('pdf stream output over the cap');

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };

/**
 * FlateDecode output, at most `room` bytes. Inflated raw (the 2-byte zlib header skipped, the Adler-32
 * trailer ignored) because pdf.js does not check either; a truncated stream yields what it holds. Corrupt
 * data makes zlib throw without output, while a lenient reader keeps what precedes the damage, so the
 * longest prefix that inflates is found by bisection (at most ~25 inflations, each bounded by `room`).
 */
function inflate(data: Buffer, room: number): Buffer {
  const raw = data.subarray(2);
  const attempt = (length: number): Buffer | null => {
    try {
      return inflateRawSync(raw.subarray(0, length), { ...SYNC, maxOutputLength: Math.max(1, room) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw OVERFLOW;
      return null;
    }
  };
  const whole = attempt(raw.length);
  if (whole) return whole;
  let lo = 0;
  let hi = raw.length;
  let best: Buffer = Buffer.alloc(0);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const out = attempt(mid);
    if (out) {
      best = out;
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** An output buffer that doubles as needed and throws {@link OVERFLOW} past `room` bytes. */
class Growing {
  private buf: Buffer;
  private n = 0;

  constructor(
    private readonly room: number,
    hint: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, Math.min(room, hint)));
  }

  push(byte: number): void {
    if (this.n === this.buf.length) {
      if (this.n >= this.room) throw OVERFLOW;
      const bigger = Buffer.allocUnsafe(Math.min(this.room, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.n);
      this.buf = bigger;
    }
    this.buf[this.n++] = byte;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

function isPdfWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}

/** ASCIIHexDecode (PDF 32000-1 §7.4.2): hex pairs up to `>`, whitespace ignored. */
function asciiHex(data: Buffer, room: number): Buffer {
  const out = Buffer.alloc((data.length >> 1) + 1);
  let n = 0;
  let high = -1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x3e) break;
    const v =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  if (n > room) throw OVERFLOW;
  return out.subarray(0, n);
}

/** ASCII85Decode (§7.4.3): groups of five, `z` for four zero bytes, `~>` ends. */
function ascii85(data: Buffer, room: number): Buffer {
  const out = new Growing(room, data.length);
  let group = 0;
  let count = 0;
  const flush = (digits: number) => {
    for (let k = digits; k < 5; k++) group = group * 85 + 84;
    for (let k = 0; k < digits - 1; k++) out.push((group >>> (24 - 8 * k)) & 0xff);
    group = 0;
    count = 0;
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x7e) break;
    if (isPdfWhitespace(c)) continue;
    if (c === 0x7a && count === 0) {
      for (let k = 0; k < 4; k++) out.push(0);
      continue;
    }
    if (c < 0x21 || c > 0x75) continue;
    group = group * 85 + (c - 0x21);
    if (++count === 5) flush(5);
  }
  if (count > 0) flush(count);
  return out.bytes();
}

/** RunLengthDecode (§7.4.5): a length byte, then a literal run or one byte repeated; 128 ends. */
function runLength(data: Buffer, room: number): Buffer {
  const out = new Growing(room, data.length);
  let i = 0;
  while (i < data.length) {
    const len = data[i++] as number;
    if (len === 128) break;
    if (len < 128) {
      for (let k = 0; k <= len && i < data.length; k++) out.push(data[i++] as number);
    } else {
      const byte = data[i++] ?? 0;
      for (let k = 0; k < 257 - len; k++) out.push(byte);
    }
  }
  return out.bytes();
}

/** LZWDecode (§7.4.4) with the default EarlyChange 1. */
function lzw(data: Buffer, room: number): Buffer {
  const out = new Growing(room, data.length);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let k = 0; k < 256; k++) {
    suffix[k] = k;
    length[k] = 1;
    prefix[k] = -1;
  }
  const string = new Uint8Array(4096);
  /** Appends the string `code` stands for and returns its first byte. */
  const emit = (code: number): number => {
    const len = length[code] as number;
    let c = code;
    for (let k = len - 1; k >= 0; k--) {
      string[k] = suffix[c] as number;
      c = prefix[c] as number;
    }
    for (let k = 0; k < len; k++) out.push(string[k] as number);
    return string[0] as number;
  };
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < data.length; i++) {
    buffer = ((buffer << 8) | (data[i] as number)) & 0xffffff;
    bits += 8;
    while (bits >= width) {
      bits -= width;
      const code = (buffer >>> bits) & ((1 << width) - 1);
      if (code === 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code === 257 || (previous < 0 && code > 255)) return out.bytes();
      if (previous < 0) {
        emit(code);
        previous = code;
        continue;
      }
      let first: number;
      if (code < next) {
        first = emit(code);
      } else {
        // KwKwK: the previous string followed by its own first byte.
        first = emit(previous);
        out.push(first);
      }
      if (next < 4096) {
        prefix[next] = previous;
        suffix[next] = first;
        length[next] = (length[previous] as number) + 1;
        next++;
      }
      if (next + 1 >= 1 << width && width < 12) width++;
      previous = code;
    }
  }
  return out.bytes();
}

const DECODERS: Readonly<Record<string, Decoder>> = {
  FlateDecode: inflate,
  Fl: inflate,
  ASCIIHexDecode: asciiHex,
  AHx: asciiHex,
  ASCII85Decode: ascii85,
  A85: ascii85,
  RunLengthDecode: runLength,
  RL: runLength,
  LZWDecode: lzw,
  LZW: lzw,
};

const FILTER = /\/Filter\s*(\[[^\]]{0,512}\]|\/[A-Za-z0-9]{1,32})/;
const LENGTH = /\/Length\s+(\d{1,10})(\s+\d{1,10}\s+R)?/;
const IMAGE = /\/Subtype\s*\/Image\b/;

/** Where the data of the stream whose `stream` keyword ends at `dataStart` ends, as pdf.js would take it. */
function streamEnd(text: string, dataStart: number, dictionary: string): number {
  const length = LENGTH.exec(dictionary);
  if (length && length[2] === undefined) {
    const end = dataStart + Number(length[1]);
    let after = end;
    while (after < text.length && isPdfWhitespace(text.charCodeAt(after)) && after - end < 4) after++;
    if (end <= text.length && text.startsWith('endstream', after)) return end;
  }
  const found = text.indexOf('endstream', dataStart);
  return found < 0 ? text.length : found;
}

/**
 * What the non-image streams of a PDF decompress to, summed; `limit + 1` as soon as the sum passes `limit`
 * (the caller only needs to know that). One pass over the file: each `stream` keyword's
 * dictionary is read from a bounded window that never overlaps the previous stream, each stream's filter
 * chain is decoded with output bounded by what is left of `limit`. Filters that only image decoders use
 * (DCT, JPX, JBIG2, CCITT) end the chain: reading text never runs them.
 *
 * Encrypted documents cannot be measured here (their streams are ciphertext until pdf.js decrypts them);
 * they stay bounded by the page cap and by the extraction pool's time and heap budget.
 */
export function decompressedStreamBytes(bytes: Uint8Array, limit: number): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  let total = 0;
  let from = 0;
  let windowFloor = 0;
  for (;;) {
    const at = text.indexOf('stream', from);
    if (at < 0) break;
    from = at + 6;
    if (text.startsWith('end', at - 3)) continue;
    let dataStart = at + 6;
    if (text.charCodeAt(dataStart) === 0x0d) dataStart++;
    if (text.charCodeAt(dataStart) === 0x0a) dataStart++;
    if (dataStart === at + 6) continue;
    const window = text.slice(Math.max(windowFloor, at - DICTIONARY_WINDOW), at);
    const dictionary = window.slice(Math.max(0, window.lastIndexOf('obj')));
    const end = streamEnd(text, dataStart, dictionary);
    from = windowFloor = end;
    if (IMAGE.test(dictionary)) continue;
    const filter = FILTER.exec(dictionary);
    const names = filter ? [...(filter[1] ?? '').matchAll(/\/([A-Za-z0-9]+)/g)].map((m) => m[1] ?? '') : [];
    let data = buffer.subarray(dataStart, end);
    try {
      for (const name of names) {
        const decode = DECODERS[name];
        if (!decode) break;
        data = decode(data, limit - total);
        if (data.length > limit - total) return limit + 1;
      }
    } catch (error) {
      if (error === OVERFLOW) return limit + 1;
      throw error;
    }
    total += data.length;
    if (total > limit) return total;
  }
  return total;
}
