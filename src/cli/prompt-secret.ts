// Reads a line from the terminal without echoing it (falls back to plain reading when stdin
// is not a terminal, e.g. piped input in scripts).
import { createInterface } from 'node:readline';

export function readSecret(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    process.stdout.write(prompt);
    if (process.stdin.isTTY) output._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      if (process.stdin.isTTY) process.stdout.write('\n');
      resolve(answer);
    });
  });
}
