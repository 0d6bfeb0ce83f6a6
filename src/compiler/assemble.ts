// The 3.11 flow-graph optimizer and assembler (≈ CPython 3.11 Python/compile.c, assembler
// half, rewritten): basic-block clean-up, constant-jump removal, jump threading, tuple
// folding, SWAP optimisation, unreachable-code removal, exit-block duplication for line
// numbers, stack depth, exception-table labelling, jump direction (FORWARD/BACKWARD forms),
// EXTENDED_ARG sizing, CACHE units, and the byte formats of co_linetable (locations.md) and
// co_exceptiontable. Passes run in CPython's order because each one's result feeds the next.

import * as O from '../../runtime/vm/opcode.js';
import {
  type Const, type CodeUnit, type ConstTuple, CO_OPTIMIZED, CO_NEWLOCALS, CO_NESTED, CO_GENERATOR,
  CO_VARARGS, CO_VARKEYWORDS, CO_FAST_LOCAL, CO_FAST_CELL, CO_FAST_FREE, NONE, mkStr, isAllNameChars,
} from './code.js';
import {
  type Compiler, type Instr, Block, isJump, isBlockPush, SETUP_FINALLY, SETUP_CLEANUP, SETUP_WITH,
  POP_BLOCK, JUMP, JUMP_NO_INTERRUPT, POP_JUMP_IF_FALSE, POP_JUMP_IF_TRUE, POP_JUMP_IF_NONE,
  POP_JUMP_IF_NOT_NONE,
} from './codegen.js';
import { truthy } from './fold.js';

const MAX_COPY_SIZE = 4;
const INT_MIN = -(2 ** 31);

function hasArg(op: number): boolean {
  return op >= O.HAVE_ARGUMENT;
}

export function instrSize(i: Instr): number {
  const oparg = hasArg(i.op) ? i.arg : 0;
  const ext = (oparg > 0xffffff ? 1 : 0) + (oparg > 0xffff ? 1 : 0) + (oparg > 0xff ? 1 : 0);
  return ext + 1 + O.CACHE_ENTRIES[i.op]!;
}

function pseudoStackEffect(op: number, oparg: number, jump: number): number {
  switch (op) {
    case SETUP_FINALLY: return jump ? 1 : 0;
    case SETUP_CLEANUP: return jump ? 2 : 0;
    case SETUP_WITH: return jump ? 1 : 0;
    case POP_BLOCK: return 0;
    case JUMP: case JUMP_NO_INTERRUPT: return 0;
    case POP_JUMP_IF_FALSE: case POP_JUMP_IF_TRUE: case POP_JUMP_IF_NONE: case POP_JUMP_IF_NOT_NONE: return -1;
  }
  const e = O.stackEffect(op, oparg, jump);
  if (e === undefined) throw new Error(`compiler: no stack effect for opcode ${op}`);
  return e;
}

function copyLoc(from: Instr, to: Instr): void {
  to.lineno = from.lineno; to.col = from.col; to.endLineno = from.endLineno; to.endCol = from.endCol;
}

/** Blocks in the order of CPython's u_blocks list (most recently allocated first). */
function blist(c: Compiler): Block[] {
  return c.u.blocks.slice().reverse();
}

function normalizeBasicBlock(bb: Block): void {
  for (let i = 0; i < bb.instrs.length; i++) {
    const ins = bb.instrs[i]!;
    switch (ins.op) {
      case O.RETURN_VALUE: case O.RAISE_VARARGS: case O.RERAISE:
        bb.exit = true;
        bb.nofallthrough = true;
        break;
      case JUMP: case JUMP_NO_INTERRUPT:
        bb.nofallthrough = true;
      // fall through
      case POP_JUMP_IF_NOT_NONE: case POP_JUMP_IF_NONE: case POP_JUMP_IF_FALSE: case POP_JUMP_IF_TRUE:
      case O.JUMP_IF_FALSE_OR_POP: case O.JUMP_IF_TRUE_OR_POP: case O.FOR_ITER:
        if (i !== bb.instrs.length - 1) throw new Error('malformed control flow graph.');
        while (ins.target!.instrs.length === 0) ins.target = ins.target!.next;
        break;
    }
  }
}

function hasLineno(bb: Block): boolean {
  return bb.instrs.some((i) => i.lineno > 0);
}

function extendBlock(bb: Block): void {
  if (bb.instrs.length === 0) return;
  const last = bb.instrs[bb.instrs.length - 1]!;
  if (last.op !== JUMP && last.op !== O.JUMP_FORWARD && last.op !== O.JUMP_BACKWARD) return;
  const t = last.target!;
  if (t.exit && t.instrs.length <= MAX_COPY_SIZE) {
    if (hasLineno(t)) return;
    last.op = O.NOP;
    for (const i of t.instrs) bb.instrs.push({ ...i });
    bb.exit = true;
  }
}

