// CPython as the oracle for line ends: random sources of a few lines (imports, calls, comments,
// strings, brackets, backslash continuations, triple quotes) are joined by LF, CRLF or a lone CR
// at random, kept when the given Python parses them, and whether `ast` finds a `pickle.loads(…)`
// call is compared with whether the deserialization rule finds one. Python ends a line at a lone
// CR; git does not, so such a file is one line to git. Prints the first differences and a count.
//
//   node --import tsx scripts/measure/line-end-oracle.ts <python> [seed] [count]
import { findUnsafeCalls } from '../../src/rules/deserialization/scan-python.ts';
import { runOracle } from './python-oracle.ts';

const ORACLE = String.raw`
import ast, json, random, sys, warnings
warnings.simplefilter("ignore")
random.seed(int(sys.argv[1])); count = int(sys.argv[2])
PIECES = ['import pickle', 'import json', 'pickle.loads(b)', 'x = pickle.loads(b)', '# c pickle.loads(b)',
          'x = 1 # note', 's = "pickle.loads(b)"', 'y = (1 +', '2)', 'z = 1 + \\', '3', 'if True:', '    pass',
          '"""', 't = """', 'u = 2', 'q = pickle.loads(', 'b)']
out = []
while len(out) < count:
    text = ''.join(random.choice(PIECES) + random.choice(['\n', '\r\n', '\r']) for _ in range(random.randint(2, 9)))
    try:
        tree = ast.parse(text.encode('utf-8'))
    except Exception:
        continue
    calls = sum(1 for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr == 'loads' and isinstance(n.func.value, ast.Name) and n.func.value.id == 'pickle')
    out.append({'text': text, 'calls': calls})
print(json.dumps(out))
`;

const { version, seed, cases } = runOracle<{ text: string; calls: number }>('line-end-oracle.ts', ORACLE, '3000');
let differences = 0;
for (const c of cases) {
  const ours = (findUnsafeCalls(c.text, false) ?? []).filter((hit) => hit.kind === 'pickle').length;
  if (ours > 0 === c.calls > 0) continue;
  if (++differences <= 5) console.log(`${JSON.stringify(c.text)}: Python ${c.calls} call(s), the rule ${ours}`);
}
console.log(`${version}, seed ${seed}: ${differences} differences in ${cases.length} sources`);
