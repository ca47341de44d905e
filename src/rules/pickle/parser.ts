// A bounded reader of the pickle opcode stream (protocols 0–5). It never loads anything: it only
// walks the opcodes, tracking just enough of the stack (strings, marks, the memo) to name every
// global the pickle would import (GLOBAL, INST, STACK_GLOBAL) and the extension codes it uses.

export interface PickleScan {
  /** Highest PROTO seen (0 when none). */
  protocol: number;
  /** Imported globals, `module.name`, in order of first appearance (deduplicated). */
  globals: string[];
  /** How many REDUCE / NEWOBJ / OBJ / INST calls the stream makes. */
  calls: number;
  /** Reached STOP. */
  complete: boolean;
  /** Ran out of bytes before STOP (the file is longer than what was read, or cut short). */
  truncated: boolean;
  /** Why the stream is not a valid pickle (null when it is, or merely truncated). */
  error: string | null;
  /** Offset just after STOP (or where reading ended). */
  end: number;
  /** When truncated: how long the buffer would have had to be to read on (a lower bound for a line). */
  needs: number;
  opcodes: number;
}

export interface PickleLimits {
  maxOpcodes: number;
  maxStack: number;
  maxMemo: number;
  maxGlobals: number;
}

const DEFAULT_LIMITS: PickleLimits = { maxOpcodes: 2_000_000, maxStack: 100_000, maxMemo: 100_000, maxGlobals: 1000 };

const MARK = Symbol('mark');
const OTHER = Symbol('other');
type Item = string | typeof MARK | typeof OTHER;

class Truncated extends Error {
  constructor(readonly needs: number) {
    super('truncated');
  }
}
class Malformed extends Error {}

/** Python 2 names that `fix_imports` maps to their Python 3 module, so lists read the same. */
const RENAMED_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', cPickle: 'pickle', exceptions: 'builtins' };

export function normaliseGlobal(module: string, name: string): string {
  return `${RENAMED_MODULES[module] ?? module}.${name}`;
}