function cleanBasicBlock(bb: Block): void {
  const out: Instr[] = [];
  let prevLineno = -1;
  const ins = bb.instrs;
  for (let src = 0; src < ins.length; src++) {
    const cur = ins[src]!;
    const lineno = cur.lineno;
    if (cur.op === O.NOP) {
      if (lineno < 0) continue;
      if (prevLineno === lineno) continue;
      if (src < ins.length - 1) {
        const nextLineno = ins[src + 1]!.lineno;
        if (nextLineno === lineno) continue;
        if (nextLineno < 0) {
          copyLoc(cur, ins[src + 1]!);
          continue;
        }
      } else {
        let next = bb.next;
        while (next && next.instrs.length === 0) next = next.next;
        if (next && lineno === next.instrs[0]!.lineno) continue;
      }
    }
    out.push(cur);
    prevLineno = lineno;
  }
  bb.instrs = out;
}

function jumpThread(inst: Instr, target: Instr, opcode: number): boolean {
  if (inst.lineno === target.lineno && inst.target !== target.target) {
    inst.target = target.target;
    inst.op = opcode;
    return true;
  }
  return false;
}

const VISITED = -1;

function swaptimize(block: Block, ix: number): number {
  const ins = block.instrs;
  let depth = ins[ix]!.arg;
  let len = 0;
  let more = false;
  const limit = ins.length - ix;
  while (++len < limit) {
    const op = ins[ix + len]!.op;
    if (op === O.SWAP) {
      depth = Math.max(depth, ins[ix + len]!.arg);
      more = true;
    } else if (op !== O.NOP) break;
  }
  if (!more) return ix;
  const stack: number[] = [];
  for (let i = 0; i < depth; i++) stack.push(i);
  for (let i = 0; i < len; i++) {
    const it = ins[ix + i]!;
    if (it.op === O.SWAP) {
      const top = stack[0]!;
      stack[0] = stack[it.arg - 1]!;
      stack[it.arg - 1] = top;
    }
  }
  let current = len - 1;
  for (let i = 0; i < depth; i++) {
    if (stack[i] === VISITED || stack[i] === i) continue;
    let j = i;
    for (;;) {
      if (j) {
        const it = ins[ix + current--]!;
        it.op = O.SWAP;
        it.arg = j + 1;
      }
      if (stack[j] === VISITED) break;
      const nextJ = stack[j]!;
      stack[j] = VISITED;
      j = nextJ;
    }
  }
  while (current >= 0) ins[ix + current--]!.op = O.NOP;
  return ix + len - 1;
}

function isSwappable(op: number): boolean {
  return op === O.STORE_FAST || op === O.POP_TOP;
}
function storesTo(i: Instr): number {
  return i.op === O.STORE_FAST ? i.arg : -1;
}

function nextSwappableInstruction(block: Block, i: number, lineno: number): number {
  while (++i < block.instrs.length) {
    const ins = block.instrs[i]!;
    if (lineno >= 0 && ins.lineno !== lineno) return -1;
    if (ins.op === O.NOP) continue;
    if (isSwappable(ins.op)) return i;
    return -1;
  }
  return -1;
}

function applyStaticSwaps(block: Block, i: number): void {
  for (; i >= 0; i--) {
    const swap = block.instrs[i]!;
    if (swap.op !== O.SWAP) {
      if (swap.op === O.NOP || isSwappable(swap.op)) continue;
      return;
    }
    const j = nextSwappableInstruction(block, i, -1);
    if (j < 0) return;
    let k = j;
    const lineno = block.instrs[j]!.lineno;
    for (let count = swap.arg - 1; count > 0; count--) {
      k = nextSwappableInstruction(block, k, lineno);
      if (k < 0) return;
    }
    const sj = storesTo(block.instrs[j]!), sk = storesTo(block.instrs[k]!);
    if (sj >= 0 || sk >= 0) {
      if (sj === sk) return;
      for (let idx = j + 1; idx < k; idx++) {
        const s = storesTo(block.instrs[idx]!);
        if (s >= 0 && (s === sj || s === sk)) return;
      }
    }
    swap.op = O.NOP;
    const tmp = block.instrs[j]!;
    block.instrs[j] = block.instrs[k]!;
    block.instrs[k] = tmp;
  }
}

function foldTupleOnConstants(c: Compiler, bb: Block, at: number, n: number, consts: Const[]): void {
  for (let i = 0; i < n; i++) if (bb.instrs[at + i]!.op !== O.LOAD_CONST) return;
  const items = [];
  for (let i = 0; i < n; i++) items.push(consts[bb.instrs[at + i]!.arg]!);
  const newconst = c.mergeConstOne<ConstTuple>({ kind: 'tuple', items });
  let index = consts.indexOf(newconst);
  if (index < 0) {
    index = consts.length;
    consts.push(newconst);
  }
  for (let i = 0; i < n; i++) bb.instrs[at + i]!.op = O.NOP;
  bb.instrs[at + n]!.op = O.LOAD_CONST;
  bb.instrs[at + n]!.arg = index;
}

