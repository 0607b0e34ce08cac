import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('csv', () => {
  it('quotes per RFC 4180 only when needed, doubling quotes', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\r', '', null])).toBe(
      'a,"b,c","say ""hi""","two\nlines","cr\r",,\r\n',
    );
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(false)).toBe('false');
  });

  it('neutralises cells a spreadsheet would read as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+442079460000')).toBe("'+442079460000");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });
});
