#!/usr/bin/env node
import { processIO, runCli } from '../lib/cli/index.js';

process.exitCode = await runCli(process.argv.slice(2), processIO());