function optimizeBasicBlock(c: Compiler, bb: Block, consts: Const[]): void {
  const nop: Instr = { op: O.NOP, arg: 0, target: null, except: null, lineno: -1, endLineno: -1, col: -1, endCol: -1 };
  for (let i = 0; i < bb.instrs.length; i++) {
    const inst = bb.instrs[i]!;
    const oparg = inst.arg;
    const nextop = i + 1 < bb.instrs.length ? bb.instrs[i + 1]!.op : 0;
    let target: Instr;
    if (isJump(inst) || isBlockPush(inst)) {
      while (inst.target!.instrs.length === 0) inst.target = inst.target!.next;
      target = inst.target!.instrs[0]!;
    } else {
      target = nop;
    }
    switch (inst.op) {
      case O.LOAD_CONST:
        switch (nextop) {
          case POP_JUMP_IF_FALSE: case POP_JUMP_IF_TRUE: {
            const isTrue = truthy(consts[oparg]!);
            inst.op = O.NOP;
            const jumpIfTrue = nextop === POP_JUMP_IF_TRUE;
            if (isTrue === jumpIfTrue) {
              bb.instrs[i + 1]!.op = JUMP;
              bb.nofallthrough = true;
            } else {
              bb.instrs[i + 1]!.op = O.NOP;
            }
            break;
          }
          case O.JUMP_IF_FALSE_OR_POP: case O.JUMP_IF_TRUE_OR_POP: {
            const isTrue = truthy(consts[oparg]!);
            const jumpIfTrue = nextop === O.JUMP_IF_TRUE_OR_POP;
            if (isTrue === jumpIfTrue) {
              bb.instrs[i + 1]!.op = JUMP;
              bb.nofallthrough = true;
            } else {
              inst.op = O.NOP;
              bb.instrs[i + 1]!.op = O.NOP;
            }
            break;
          }
          case O.IS_OP: {
            const cnt = consts[oparg]!;
            const jumpOp = i + 2 < bb.instrs.length ? bb.instrs[i + 2]!.op : 0;
            if (cnt.kind === 'None' && (jumpOp === POP_JUMP_IF_FALSE || jumpOp === POP_JUMP_IF_TRUE)) {
              const nextarg = bb.instrs[i + 1]!.arg & 0xff;
              inst.op = O.NOP;
              bb.instrs[i + 1]!.op = O.NOP;
              bb.instrs[i + 2]!.op = (nextarg ^ (jumpOp === POP_JUMP_IF_FALSE ? 1 : 0)) ? POP_JUMP_IF_NOT_NONE : POP_JUMP_IF_NONE;
            }
            break;
          }
        }
        break;
      case O.BUILD_TUPLE:
        if (nextop === O.UNPACK_SEQUENCE && oparg === bb.instrs[i + 1]!.arg) {
          if (oparg === 1) {
            inst.op = O.NOP;
            bb.instrs[i + 1]!.op = O.NOP;
            continue;
          }
          if (oparg === 2 || oparg === 3) {
            inst.op = O.NOP;
            bb.instrs[i + 1]!.op = O.SWAP;
            continue;
          }
        }
        if (i >= oparg) foldTupleOnConstants(c, bb, i - oparg, oparg, consts);
        break;
      case O.JUMP_IF_FALSE_OR_POP:
        switch (target.op) {
          case POP_JUMP_IF_FALSE: i -= jumpThread(inst, target, POP_JUMP_IF_FALSE) ? 1 : 0; break;
          case JUMP: case O.JUMP_IF_FALSE_OR_POP: i -= jumpThread(inst, target, O.JUMP_IF_FALSE_OR_POP) ? 1 : 0; break;
          case O.JUMP_IF_TRUE_OR_POP: case POP_JUMP_IF_TRUE:
            if (inst.lineno === target.lineno) {
              inst.op = POP_JUMP_IF_FALSE;
              inst.target = inst.target!.next;
              i--;
            }
            break;
        }
        break;
      case O.JUMP_IF_TRUE_OR_POP:
        switch (target.op) {
          case POP_JUMP_IF_TRUE: i -= jumpThread(inst, target, POP_JUMP_IF_TRUE) ? 1 : 0; break;
          case JUMP: case O.JUMP_IF_TRUE_OR_POP: i -= jumpThread(inst, target, O.JUMP_IF_TRUE_OR_POP) ? 1 : 0; break;
          case O.JUMP_IF_FALSE_OR_POP: case POP_JUMP_IF_FALSE:
            if (inst.lineno === target.lineno) {
              inst.op = POP_JUMP_IF_TRUE;
              inst.target = inst.target!.next;
              i--;
            }
            break;
        }
        break;
      case POP_JUMP_IF_NOT_NONE: case POP_JUMP_IF_NONE:
        if (target.op === JUMP) i -= jumpThread(inst, target, inst.op) ? 1 : 0;
        break;
      case POP_JUMP_IF_FALSE:
        if (target.op === JUMP) i -= jumpThread(inst, target, POP_JUMP_IF_FALSE) ? 1 : 0;
        break;
      case POP_JUMP_IF_TRUE:
        if (target.op === JUMP) i -= jumpThread(inst, target, POP_JUMP_IF_TRUE) ? 1 : 0;
        break;
      case JUMP:
        if (target.op === JUMP) i -= jumpThread(inst, target, JUMP) ? 1 : 0;
        break;
      case O.SWAP:
        if (oparg === 1) {
          inst.op = O.NOP;
          break;
        }
        i = swaptimize(bb, i);
        applyStaticSwaps(bb, i);
        break;
      case O.PUSH_NULL:
        if (nextop === O.LOAD_GLOBAL && (bb.instrs[i + 1]!.op & 1) === 0) {
          inst.op = O.NOP;
          inst.arg = 0;
          bb.instrs[i + 1]!.arg |= 1;
        }
        break;
      default: break;
    }
  }
}

