#!/usr/bin/env node
// Runs the grader's TypeScript directly: tsx compiles it on the fly, so there is no build step.
require('tsx/cjs');
const { main } = require('../grader/cli.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
