#!/usr/bin/env python3
"""Rewrite imports of `export const` values into file-local constants.

V8 reads an imported binding through its module cell, with a hole check, on every use; a
file-local `const` copy is one context-slot load. For each file named on the command line, each imported
name whose source module declares it `export const NAME` (not a function, class, let or const
enum) is imported as `NAME as NAME__i` and copied once: `const NAME = NAME__i;`.
Idempotent: names already aliased this way are left alone."""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMPORT_RE = re.compile(r"^import \{([^}]*)\} from '([^']+)';\n", re.M)

def const_exports(path, cache={}):
    if path in cache: return cache[path]
    try: src = open(path).read()
    except FileNotFoundError:
        cache[path] = set(); return cache[path]
    names = set(re.findall(r"^export const (?!enum\b)([A-Za-z_$][\w$]*)\b", src, re.M))
    cache[path] = names
    return names

def process(path):
    src = open(path).read()
    out = []; pos = 0; copies = []; ncopied = 0
    for m in IMPORT_RE.finditer(src):
        spec, frm = m.group(1), m.group(2)
        if not frm.startswith('.'):
            continue
        if HEAP_ONLY and not frm.endswith('heap.js'):
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(path), frm))
        if target.endswith('.js'): target = target[:-3] + '.ts'
        consts = const_exports(target)
        parts = [p.strip() for p in spec.split(',')]
        newparts = []; changed = False
        for p in parts:
            if not p: continue
            if p.startswith('type '):
                newparts.append(p); continue
            mm = re.match(r"^([\w$]+)(?:\s+as\s+([\w$]+))?$", p)
            if not mm:
                newparts.append(p); continue
            name, local = mm.group(1), mm.group(2) or mm.group(1)
            if name in consts and not local.endswith('__i'):
                # an alias `X as heapX` chosen by hand is kept as it is
                if mm.group(2) is not None:
                    newparts.append(p); continue
                newparts.append(f"{name} as {local}__i")
                copies.append(f"const {local} = {local}__i;")
                changed = True
            else:
                newparts.append(p)
        if changed:
            text = "import {\n  " + ", ".join(newparts) + f",\n}} from '{frm}';\n"
            text += "".join(c + "\n" for c in copies[ncopied:])
            ncopied = len(copies)
            out.append(src[pos:m.start()]); out.append(text); pos = m.end()
    if not copies: return 0
    out.append(src[pos:])
    src = ''.join(out)
    open(path, 'w').write(src)
    return len(copies)

total = 0
# each copy follows its import statement; run it on the files you name. --heap-only: only the
# imports from runtime/mem/heap.ts (a module without imports, so always evaluated first: a copy
# of any other module's constant can meet it uninitialised in an import cycle)
HEAP_ONLY = '--heap-only' in sys.argv
for f in [a for a in sys.argv[1:] if a != '--heap-only']:
    n = process(os.path.join(ROOT, f))
    if n: print(f"{f}: {n}"); total += n
print('total', total)
