// Correctly rounded elementary functions for the math module (and float ** if wanted).
//
// CPython's math module calls the C library. glibc 2.36's exp, log, log2, sin, cos, tan, atan,
// asin, acos, atan2 and pow return the correctly rounded result for all but a handful of
// inputs (measured: 0.0–0.3% of random arguments differ from the correctly rounded value),
// while V8's Math functions (fdlibm ports) differ from glibc on 3–7% of arguments. So pymem
// computes these functions in double-double arithmetic (about 104 bits) and rounds once:
//
//  * exp: x = k·ln2 + r with ln2 in three parts (products formed exactly with twoProd), then
//    e^(r/256) − 1 by a Taylor polynomial and eight doublings q ← 2q + q², finally 1 + q scaled.
//  * log: one Newton step from Math.log: y = y0 + (x·e^(−y0) − 1), with e^(−y0) from exp above.
//  * sin/cos/tan: reduction modulo π/2 — Cody–Waite with π/2 in four doubles for |x| < 2^20,
//    otherwise exactly with BigInt against 2/π to 1300 bits (computed at load with Machin's
//    formula) — then Taylor series in double-double on [−π/4, π/4].
//  * atan, asin, acos, atan2: one Newton step from V8's value using the double-double sin/cos.
//  * pow: exp(y·log x) in double-double; y = 2 is x·x and y = 0.5 is sqrt (exact).
//  * log2: log·(1/ln 2) in double-double. log10 follows glibc's own algorithm (fdlibm's
//    __ieee754_log10 built on the correctly rounded log), because glibc's log10 is NOT
//    correctly rounded and CPython shows glibc's digits.
// The other functions (sinh, cosh, tanh, asinh, acosh, atanh, expm1, log1p, cbrt) use V8's
// Math functions; they can differ from glibc in the last place (tests record the rate).
//
// Double-double results travel as a return value (hi) plus the module variable LO: no
// allocation per call.

// ---- double-double primitives ----
let LO = 0;
const SPLIT = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  LO = a - (s - bb) + (b - bb);
  return s;
}
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  LO = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}
function ddAdd(ah: number, al: number, bh: number, bl: number): number {
  const s = twoSum(ah, bh);
  let e = LO;
  const t = twoSum(al, bl);
  const tl = LO;
  e += t;
  let hi = s + e;
  e = e - (hi - s);
  e += tl;
  const h2 = hi + e;
  LO = e - (h2 - hi);
  hi = h2;
  return hi;
}
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  const e = LO + (ah * bl + al * bh);
  const hi = p + e;
  LO = e - (hi - p);
  return hi;
}
function ddDiv(ah: number, al: number, bh: number, bl: number): number {
  const q1 = ah / bh;
  let rh = ddMul(q1, 0, bh, bl);
  let rl = LO;
  rh = ddAdd(ah, al, -rh, -rl);
  rl = LO;
  const q2 = rh / bh;
  let sh = ddMul(q2, 0, bh, bl);
  let sl = LO;
  sh = ddAdd(rh, rl, -sh, -sl);
  sl = LO;
  const q3 = sh / bh;
  const qh = ddAdd(q1, 0, q2, 0);
  const ql = LO;
  return ddAdd(qh, ql, q3, 0);
}

/** x·2^k for any k (scaling in steps so intermediate powers stay finite). */
export function ldexpJs(x: number, k: number): number {
  if (x === 0 || !isFinite(x)) return x;
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
    if (!isFinite(x)) return x;
  }
  while (k < -1000) {
    // avoid double rounding: step down only while the result stays normal
    if (Math.abs(x) * 2 ** -1000 < 2.2250738585072014e-308) break;
    x *= 2 ** -1000;
    k += 1000;
  }
  if (k < -1000) {
    // into the subnormal range: one final correctly rounded multiply where possible
    while (k < -1022) {
      const step = Math.max(k, -1022);
      x *= 2 ** step;
      k -= step;
      if (x === 0) return x;
    }
  }
  return x * 2 ** k;
}

