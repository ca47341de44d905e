import { prefixed } from '../provider.ts';
import { fake, fakeMore, join } from '../fake.ts';
import { keyedRule, rule, type LazyRule } from './define.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Services Python teams wire into applications today: model and embedding APIs, vector
 * databases, serverless Postgres/Redis, auth, email, media and observability. Formats from each
 * provider's documentation; values without a prefix of their own are keyed to the provider's name.
 */
export const pythonStackProviders: LazyRule[] = [
  () => rule('openrouter-api-key', 'OpenRouter API key', ['sk-or-'], prefixed('sk-or-v1-[a-f0-9]{64}'), () => `OPENROUTER_API_KEY=${join('sk-', 'or-v1-', fake.hex(64))}`, ['sk-or-v1-', 'OPENROUTER_API_KEY=sk-or-v1-xxxx'], { minEntropy: 3 }),
  () => rule('tavily-api-key', 'Tavily API key', ['tvly-'], prefixed('tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}'), () => `TAVILY_API_KEY=${join('tv', 'ly-', fake.alnum(32))}`, ['tvly-', 'tvly-YOUR_API_KEY'], { minEntropy: 3.5 }),
  () => rule('langfuse-secret-key', 'Langfuse secret key', ['sk-lf-'], prefixed(`sk-lf-${UUID}`), () => `LANGFUSE_SECRET_KEY="${join('sk', '-lf-', fakeMore.uuid())}"`, ['sk-lf-...', 'LANGFUSE_PUBLIC_KEY=pk-lf-1234'], { minEntropy: 3 }),
  () => rule('jina-api-key', 'Jina AI API key', ['jina_'], prefixed('jina_[A-Za-z0-9_-]{60,80}'), () => `JINA_API_KEY=${join('ji', 'na_', fake.base64url(64))}`, ['jina_', 'from jina_embeddings import x'], { minEntropy: 3.5 }),
  () => rule('cerebras-api-key', 'Cerebras API key', ['csk-'], prefixed('csk-[a-z0-9]{48}'), () => `CEREBRAS_API_KEY=${join('cs', 'k-', fake.lower(48))}`, ['csk-'], { minEntropy: 3.5 }),
  () => rule('fireworks-api-key', 'Fireworks AI API key', ['fw_'], prefixed('fw_[A-Za-z0-9]{24}'), () => `FIREWORKS_API_KEY=${join('f', 'w_', fake.alnum(24))}`, ['fw_', 'fw_version_string_here'], { minEntropy: 3.5 }),
  () => rule('firecrawl-api-key', 'Firecrawl API key', ['fc-'], prefixed('fc-[a-f0-9]{32}'), () => `FIRECRAWL_API_KEY=${join('f', 'c-', fake.hex(32))}`, ['fc-', 'fc-layer-1'], { minEntropy: 3 }),
  () => rule('elevenlabs-api-key', 'ElevenLabs API key', ['sk_'], prefixed('sk_[a-f0-9]{48}'), () => `ELEVENLABS_API_KEY=${join('s', 'k_', fake.hex(48))}`, ['sk_', `sk_${'0'.repeat(48)}`], { minEntropy: 3 }),
  () => keyedRule('elevenlabs-api-key-legacy', 'ElevenLabs API key (legacy form)', 'elevenlabs|eleven_labs|xi-api-key', '[a-f0-9]{32}', 'ELEVENLABS_API_KEY', () => fake.hex(32), { minEntropy: 3, keywords: ['eleven', 'xi-api'] }),
  () => keyedRule('deepgram-api-key', 'Deepgram API key', 'deepgram', '[a-f0-9]{40}', 'DEEPGRAM_API_KEY', () => fake.hex(40), { minEntropy: 3 }),
  () => keyedRule('assemblyai-api-key', 'AssemblyAI API key', 'assemblyai|assembly_ai|assembly-ai', '[a-f0-9]{32}', 'ASSEMBLYAI_API_KEY', () => fake.hex(32), { minEntropy: 3, keywords: ['assembly'] }),
  () => keyedRule('voyage-api-key', 'Voyage AI API key', 'voyage', 'pa-[A-Za-z0-9_-]{40,50}', 'VOYAGE_API_KEY', () => join('p', 'a-', fake.base64url(43)), { minEntropy: 3.5 }),
  () => keyedRule('azure-openai-api-key', 'Azure OpenAI API key', 'azure_openai|azure-openai|azureopenai|aoai', '(?:[a-f0-9]{32}|[A-Za-z0-9]{84})', 'AZURE_OPENAI_API_KEY', () => fake.hex(32), { minEntropy: 3, keywords: ['openai', 'aoai'] }),
  () => keyedRule('weaviate-api-key', 'Weaviate API key', 'weaviate', '[A-Za-z0-9]{32,48}', 'WEAVIATE_API_KEY', () => fake.alnum(40), { minEntropy: 3.5 }),
  () => keyedRule('qdrant-api-key', 'Qdrant API key', 'qdrant', '[A-Za-z0-9_|-]{32,120}', 'QDRANT_API_KEY', () => join(fakeMore.uuid(), '|', fake.base64url(40)), { minEntropy: 3.5 }),
  () => keyedRule('zilliz-api-key', 'Zilliz Cloud API key', 'zilliz|milvus_token|milvus-token', '[A-Za-z0-9]{60,120}', 'ZILLIZ_API_KEY', () => fake.hex(104), { minEntropy: 3, keywords: ['zilliz', 'milvus'] }),
  () => keyedRule('chroma-api-key', 'Chroma Cloud API key', 'chroma', 'ck-[A-Za-z0-9]{40,50}', 'CHROMA_API_KEY', () => join('c', 'k-', fake.alnum(44)), { minEntropy: 3.5 }),
  () => keyedRule('exa-api-key', 'Exa API key', 'exa_api_key|exa-api-key|exaapikey', UUID, 'EXA_API_KEY', () => fakeMore.uuid(), { minEntropy: 3, keywords: ['exa_api', 'exa-api', 'exaapi'] }),
  () => keyedRule('serpapi-key', 'SerpApi key', 'serpapi|serp_api', '[a-f0-9]{64}', 'SERPAPI_API_KEY', () => fake.hex(64), { minEntropy: 3 }),
  () => keyedRule('modal-token-secret', 'Modal token secret', 'modal', 'as-[A-Za-z0-9]{22}', 'MODAL_TOKEN_SECRET', () => join('a', 's-', fake.alnum(22)), { minEntropy: 3.5 }),
  () => rule('runpod-api-key', 'RunPod API key', ['rpa_'], prefixed('rpa_[A-Za-z0-9]{40,50}'), () => `RUNPOD_API_KEY=${join('rp', 'a_', fake.upper(44))}`, ['rpa_'], { minEntropy: 3.5 }),
  () => keyedRule('neon-api-key', 'Neon API key', 'neon', '[a-z0-9]{64}', 'NEON_API_KEY', () => fake.lower(64), { minEntropy: 3.5 }),
  () => rule('neon-database-password', 'Neon database password', ['npg_'], prefixed('npg_[A-Za-z0-9]{12}'), () => `PGPASSWORD=${join('np', 'g_', fake.alnum(12))}`, ['npg_', 'npg_config_path'], { minEntropy: 3 }),
  () => keyedRule('upstash-token', 'Upstash Redis or QStash token', 'upstash|qstash', '[A-Za-z0-9_=-]{40,200}', 'UPSTASH_REDIS_REST_TOKEN', () => join('A', fake.base64url(59), '='), { minEntropy: 4 }),
  () => keyedRule('clerk-secret-key', 'Clerk secret key', 'clerk', 'sk_(?:live|test)_[A-Za-z0-9]{40,60}', 'CLERK_SECRET_KEY', () => join('sk', '_test_', fake.alnum(46)), { minEntropy: 3.5 }),
  () => rule('resend-api-key', 'Resend API key', ['re_'], prefixed('re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}'), () => `RESEND_API_KEY=${join('r', 'e_', fake.alnum(8), '_', fake.alnum(24))}`, ['re_123456789', 'from re_module import re_compile_pattern'], { minEntropy: 3.5 }),
  () => keyedRule('pusher-secret', 'Pusher Channels app secret', 'pusher', '[a-f0-9]{20}', 'PUSHER_SECRET', () => fake.hex(20), { minEntropy: 2.7 }),
  () => keyedRule('mux-token-secret', 'Mux API token secret', 'mux', '[A-Za-z0-9+/]{60,80}', 'MUX_TOKEN_SECRET', () => fake.base64(75), { minEntropy: 4, negatives: [`tmux_config_secret = "${fake.base64(75)}"`] }),
  () => rule(
    'google-oauth-refresh-token',
    'Google OAuth refresh token',
    ['1//0'],
    prefixed('1//0[A-Za-z0-9_-]{40,300}'),
    () => `"refresh_token": "${join('1/', '/0', fake.base64url(100))}"`,
    ['see 1//0 notation', 'path = "1//0g"'],
    { minEntropy: 4, rotate: 'Revoke the grant (myaccount.google.com → Security → Third-party access, or the token revocation endpoint).' },
  ),
  () => rule(
    'google-oauth-access-token',
    'Google OAuth access token',
    ['ya29.'],
    prefixed(String.raw`ya29\.[A-Za-z0-9_-]{40,2000}`),
    () => `Authorization: Bearer ${join('ya', '29.', fake.base64url(150))}`,
    ['ya29.', 'ya29.xxx'],
    { minEntropy: 4 },
  ),
  () => rule('posthog-personal-api-key', 'PostHog personal API key', ['phx_'], prefixed('phx_[A-Za-z0-9]{43}'), () => `POSTHOG_PERSONAL_API_KEY=${join('ph', 'x_', fake.alnum(43))}`, ['phx_', 'POSTHOG_KEY=phc_public_project_key'], { minEntropy: 3.5 }),
  () => rule('logfire-token', 'Pydantic Logfire write token', ['pylf_'], prefixed('pylf_v[0-9]_[a-z]{2,3}_[A-Za-z0-9]{30,60}'), () => `LOGFIRE_TOKEN=${join('py', 'lf_v1_us_', fake.alnum(44))}`, ['pylf_', 'pylf_v1_us_'], { minEntropy: 3.5 }),
  () => rule(
    'cloudinary-url',
    'Cloudinary URL with API secret',
    ['cloudinary:'],
    { source: String.raw`cloudinary:\/\/\d{6,20}:(?<secret>[A-Za-z0-9_-]{20,40})@`, flags: '' },
    () => `CLOUDINARY_URL=${join('cloudinary', '://', fake.digits(15), ':', fake.base64url(27), '@demo')}`,
    ['CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>'],
    { minEntropy: 3.5 },
  ),
];
