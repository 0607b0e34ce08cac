import { describe, expect, it } from 'vitest';
import { normaliseUrl } from './normalise-url.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

describe('normaliseUrl', () => {
  it('lowercases scheme and host and drops the default port', () => {
    const result = normaliseUrl('HTTP://WWW.Example.COM:80/Path/Page?Q=1');
    expect(result.value).toBe('http://www.example.com/Path/Page?Q=1');
    expect(result.attributes).toMatchObject({
      scheme: 'http',
      host: 'www.example.com',
      hostType: 'domain',
      path: '/Path/Page',
      registrableDomain: 'example.com',
      reserved: true,
    });
    expect(result.attributes).not.toHaveProperty('port');
    expect(normaliseUrl('https://example.com:443/').value).toBe('https://example.com/');
    expect(normaliseUrl('ftp://files.example:21/a.bin').value).toBe('ftp://files.example/a.bin');
  });

  it('keeps a non-default port', () => {
    const result = normaliseUrl('https://example.com:8443/admin');
    expect(result.value).toBe('https://example.com:8443/admin');
    expect(result.attributes.port).toBe(8443);
  });

  it('drops the fragment from the match key but records it', () => {
    const result = normaliseUrl('https://example.com/docs#section-2');
    expect(result.value).toBe('https://example.com/docs');
    expect(result.attributes.fragment).toBe('section-2');
  });

  it('refangs, punycodes the host and strips a trailing host dot', () => {
    expect(normaliseUrl('hxxps://c2[.]example[/]gate.php').value).toBe('https://c2.example/gate.php');
    expect(normaliseUrl('http://bücher.example/').value).toBe('http://xn--bcher-kva.example/');
    expect(normaliseUrl('http://example.com./a').value).toBe('http://example.com/a');
  });

  // Each value below once normalised to something that normalised again to something else.
  it('gives a value that normalises to itself', () => {
    // The second `[at]` sat right after the first's trailing blank: one refang left `@[at]`.
    expect(normaliseUrl('hxxp://u/(at) [at]').value).toBe('http://u/@@');
    // Brackets nested around a defanged token lose one layer per refang: settled before parsing.
    expect(normaliseUrl('hxxp://a[[.]]example/x[[/]]y').value).toBe('http://a.example/x/y');
    expect(() => normaliseUrl('http://a[[[[[.]]]]]example/')).toThrow(code('defang_nested'));
    // Only one trailing dot is the root's: `a.example.` would lose its own on the next pass.
    expect(() => normaliseUrl('http://a.example../x')).toThrow(code('url_invalid_host'));
    for (const raw of ['hxxp://u/(at) [at]', 'hxxp://a[[.]]example/x[[/]]y', 'http://example.com./a']) {
      const once = normaliseUrl(raw).value;
      expect(normaliseUrl(once).value).toBe(once);
    }
  });

  it('classifies IP hosts', () => {
    expect(normaliseUrl('http://192.0.2.1:8080/x').attributes).toMatchObject({
      host: '192.0.2.1',
      hostType: 'ipv4',
    });
    expect(normaliseUrl('http://[2001:DB8:0:0::1]/').attributes).toMatchObject({
      host: '2001:db8::1',
      hostType: 'ipv6',
    });
    expect(normaliseUrl('http://[2001:DB8:0:0::1]/').value).toBe('http://[2001:db8::1]/');
  });

  it('still accepts hosts outside the public suffix list, without suffix facts', () => {
    expect(normaliseUrl('http://intranet/').attributes).toMatchObject({
      host: 'intranet',
      knownSuffix: false,
    });
  });

  it('refangs a dotted-quad host written with commas and refuses any other host that is not a host', () => {
    expect(normaliseUrl('http://192,168,0,1').value).toBe('http://192.168.0.1/');
    expect(normaliseUrl('hxxp://192,168,0,1:8080/x').attributes).toMatchObject({
      host: '192.168.0.1',
      hostType: 'ipv4',
      port: 8080,
    });
    expect(normaliseUrl('http://user@192,168,0,1/').value).toBe('http://user@192.168.0.1/');
    // The WHATWG parser accepts these hosts; no resolver would.
    for (const bad of [
      'http://example,com/',
      'http://exa(mple).com/',
      'http://a;b.example/',
      'http://-a.example/',
    ]) {
      expect(() => normaliseUrl(bad), bad).toThrow(code('url_invalid_host'));
    }
    // Only a whole dotted quad is a defang: a comma elsewhere in the URL is left to the path.
    expect(normaliseUrl('http://evil-corp.com/a,b').value).toBe('http://evil-corp.com/a,b');
  });

  it('rejects unsupported schemes, missing schemes and garbage', () => {
    expect(() => normaliseUrl('javascript:alert(1)')).toThrow(code('url_unsupported_scheme'));
    expect(() => normaliseUrl('file:///etc/passwd')).toThrow(code('url_unsupported_scheme'));
    expect(() => normaliseUrl('example.com/path')).toThrow(code('url_missing_scheme'));
    expect(() => normaliseUrl('http://exa mple.com/')).toThrow(code('invalid_url'));
  });
});
