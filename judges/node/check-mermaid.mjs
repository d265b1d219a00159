// Mermaid's own parser on every file named on the command line (one diagram per file, or a
// Markdown file whose ```mermaid blocks are each checked). Prints one line per diagram and
// exits 1 if any is refused. Run by `cargo xtask test` (crates/xtask/src/pictures.rs).
//
// GitHub draws Mermaid with Mermaid's defaults: a diagram over maxTextSize (50,000
// characters) is refused before parsing, and the flowchart parser itself refuses more than
// maxEdges (500) edges. Both are checked here, with the same defaults.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const MAX_TEXT_SIZE = 50000;

function diagrams(path) {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.md')) return [[path, text]];
  const found = [];
  const fence = /^```mermaid\n([\s\S]*?)^```$/gm;
  let match;
  while ((match = fence.exec(text)) !== null) found.push([`${path} block ${found.length + 1}`, match[1]]);
  if (found.length === 0) found.push([path, null]);
  return found;
}

let failed = 0;
let passed = 0;
for (const path of process.argv.slice(2)) {
  for (const [name, text] of diagrams(path)) {
    if (text === null) {
      console.log(`FAIL ${name}: no mermaid block`);
      failed++;
      continue;
    }
    try {
      if (text.length > MAX_TEXT_SIZE) throw new Error(`${text.length} characters, over maxTextSize ${MAX_TEXT_SIZE}`);
      const result = await mermaid.parse(text);
      console.log(`ok ${name}: ${result.diagramType}, ${text.length} characters`);
      passed++;
    } catch (error) {
      console.log(`FAIL ${name}: ${String(error.message ?? error).split('\n').slice(0, 4).join(' / ')}`);
      failed++;
    }
  }
}
console.log(`mermaid: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