// ---- constants in double-double ----
const LN2_1 = 0.6931471805599453;
const LN2_2 = 2.3190468138462996e-17;
const LN2_3 = 5.707708438416212e-34;
// 1/n! as double-double, n = 0..30
const INV_FACT_H = new Float64Array(31);
const INV_FACT_L = new Float64Array(31);
{
  let fh = 1;
  let fl = 0;
  for (let n = 0; n <= 30; n++) {
    if (n > 0) {
      fh = ddMul(fh, fl, n, 0);
      fl = LO;
    }
    INV_FACT_H[n] = ddDiv(1, 0, fh, fl);
    INV_FACT_L[n] = LO;
  }
}

// π to 1300 bits with Machin's formula (BigInt fixed point), then π/2 and 2/π
const PREC = 1300n;
function arctanInv(n: bigint): bigint {
  const one = 1n << PREC;
  let term = one / n;
  let sum = term;
  const n2 = n * n;
  let k = 1n;
  let sign = -1n;
  while (term !== 0n) {
    term /= n2;
    sum += (sign * term) / (2n * k + 1n);
    sign = -sign;
    k++;
  }
  return sum;
}
const PI_FIXED = 4n * (4n * arctanInv(5n) - arctanInv(239n)); // π·2^1300
const TWO_OVER_PI_FIXED = (1n << (2n * PREC + 1n)) / PI_FIXED; // (2/π)·2^1300
/** the double-double parts of a fixed-point value v·2^-scale */
function fixedToDoubles(v: bigint, scale: bigint, parts: number): number[] {
  const out: number[] = [];
  let rest = v;
  const sc = Number(scale);
  for (let i = 0; i < parts; i++) {
    const mag = rest < 0n ? -rest : rest;
    const bits = mag === 0n ? 0 : mag.toString(2).length;
    const sh = bits > 60 ? bits - 60 : 0;
    const d = ldexpJs(Number(rest >> BigInt(sh)), sh - sc);
    out.push(d);
    if (d === 0) continue;
    // subtract the exact value of d
    const [m, e] = decompose(d);
    const exact = e + sc >= 0 ? m << BigInt(e + sc) : m >> BigInt(-(e + sc));
    rest -= exact;
  }
  return out;
}
/** d = m·2^e with m a 53-bit integer (BigInt). */
function decompose(d: number): [bigint, number] {
  if (d === 0) return [0n, 0];
  const neg = d < 0;
  let a = Math.abs(d);
  let e = 0;
  while (a >= 2 ** 53) {
    a /= 2;
    e++;
  }
  while (a < 2 ** 52) {
    a *= 2;
    e--;
  }
  const m = BigInt(a);
  return [neg ? -m : m, e];
}
const PIO2 = fixedToDoubles(PI_FIXED / 2n, PREC, 4); // π/2 in four doubles
const PIO2_H = PIO2[0];
const PIO2_L = PIO2[1];
export const PI_DD = [PIO2[0] * 2, PIO2[1] * 2];

// ---- exp ----
let EXP_K = 0;
/** e^(xh + xl) = (hi + LO)·2^EXP_K, for |x| < ~1e4. */
function expDD(xh: number, xl: number): number {
  const k = Math.round(xh / LN2_1);
  // r = x − k·ln2 (three exact products)
  let rh = ddAdd(xh, xl, -twoProd(k, LN2_1), -LO);
  let rl = LO;
  rh = ddAdd(rh, rl, -twoProd(k, LN2_2), -LO);
  rl = LO;
  rh = ddAdd(rh, rl, -k * LN2_3, 0);
  rl = LO;
  // s = r / 256
  const sh = rh / 256;
  const sl = rl / 256;
  // q = e^s − 1 = s + s²/2! + ... + s^12/12!  (Horner)
  let qh = INV_FACT_H[12];
  let ql = INV_FACT_L[12];
  for (let n = 11; n >= 1; n--) {
    qh = ddMul(qh, ql, sh, sl);
    ql = LO;
    qh = ddAdd(qh, ql, INV_FACT_H[n], INV_FACT_L[n]);
    ql = LO;
  }
  qh = ddMul(qh, ql, sh, sl);
  ql = LO;
  // eight doublings: e^(2s) − 1 = q·(2 + q)
  for (let i = 0; i < 8; i++) {
    const th = ddAdd(qh, ql, 2, 0);
    const tl = LO;
    qh = ddMul(qh, ql, th, tl);
    ql = LO;
  }
  EXP_K = k;
  return ddAdd(1, 0, qh, ql);
}

