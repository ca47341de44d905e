import { stagedChanges } from '../git/staged-source.ts';
import { openSession, report, scanWith, type CommonArgs } from './common.ts';

export interface ScanArgs extends CommonArgs {
  staged?: boolean;
}

const STAGED_FOOTER = [
  'Nothing was committed. Fix the findings above and commit again;',
  'to let one through after checking it, see "allow" above. (`git commit --no-verify` skips all checks: the server may still refuse the push.)',
];

export async function runScan(args: ScanArgs): Promise<number> {
  const session = openSession(args);
  const result = await scanWith(session, stagedChanges(args.cwd, session.blobs));
  return report(result, args, 'the staged changes', STAGED_FOOTER);
}
