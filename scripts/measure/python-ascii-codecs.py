# Which codec names CPython accepts in a source file's coding declaration and decodes ASCII bytes
# (but ESC) with as themselves, escape-like sequences too: the names under which an ASCII-only
# file is read as it is. Run it with each CPython to compare
# (`python3 -W ignore scripts/measure/python-ascii-codecs.py`); the names every version keeps, less
# idna (it decodes a dotted `xn--` label), are ASCII_TRANSPARENT in src/rules/python/source-encoding.ts.
import encodings, encodings.aliases, json, pkgutil
names = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
names |= {m.name for m in pkgutil.iter_modules(encodings.__path__)}
probe = bytes(b for b in range(1, 128) if b != 0x1b)
probe += rb' \u0070 \U00000070 \x70 \160 \N{LATIN SMALL LETTER P} +AHA- ~{ab~} ~~ ~' + b'\n xn--80ak6aa92e.com ab.cd'
keep = []
for raw in sorted(names):
    try:
        compile(('# coding: %s\nx = 1\n' % raw).encode('ascii'), 'x', 'exec')
        if probe.decode(raw) != probe.decode('latin-1'):
            continue
    except Exception:
        continue
    keep.append(raw.lower().replace('-', '_'))
print(json.dumps(sorted(set(keep))))