export function parsePickle(data: Buffer, start = 0, limits: Partial<PickleLimits> = {}, sharedMemo?: Map<number, unknown>): PickleScan {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const result: PickleScan = { protocol: 0, globals: [], calls: 0, complete: false, truncated: false, error: null, end: start, needs: 0, opcodes: 0 };
  const seen = new Set<string>();
  const stack: Item[] = [];
  const memo = (sharedMemo as Map<number, Item> | undefined) ?? new Map<number, Item>();
  let pos = start;

  const need = (n: number) => {
    if (pos + n > data.length) throw new Truncated(pos + n);
  };
  const u8 = () => (need(1), data[pos++]);
  const u16 = () => (need(2), (pos += 2), data.readUInt16LE(pos - 2));
  const u32 = () => (need(4), (pos += 4), data.readUInt32LE(pos - 4));
  const i32 = () => (need(4), (pos += 4), data.readInt32LE(pos - 4));
  const u64 = () => {
    need(8);
    const value = data.readBigUInt64LE(pos);
    pos += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Malformed('a length field is impossibly large');
    return Number(value);
  };
  const bytes = (n: number) => {
    if (n < 0) throw new Malformed('negative length');
    need(n);
    pos += n;
    return data.subarray(pos - n, pos);
  };
  const line = () => {
    const nl = data.indexOf(10, pos);
    if (nl === -1) throw new Truncated(data.length + 1);
    const text = data.toString('utf8', pos, nl);
    pos = nl + 1;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  const push = (item: Item) => {
    if (stack.length >= lim.maxStack) throw new Malformed(`stack deeper than ${lim.maxStack}`);
    stack.push(item);
  };
  const pop = (): Item => {
    if (stack.length === 0) throw new Malformed('stack underflow');
    return stack.pop()!;
  };
  const popMark = (): Item[] => {
    const at = stack.lastIndexOf(MARK);
    if (at === -1) throw new Malformed('no MARK on the stack');
    return stack.splice(at);
  };
  const top = (): Item => {
    if (stack.length === 0) throw new Malformed('stack underflow');
    return stack[stack.length - 1];
  };
  const remember = (index: number) => {
    if (memo.size >= lim.maxMemo && !memo.has(index)) throw new Malformed(`memo larger than ${lim.maxMemo}`);
    memo.set(index, top());
  };
  const recall = (index: number) => {
    const item = memo.get(index);
    if (item === undefined) throw new Malformed(`memo key ${index} read before it was written`);
    push(item);
  };
  const addGlobal = (name: string) => {
    if (seen.has(name) || seen.size >= lim.maxGlobals) return;
    seen.add(name);
    result.globals.push(name);
  };
  const identifier = /^[A-Za-z_][\w.]*$/;
  const global = (module: string, name: string) => {
    if (!identifier.test(module) || !identifier.test(name)) throw new Malformed('GLOBAL with a name that is not an identifier');
    addGlobal(normaliseGlobal(module, name));
  };
  const quoted = (text: string) => {
    const q = text[0];
    if ((q !== "'" && q !== '"') || text.length < 2 || text[text.length - 1] !== q) throw new Malformed('STRING argument is not quoted');
    return text.slice(1, -1);
  };
  const integerLine = (text: string) => {
    if (!/^-?\d+L?$/.test(text.trim()) && text !== '00' && text !== '01') throw new Malformed(`not an integer: ${text.slice(0, 20)}`);
  };

  try {
    for (;;) {
      if (result.opcodes >= lim.maxOpcodes) throw new Malformed(`more than ${lim.maxOpcodes} opcodes (not inspected further)`);
      const at = pos;
      const op = u8();
      result.opcodes++;
      switch (op) {
        case 0x80: { // PROTO
          const p = u8();
          if (p > 5) throw new Malformed(`unsupported protocol ${p}`);
          result.protocol = Math.max(result.protocol, p);
          break;
        }
        case 0x95: u64(); break; // FRAME: the opcodes inside are read as usual
        case 0x2e: // STOP
          result.complete = true;
          result.end = pos;
          return result;
        case 0x28: push(MARK); break; // MARK
        case 0x30: pop(); break; // POP
        case 0x31: popMark(); break; // POP_MARK
        case 0x32: push(top()); break; // DUP
        case 0x46: line(); push(OTHER); break; // FLOAT
        case 0x49: integerLine(line()); push(OTHER); break; // INT
        case 0x4c: integerLine(line()); push(OTHER); break; // LONG
        case 0x4a: i32(); push(OTHER); break; // BININT
        case 0x4b: u8(); push(OTHER); break; // BININT1
        case 0x4d: u16(); push(OTHER); break; // BININT2
        case 0x4e: push(OTHER); break; // NONE
        case 0x88: case 0x89: push(OTHER); break; // NEWTRUE, NEWFALSE
        case 0x47: bytes(8); push(OTHER); break; // BINFLOAT
        case 0x8a: bytes(u8()); push(OTHER); break; // LONG1
        case 0x8b: bytes(i32()); push(OTHER); break; // LONG4
        case 0x50: line(); push(OTHER); break; // PERSID
        case 0x51: pop(); push(OTHER); break; // BINPERSID
        case 0x53: push(quoted(line())); break; // STRING
        case 0x54: push(bytes(i32()).toString('latin1')); break; // BINSTRING
        case 0x55: push(bytes(u8()).toString('latin1')); break; // SHORT_BINSTRING
        case 0x56: push(line()); break; // UNICODE (raw-unicode-escape; names are ASCII)
        case 0x58: push(bytes(u32()).toString('utf8')); break; // BINUNICODE
        case 0x8c: push(bytes(u8()).toString('utf8')); break; // SHORT_BINUNICODE
        case 0x8d: push(bytes(u64()).toString('utf8')); break; // BINUNICODE8
        case 0x42: bytes(u32()); push(OTHER); break; // BINBYTES
        case 0x43: bytes(u8()); push(OTHER); break; // SHORT_BINBYTES
        case 0x8e: bytes(u64()); push(OTHER); break; // BINBYTES8
        case 0x96: bytes(u64()); push(OTHER); break; // BYTEARRAY8
        case 0x97: push(OTHER); break; // NEXT_BUFFER
        case 0x98: top(); break; // READONLY_BUFFER
        case 0x5d: case 0x7d: case 0x29: case 0x8f: push(OTHER); break; // EMPTY_LIST/DICT/TUPLE/SET
        case 0x61: pop(); top(); break; // APPEND
        case 0x65: popMark(); top(); break; // APPENDS
        case 0x62: pop(); top(); break; // BUILD
        case 0x73: pop(); pop(); top(); break; // SETITEM
        case 0x75: popMark(); top(); break; // SETITEMS
        case 0x90: popMark(); top(); break; // ADDITEMS
        case 0x64: case 0x6c: case 0x74: case 0x91: popMark(); push(OTHER); break; // DICT, LIST, TUPLE, FROZENSET
        case 0x85: pop(); push(OTHER); break; // TUPLE1
        case 0x86: pop(); pop(); push(OTHER); break; // TUPLE2
        case 0x87: pop(); pop(); pop(); push(OTHER); break; // TUPLE3
        case 0x52: pop(); pop(); push(OTHER); result.calls++; break; // REDUCE
        case 0x81: pop(); pop(); push(OTHER); result.calls++; break; // NEWOBJ
        case 0x92: pop(); pop(); pop(); push(OTHER); result.calls++; break; // NEWOBJ_EX
        case 0x6f: { // OBJ
          const items = popMark();
          if (items.length < 2) throw new Malformed('OBJ without a class');
          push(OTHER);
          result.calls++;
          break;
        }
        case 0x63: { // GLOBAL
          const module = line();
          global(module, line());
          push(OTHER);
          break;
        }
        case 0x69: { // INST
          const module = line();
          global(module, line());
          popMark();
          push(OTHER);
          result.calls++;
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (typeof name === 'string' && typeof module === 'string') global(module, name);
          else addGlobal('<a global whose name is computed, not a literal>');
          push(OTHER);
          break;
        }
        case 0x82: addGlobal(`<extension code ${u8()}>`); push(OTHER); break; // EXT1
        case 0x83: addGlobal(`<extension code ${u16()}>`); push(OTHER); break; // EXT2
        case 0x84: addGlobal(`<extension code ${i32()}>`); push(OTHER); break; // EXT4
        case 0x70: { // PUT
          const key = line();
          if (!/^\d+$/.test(key)) throw new Malformed('PUT key is not a number');
          remember(Number(key));
          break;
        }
        case 0x71: remember(u8()); break; // BINPUT
        case 0x72: remember(u32()); break; // LONG_BINPUT
        case 0x94: remember(memo.size); break; // MEMOIZE
        case 0x67: { // GET
          const key = line();
          if (!/^\d+$/.test(key)) throw new Malformed('GET key is not a number');
          recall(Number(key));
          break;
        }
        case 0x68: recall(u8()); break; // BINGET
        case 0x6a: recall(u32()); break; // LONG_BINGET
        default:
          pos = at;
          throw new Malformed(`unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at - start}`);
      }
    }
  } catch (error) {
    if (error instanceof Truncated) {
      result.truncated = true;
      result.needs = error.needs;
    }
    else if (error instanceof Malformed) result.error = error.message;
    else throw error;
    result.end = pos;
    return result;
  }
}

/** Cheap sniff: does this buffer plausibly begin a pickle (before a full parse)? */
export function looksLikePickleStart(head: Buffer): boolean {
  if (head.length < 2) return false;
  if (head[0] === 0x80) return head[1] >= 2 && head[1] <= 5;
  // Protocol 0/1 pickles start with a container, a mark, a global or a simple value.
  return head[0] === 0x28 || head[0] === 0x5d || head[0] === 0x7d || head[0] === 0x29 || head[0] === 0x63 || head[0] === 0x4e ||
    head[0] === 0x49 || head[0] === 0x53 || head[0] === 0x56 || head[0] === 0x4b || head[0] === 0x4a || head[0] === 0x58 || head[0] === 0x69;
}

/** A file's pickles read one after another (see parsePickles). */
export interface PickleSequence extends PickleScan {
  /** How many pickles the file holds (a later one counts when it reached STOP or imported a global). */
  pickles: number;
  /** Offset just after the first pickle (where a single-pickle reader would stop). */
  firstEnd: number;
}

const MAX_PICKLES = 10_000;

/**
 * Every pickle in the bytes, not only the first: `pickle.dumps(a) + pickle.dumps(b)` loads as two,
 * and PyTorch's legacy `torch.save` writes five (magic number, protocol, sys_info, the model, the
 * storage keys) before raw storage bytes. After a STOP the next bytes are read as a pickle too; the
 * sequence ends where they are not one: a stream that breaks before importing anything (raw data).
 * A later stream that imports globals and then breaks still counts: a loader calls what it
 * imported before it reaches the break. Globals, calls and opcodes add up over the sequence; the
 * first pickle's error or truncation is the sequence's, a later one's only when it counts.
 * The memo is kept across pickles (an Unpickler reused for several loads keeps it), so a later
 * pickle that recalls an earlier string is still named.
 */
export function parsePickles(data: Buffer, start = 0, limits: Partial<PickleLimits> = {}): PickleSequence {
  const memo = new Map<number, unknown>();
  const first = parsePickle(data, start, limits, memo);
  const all: PickleSequence = { ...first, globals: [...first.globals], pickles: 1, firstEnd: first.end };
  const seen = new Set(all.globals);
  let opcodesLeft = (limits.maxOpcodes ?? DEFAULT_LIMITS.maxOpcodes) - first.opcodes;
  for (let at = first.end; all.complete && at < data.length && all.pickles < MAX_PICKLES && opcodesLeft > 0; ) {
    const next = parsePickle(data, at, { ...limits, maxOpcodes: opcodesLeft }, memo);
    if (!next.complete && next.globals.length === 0) break; // not a pickle: raw bytes follow
    all.pickles++;
    all.protocol = Math.max(all.protocol, next.protocol);
    all.calls += next.calls;
    all.opcodes += next.opcodes;
    opcodesLeft -= next.opcodes;
    for (const g of next.globals) if (!seen.has(g)) (seen.add(g), all.globals.push(g));
    all.end = next.end;
    if (!next.complete) {
      all.complete = false;
      all.truncated = next.truncated;
      all.needs = next.needs;
      all.error = next.error === null ? null : `pickle ${all.pickles} in the file: ${next.error}`;
      break;
    }
    if (next.end <= at) break;
    at = next.end;
  }
  return all;
}