function markReachable(entry: Block): void {
  const stack: Block[] = [];
  entry.predecessors = 1;
  stack.push(entry);
  while (stack.length) {
    const b = stack.pop()!;
    if (b.next && !b.nofallthrough) {
      if (b.next.predecessors === 0) stack.push(b.next);
      b.next.predecessors++;
    }
    for (const ins of b.instrs) {
      if (isJump(ins) || isBlockPush(ins)) {
        const t = ins.target!;
        if (t.predecessors === 0) stack.push(t);
        t.predecessors++;
      }
    }
  }
}

function eliminateEmptyBasicBlocks(entry: Block): void {
  for (let b: Block | null = entry; b; b = b.next) {
    let next: Block | null = b.next;
    if (next) {
      while (next.instrs.length === 0 && next.next) next = next.next;
      b.next = next;
    }
  }
  for (let b: Block | null = entry; b; b = b.next) {
    if (b.instrs.length === 0) continue;
    const last = b.instrs[b.instrs.length - 1]!;
    if (isJump(last)) {
      let t = last.target!;
      while (t.instrs.length === 0) t = t.next!;
      last.target = t;
    }
  }
}

function optimizeCfg(c: Compiler, entry: Block, consts: Const[]): void {
  for (let b: Block | null = entry; b; b = b.next) {
    optimizeBasicBlock(c, b, consts);
    cleanBasicBlock(b);
  }
  for (const b of blist(c)) extendBlock(b);
  markReachable(entry);
  for (let b: Block | null = entry; b; b = b.next) {
    if (b.predecessors === 0) {
      b.instrs = [];
      b.nofallthrough = false;
    }
  }
  eliminateEmptyBasicBlocks(entry);
  for (let b: Block | null = entry; b; b = b.next) cleanBasicBlock(b);
  let maybeEmpty = false;
  for (let b: Block | null = entry; b; b = b.next) {
    if (b.instrs.length > 0) {
      const last: Instr = b.instrs[b.instrs.length - 1]!;
      if ((last.op === JUMP || last.op === JUMP_NO_INTERRUPT) && last.target === b.next) {
        b.nofallthrough = false;
        last.op = O.NOP;
        maybeEmpty = true;
      }
    }
  }
  if (maybeEmpty) eliminateEmptyBasicBlocks(entry);
}

function trimUnusedConsts(entry: Block, consts: Const[]): void {
  let max = 0;
  for (let b: Block | null = entry; b; b = b.next) {
    for (const i of b.instrs) {
      if ((i.op === O.LOAD_CONST || i.op === O.KW_NAMES) && i.arg > max) max = i.arg;
    }
  }
  if (max + 1 < consts.length) consts.length = max + 1;
}

function isExitWithoutLineno(b: Block): boolean {
  if (!b.exit) return false;
  return b.instrs.every((i) => i.lineno < 0);
}

function duplicateExitsWithoutLineno(c: Compiler): void {
  for (const b of blist(c)) {
    if (b.instrs.length > 0 && isJump(b.instrs[b.instrs.length - 1]!)) {
      const last = b.instrs[b.instrs.length - 1]!;
      const target = last.target!;
      if (isExitWithoutLineno(target) && target.predecessors > 1) {
        const nt = c.newBlock();
        for (const i of target.instrs) nt.instrs.push({ ...i });
        nt.exit = target.exit;
        nt.nofallthrough = true;
        copyLoc(last, nt.instrs[0]!);
        last.target = nt;
        target.predecessors--;
        nt.predecessors = 1;
        nt.next = target.next;
        target.next = nt;
      }
    }
  }
  for (const b of blist(c)) {
    while (b.next && b.next.instrs.length === 0) b.next = b.next.next;
  }
  for (const b of blist(c)) {
    if (!b.nofallthrough && b.next && b.instrs.length > 0) {
      if (isExitWithoutLineno(b.next)) copyLoc(b.instrs[b.instrs.length - 1]!, b.next.instrs[0]!);
    }
  }
}

