import { describe, expect, it } from 'vitest';
import { canonicalPlatform, normaliseUsername } from './normalise-username.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

describe('normaliseUsername', () => {
  it('takes the platform from options and strips a leading @', () => {
    expect(normaliseUsername('@Example_User', 'GitHub')).toEqual({
      value: 'github:example_user',
      attributes: { platform: 'github', handle: 'example_user', caseInsensitive: true },
    });
  });

  it('parses platform:handle', () => {
    expect(normaliseUsername('Telegram:@Example_Channel').value).toBe('telegram:example_channel');
    expect(normaliseUsername('reddit:/u/Example_User').value).toBe('reddit:example_user');
  });

  it('folds X and twitter together', () => {
    expect(normaliseUsername('@ExampleUser', 'x').value).toBe('twitter:exampleuser');
    expect(normaliseUsername('twitter:ExampleUser').value).toBe('twitter:exampleuser');
    expect(canonicalPlatform(' X ')).toBe('twitter');
  });

  it('keeps case on platforms not known to be case-insensitive', () => {
    expect(normaliseUsername('ExampleUser', 'youtube')).toEqual({
      value: 'youtube:ExampleUser',
      attributes: { platform: 'youtube', handle: 'ExampleUser', caseInsensitive: false },
    });
  });

  it('reads fediverse handles as handle@instance', () => {
    expect(normaliseUsername('@Example@Social.Example')).toEqual({
      value: 'fediverse:Example@social.example',
      attributes: {
        platform: 'fediverse',
        handle: 'Example@social.example',
        instance: 'social.example',
        caseInsensitive: false,
      },
    });
    expect(normaliseUsername('@example@social.example', 'mastodon').value).toBe(
      'fediverse:example@social.example',
    );
    // The match key is itself an input: normalising it again changes nothing.
    expect(normaliseUsername('fediverse:Example@social.example').value).toBe(
      'fediverse:Example@social.example',
    );
    expect(normaliseUsername('mastodon:@example@Social.Example').value).toBe(
      'fediverse:example@social.example',
    );
  });

  it('requires a platform', () => {
    expect(() => normaliseUsername('@example_user')).toThrow(code('username_platform_required'));
  });

  it('rejects conflicting platforms', () => {
    expect(() => normaliseUsername('github:example', 'reddit')).toThrow(code('username_platform_conflict'));
    expect(() => normaliseUsername('@a@social.example', 'github')).toThrow(
      code('username_platform_conflict'),
    );
  });

  it('rejects empty or malformed handles and platforms', () => {
    expect(() => normaliseUsername('@', 'github')).toThrow(code('invalid_username'));
    expect(() => normaliseUsername('two words', 'github')).toThrow(code('invalid_username'));
    expect(() => normaliseUsername('handle', 'not a platform')).toThrow(code('invalid_username'));
    expect(() => normaliseUsername('@a@report.pdf')).toThrow(code('invalid_username'));
  });
});