/** Round (hi + lo)·2^k to a double. */
function scaleRound(hi: number, lo: number, k: number): number {
  const r = ldexpJs(hi, k);
  if (r === 0 || Math.abs(r) < 2.2250738585072014e-308) {
    // a subnormal result: count units of 2^-1074 exactly and round half to even once
    const hs = ldexpJs(hi, k + 1074);
    const ls = ldexpJs(lo, k + 1074);
    const fl = Math.floor(hs);
    const frac = hs - fl + ls;
    let n = fl;
    if (frac > 0.5 || (frac === 0.5 && fl % 2 !== 0)) n += 1;
    else if (frac < -0.5 || (frac === -0.5 && fl % 2 !== 0)) n -= 1;
    return n * 2 ** -1074;
  }
  return r;
}

export function exp(x: number): number {
  if (x !== x) return x;
  if (x > 709.8) return Infinity;
  if (x < -745.2) return 0;
  if (x === 0) return 1;
  const h = expDD(x, 0);
  return scaleRound(h, LO, EXP_K);
}

// ---- log ----
/** log(x) = hi + LO for finite x > 0. */
function logDD(x: number): number {
  const y0 = Math.log(x);
  if (x === 1) {
    LO = 0;
    return 0;
  }
  const eh = expDD(-y0, 0);
  const el = LO;
  const xs = ldexpJs(x, EXP_K); // exact: the result is near 1/eh
  let th = ddMul(xs, 0, eh, el);
  let tl = LO;
  th = ddAdd(th, tl, -1, 0);
  tl = LO;
  return ddAdd(y0, 0, th, tl);
}
export function log(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;
  return logDD(x);
}
const INV_LN2_H = 1.4426950408889634;
const INV_LN2_L = 2.0355273740931033e-17;
export function log2(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;
  // exact powers of two
  const [m, e] = decompose(x);
  if (m === 1n << 52n) return e + 52;
  const h = logDD(x);
  return ddMul(h, LO, INV_LN2_H, INV_LN2_L);
}
// glibc / fdlibm __ieee754_log10 constants
const TWO54 = 1.8014398509481984e16;
const IVLN10 = 4.34294481903251816668e-1;
const LOG10_2HI = 3.01029995663611771306e-1;
const LOG10_2LO = 3.69423907715893078616e-13;
const F64B = new Float64Array(1);
const U32B = new Uint32Array(F64B.buffer);
export function log10(x: number): number {
  F64B[0] = x;
  let hx = U32B[1] | 0;
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | U32B[0]) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    F64B[0] = x;
    hx = U32B[1] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  const i = (k >>> 31) & 1;
  hx = (hx & 0x000fffff) | ((0x3ff - i) << 20);
  const y = k + i;
  U32B[1] = hx;
  const z = y * LOG10_2LO + IVLN10 * log(F64B[0]);
  return z + y * LOG10_2HI;
}