function propagateLineNumbers(entry: Block): void {
  for (let b: Block | null = entry; b; b = b.next) {
    if (b.instrs.length === 0) continue;
    const prev: Instr = { op: 0, arg: 0, target: null, except: null, lineno: -1, endLineno: -1, col: -1, endCol: -1 };
    for (const i of b.instrs) {
      if (i.lineno < 0) copyLoc(prev, i);
      else copyLoc(i, prev);
    }
    if (!b.nofallthrough && b.next!.predecessors === 1) {
      if (b.next!.instrs[0]!.lineno < 0) copyLoc(prev, b.next!.instrs[0]!);
    }
    const last = b.instrs[b.instrs.length - 1]!;
    if (isJump(last)) {
      const t = last.target!;
      if (t.predecessors === 1 && t.instrs[0]!.lineno < 0) copyLoc(prev, t.instrs[0]!);
    }
  }
}

function guaranteeLinenoForExits(entry: Block, firstlineno: number): void {
  let lineno = firstlineno;
  for (let b: Block | null = entry; b; b = b.next) {
    if (b.instrs.length === 0) continue;
    const last = b.instrs[b.instrs.length - 1]!;
    if (last.lineno < 0) {
      if (last.op === O.RETURN_VALUE) for (const i of b.instrs) i.lineno = lineno;
    } else {
      lineno = last.lineno;
    }
  }
}

function stackdepth(c: Compiler, entry: Block): number {
  for (const b of c.u.blocks) b.startdepth = INT_MIN;
  const stack: Block[] = [];
  let maxdepth = 0;
  const push = (b: Block, depth: number) => {
    if (b.startdepth < depth && b.startdepth < 100) {
      b.startdepth = depth;
      stack.push(b);
    }
  };
  push(entry, c.u.ste.generator || c.u.ste.coroutine ? 1 : 0);
  while (stack.length) {
    const b = stack.pop()!;
    let depth = b.startdepth;
    let next: Block | null = b.next;
    for (const ins of b.instrs) {
      const effect = pseudoStackEffect(ins.op, ins.arg, 0);
      const newDepth = depth + effect;
      if (newDepth > maxdepth) maxdepth = newDepth;
      if (isJump(ins) || isBlockPush(ins)) {
        const te = pseudoStackEffect(ins.op, ins.arg, 1);
        const targetDepth = depth + te;
        if (targetDepth > maxdepth) maxdepth = targetDepth;
        push(ins.target!, targetDepth);
      }
      depth = newDepth;
      if (ins.op === JUMP_NO_INTERRUPT || ins.op === JUMP || ins.op === O.RETURN_VALUE ||
        ins.op === O.RAISE_VARARGS || ins.op === O.RERAISE) {
        next = null;
        break;
      }
    }
    if (next) push(next, depth);
  }
  return maxdepth;
}

function labelExceptionTargets(entry: Block): void {
  for (let b: Block | null = entry; b; b = b.next) b.visited = false;
  const todo: Block[] = [entry];
  entry.visited = true;
  entry.exceptStack = [];
  // exceptStack[k] = handler at depth k+1; top() = last or null
  while (todo.length) {
    const b = todo.pop()!;
    let es: Block[] | null = b.exceptStack!;
    b.exceptStack = null;
    let handler: Block | null = es.length ? es[es.length - 1]! : null;
    for (let i = 0; i < b.instrs.length; i++) {
      const ins = b.instrs[i]!;
      if (isBlockPush(ins)) {
        const t = ins.target!;
        if (!t.visited) {
          t.exceptStack = es!.slice();
          todo.push(t);
          t.visited = true;
        }
        if (ins.op === SETUP_WITH || ins.op === SETUP_CLEANUP) t.preserveLasti = true;
        es!.push(t);
        handler = t;
      } else if (ins.op === POP_BLOCK) {
        es!.pop();
        handler = es!.length ? es![es!.length - 1]! : null;
      } else if (isJump(ins)) {
        ins.except = handler;
        const t = ins.target!;
        if (!t.visited) {
          if (!b.nofallthrough) {
            t.exceptStack = es!.slice();
          } else {
            t.exceptStack = es;
            es = null;
          }
          todo.push(t);
          t.visited = true;
        }
      } else {
        ins.except = handler;
      }
    }
    if (!b.nofallthrough && !b.next!.visited) {
      b.next!.exceptStack = es;
      todo.push(b.next!);
      b.next!.visited = true;
    }
  }
}

