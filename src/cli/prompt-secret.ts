// Questions on the terminal, and secrets read without echo. On a terminal the secret is read in
// raw mode one key at a time, so the prompt stays on screen (readline's own redraws would wipe
// it) and nothing typed is shown. Piped input (scripts, tests) is read line by line from one
// reader, so that no answer is lost between questions.
import { createInterface } from 'node:readline';
import { createInterface as createPromptInterface } from 'node:readline/promises';

export interface Prompter {
  ask(question: string): Promise<string>;
  askSecret(question: string): Promise<string>;
  close(): void;
}

const ENTER = new Set(['\r', '\n']);
const CANCEL = new Set(['\u0003', '\u0004']); // Ctrl-C, Ctrl-D
const ERASE = new Set(['\u007f', '\b']);

function readHidden(question: string): Promise<string> {
  const { stdin, stdout } = process;
  stdout.write(question);
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const key of chunk) {
        if (ENTER.has(key)) return (finish(), resolve(answer));
        if (CANCEL.has(key)) return (finish(), reject(new Error('cancelled')));
        if (ERASE.has(key)) answer = answer.slice(0, -1);
        else if (key >= ' ') answer += key;
      }
      return undefined;
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

function terminalPrompter(): Prompter {
  return {
    async ask(question) {
      const rl = createPromptInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    askSecret: readHidden,
    close: () => undefined,
  };
}

function pipedPrompter(): Prompter {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const next = async (question: string) => {
    process.stdout.write(question);
    const line = await lines.next();
    if (line.done) throw new Error('the input ended before every question was answered');
    return line.value;
  };
  return { ask: next, askSecret: next, close: () => rl.close() };
}

export function openPrompter(): Prompter {
  return process.stdin.isTTY ? terminalPrompter() : pipedPrompter();
}
