import { prefixed } from '../provider.ts';
import { fake, join } from '../fake.ts';
import { keyedRule, rule, type LazyRule } from './define.ts';
import { notCountingFiller } from '../validity.ts';

/** AI and ML platforms. */
export const aiProviders: LazyRule[] = [
  () => rule(
    'anthropic-api-key',
    'Anthropic API key',
    ['sk-ant-'],
    // API and admin keys: a versioned kind, 93 characters, and always the suffix AA.
    prefixed('sk-ant-(?:api|admin|sid)0[0-9]-[A-Za-z0-9_-]{93}AA'),
    [() => `ANTHROPIC_API_KEY = "${join('sk-', 'ant-api03-', fake.base64url(93), 'AA')}"`, () => `api_key: ${join('sk', '-ant-admin01-', fake.base64url(93), 'AA')}`],
    ['ANTHROPIC_API_KEY = "sk-ant-..."', 'key = "sk-ant-xxxxxxxx"', `k = "${join('sk-', 'ant-api03-', fake.base64url(60), 'AA')}"`, `k = "${join('sk-', 'ant-api03-', fake.base64url(93), 'BB')}"`, `k = "${join('sk-', 'ant-admin01-', 'abcdef-123456-mnopqr-', fake.base64url(72), 'AA')}"`],
    { minEntropy: 3.5, valid: notCountingFiller, rotate: 'Delete the key in the Anthropic console (Settings → API keys) and create a new one.' },
  ),
  () => rule(
    'openai-api-key',
    'OpenAI API key',
    ['sk-'],
    prefixed('sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,200}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})'),
    [
      () => `OPENAI_API_KEY = "${join('sk', '-proj-', fake.base64url(156))}"`,
      () => `openai.api_key = '${join('sk', '-', fake.alnum(20), 'T3Blbk', 'FJ', fake.alnum(20))}'`,
      () => `OPENAI_API_KEY=${join('s', 'k-', fake.alnum(48))}`,
    ],
    ['OPENAI_API_KEY = "sk-..."', 'key = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxx"', 'OPENAI_API_KEY=sk-your-key-here'],
    { minEntropy: 3.5, rotate: 'Revoke the key at the OpenAI platform (API keys page) and create a new one.' },
  ),
  () => rule(
    'huggingface-token',
    'Hugging Face access token',
    ['hf_', 'api_org_'],
    prefixed('(?:hf_[A-Za-z0-9]{30,40}|api_org_[A-Za-z]{34})'),
    [() => `HF_TOKEN = "${join('h', 'f_', fake.alnum(34))}"`, () => `login(token="${join('hf', '_', fake.alnum(37))}")`],
    ['HF_TOKEN = "hf_xxx"', 'hf_hub_download(repo_id="x")', 'use_hf_transfer = True'],
    { minEntropy: 3.5, rotate: 'Invalidate it at Hugging Face → Settings → Access Tokens.' },
  ),
  () => rule('groq-api-key', 'Groq API key', ['gsk_'], prefixed('gsk_[A-Za-z0-9]{52}'), () => `GROQ_API_KEY=${join('gs', 'k_', fake.alnum(52))}`, ['gsk_xxx'], { minEntropy: 3.5 }),
  () => rule('replicate-api-token', 'Replicate API token', ['r8_'], prefixed('r8_[A-Za-z0-9]{37}'), () => `REPLICATE_API_TOKEN=${join('r', '8_', fake.alnum(37))}`, ['r8_abc'], { minEntropy: 3.5 }),
  () => rule('perplexity-api-key', 'Perplexity API key', ['pplx-'], prefixed('pplx-[A-Za-z0-9]{48}'), () => `PPLX_API_KEY=${join('pp', 'lx-', fake.alnum(48))}`, ['pplx-xxx'], { minEntropy: 3.5 }),
  () => rule('xai-api-key', 'xAI API key', ['xai-'], prefixed('xai-[A-Za-z0-9]{80}'), () => `XAI_API_KEY=${join('xa', 'i-', fake.alnum(80))}`, ['xai-grok'], { minEntropy: 3.5 }),
  () => rule(
    'langsmith-api-key',
    'LangSmith API key',
    ['lsv2_'],
    prefixed('lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}'),
    () => `LANGCHAIN_API_KEY=${join('ls', 'v2_pt_', fake.hex(32), '_', fake.hex(10))}`,
    ['lsv2_pt_'],
    { minEntropy: 3 },
  ),
  () => rule(
    'pinecone-api-key',
    'Pinecone API key',
    ['pcsk_'],
    prefixed('pcsk_[A-Za-z0-9_]{50,90}'),
    () => `PINECONE_API_KEY=${join('pc', 'sk_', fake.alnum(6), '_', fake.alnum(60))}`,
    ['pcsk_'],
    { minEntropy: 3.5 },
  ),
  () => keyedRule(
    'pinecone-api-key-legacy',
    'Pinecone API key (UUID form)',
    'pinecone',
    '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    'PINECONE_API_KEY',
    () => join(fake.hex(8), '-', fake.hex(4), '-4', fake.hex(3), '-b', fake.hex(3), '-', fake.hex(12)),
    { minEntropy: 3 },
  ),
  () => keyedRule('cohere-api-key', 'Cohere API key', 'cohere|co_api_key', '[A-Za-z0-9]{40}', 'COHERE_API_KEY', () => fake.alnum(40), { minEntropy: 3.5 }),
  () => keyedRule('mistral-api-key', 'Mistral AI API key', 'mistral', '[A-Za-z0-9]{32}', 'MISTRAL_API_KEY', () => fake.alnum(32), { minEntropy: 3.5 }),
  () => keyedRule('together-api-key', 'Together AI API key', 'together', '[a-f0-9]{64}', 'TOGETHER_API_KEY', () => fake.hex(64), { minEntropy: 3 }),
  () => keyedRule('wandb-api-key', 'Weights & Biases API key', 'wandb', '[a-f0-9]{40}', 'WANDB_API_KEY', () => fake.hex(40), { minEntropy: 3 }),
  () => keyedRule('deepseek-api-key', 'DeepSeek API key', 'deepseek', 'sk-[a-f0-9]{32}', 'DEEPSEEK_API_KEY', () => join('s', 'k-', fake.hex(32)), { minEntropy: 3 }),
];