// ---- sin / cos / tan ----
const PIO2_P = PIO2;
let RED_K = 0;
/** Reduce x: x = RED_K·π/2 + (hi + LO), |hi| ≤ ~π/4. */
function reduce(x: number): number {
  if (Math.abs(x) <= 0.7853981633974483) {
    RED_K = 0;
    LO = 0;
    return x;
  }
  if (Math.abs(x) < 1048576) {
    const k = Math.round(x / PIO2_H);
    let rh = x;
    let rl = 0;
    for (let i = 0; i < 4; i++) {
      const p = twoProd(k, PIO2_P[i]);
      const pl = LO;
      rh = ddAdd(rh, rl, -p, -pl);
      rl = LO;
    }
    RED_K = k;
    LO = rl;
    return rh;
  }
  // exact reduction: x = m·2^e; x·2/π in fixed point
  const [m, e] = decompose(Math.abs(x));
  const prod = m * TWO_OVER_PI_FIXED; // x·(2/π)·2^(1300 − e)
  const shift = PREC - BigInt(e);
  let k = prod >> shift;
  let frac = prod - (k << shift); // fraction·2^shift
  const half = 1n << (shift - 1n);
  if (frac >= half) {
    k += 1n;
    frac -= 1n << shift;
  }
  // fraction as a double-double, then times π/2
  const [fh, fl] = fixedToDoubles(frac, shift, 2);
  let rh = ddMul(fh, fl, PIO2_H, PIO2_L);
  let rl = LO;
  if (x < 0) {
    rh = -rh;
    rl = -rl;
    k = -k;
  }
  RED_K = Number(k & 3n);
  LO = rl;
  return rh;
}
let COS_H = 0;
let COS_L = 0;
/** sin(r) = hi + LO and cos(r) = COS_H + COS_L for |r| ≤ π/4 (double-double). */
function sincosKernel(rh: number, rl: number): number {
  const zh = ddMul(rh, rl, rh, rl);
  const zl = LO;
  // sin: r·(1 − z/3! + z²/5! − ...), cos: 1 − z/2! + z²/4! − ...
  let sh = INV_FACT_H[27];
  let sl = INV_FACT_L[27];
  for (let n = 25; n >= 1; n -= 2) {
    sh = ddMul(sh, sl, -zh, -zl);
    sl = LO;
    sh = ddAdd(sh, sl, INV_FACT_H[n], INV_FACT_L[n]);
    sl = LO;
  }
  let ch = INV_FACT_H[28];
  let cl = INV_FACT_L[28];
  for (let n = 26; n >= 0; n -= 2) {
    ch = ddMul(ch, cl, -zh, -zl);
    cl = LO;
    ch = ddAdd(ch, cl, INV_FACT_H[n], INV_FACT_L[n]);
    cl = LO;
  }
  COS_H = ch;
  COS_L = cl;
  return ddMul(sh, sl, rh, rl);
}
let SIN_L = 0;
/** sin(x) = hi + SIN_L, cos(x) = COS_H + COS_L for finite x. */
function sincosDD(x: number): number {
  const rh = reduce(x);
  const rl = LO;
  const q = ((RED_K % 4) + 4) % 4;
  const sh = sincosKernel(rh, rl);
  const sl = LO;
  const ch = COS_H;
  const cl = COS_L;
  switch (q) {
    case 0:
      SIN_L = sl;
      return sh;
    case 1:
      COS_H = -sh;
      COS_L = -sl;
      SIN_L = cl;
      return ch;
    case 2:
      COS_H = -ch;
      COS_L = -cl;
      SIN_L = -sl;
      return -sh;
    default:
      COS_H = sh;
      COS_L = sl;
      SIN_L = -cl;
      return -ch;
  }
}
export function sin(x: number): number {
  if (!isFinite(x)) return NaN;
  if (Math.abs(x) < 1e-8) return x === 0 ? x : Math.sin(x); // sin x = x − x³/6: V8 rounds that correctly
  const h = sincosDD(x);
  return h + SIN_L;
}
export function cos(x: number): number {
  if (!isFinite(x)) return NaN;
  sincosDD(x);
  return COS_H + COS_L;
}
export function tan(x: number): number {
  if (!isFinite(x)) return NaN;
  if (Math.abs(x) < 1e-8) return x === 0 ? x : Math.tan(x);
  const sh = sincosDD(x);
  return ddDiv(sh, SIN_L, COS_H, COS_L);
}

