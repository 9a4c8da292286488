#!/usr/bin/env node
// A shim into the built bundle (npm run build). CommonJS (bin/package.json) and tiny: every millisecond here is paid
// by every command.
'use strict';
require('../dist/cli.js').main(process.argv.slice(2));
