import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from './helpers/git.ts';
import { fake, join, randomFrom } from '../src/rules/secrets/fake.ts';

const awsKey = () => join('AK', 'IA', randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));

function server(serverConfig: string[][] = []): { bare: Repo; client: Repo } {
  const bare = Repo.init({ bare: true });
  for (const [key, value] of serverConfig) bare.git(['config', key, value]);
  bare.installPreReceiveHook();
  const client = Repo.init({ env: bare.env });
  return { bare, client };
}

for (const [name, attributes, serverConfig] of [
  ['-diff', 'secrets.txt -diff\n', []],
  ['a textconv driver', 'secrets.txt diff=hide\n', [['diff.hide.textconv', 'true'], ['diff.hide.binary', 'true']]],
] as const) {
  test(`a push whose .gitattributes marks a secret-bearing text file ${name} is rejected`, () => {
    const { bare, client } = server(serverConfig.map((c) => [...c]));
    const secret = awsKey();
    client.commitUnchecked({ '.gitattributes': attributes, 'secrets.txt': `x = 1\nkey = "${secret}"\n` });
    const run = client.git(['push', bare.dir, 'main'], { allowFail: true });
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /secret\.aws-access-key-id/);
    assert.match(run.output, /secrets\.txt/);
    assert.ok(!run.output.includes(secret), 'the secret was printed');
    assert.equal(bare.git(['rev-parse', '--verify', '-q', 'refs/heads/main'], { allowFail: true }).code, 1, 'the ref was created');
  });
}