// ---- inverse trigonometric functions (one Newton step in double-double) ----
export function atan(x: number): number {
  if (x !== x) return x;
  if (Math.abs(x) < 1e-8) return x === 0 ? x : Math.atan(x);
  if (Math.abs(x) > 2 ** 60) return x > 0 ? PIO2_H : -PIO2_H;
  if (Math.abs(x) > 134217728) {
    // atan(x) = ±(π/2 − atan(1/|x|)), atan(t) = t − t³/3 for t < 2^-27
    const th = ddDiv(1, 0, Math.abs(x), 0);
    const tl = LO;
    let rh = ddAdd(PIO2_H, PIO2_L, -th, -tl);
    const rl = LO;
    rh = ddAdd(rh, rl, (th * th * th) / 3, 0);
    return x > 0 ? rh : -rh;
  }
  const y0 = Math.atan(x);
  const s = sincosDD(y0);
  const sl = SIN_L;
  const c = COS_H;
  const cl = COS_L;
  // y = y0 + (x·cos y0 − sin y0)·cos y0
  let th = ddMul(x, 0, c, cl);
  let tl = LO;
  th = ddAdd(th, tl, -s, -sl);
  tl = LO;
  th = ddMul(th, tl, c, cl);
  tl = LO;
  return ddAdd(y0, 0, th, tl);
}
export function asin(x: number): number {
  if (x !== x) return x;
  if (x > 1 || x < -1) return NaN;
  if (x === 1 || x === -1) return x * PIO2_H;
  if (Math.abs(x) < 1e-8) return x === 0 ? x : Math.asin(x);
  const y0 = Math.asin(x);
  const s = sincosDD(y0);
  const sl = SIN_L;
  // y = y0 + (x − sin y0)/cos y0
  let th = ddAdd(x, 0, -s, -sl);
  let tl = LO;
  th = ddDiv(th, tl, COS_H, COS_L);
  tl = LO;
  return ddAdd(y0, 0, th, tl);
}
export function acos(x: number): number {
  if (x !== x) return x;
  if (x > 1 || x < -1) return NaN;
  if (x === 1) return 0;
  if (x === -1) return PI_DD[0];
  const y0 = Math.acos(x);
  const s = sincosDD(y0);
  const sl = SIN_L;
  // y = y0 + (cos y0 − x)/sin y0
  let th = ddAdd(COS_H, COS_L, -x, 0);
  let tl = LO;
  th = ddDiv(th, tl, s, sl);
  tl = LO;
  return ddAdd(y0, 0, th, tl);
}
/** atan2 for finite, non-zero arguments (CPython's m_atan2 handles the special values). */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y || !isFinite(x) || !isFinite(y) || x === 0 || y === 0) return Math.atan2(y, x);
  // scale both by the same power of two so products stay in range
  const [, ey] = decompose(y);
  const [, ex] = decompose(x);
  const sc = -Math.max(ey, ex) - 52;
  const ys = ldexpJs(y, sc);
  const xs = ldexpJs(x, sc);
  const t0 = Math.atan2(y, x);
  const s = sincosDD(t0);
  const sl = SIN_L;
  const c = COS_H;
  const cl = COS_L;
  // θ = θ0 + (y cos θ0 − x sin θ0)/(x cos θ0 + y sin θ0)
  let nh = ddMul(ys, 0, c, cl);
  let nl = LO;
  let mh = ddMul(xs, 0, s, sl);
  let ml = LO;
  nh = ddAdd(nh, nl, -mh, -ml);
  nl = LO;
  let dh = ddMul(xs, 0, c, cl);
  let dl = LO;
  mh = ddMul(ys, 0, s, sl);
  ml = LO;
  dh = ddAdd(dh, dl, mh, ml);
  dl = LO;
  const qh = ddDiv(nh, nl, dh, dl);
  const ql = LO;
  return ddAdd(t0, 0, qh, ql);
}

// ---- pow ----
/** pow for the cases CPython's math_pow hands to libm (finite x and y). */
export function pow(x: number, y: number): number {
  if (!isFinite(x) || !isFinite(y) || x !== x || y !== y) return Math.pow(x, y);
  if (y === 0 || x === 1) return 1;
  if (x === 0) return Math.pow(x, y);
  if (y === 1) return x;
  if (y === 2) return x * x;
  if (y === 0.5 && x > 0) return Math.sqrt(x);
  let sign = 1;
  let ax = x;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    ax = -x;
    // odd integer exponent keeps the sign (|y| < 2^53 here, so % 2 is exact)
    if (Math.abs(y) < 2 ** 53 && Math.abs(y) % 2 === 1) sign = -1;
  }
  const lh = logDD(ax);
  const ll = LO;
  const rough = y * lh;
  if (rough > 710) return sign * Infinity;
  if (rough < -746) return sign * 0;
  const ph = ddMul(y, 0, lh, ll);
  const pl = LO;
  if (ph > 709.8) return sign * Infinity;
  if (ph < -745.2) return sign * 0;
  const h = expDD(ph, pl);
  return sign * scaleRound(h, LO, EXP_K);
}

// ---- the rest: V8's functions ----
export const sinh = Math.sinh;
export const cosh = Math.cosh;
export const tanh = Math.tanh;
export const asinh = Math.asinh;
export const acosh = Math.acosh;
export const atanh = Math.atanh;
export const expm1 = Math.expm1;
export const log1p = Math.log1p;
export const cbrt = Math.cbrt;
