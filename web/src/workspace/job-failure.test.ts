import { describe, expect, it } from 'vitest';
import { jobFailureText } from './job-failure';

describe('jobFailureText', () => {
  it('names an extraction limit in words and keeps the worker’s detail', () => {
    expect(
      jobFailureText(
        'extraction_budget_exceeded: the document has 40000000 bytes, more than the 33554432 extraction reads (EXTRACTION_MAX_INPUT_BYTES)',
      ),
    ).toBe(
      'stopped at an extraction limit: the document has 40000000 bytes, more than the 33554432 extraction reads (EXTRACTION_MAX_INPUT_BYTES)',
    );
  });

  it('passes other messages through and says when there is none', () => {
    expect(jobFailureText('cannot extract text from media type "image/png"')).toBe(
      'cannot extract text from media type "image/png"',
    );
    expect(jobFailureText(null)).toBe('failed, no reason given');
  });
});
