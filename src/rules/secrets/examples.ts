import { sha256Hex } from '../../engine/redact.ts';

/**
 * Credentials that providers and standards publish in their documentation: copied into tutorials,
 * tests and sample apps everywhere, valid nowhere. Kept as SHA-256 hashes of the exact value so
 * that this file holds no credential literal; a candidate is hashed only when its length is one
 * of theirs (node:crypto is loaded on the first such candidate, not on every commit).
 */
const PUBLISHED: readonly (readonly [hash: string, length: number])[] = [
  // AWS documentation: the example access key ids and secret access keys of the IAM and CLI guides.
  ['1a5d44a2dca19669d72edf4c4f1c27c4c1ca4b4408fbb17f6ce4ad452d78ddb3', 20],
  ['78314b11be2e581549ac1c4f616563fad3fdf0c3b71678f6e2299182080e0598', 40],
  ['c6ea27c534f993d31f0aef882e3d200e7b87470c379ae79c8f9b19d3bd363dc9', 20],
  ['e21b597ba6b9cafa59d9ebc4d65c0385f5eb3fa56abab2607fa76589ad849a33', 40],
  // AWS's 2006 S3 developer guide (s3-dg-20060301): the secret access key of its signing examples,
  // kept in S3 clients' tests ever since (scrapy's, with id 0PN5J17HBGZHT7JJ3X82, which no rule takes for a key id).
  ['0114c1456f2504384f9111557e6dc0dd99de9fbc6644c6afa8a1bcac8ef391b1', 40],
  // Stripe API reference: the test-mode secret and publishable keys shown in its code samples.
  ['2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326', 32],
  ['b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b', 32],
  ['f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397', 32],
  ['5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d', 32],
  // Firebase web SDK setup guide: the sample `apiKey` of firebaseConfig (two spellings in its docs).
  ['95a4db2dd430bb3f690bf0c7487f3bc86017ee3030c65ed28f9c66141c4d99d7', 37],
  ['279a2219c2388e7f062e82cf79c635e61ee39772b9516af952db98a5406886d3', 36],
  // Firebase's own SDKs: the placeholder `apiKey` values of the test and sample app configs in
  // firebase-android-sdk and FlutterFire (FirebaseOptions in their tests), copied into many apps' tests.
  ['2037abcaffb2b77785da716cf7ccff4ff4d00c4ea930db0167b7d71f50af7eb4', 39],
  ['3f370c9dd8225c63b5c77de1f785edc9712958f18bb612d5fa2e0ae33aeca682', 39],
  ['e4a5542bb7fd7b67e943c71ad29c34b5972c9840597e7eda53e666f44d5da0b9', 39],
  ['a19f89ab3555eac10c40741f6df79ecf0935998f15569f8db9d67bce0181fff6', 39],
  ['0b476bdf9acf2123d547b5ae76f1e59884d8ec9553ee0c47e9f31fd4768f3f3c', 39],
  ['eb540d2b6ee2a0a47c5779bc8a0141784c6b753840d4c6f4e2428a6e86e9e0b1', 39],
  ['37f8f09bdf12c2f2eae4ead7273a62ddb0c23459cbf902892f282b57f7ed6619', 39],
  ['8731261cb72d86267a32a532ebd3df429e2144e5e4ced7e13568bc9e6c8fb1b1', 39],
  ['49f777db995e8260da7ca9ffdf0c08d66f0453e97ec967018baf2cdfe3b582d0', 39],
  ['27a9a42931dff7eb2f8434e20a9bce976ea364e7bee49187f19d5cfeca9c7045', 39],
  ['dc0fcf046c61640cbd1e8b999ada3262d722c2ca4bf42dceac999020ffdbb614', 39],
  ['4c98242dcadc8b29005c6b4aad526552d5ea1842149154c0694adeec75847583', 39],
  ['ea9bb1082cf95663f5faca23b8b15ef2aa0fce0a5c6df9c32dcb85b2e0a4513d', 39],
  ['3a8b61d0f636b007840c0d40ba12bcf48465dc054cdc1a68704a33521d84b665', 39],
  ['a6c814bc555ae62c7bd8b58ec07bf559c7ed3a009976a1e0acc9cef0d4473b41', 39],
  // Microsoft Learn, nuget.config reference (packageSourceCredentials, "When using unencrypted passwords"):
  // the two ClearTextPassword values of its sample, repeated in the .NET and Docker guides.
  ['dba72c00f41f4e4c435e2491a5e1ce0140c7b5a6a498dc4847396b5e6368970c', 11],
  ['a0702bc91d699f600970f4dc4992b13ede1a29d49fa0942dd4bed2b5e4b1016e', 14],
  // RFC 4122 style example UUID of Wikipedia's UUID article and many libraries' docs (a version 4 id).
  ['a3a9e1ed9732cab28868127be00f1ce921acaefdd5c3b23a6e9e0072bd9c1a34', 36],
  // jwt.io: the default HS256 token of its debugger ("John Doe", sub 1234567890).
  ['7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606', 155],
  // jwt.io: the example HS256 secret its debugger fills in (the later debugger's default).
  ['465d9ad5d5528ebe287b5dce4fb51620833d09b290e49ddcc70ca6c4a0aea01b', 38],
  // RFC 6749 (OAuth 2.0) and RFC 6750 (bearer tokens): access, refresh and code examples, the sample client secret.
  ['6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c', 22],
  ['00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32', 22],
  ['a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f', 22],
  ['e9974c507d2a802143f614c878fcbb622a3800e05e6e0d329fee2c5b6b243329', 22],
  ['9e309cccd311ea64d04133daf7760f71f38a566db7aa98b71e043ede9325680f', 10],
  ['b8e148545b13c78bc74da2f1a7275dd71e56ddece129d7d2f7b3ecc06f7994da', 15],
  ['a71b359a87afde133e6d9731de69f8823d62b012072d43749f5dc976505403f5', 12],
  // RFC 5849 (OAuth 1.0): the consumer keys and secrets, tokens and token secrets of its worked examples.
  ['293257ab6495ebb11cf9e4aee0686ca30df8de2ab8d251f2cbbcf177bdfcae91', 16],
  ['cb87c87e4a138d9a72259d2a01bab15623c9846e568c1509b287721645a6ea53', 16],
  ['4c20e6f5cc11b93731e74cbe20739821d61c3563c9f50ecb884a27cd369f01fb', 16],
  ['6aa14267d94944e6b6483c81f5ad37f87bbc7e88aa368d4aba1e71e0b79cd8c4', 16],
  ['bb9b1163338b2a51495834ad5c65420443d6327381cf0f94ebf92b117f209d72', 16],
  ['649e1f5c769e718ba10d1a702a36499a731441d960b06da91c4c97786bf84595', 16],
  ['80f8b7c904d4a43f3b7036db73247daafe15b3f647b337d19031ff67b7c1a177', 16],
  ['2ff8b0fb93aca981c78f1e94355c298c23435461f1072ef4674848e620371787', 16],
  ['8d567eb88afff34f31ab97fbb2731e582703bdeaf3c92b989cf568e0b23cef31', 16],
  ['9d03b692e941d5ace207a9f8048834439f6de98e5c6c1590c22c4f4577c88a42', 16],
  // Flask documentation (quickstart, configuration and deployment chapters): the example SECRET_KEY values.
  ['9cb335cb7b5fb805934637d85c4f57c695baac019c0a57ceffd0afe43144c9cb', 32],
  ['2598f7d6adc142d88161630f3db12ab2bd3403521c281811e5e1ce60d4ac5d76', 64],
  ['ca32f86ce10b8435c108ffd1ae1acd9823f729f51946b3aad3277ac94dead529', 20],
  ['eefbd4136387e7620933a54b3199c46811d8cda05a433e05ede0741710338690', 30],
  // FastAPI documentation (OAuth2 with JWT tutorial): the example SECRET_KEY its code samples sign tokens with.
  ['570dad43de1af4c925f92c16a68a50936da42b7dd6fdeb24850507a1199aac89', 64],
  // Azure's storage emulator (Azurite, and the Storage Emulator before it): the one account key of
  // its account devstoreaccount1, documented by Microsoft and the same on every machine.
  ['0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059', 88],
  // RFC 3962 (Kerberos AES), appendix B: the salt of its PBKDF2 test vectors, passed beside the
  // password "password" in every PBKDF2 library's tests (werkzeug's `check('password', …)`).
  ['c736e035f24db2cb5eebadf1f79568b4350580057217172eacbe780c6aa15e9a', 21],
];

const HASHES = new Set(PUBLISHED.map(([hash]) => hash));
const LENGTHS = new Set(PUBLISHED.map(([, length]) => length));

/** Whether `value` is exactly one of the published example credentials. */
export function isPublishedExample(value: string): boolean {
  return LENGTHS.has(value.length) && HASHES.has(sha256Hex(value));
}
