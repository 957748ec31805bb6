#!/usr/bin/env node
// Launcher for `npx djam`: runs the TypeScript CLI through tsx, so no build step stands
// between `npm install` and the first command.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
