// Fake tokens for tests, built at run time (never a literal token in the repository).
import { fake, join as glue } from '../../src/rules/secrets/fake.ts';
import { withBase62Checksum } from '../../src/rules/secrets/validity.ts';

/** A GitHub personal access token: its prefix, 30 random characters and a valid checksum. */
export const fakeGithubPat = (): string => withBase62Checksum(glue('gh', 'p_'), fake.alnum(30));
