import { describe, expect, it } from 'vitest';
import { COMMON_FILE_EXTENSIONS, isLikelyFileName } from './file-names.js';

describe('isLikelyFileName', () => {
  it('recognises common file names, including extensions that are also TLDs', () => {
    for (const name of [
      'report.pdf',
      'invoice.zip',
      'clip.mov',
      'install.sh',
      'loader.py',
      'run.PS1',
      'C:\\tmp\\a.exe',
    ]) {
      expect(isLikelyFileName(name), name).toBe(true);
    }
  });

  it('does not flag ordinary domains', () => {
    for (const name of [
      'example.com',
      'shop.example.pl',
      'api.example.rs',
      'example',
      '.zip',
      'zip.',
      'a.',
    ]) {
      expect(isLikelyFileName(name), name).toBe(false);
    }
  });

  it('keeps ccTLDs with many real sites out of the list', () => {
    for (const tld of ['pl', 'rs', 'md', 'ai', 'so', 'ps', 'com'])
      expect(COMMON_FILE_EXTENSIONS.has(tld), tld).toBe(false);
  });
});
