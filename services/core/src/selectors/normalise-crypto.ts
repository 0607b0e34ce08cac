import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { SelectorError } from './selector-error.js';
import type { SelectorValue } from './selector-value.js';

export type BtcNetwork = 'mainnet' | 'testnet' | 'regtest';

const base58check = createBase58check(sha256);

/** Legacy address version bytes (Bitcoin wiki, "List of address prefixes"). */
const BASE58_VERSIONS: ReadonlyMap<number, { network: BtcNetwork; kind: 'p2pkh' | 'p2sh' }> = new Map([
  [0x00, { network: 'mainnet', kind: 'p2pkh' }],
  [0x05, { network: 'mainnet', kind: 'p2sh' }],
  [0x6f, { network: 'testnet', kind: 'p2pkh' }],
  [0xc4, { network: 'testnet', kind: 'p2sh' }],
] as const);

const SEGWIT_HRPS: Readonly<Record<string, BtcNetwork>> = { bc: 'mainnet', tb: 'testnet', bcrt: 'regtest' };
const BASE58_ADDRESS = /^[1-9A-HJ-NP-Za-km-z]{25,35}$/;
const MAX_BECH32_LENGTH = 90;

function btcError(
  code: 'invalid_btc' | 'btc_mixed_case' | 'btc_bad_checksum' | 'btc_unknown_version',
  message: string,
) {
  return new SelectorError(code, message, 'btc');
}

/** Base58check P2PKH / P2SH: the checksum covers the exact characters, so case is part of the value. */
function normaliseBase58Address(input: string): SelectorValue {
  if (!BASE58_ADDRESS.test(input)) throw btcError('invalid_btc', `"${input}" is not a Bitcoin address`);
  let payload: Uint8Array;
  try {
    payload = base58check.decode(input);
  } catch {
    throw btcError('btc_bad_checksum', `"${input}" fails its base58check checksum`);
  }
  const version = payload.length === 21 ? BASE58_VERSIONS.get(payload[0] ?? -1) : undefined;
  if (version === undefined) throw btcError('btc_unknown_version', `"${input}" has an unknown version byte`);
  return { value: input, attributes: { ...version, encoding: 'base58check' } };
}

function segwitKind(version: number, programLength: number): string {
  if (version === 0) return programLength === 20 ? 'p2wpkh' : 'p2wsh';
  if (version === 1 && programLength === 32) return 'p2tr';
  return `witness_v${version}`;
}

/**
 * Segwit addresses (BIP-173 bech32 for witness v0, BIP-350 bech32m for v1+). Bech32 is case-insensitive
 * but mixed case is invalid by spec, so the match key is lowercase and mixed case is refused.
 */
function normaliseSegwitAddress(input: string): SelectorValue {
  const lower = input.toLowerCase();
  if (input !== lower && input !== input.toUpperCase()) {
    throw btcError('btc_mixed_case', `"${input}" mixes upper and lower case, which bech32 forbids`);
  }
  const asBech32 = bech32.decodeUnsafe(lower, MAX_BECH32_LENGTH);
  const asBech32m = bech32m.decodeUnsafe(lower, MAX_BECH32_LENGTH);
  const decoded = asBech32 || asBech32m;
  const network = decoded ? SEGWIT_HRPS[decoded.prefix] : undefined;
  const version = decoded?.words[0];
  if (!decoded || network === undefined || version === undefined || version > 16) {
    throw btcError('btc_bad_checksum', `"${input}" is not a valid bech32/bech32m address`);
  }
  // BIP-350: v0 must use bech32 and v1+ must use bech32m; the other checksum is a known-bad encoding.
  if ((version === 0) !== Boolean(asBech32)) {
    throw btcError('btc_bad_checksum', `"${input}" uses the wrong checksum variant for witness v${version}`);
  }
  const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
  const length = program ? program.length : 0;
  if (length < 2 || length > 40 || (version === 0 && length !== 20 && length !== 32)) {
    throw btcError('invalid_btc', `"${input}" has an invalid witness program length`);
  }
  const encoding = version === 0 ? 'bech32' : 'bech32m';
  return {
    value: lower,
    attributes: { network, kind: segwitKind(version, length), witnessVersion: version, encoding },
  };
}

/**
 * Normalises a Bitcoin address (legacy base58check or segwit bech32/bech32m), verifying its checksum so a
 * typo cannot become a selector. `attributes.network` and `attributes.kind` (p2pkh, p2sh, p2wpkh, p2wsh,
 * p2tr...) say what it is.
 */
export function normaliseBtc(raw: string): SelectorValue {
  const input = raw.trim();
  return /^(bc|tb|bcrt)1/i.test(input) ? normaliseSegwitAddress(input) : normaliseBase58Address(input);
}

/** EIP-55 mixed-case checksum form of a lowercase 40-hex-digit address (without 0x). */
export function toEip55(lowerHex: string): string {
  const hash = keccak_256(new TextEncoder().encode(lowerHex));
  let out = '0x';
  for (let i = 0; i < lowerHex.length; i++) {
    const char = lowerHex.charAt(i);
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    out += nibble >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/**
 * Normalises an Ethereum address. The match key is lowercase (addresses are case-insensitive bytes), but
 * a mixed-case input is an EIP-55 checksum claim and must verify: a failed check means a typo, and
 * accepting it would pivot on someone else's address. All-lower and all-upper inputs carry no checksum.
 */
export function normaliseEth(raw: string): SelectorValue {
  const input = raw.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(input)) {
    throw new SelectorError('invalid_eth', `"${input}" is not an Ethereum address (0x + 40 hex)`, 'eth');
  }
  const hex = input.slice(2);
  const lower = hex.toLowerCase();
  const checksummed = toEip55(lower);
  const mixedCase = hex !== lower && hex !== hex.toUpperCase();
  if (mixedCase && input !== checksummed) {
    throw new SelectorError('eth_bad_checksum', `"${input}" fails its EIP-55 checksum`, 'eth');
  }
  return { value: `0x${lower}`, attributes: { checksummed } };
}
