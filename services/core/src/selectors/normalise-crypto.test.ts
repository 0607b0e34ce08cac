import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { normaliseBtc, normaliseEth, toEip55 } from './normalise-crypto.js';

const code = (c: string) => expect.objectContaining({ name: 'SelectorError', code: c });

describe('normaliseBtc: segwit (BIP-173 / BIP-350 test vectors)', () => {
  it.each([
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'mainnet', 'p2wpkh', 0, 'bech32'],
    ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 'testnet', 'p2wsh', 0, 'bech32'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'mainnet', 'p2tr', 1, 'bech32m'],
    ['tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', 'testnet', 'p2tr', 1, 'bech32m'],
  ])('accepts %s', (address, network, kind, witnessVersion, encoding) => {
    expect(normaliseBtc(address)).toEqual({
      value: address.toLowerCase(),
      attributes: { network, kind, witnessVersion, encoding },
    });
  });

  it('rejects mixed case', () => {
    expect(() => normaliseBtc('bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toThrow(code('btc_mixed_case'));
  });

  it('rejects a bad checksum', () => {
    expect(() => normaliseBtc('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toThrow(
      code('btc_bad_checksum'),
    );
  });

  it('rejects witness v1 with a bech32 checksum (BIP-350 invalid vector)', () => {
    expect(() => normaliseBtc('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd')).toThrow(
      code('btc_bad_checksum'),
    );
  });

  it('rejects witness v0 with a bech32m checksum', () => {
    const program = new Uint8Array(20).fill(7);
    const address = bech32m.encode('bc', [0, ...bech32m.toWords(program)]);
    expect(() => normaliseBtc(address)).toThrow(code('btc_bad_checksum'));
    expect(normaliseBtc(bech32.encode('bc', [0, ...bech32.toWords(program)])).attributes.kind).toBe('p2wpkh');
  });

  it('rejects a v0 program of the wrong length and unknown prefixes', () => {
    const shortProgram = bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(16))]);
    expect(() => normaliseBtc(shortProgram)).toThrow(code('invalid_btc'));
    const litecoin = bech32.encode('ltc', [0, ...bech32.toWords(new Uint8Array(20))]);
    expect(() => normaliseBtc(litecoin)).toThrow(code('invalid_btc'));
  });
});

describe('normaliseBtc: base58check (Bitcoin wiki examples)', () => {
  it.each([
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'mainnet', 'p2pkh'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'mainnet', 'p2sh'],
    ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', 'testnet', 'p2pkh'],
    ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 'testnet', 'p2sh'],
  ])('accepts %s and keeps its case', (address, network, kind) => {
    expect(normaliseBtc(` ${address} `)).toEqual({
      value: address,
      attributes: { network, kind, encoding: 'base58check' },
    });
  });

  it('rejects a bad checksum, including a case change', () => {
    expect(() => normaliseBtc('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3')).toThrow(code('btc_bad_checksum'));
    expect(() => normaliseBtc('1bvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toThrow(code('btc_bad_checksum'));
  });

  it('rejects a foreign version byte and non-base58 text', () => {
    const foreign = createBase58check(sha256).encode(Uint8Array.from([0x30, ...new Uint8Array(20)]));
    expect(() => normaliseBtc(foreign)).toThrow(code('btc_unknown_version'));
    expect(() => normaliseBtc('0BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toThrow(code('invalid_btc'));
    expect(() => normaliseBtc('hello')).toThrow(code('invalid_btc'));
  });
});

describe('normaliseEth', () => {
  const valid = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

  it('accepts a valid EIP-55 address and lowercases the match key', () => {
    expect(normaliseEth(valid)).toEqual({
      value: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      attributes: { checksummed: valid },
    });
  });

  it.each([
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ])('round-trips the EIP-55 vector %s', (address) => {
    expect(toEip55(address.slice(2).toLowerCase())).toBe(address);
    expect(normaliseEth(address).attributes.checksummed).toBe(address);
  });

  it('accepts all-lowercase and all-uppercase input without a checksum', () => {
    expect(normaliseEth(valid.toLowerCase()).attributes.checksummed).toBe(valid);
    expect(normaliseEth(`0x${valid.slice(2).toUpperCase()}`).value).toBe(valid.toLowerCase());
  });

  it('rejects mixed case that fails the checksum (one letter flipped)', () => {
    const flipped = '0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    expect(() => normaliseEth(flipped)).toThrow(code('eth_bad_checksum'));
  });

  it('rejects malformed addresses', () => {
    for (const bad of [
      '5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea',
      '0xzz',
    ]) {
      expect(() => normaliseEth(bad), bad).toThrow(code('invalid_eth'));
    }
  });
});
