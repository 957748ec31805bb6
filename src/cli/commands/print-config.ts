import { describeConfig, loadConfig } from '../../config.ts';

export async function printConfig(): Promise<number> {
  process.stdout.write(`${JSON.stringify(describeConfig(loadConfig()), null, 2)}\n`);
  return 0;
}
