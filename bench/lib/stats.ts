// Pure helpers of the benchmark harness (no I/O, no timing): statistics, output comparison,
// the Markdown table and the SVG bar chart. Tested in tests/unit/bench/.

/** Median; for an even count the mean of the two middle values. NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Geometric mean of positive numbers; NaN for an empty list or any value <= 0 / not finite. */
export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (const x of xs) {
    if (!(x > 0) || !Number.isFinite(x)) return NaN;
    sum += Math.log(x);
  }
  return Math.exp(sum / xs.length);
}

export function min(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : Math.min(...xs);
}
export function max(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : Math.max(...xs);
}

/** Pair-by-pair ratios a[i] / b[i] (the two lists come from alternating runs). */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const r: number[] = [];
  for (let i = 0; i < n; i++) r.push(a[i] / b[i]);
  return r;
}

export interface OutputCheck {
  equal: boolean;
  /** 1-based number of the first line that differs (0 when equal) */
  line: number;
  expected: string;
  actual: string;
}

/** Compare a program's stdout with the expected output, byte for byte; on a mismatch, says
 *  where (first differing line, both versions, cut to 80 characters). */
export function compareOutput(actual: string | Uint8Array, expected: string | Uint8Array): OutputCheck {
  const a = typeof actual === 'string' ? actual : Buffer.from(actual).toString('utf8');
  const e = typeof expected === 'string' ? expected : Buffer.from(expected).toString('utf8');
  if (a === e) return { equal: true, line: 0, expected: '', actual: '' };
  const al = a.split('\n');
  const el = e.split('\n');
  let i = 0;
  while (i < al.length && i < el.length && al[i] === el[i]) i++;
  const cut = (s: string | undefined): string => (s === undefined ? '<end of output>' : s.length > 80 ? s.slice(0, 77) + '...' : s);
  return { equal: false, line: i + 1, expected: cut(el[i]), actual: cut(al[i]) };
}

/** The `pymem-timing k=v ...` line that the CLI prints with PYMEM_TIMING=1 (last one wins). */
export function parseTimingLine(stderr: string): Record<string, number> | null {
  let found: Record<string, number> | null = null;
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('pymem-timing ')) continue;
    const r: Record<string, number> = {};
    for (const kv of line.slice('pymem-timing '.length).trim().split(/\s+/)) {
      const eq = kv.indexOf('=');
      if (eq > 0) r[kv.slice(0, eq)] = Number(kv.slice(eq + 1));
    }
    found = r;
  }
  return found;
}

/** Parse command-line flags: `--name value` and `--flag`. Unknown flags are an error. */
export function parseFlags(args: readonly string[], spec: Record<string, 'string' | 'number' | 'boolean'>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const kind = spec[name];
    if (kind === undefined) throw new Error(`unknown option --${name} (known: ${Object.keys(spec).map((k) => '--' + k).join(', ')})`);
    if (kind === 'boolean') {
      out[name] = true;
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= args.length) throw new Error(`--${name} needs a value`);
      value = args[++i];
    }
    if (kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${value}`);
      out[name] = n;
    } else out[name] = value;
  }
  return out;
}

// ---- Markdown ----

/** A Markdown table; cells are escaped for `|`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]): string => `| ${cells.map(esc).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

// ---- SVG ----

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface Bar {
  label: string;
  /** the ratio; null = no value (the program did not run): drawn as a note instead of a bar */
  value: number | null;
  /** wrong output: drawn in red with the note */
  bad?: boolean;
  note?: string;
}

export interface ChartOptions {
  title: string;
  /** vertical reference lines, e.g. the goals (2.0 for the geometric mean, 3.0 per program) */
  marks?: { value: number; label: string }[];
  /** axis caption */
  axis?: string;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Horizontal bar chart of ratios on a log scale (1 = as fast as the reference), hand-written
 *  SVG with no dependency. Bars start at 1×; a ratio below 1 extends to the left. */
export function barChartSvg(bars: readonly Bar[], opts: ChartOptions): string {
  const W = 760;
  const labelW = 150;
  const right = 70;
  const marksN = (opts.marks ?? []).length;
  const top = 40 + 14 * marksN;
  const barH = 20;
  const gap = 8;
  const plotW = W - labelW - right;
  const H = top + bars.length * (barH + gap) + 44;
  const values = bars.map((b) => b.value).filter((v): v is number => v !== null && v > 0 && Number.isFinite(v));
  const marks = opts.marks ?? [];
  let lo = Math.min(0.5, ...values, ...marks.map((m) => m.value));
  let hi = Math.max(4, ...values, ...marks.map((m) => m.value));
  lo = Math.pow(10, Math.floor(Math.log10(lo) * 2) / 2);
  hi = Math.pow(10, Math.ceil(Math.log10(hi) * 4) / 4);
  const x = (v: number): number => labelW + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotW;
  const r = (n: number): string => n.toFixed(1);
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${xmlEscape(opts.title)}</text>`);
  // grid: 1-2-5 steps inside [lo, hi]
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * Math.pow(10, e);
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  const plotBottom = top + bars.length * (barH + gap);
  for (const t of ticks) {
    out.push(`<line x1="${r(x(t))}" y1="${top - 6}" x2="${r(x(t))}" y2="${plotBottom}" stroke="${t === 1 ? '#444444' : '#dddddd'}" stroke-width="1"/>`);
    out.push(`<text x="${r(x(t))}" y="${plotBottom + 16}" text-anchor="middle" fill="#444444">${String(Number(t.toPrecision(3)))}×</text>`);
  }
  marks.forEach((m, k) => {
    // labels stacked from the top so that close marks do not overlap
    const ly = 40 + 14 * k;
    out.push(`<line x1="${r(x(m.value))}" y1="${ly + 3}" x2="${r(x(m.value))}" y2="${plotBottom}" stroke="#d97706" stroke-width="1.5" stroke-dasharray="5,3"/>`);
    out.push(`<text x="${r(x(m.value) + 4)}" y="${ly}" text-anchor="start" fill="#d97706" font-size="11">${xmlEscape(m.label)}</text>`);
  });
  bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    out.push(`<text x="${labelW - 8}" y="${r(y + barH / 2 + 4)}" text-anchor="end">${xmlEscape(b.label)}</text>`);
    if (b.value === null || !(b.value > 0) || !Number.isFinite(b.value)) {
      out.push(`<text x="${r(x(1) + 6)}" y="${r(y + barH / 2 + 4)}" fill="#b91c1c">${xmlEscape(b.note ?? 'no result')}</text>`);
      return;
    }
    const x0 = Math.min(x(1), x(b.value));
    const w = Math.max(1, Math.abs(x(b.value) - x(1)));
    const color = b.bad ? '#dc2626' : b.value <= 1 ? '#16a34a' : '#2563eb';
    out.push(`<rect x="${r(x0)}" y="${y}" width="${r(w)}" height="${barH}" fill="${color}"/>`);
    const text = `${fmt(b.value)}×${b.note !== undefined ? ' ' + b.note : ''}`;
    out.push(`<text x="${r(Math.max(x(1), x(b.value)) + 5)}" y="${r(y + barH / 2 + 4)}" fill="${b.bad ? '#b91c1c' : '#111111'}">${xmlEscape(text)}</text>`);
  });
  if (opts.axis !== undefined) out.push(`<text x="${labelW + plotW / 2}" y="${H - 8}" text-anchor="middle" fill="#444444">${xmlEscape(opts.axis)}</text>`);
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