function convertExceptionHandlersToNops(entry: Block): void {
  for (let b: Block | null = entry; b; b = b.next) {
    for (const i of b.instrs) if (isBlockPush(i) || i.op === POP_BLOCK) i.op = O.NOP;
  }
}

function normalizeJumps(entry: Block): void {
  for (let b: Block | null = entry; b; b = b.next) b.visited = false;
  for (let b: Block | null = entry; b; b = b.next) {
    b.visited = true;
    if (b.instrs.length === 0) continue;
    const last: Instr = b.instrs[b.instrs.length - 1]!;
    if (!isJump(last)) continue;
    const fwd = !last.target!.visited;
    switch (last.op) {
      case JUMP: last.op = fwd ? O.JUMP_FORWARD : O.JUMP_BACKWARD; break;
      case JUMP_NO_INTERRUPT: last.op = fwd ? O.JUMP_FORWARD : O.JUMP_BACKWARD_NO_INTERRUPT; break;
      case POP_JUMP_IF_NOT_NONE: last.op = fwd ? O.POP_JUMP_FORWARD_IF_NOT_NONE : O.POP_JUMP_BACKWARD_IF_NOT_NONE; break;
      case POP_JUMP_IF_NONE: last.op = fwd ? O.POP_JUMP_FORWARD_IF_NONE : O.POP_JUMP_BACKWARD_IF_NONE; break;
      case POP_JUMP_IF_FALSE: last.op = fwd ? O.POP_JUMP_FORWARD_IF_FALSE : O.POP_JUMP_BACKWARD_IF_FALSE; break;
      case POP_JUMP_IF_TRUE: last.op = fwd ? O.POP_JUMP_FORWARD_IF_TRUE : O.POP_JUMP_BACKWARD_IF_TRUE; break;
      case O.JUMP_IF_TRUE_OR_POP: case O.JUMP_IF_FALSE_OR_POP:
        if (!fwd) throw new Error('unexpected JUMP_IF_*_OR_POP jumping backwards');
        break;
    }
  }
}

function assembleJumpOffsets(c: Compiler, entry: Block): void {
  let again: boolean;
  do {
    let totsize = 0;
    for (let b: Block | null = entry; b; b = b.next) {
      b.offset = totsize;
      for (const i of b.instrs) totsize += instrSize(i);
    }
    again = false;
    for (const b of blist(c)) {
      let bsize = b.offset;
      for (const ins of b.instrs) {
        const isize = instrSize(ins);
        bsize += isize;
        if (isJump(ins)) {
          ins.arg = ins.target!.offset;
          if (ins.arg < bsize) ins.arg = bsize - ins.arg;
          else ins.arg -= bsize;
          if (instrSize(ins) !== isize) again = true;
        }
      }
    }
  } while (again);
}

// ---- byte formats ------------------------------------------------------------------------

function writeVarint(out: number[], val: number): void {
  while (val >= 64) {
    out.push(64 | (val & 63));
    val >>>= 6;
  }
  out.push(val);
}
function writeSignedVarint(out: number[], val: number): void {
  writeVarint(out, val < 0 ? ((-val) << 1) | 1 : val << 1);
}

class LocationWriter {
  out: number[] = [];
  constructor(public lineno: number) {}

  private start(code: number, length: number): void {
    this.out.push(128 | (code << 3) | (length - 1));
  }

  entry(i: Instr, isize: number): void {
    if (i.lineno < 0) {
      this.start(15, isize);
      return;
    }
    const lineDelta = i.lineno - this.lineno;
    const column = i.col, endColumn = i.endCol;
    if (column < 0 || endColumn < 0) {
      if (i.endLineno === i.lineno || i.endLineno === -1) {
        this.start(13, isize);
        writeSignedVarint(this.out, lineDelta);
        this.lineno = i.lineno;
        return;
      }
    } else if (i.endLineno === i.lineno) {
      if (lineDelta === 0 && column < 80 && endColumn - column < 16 && endColumn >= column) {
        this.start(column >> 3, isize);
        this.out.push(((column & 7) << 4) | (endColumn - column));
        return;
      }
      if (lineDelta >= 0 && lineDelta < 3 && column < 128 && endColumn < 128) {
        this.start(10 + lineDelta, isize);
        this.out.push(column, endColumn);
        this.lineno = i.lineno;
        return;
      }
    }
    this.start(14, isize);
    writeSignedVarint(this.out, i.lineno - this.lineno);
    writeVarint(this.out, i.endLineno - i.lineno);
    writeVarint(this.out, i.col + 1);
    writeVarint(this.out, i.endCol + 1);
    this.lineno = i.lineno;
  }

  emit(i: Instr): void {
    let isize = instrSize(i);
    while (isize > 8) {
      this.entry(i, 8);
      isize -= 8;
    }
    this.entry(i, isize);
  }
}

