// SipHash-1-3 over heap bytes: the hash of str and bytes (≈ Python/pyhash.c, Py_HASH_ALGORITHM
// siphash13, Py_HASH_CUTOFF 0).
//
// The algorithm (reference §10): a 128-bit key (k0, k1); state v0..v3 = k0/k1 xor the
// "somepseudorandomlygeneratedbytes" constants; every 8-byte little-endian word m of the input
// is absorbed as `v3 ^= m; SipRound; v0 ^= m`; the last word holds the remaining 0..7 bytes with
// the input length (mod 256) in its top byte; then `v2 ^= 0xff` and three SipRounds; the
// result is v0^v1^v2^v3 read as a signed 64-bit number, with -1 mapped to -2. An empty input
// hashes to 0 (CPython returns 0 before calling SipHash).
//
// 64-bit arithmetic is done on 32-bit halves held in local variables (hi, lo), never BigInt:
// this is the hot path of every str-keyed dict. The result follows object.ts's convention: the
// function returns the LOW 32 bits (as a signed int32) and leaves the HIGH 32 bits in HASH_HI[0].
//
// The key: PYTHONHASHSEED=0 (pymem's default) gives an all-zero key. A seed N in 1..4294967295
// fills CPython's 24-byte _Py_HashSecret with its LCG (x = x*214013 + 2531011 mod 2^32, byte =
// (x >> 16) & 0xff, starting from x = N); SipHash uses bytes 0..7 as k0 and 8..15 as k1.

import { I32 as heapI32, U8 as heapU8 } from './mem/heap.js';
import { HASH_HI } from './object.js';

// The heap views as file-local constants (an imported binding is read through its module
// cell on every use; reference/performance.md §4d rule 1).
const I32 = heapI32;
const U8 = heapU8;

// key halves (as unsigned 32-bit numbers stored in int32 slots)
let k0lo = 0;
let k0hi = 0;
let k1lo = 0;
let k1hi = 0;
let hashSeed = 0;

/** Set the hash key from PYTHONHASHSEED (0..4294967295). 0 = all-zero key. Must be called before
 *  any str/bytes hash is cached (the CLI does it at start-up). */
export function setHashSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    throw new RangeError('PYTHONHASHSEED must be "random" or an integer in range [0; 4294967295]');
  }
  hashSeed = seed;
  const key = new Uint8Array(24);
  if (seed !== 0) {
    // ≈ Python/bootstrap_hash.c lcg_urandom
    let x = seed >>> 0;
    for (let i = 0; i < 24; i++) {
      x = (Math.imul(x, 214013) + 2531011) >>> 0;
      key[i] = (x >>> 16) & 0xff;
    }
  }
  const w = new Int32Array(key.buffer, 0, 4);
  k0lo = w[0];
  k0hi = w[1];
  k1lo = w[2];
  k1hi = w[3];
}
export function getHashSeed(): number {
  return hashSeed;
}

/** ≈ _Py_HashBytes: SipHash-1-3 of the `len` bytes at heap address `p`. Returns the low 32 bits
 *  of the signed 64-bit hash and leaves the high 32 bits in HASH_HI[0]. Empty input → 0; a
 *  result of -1 becomes -2. */
