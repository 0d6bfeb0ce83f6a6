// The pure parts of the benchmark harness (bench/lib/stats.ts): statistics, output comparison,
// the timing line, flags, the Markdown table and the SVG chart. Nothing here is timed.
import { describe, expect, it } from 'vitest';
import {
  median,
  geomean,
  pairRatios,
  compareOutput,
  parseTimingLine,
  parseFlags,
  markdownTable,
  barChartSvg,
  xmlEscape,
} from '../../../bench/lib/stats.js';

/** A small XML well-formedness check: one root element, every tag closed in order, attribute
 *  values quoted, no duplicate attributes, only the five predefined entities or character
 *  references, no raw `<` or `&` in text. Enough for what barChartSvg writes. */
function checkXml(xml: string): string | null {
  let i = 0;
  const stack: string[] = [];
  let roots = 0;
  const name = /^[A-Za-z_][\w.:-]*/;
  const checkText = (t: string): string | null => {
    if (t.includes('<')) return 'raw < in text';
    const amp = /&([^;]*);?/g;
    let m;
    while ((m = amp.exec(t)) !== null) {
      if (!m[0].endsWith(';') || !/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1])) return `bad entity ${m[0]}`;
    }
    return null;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return 'unclosed declaration';
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') return 'text outside the root';
    const bad = checkText(text);
    if (bad !== null) return bad;
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) return 'unclosed tag';
    let tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const n = tag.slice(1).trim();
      if (stack.pop() !== n) return `mismatched </${n}>`;
    } else {
      const selfClosing = tag.endsWith('/');
      if (selfClosing) tag = tag.slice(0, -1);
      const nm = name.exec(tag);
      if (nm === null) return `bad tag <${tag}>`;
      let rest = tag.slice(nm[0].length);
      const seen = new Set<string>();
      while (rest.trim() !== '') {
        const am = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(rest);
        if (am === null) return `bad attributes in <${nm[0]}>: ${rest}`;
        if (seen.has(am[1])) return `duplicate attribute ${am[1]}`;
        seen.add(am[1]);
        const v = checkText(am[3] ?? am[4] ?? '');
        if (v !== null) return v;
        rest = rest.slice(am[0].length);
      }
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(nm[0]);
    }
    i = gt + 1;
  }
  if (stack.length !== 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots !== 1) return `${roots} root elements`;
  return null;
}

describe('statistics', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('geometric mean', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    expect(geomean([1, 1, 1])).toBe(1);
    expect(geomean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geomean([3])).toBeCloseTo(3, 12);
    expect(geomean([])).toBeNaN();
    expect(geomean([1, 0])).toBeNaN();
    expect(geomean([1, -2])).toBeNaN();
    expect(geomean([1, Infinity])).toBeNaN();
  });

  it('pair-by-pair ratios stop at the shorter list', () => {
    expect(pairRatios([2, 4, 6], [1, 2])).toEqual([2, 2]);
  });
});

describe('output comparison', () => {
  it('equal outputs, as strings or bytes', () => {
    expect(compareOutput('a\nb\n', 'a\nb\n').equal).toBe(true);
    expect(compareOutput(Buffer.from('checksum 1\n'), Buffer.from('checksum 1\n')).equal).toBe(true);
  });

  it('reports the first differing line', () => {
    const c = compareOutput('a\nb\nX\nd\n', 'a\nb\nc\nd\n');
    expect(c).toEqual({ equal: false, line: 3, expected: 'c', actual: 'X' });
  });

  it('a missing trailing newline or a truncated output is a mismatch', () => {
    expect(compareOutput('a\nb', 'a\nb\n').equal).toBe(false);
    const t = compareOutput('a\n', 'a\nb\n');
    expect(t.equal).toBe(false);
    expect(t.line).toBe(2);
    expect(t.expected).toBe('b');
    const more = compareOutput('a\nb\nextra\n', 'a\nb\n');
    expect(more.line).toBe(3);
    expect(more.actual).toBe('extra');
  });

  it('cuts long lines', () => {
    const c = compareOutput('x'.repeat(200), 'y');
    expect(c.actual.length).toBe(80);
    expect(c.actual.endsWith('...')).toBe(true);
  });
});

describe('timing line and flags', () => {
  it('parses the last pymem-timing line among other stderr', () => {
    const t = parseTimingLine('warning\npymem-timing startup=10.5 parse=1.0 run=3\npymem-timing startup=1 init=2.5 parse=3 compile=4 run=5 finalize=6\n');
    expect(t).toEqual({ startup: 1, init: 2.5, parse: 3, compile: 4, run: 5, finalize: 6 });
    expect(parseTimingLine('Traceback...\n')).toBeNull();
  });

  it('parses --name value, --name=value and booleans; rejects unknown flags', () => {
    const spec = { runs: 'number', size: 'string', quick: 'boolean' } as const;
    expect(parseFlags(['--runs', '3', '--size=small', '--quick'], spec)).toEqual({ runs: 3, size: 'small', quick: true });
    expect(() => parseFlags(['--nope'], spec)).toThrow(/unknown option/);
    expect(() => parseFlags(['--runs', 'x'], spec)).toThrow(/not a number/);
    expect(() => parseFlags(['--runs'], spec)).toThrow(/needs a value/);
    expect(() => parseFlags(['stray'], spec)).toThrow(/unexpected/);
  });
});

describe('Markdown table', () => {
  it('header, separator, rows; pipes escaped', () => {
    const md = markdownTable(['a', 'b'], [['1', 'x|y']]);
    expect(md).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n');
  });
});

describe('SVG chart', () => {
  it('the checker itself rejects broken XML', () => {
    expect(checkXml('<a><b></a></b>')).not.toBeNull();
    expect(checkXml('<a x="1" x="2"/>')).not.toBeNull();
    expect(checkXml('<a>1 < 2</a>')).not.toBeNull();
    expect(checkXml('<a>R&D</a>')).not.toBeNull();
    expect(checkXml('<a x=1/>')).not.toBeNull();
    expect(checkXml('<a/><b/>')).not.toBeNull();
    expect(checkXml('<a t="&lt;&amp;">ok &#215;</a>')).toBeNull();
  });

  it('is well-formed XML with one bar per program, including awkward labels and missing values', () => {
    const svg = barChartSvg(
      [
        { label: 'nbody', value: 1.8 },
        { label: 'spectral_norm', value: 0.7 },
        { label: 'dict_str <&> "quoted"', value: 42.5, bad: true, note: 'wrong output' },
        { label: 'cycles', value: null, bad: true, note: "failed: exit 70: pymem: internal error <x> & 'y'" },
        { label: 'weird', value: NaN },
      ],
      { title: 'pymem ÷ CPython <test> & co', marks: [{ value: 2, label: 'goal 2×' }, { value: 3, label: 'max 3×' }], axis: 'log scale' },
    );
    expect(checkXml(svg)).toBeNull();
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.match(/<rect /g)?.length).toBe(1 + 3); // background + three bars with values
    expect(svg).toContain('dict_str &lt;&amp;&gt; &quot;quoted&quot;');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('an empty chart and a chart of huge ratios are still well-formed', () => {
    expect(checkXml(barChartSvg([], { title: 'empty' }))).toBeNull();
    const big = barChartSvg([{ label: 'x', value: 5000 }, { label: 'y', value: 0.01 }], { title: 't' });
    expect(checkXml(big)).toBeNull();
    expect(big).not.toMatch(/NaN|Infinity/);
  });

  it('xmlEscape', () => {
    expect(xmlEscape(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });
});