function exceptItem(out: number[], value: number, msb: number): void {
  if (value >= 1 << 24) { out.push((value >> 24) | 64 | msb); msb = 0; }
  if (value >= 1 << 18) { out.push(((value >> 18) & 0x3f) | 64 | msb); msb = 0; }
  if (value >= 1 << 12) { out.push(((value >> 12) & 0x3f) | 64 | msb); msb = 0; }
  if (value >= 1 << 6) { out.push(((value >> 6) & 0x3f) | 64 | msb); msb = 0; }
  out.push((value & 0x3f) | msb);
}

function exceptionTable(entry: Block): number[] {
  const out: number[] = [];
  let handler: Block | null = null;
  let start = -1;
  let ioffset = 0;
  const emitEntry = (end: number, h: Block) => {
    const depth = h.startdepth - 1 - (h.preserveLasti ? 1 : 0);
    exceptItem(out, start, 128);
    exceptItem(out, end - start, 0);
    exceptItem(out, h.offset, 0);
    exceptItem(out, (depth << 1) | (h.preserveLasti ? 1 : 0), 0);
  };
  for (let b: Block | null = entry; b; b = b.next) {
    ioffset = b.offset;
    for (const ins of b.instrs) {
      if (ins.except !== handler) {
        if (handler) emitEntry(ioffset, handler);
        start = ioffset;
        handler = ins.except;
      }
      ioffset += instrSize(ins);
    }
  }
  if (handler) emitEntry(ioffset, handler);
  return out;
}

function writeCode(entry: Block): Uint8Array {
  const out: number[] = [];
  for (let b: Block | null = entry; b; b = b.next) {
    for (const i of b.instrs) {
      const oparg = hasArg(i.op) ? i.arg : 0;
      const caches = O.CACHE_ENTRIES[i.op]!;
      const n = instrSize(i) - caches;
      if (n >= 4) out.push(O.EXTENDED_ARG, (oparg >>> 24) & 0xff);
      if (n >= 3) out.push(O.EXTENDED_ARG, (oparg >> 16) & 0xff);
      if (n >= 2) out.push(O.EXTENDED_ARG, (oparg >> 8) & 0xff);
      out.push(i.op, oparg & 0xff);
      for (let k = 0; k < caches; k++) out.push(0, 0);
    }
  }
  return Uint8Array.from(out);
}

// ---- the driver --------------------------------------------------------------------------

function computeCodeFlags(c: Compiler): number {
  const ste = c.u.ste;
  let flags = 0;
  if (ste.type === 'function') {
    flags |= CO_NEWLOCALS | CO_OPTIMIZED;
    if (ste.nested) flags |= CO_NESTED;
    if (ste.generator) flags |= CO_GENERATOR;
    if (ste.varargs) flags |= CO_VARARGS;
    if (ste.varkeywords) flags |= CO_VARKEYWORDS;
  }
  return flags;
}

function mkInstr(op: number, arg: number, lineno: number, endLineno: number): Instr {
  return { op, arg, target: null, except: null, lineno, endLineno, col: -1, endCol: -1 };
}