export function _Py_HashBytes(p: number, len: number): number {
  if (len === 0) {
    HASH_HI[0] = 0;
    return 0;
  }
  // v0 = k0 ^ 0x736f6d6570736575, v1 = k1 ^ 0x646f72616e646f6d,
  // v2 = k0 ^ 0x6c7967656e657261, v3 = k1 ^ 0x7465646279746573
  let v0h = k0hi ^ 0x736f6d65;
  let v0l = k0lo ^ 0x70736575;
  let v1h = k1hi ^ 0x646f7261;
  let v1l = k1lo ^ 0x6e646f6d;
  let v2h = k0hi ^ 0x6c796765;
  let v2l = k0lo ^ 0x6e657261;
  let v3h = k1hi ^ 0x74656462;
  let v3l = k1lo ^ 0x79746573;
  let t: number;
  let ml = 0;
  let mh = 0;
  const blocks = len >>> 3;
  const aligned = (p & 3) === 0;
  let q = p;
  // One loop runs every SipRound: `blocks` message words, then the last word (tail bytes and the
  // length), then the three finalization rounds (v2 ^= 0xff before the first of them). The round
  // is written once, on local variables, so V8 keeps all eight halves in registers.
  const last = blocks + 3;
  for (let r = 0; r <= last; r++) {
    if (r < blocks) {
      if (aligned) {
        ml = I32[q >> 2];
        mh = I32[(q >> 2) + 1];
      } else {
        ml = U8[q] | (U8[q + 1] << 8) | (U8[q + 2] << 16) | (U8[q + 3] << 24);
        mh = U8[q + 4] | (U8[q + 5] << 8) | (U8[q + 6] << 16) | (U8[q + 7] << 24);
      }
      q += 8;
      v3l ^= ml;
      v3h ^= mh;
    } else if (r === blocks) {
      ml = 0;
      mh = (len & 0xff) << 24;
      switch (len & 7) {
        case 7: mh |= U8[q + 6] << 16; // falls through
        case 6: mh |= U8[q + 5] << 8; // falls through
        case 5: mh |= U8[q + 4]; // falls through
        case 4: ml |= U8[q + 3] << 24; // falls through
        case 3: ml |= U8[q + 2] << 16; // falls through
        case 2: ml |= U8[q + 1] << 8; // falls through
        case 1: ml |= U8[q];
      }
      v3l ^= ml;
      v3h ^= mh;
    } else if (r === blocks + 1) {
      v2l ^= 0xff;
    }
    // ---- SipRound ----
    //   v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    //   v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
    //   v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
    //   v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    // A 64-bit add carries from the low halves (compared as unsigned); rotl by b < 32 moves the
    // top b bits of each half into the bottom of the other; rotl by 32 swaps the halves.
    t = (v0l >>> 0) + (v1l >>> 0); v0h = (v0h + v1h + (t > 0xffffffff ? 1 : 0)) | 0; v0l = t | 0;
    t = v1h; v1h = (v1h << 13) | (v1l >>> 19); v1l = (v1l << 13) | (t >>> 19);
    v1h ^= v0h; v1l ^= v0l;
    t = v0h; v0h = v0l; v0l = t;
    t = (v2l >>> 0) + (v3l >>> 0); v2h = (v2h + v3h + (t > 0xffffffff ? 1 : 0)) | 0; v2l = t | 0;
    t = v3h; v3h = (v3h << 16) | (v3l >>> 16); v3l = (v3l << 16) | (t >>> 16);
    v3h ^= v2h; v3l ^= v2l;
    t = (v0l >>> 0) + (v3l >>> 0); v0h = (v0h + v3h + (t > 0xffffffff ? 1 : 0)) | 0; v0l = t | 0;
    t = v3h; v3h = (v3h << 21) | (v3l >>> 11); v3l = (v3l << 21) | (t >>> 11);
    v3h ^= v0h; v3l ^= v0l;
    t = (v2l >>> 0) + (v1l >>> 0); v2h = (v2h + v1h + (t > 0xffffffff ? 1 : 0)) | 0; v2l = t | 0;
    t = v1h; v1h = (v1h << 17) | (v1l >>> 15); v1l = (v1l << 17) | (t >>> 15);
    v1h ^= v2h; v1l ^= v2l;
    t = v2h; v2h = v2l; v2l = t;
    // ----
    if (r <= blocks) {
      v0l ^= ml;
      v0h ^= mh;
    }
  }
  let lo = v0l ^ v1l ^ v2l ^ v3l;
  const hi = v0h ^ v1h ^ v2h ^ v3h;
  if (lo === -1 && hi === -1) lo = -2;
  HASH_HI[0] = hi;
  return lo;
}
