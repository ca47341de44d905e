import { setFlagsFromString } from 'node:v8';

export function lightenOptimizing(): void {
  for (const flag of (process.env.GW_OPT_FLAGS ?? '--interrupt-budget=300000 --max-inlined-bytecode-size=50').split(' ').filter(Boolean)) setFlagsFromString(flag);
}
