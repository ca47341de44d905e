// Names attackers imitate that the download ranking does not hold, or holds far down: a brand
// whose project is installed under another name or from elsewhere, or a name that is a lure in
// itself. Written from what is publicly known about PyPI malware campaigns (the reports of PyPI's
// own admins, Phylum, Checkmarx, Socket, ReversingLabs, Datadog's dataset): stealers imitate the
// language itself, the machine-learning tools people install by their brand name, crypto-currency
// brands (wallet stealers), and the chat and gaming platforms whose tokens they steal. A squat
// of one of these is judged as of a project ranked PROTECTED_RANK (see look-alike.ts); the name
// itself does not warn. Keep the list short and general: one brand a line, under a comment that says why.

/** The rank a protected name counts as: popular, but beyond the top 200 that any replaced letter counts against (`cython` is no squat of python). */
export const PROTECTED_RANK = 300;

export const PROTECTED_NAMES: readonly string[] = [
  // The language and its distributions: `pip install python`, `pyhton` are typed.
  'python',
  'cpython',
  'anaconda',
  // Machine-learning projects known by a brand other than their PyPI name, or installed from
  // their own index or a git checkout (so the ranking under-counts them).
  'pytorch', // PyPI name: torch
  'opencv', // PyPI name: opencv-python
  'tensorflow-gpu', // the former GPU build, still in many tutorials
  'detectron2', // installed from its git repository
  'yolov5',
  'yolov8',
  'stable-diffusion',
  'huggingface',
  'ffmpeg',
  'cuda',
  // AI services whose brand is the lure.
  'chatgpt',
  'deepseek',
  'llama',
  // Crypto-currency brands: wallet stealers pose as their SDKs.
  'bitcoin',
  'ethereum',
  'solana',
  'binance',
  'coinbase',
  'metamask',
  'opensea',
  'uniswap',
  'monero',
  'litecoin',
  'dogecoin',
  'trezor',
  // Chat, social and gaming platforms whose tokens and cookies stealers take.
  'discord',
  'telegram',
  'whatsapp',
  'instagram',
  'tiktok',
  'roblox',
  'spotify',
  'paypal',
];
