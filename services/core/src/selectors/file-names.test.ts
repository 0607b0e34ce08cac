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
      // Ambiguous extensions (also busy ccTLDs) with a stem that reads as a file.
      'README.md',
      'readme.md',
      'docs/CHANGELOG.md',
      'NOTES.md',
      'src/main.rs',
      'lib.rs',
      'Makefile.pl',
    ]) {
      expect(isLikelyFileName(name), name).toBe(true);
    }
  });

  it('does not flag ordinary domains', () => {
    for (const name of [
      'example.com',
      'shop.example.pl',
      'api.example.rs',
      'evil-corp.md',
      'shop.md',
      'Evil.md',
      'EVIL.MD',
      'sub.readme.md',
      'main.pl',
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
