import type { RuleMeta } from '../../engine/types.ts';

const LOCK = 'Lock the whole file with hashes: `pip-compile --generate-hashes requirements.in` (pip-tools) or `uv pip compile --generate-hashes requirements.in -o requirements.txt`.';

function rule(id: string, title: string, doc: RuleMeta['doc'], severity: RuleMeta['severity'] = 'block'): RuleMeta {
  return { id: `requirement.${id}`, category: 'unpinned-requirement', severity, title, doc };
}

export const UNPINNED = rule('unpinned', 'A requirement is not pinned to an exact version', {
  catches: 'A requirement added or changed in a requirements or constraints file with no version, a range (`>=`, `~=`, `<`, `!=`, several clauses) or a wildcard (`==1.*`). pip-tools inputs (`*.in`) are not checked.',
  why: 'An unpinned requirement installs whatever is newest on the day of the build: a hijacked or malicious release reaches you without any change in your repository, and builds are not reproducible.',
  fix: `Pin the version you tested: \`name==1.2.3\` (or \`===\`). ${LOCK}`,
  allow: 'Add `# gitward:allow requirement.unpinned` after the requirement, or set `rules."requirement.unpinned" = "warn"` in .gitward.toml (for a library\'s loose test requirements, say).',
});

export const URL_UNPINNED = rule('url-unpinned', 'A URL or VCS requirement has no immutable pin', {
  catches: 'A `name @ https://…` or bare archive URL without a `#sha256=` hash (or `--hash`), and a VCS requirement (`git+https://…`, also `-e git+…`) whose `@ref` is a branch or tag rather than a full commit id.',
  why: 'Branches and tags move and a URL can serve different bytes tomorrow; whoever controls the repository or the server controls what you install.',
  fix: 'Pin VCS requirements to a full commit id (`git+https://host/org/repo.git@<40-hex commit>#egg=name`) and archives with `#sha256=<digest>`, or depend on a released version with `name==1.2.3` and hashes.',
});

export const MISSING_HASH = rule('missing-hash', 'A requirement in a hash-checking file has no hash or no exact pin', {
  catches: 'In a file in hash-checking mode (any requirement has `--hash`, or `--require-hashes` is set): a requirement added or changed without `--hash`, one with `--hash` but no `==` pin, a VCS requirement (which cannot be hashed), an editable requirement (`-e .`, `-e git+…`: pip has no single file to hash), and a `--hash` line that belongs to no requirement (a missing `\\` on the line above). Also a change that puts a file into hash-checking mode while other requirements in it have no hash.',
  why: 'pip refuses the whole file when one requirement is not pinned and hashed, so the build breaks; and a requirement without a hash is the one a tampered package can slip through.',
  fix: `Add \`--hash=sha256:…\` for every file of the exact version (\`pip hash\`, or \`pip download name==1.2.3\` then \`pip hash\`). ${LOCK}`,
});

export const EXTRA_INDEX = rule('extra-index-url', 'A requirements file adds an extra package index (dependency confusion)', {
  catches: '`--extra-index-url` (or an abbreviation of it) added to a requirements file.',
  why: 'pip takes a package from whichever index has the highest version: anyone can publish your private package\'s name on the public index with a higher version and it is installed instead (dependency confusion).',
  fix: 'Use one `--index-url` that serves both your packages and a proxy of the public index, and pin every requirement with hashes so a substituted package cannot install.',
});

export const TRUSTED_HOST = rule('trusted-host', 'A requirements file turns off TLS checks for a host', {
  catches: '`--trusted-host` added to a requirements file.',
  why: 'A trusted host is reached without certificate checks (and over plain http): anyone on the network path can serve you different packages.',
  fix: 'Serve the index over https with a valid certificate (add your CA with `--cert` or `PIP_CERT` in the environment, not in the file) and remove `--trusted-host`.',
});

export const INSECURE_INDEX = rule('insecure-index', 'A package index or find-links URL uses plain http', {
  catches: '`--index-url`, `--extra-index-url` or `--find-links` with an `http://` URL.',
  why: 'Packages fetched over plain http can be replaced in transit.',
  fix: 'Use the https URL of the index.',
});

export const LOOK_ALIKE = rule(
  'look-alike',
  'A requirement name imitates a popular project (a typo or a typosquat?)',
  {
    catches: 'A requirement whose normalized name (PEP 503) is not among the most downloaded PyPI projects but imitates one: a doubled, swapped, dropped or added letter (`requestss`, `reqeusts`, `reqests`), a neighbour-key or look-alike letter, an `s` added or dropped, another version number (`urllib4`, `boto4`, `colorama2`), a `python3-`/`python-`/`py` prefix (`python3-dateutil`), reordered words (`nmap-python`), the same consonants with vowels garbled (`tansurflow`), two top projects joined (`numpy-selenium`, `torchtriton`; not under a plugin namespace such as `django-`), a top project garbled inside a longer name (`ttensorflow-gpu`), and look-alikes of a short list of protected names the ranking lacks (`pyhton`, `opnsea`, `discrd`). Each kind of edit counts only against projects popular enough for it (a doubled letter against the top 10,000, an added first letter against the top 50), so honest niche projects one letter from a less popular one pass (measured: docs/pickle-and-requirements.md).',
    why: 'Typosquatting: attackers publish packages named like popular ones, and a typo in a requirements file installs their code.',
    fix: 'Check the name on the index; correct it to the project you meant (`requests`, `python-dateutil`).',
    allow: 'If the name is right (an internal package, say), list it under `known-names` in `[requirements]`, or add `# gitward:allow requirement.look-alike` after it.',
  },
  'warn',
);

export const UNPARSEABLE = rule('unparseable', 'pip cannot parse a requirements line', {
  catches: 'A line added to a requirements file that pip would refuse: an unknown or ambiguous option (also one pip removed, such as `--global-option`), an option missing its value, a `--use-feature` pip does not know, a malformed version, marker, extra or `--hash`. The options of current pip parse: `-i`/`--index-url`/`--pypi-url`, `-C`/`--config-settings`, `--no-require-hashes`, `--all-releases`, `--only-final`, ….',
  why: 'pip stops at the first line it cannot parse, so the file cannot be installed, and a line gitward cannot read is a line it cannot check.',
  fix: 'Correct the line (the message says what pip would object to); `pip install --dry-run -r <file>` shows the same error.',
});

export const REQUIREMENT_RULES: readonly RuleMeta[] = [
  UNPINNED,
  URL_UNPINNED,
  MISSING_HASH,
  EXTRA_INDEX,
  TRUSTED_HOST,
  INSECURE_INDEX,
  LOOK_ALIKE,
  UNPARSEABLE,
];
