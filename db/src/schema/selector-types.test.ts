import { describe, expect, it } from 'vitest';
// Test-only reach into services/core: production code in db never imports services (house style 1), so this
// comparison is the one place the two spellings of the list meet.
import { SELECTOR_TYPES as CORE_SELECTOR_TYPES } from '../../../services/core/src/selectors/selector-types.js';
import { SELECTOR_TYPES } from './selector-types.js';
import { selectorType } from './selectors.js';

describe('selector types', () => {
  it('are the same list, in the same order, as the normalisation library', () => {
    expect([...SELECTOR_TYPES]).toEqual([...CORE_SELECTOR_TYPES]);
  });

  it('are the values of the selector_type enum', () => {
    expect(selectorType.enumValues).toEqual([...SELECTOR_TYPES]);
  });
});
