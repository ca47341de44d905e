/**
 * The argument lists that hooks pass on every commit and every push, answered without loading
 * yargs: parsing them with yargs costs about 25 ms of a ~120 ms run (measured with `npm run bench`
 * and `node --cpu-prof`), a fifth of every commit. Anything else — options, --help, a typo —
 * returns null and goes through yargs, so usage and errors stay in one place.
 *
 * Each route gives the handler exactly the values yargs would give for that argument list (the
 * options' defaults); a test runs the same scan through both paths and compares.
 */

type Handler = (args: Record<string, unknown>) => Promise<number>;

interface Route {
  /** The module in src/commands/ and the function it exports. */
  command: 'scan' | 'pre-receive' | 'commit-msg';
  handler: string;
  args: Record<string, unknown>;
  /** A staged scan: its git processes start before the command's modules load and set up the rules. */
  startsStaged?: boolean;
  /** pre-receive: the ref-update lines are read and the push's `git log` started before the command's modules run (after the part kept apart that holds them is compiled). */
  startsPush?: boolean;
}

const COMMON_DEFAULTS = { format: 'text' };

/**
 * The routed commands' modules, each imported by name: the build keeps the ones the everyday commit
 * does not run in a file of their own (scripts/build.mjs, APART), which a template import
 * (`./commands/${name}.ts`, every command in the bundle) would defeat.
 */
const COMMANDS: Record<Route['command'], () => Promise<Record<string, unknown>>> = {
  scan: () => import('./commands/scan.ts'),
  'pre-receive': () => import('./commands/pre-receive.ts'),
  'commit-msg': () => import('./commands/commit-msg.ts'),
};

const ROUTES: Record<string, Route> = {
  '': { command: 'scan', handler: 'runScan', args: { ...COMMON_DEFAULTS, staged: true }, startsStaged: true },
  scan: { command: 'scan', handler: 'runScan', args: { ...COMMON_DEFAULTS, staged: true }, startsStaged: true },
  'scan --staged': { command: 'scan', handler: 'runScan', args: { ...COMMON_DEFAULTS, staged: true }, startsStaged: true },
  'pre-receive': { command: 'pre-receive', handler: 'runPreReceive', args: { ...COMMON_DEFAULTS }, startsPush: true },
};

/**
 * `.pre-commit-hooks.yaml`'s entries, `scan --pre-commit=<stage> -- <names…>`: the names (any
 * bytes, even a leading dash) follow `--`, where yargs leaves them in `_` and the scan command
 * takes them as paths.
 */
function frameworkRoute(argv: readonly string[]): Route | null {
  const stage = /^--pre-commit=(commit|push)$/.exec(argv[1] ?? '')?.[1];
  if (argv[0] !== 'scan' || !stage || argv[2] !== '--') return null;
  return { command: 'scan', handler: 'runScan', args: { ...COMMON_DEFAULTS, staged: true, baseline: true, preCommit: stage, paths: argv.slice(3) } };
}

/** The commit-msg hook's `commit-msg <file>` (a name with a leading dash goes through yargs). */
function commitMsgRoute(argv: readonly string[]): Route | null {
  if (argv[0] !== 'commit-msg' || argv.length !== 2 || argv[1]!.startsWith('-')) return null;
  return { command: 'commit-msg', handler: 'runCommitMsg', args: { ...COMMON_DEFAULTS, file: argv[1] } };
}

/** The run for a hook's plain argument list, or null when yargs should parse it. */
export async function fastRoute(argv: readonly string[]): Promise<(() => Promise<number>) | null> {
  if (process.env.GITWARD_NO_FAST_PATH) return null;
  const route = ROUTES[argv.join(' ')] ?? frameworkRoute(argv) ?? commitMsgRoute(argv);
  if (!route) return null;
  // git reads the staged diff and answers where it runs while node loads the scan (the rules' tables).
  const staged = route.startsStaged ? await import('./git/staged-source.ts') : undefined;
  const started = staged?.startStaged(undefined);
  // The command takes this over (startPush), on a fallback to yargs too: nothing to cancel below.
  if (route.startsPush) (await import('./server/early-push.ts')).startPushEarly(undefined);
  let module: Record<string, unknown>;
  try {
    module = await COMMANDS[route.command]!();
  } catch {
    if (started) staged!.cancelStaged(started);
    return null;
  }
  const handler = module[route.handler] as Handler | undefined;
  if (typeof handler !== 'function') {
    if (started) staged!.cancelStaged(started);
    return null;
  }
  // Observable on purpose: a test checks that hooks' argument lists really take this path.
  if (process.env.GITWARD_DEBUG) process.stderr.write(`gitward: debug: fast path (${route.command}: ${route.handler}), yargs not loaded\n`);
  return () => handler({ ...route.args, ...(started ? { started } : {}), _: argv.slice(0, 1), $0: 'gitward' });
}