/** Assemble the current unit into a code object (≈ compile.c assemble). */
export function assemble(c: Compiler, addNone: boolean): CodeUnit {
  const u = c.u;
  if (!u.curblock.ret) {
    c.unsetLoc();
    if (addNone) c.loadConst(NONE);
    c.addop(O.RETURN_VALUE);
  }
  for (const b of blist(c)) normalizeBasicBlock(b);
  for (const b of blist(c)) extendBlock(b);
  const entry = u.blocks[0]!;

  const nlocals0 = u.varnames.size;
  const ncells = u.cellvars.size;
  const nfree = u.freevars.size;
  // build_cellfixedoffsets
  const fixed: number[] = [];
  for (let i = 0; i < ncells + nfree; i++) fixed.push(nlocals0 + i);
  for (const [name, ci] of u.cellvars) {
    const vi = u.varnames.get(name);
    if (vi !== undefined) fixed[ci] = vi;
  }
  if (!u.firstlineno) u.firstlineno = entry.instrs[0]?.lineno || 1;

  // insert_prefix_instructions
  const flags = computeCodeFlags(c);
  if (flags & CO_GENERATOR) {
    entry.instrs.splice(0, 0, mkInstr(O.RETURN_GENERATOR, 0, u.firstlineno, u.firstlineno), mkInstr(O.POP_TOP, 0, -1, -1));
  }
  if (ncells) {
    const sorted = new Array<number>(ncells + nlocals0).fill(0);
    for (let i = 0; i < ncells; i++) sorted[fixed[i]!] = i + 1;
    let used = 0;
    for (let i = 0; used < ncells; i++) {
      const old = sorted[i]! - 1;
      if (old === -1) continue;
      entry.instrs.splice(used, 0, mkInstr(O.MAKE_CELL, old, -1, -1));
      used++;
    }
  }
  if (nfree) entry.instrs.splice(0, 0, mkInstr(O.COPY_FREE_VARS, nfree, -1, -1));

  // fix_cell_offsets
  let numdropped = 0;
  for (let i = 0; i < ncells + nfree; i++) {
    if (fixed[i] === i + nlocals0) fixed[i]! -= numdropped;
    else numdropped++;
  }
  for (let b: Block | null = entry; b; b = b.next) {
    for (const ins of b.instrs) {
      switch (ins.op) {
        case O.MAKE_CELL: case O.LOAD_CLOSURE: case O.LOAD_DEREF: case O.STORE_DEREF:
        case O.DELETE_DEREF: case O.LOAD_CLASSDEREF:
          ins.arg = fixed[ins.arg]!;
      }
    }
  }

  const consts = u.constList.slice();
  optimizeCfg(c, entry, consts);
  duplicateExitsWithoutLineno(c);
  trimUnusedConsts(entry, consts);
  propagateLineNumbers(entry);
  guaranteeLinenoForExits(entry, u.firstlineno);
  const maxdepth = stackdepth(c, entry);
  labelExceptionTargets(entry);
  convertExceptionHandlersToNops(entry);
  for (let b: Block | null = entry; b; b = b.next) cleanBasicBlock(b);
  normalizeJumps(entry);
  assembleJumpOffsets(c, entry);

  const code = writeCode(entry);
  const lw = new LocationWriter(u.firstlineno);
  for (let b: Block | null = entry; b; b = b.next) for (const i of b.instrs) lw.emit(i);
  const exctable = Uint8Array.from(exceptionTable(entry));
  const linetable = Uint8Array.from(lw.out);
  c.mergeConstOne({ kind: 'bytes', value: exctable });
  c.mergeConstOne({ kind: 'bytes', value: linetable });
  c.mergeConstOne({ kind: 'bytes', value: code });

  // makecode
  const namesList = [...u.names.keys()];
  // Names are interned: an all-name-char name is the very object an equal str constant is.
  const nameStr = (n: string): Const => (isAllNameChars(n) ? c.mergeConst(mkStr(n)) : mkStr(n));
  const namesObj = c.mergeConstOne<ConstTuple>({ kind: 'tuple', items: namesList.map(nameStr) });
  const constsObj = c.mergeConstOne<ConstTuple>({ kind: 'tuple', items: consts });
  const nlocals = u.varnames.size;
  const nlocalsplus = nlocals + ncells + nfree - numdropped;
  const lpNames = new Array<string>(nlocalsplus);
  const lpKinds = new Uint8Array(nlocalsplus);
  for (const [name, off] of u.varnames) {
    lpNames[off] = name;
    lpKinds[off] = CO_FAST_LOCAL | (u.cellvars.has(name) ? CO_FAST_CELL : 0);
  }
  let dropped = 0;
  for (const [name, off] of u.cellvars) {
    if (u.varnames.has(name)) { dropped++; continue; }
    lpNames[off + nlocals - dropped] = name;
    lpKinds[off + nlocals - dropped] = CO_FAST_CELL;
  }
  for (const [name, off] of u.freevars) {
    lpNames[off + nlocals - dropped] = name;
    lpKinds[off + nlocals - dropped] = CO_FAST_FREE;
  }
  const lpObj = c.mergeConstOne<ConstTuple>({ kind: 'tuple', items: lpNames.map(nameStr) });
  const co: CodeUnit = {
    kind: 'code',
    co_argcount: u.posonlyargcount + u.argcount,
    co_posonlyargcount: u.posonlyargcount,
    co_kwonlyargcount: u.kwonlyargcount,
    co_flags: flags,
    co_stacksize: maxdepth,
    co_firstlineno: u.firstlineno,
    co_name: u.name,
    co_qualname: u.qualname ?? u.name,
    co_filename: c.filename,
    co_code: code,
    co_consts: constsObj.items,
    co_names: constsNames(namesObj),
    co_localsplusnames: lpNames,
    co_localspluskinds: lpKinds,
    co_nlocalsplus: nlocalsplus,
    co_nlocals: lpNames.filter((_, i) => lpKinds[i]! & CO_FAST_LOCAL).length,
    co_varnames: lpNames.filter((_, i) => lpKinds[i]! & CO_FAST_LOCAL),
    co_cellvars: lpNames.filter((_, i) => lpKinds[i]! & CO_FAST_CELL),
    co_freevars: lpNames.filter((_, i) => lpKinds[i]! & CO_FAST_FREE),
    co_linetable: linetable,
    co_exceptiontable: exctable,
    co_consts_obj: constsObj,
    co_names_obj: namesObj,
    co_localsplusnames_obj: lpObj,
  };
  return co;
}

function constsNames(t: ConstTuple): string[] {
  return t.items.map((x) => (x as { value: string }).value);
}
