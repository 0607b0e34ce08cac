import { describe, expect, it } from 'vitest';
import { detectMediaType } from './document.router.js';

describe('detectMediaType', () => {
  it('trusts the PDF magic number over the declared type', () => {
    expect(detectMediaType(Buffer.from('%PDF-1.7 ...'), 'application/octet-stream', 'x.bin')).toBe(
      'application/pdf',
    );
  });

  it('types text and HTML by declaration or extension', () => {
    expect(detectMediaType(Buffer.from('<p>x</p>'), 'text/html; charset=utf-8', 'a')).toBe('text/html');
    expect(detectMediaType(Buffer.from('<p>x</p>'), 'application/octet-stream', 'page.HTM')).toBe(
      'text/html',
    );
    expect(detectMediaType(Buffer.from('hello'), 'text/csv', 'a.csv')).toBe('text/plain');
    expect(detectMediaType(Buffer.from('hello'), '', 'notes.txt')).toBe('text/plain');
  });

  it.each([
    [Buffer.from('plain'), 'application/pdf', 'a.pdf'],
    [Buffer.from([0x68, 0, 0x69]), 'text/plain', 'a.txt'],
    [Buffer.from('PK\u0003\u0004'), 'application/zip', 'a.zip'],
    [Buffer.from('x'), 'image/png', 'a.png'],
  ])('refuses %#', (bytes, declared, name) => {
    expect(() => detectMediaType(bytes, declared, name)).toThrow(expect.objectContaining({ status: 415 }));
  });
});
