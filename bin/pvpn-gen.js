#!/usr/bin/env node
// A shim into the built bundle (npm run build). Kept tiny: every millisecond here is paid by every command.
import { main } from '../dist/cli.js';

main(process.argv.slice(2));
