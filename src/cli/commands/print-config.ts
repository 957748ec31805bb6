import { describeConfig, loadConfig } from '../../config.ts';
import { defineCommand } from '../command.ts';

export const configCommand = defineCommand({
  name: 'config', summary: 'print the effective configuration, secrets masked', usage: '', flags: {},
  async run() {
    process.stdout.write(`${JSON.stringify(describeConfig(loadConfig()), null, 2)}\n`);
    return 0;
  },
});
