#!/usr/bin/env node
// The `kra` command line: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli.ts', import.meta.url).href);
