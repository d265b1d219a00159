// Runs CDK's template diff (@aws-cdk/cloudformation-diff's fullDiff, what `cdk diff --template`
// calls) on every pair of a diff corpus, in one process, and prints one JSON line per pair:
//   {"id", "ms", "cpu_ms", "resources": {"LogicalId": "WILL_UPDATE", ...}} or {..., "error"}
// then a last line {"startup_ms", "startup_cpu_ms"}: the wall and CPU time from the process
// start to the first pair (Node and the package loaded). CPU time (user + system) is what a
// loaded machine inflates least. Templates are read as the CDK CLI reads them (its deserializeStructure):
// @aws-cdk/yaml-cfn's deserialize (YAML with CloudFormation's short tags; JSON is YAML), then
// JSON.parse if that throws.
//
// usage: node cdk-diff.js CORPUS_DIR   (NODE_PATH: the directory holding node_modules)
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { fullDiff } = require('@aws-cdk/cloudformation-diff');
const yamlCfn = require('@aws-cdk/yaml-cfn');

function deserializeStructure(text) {
  try {
    return yamlCfn.deserialize(text);
  } catch (yamlError) {
    try {
      return JSON.parse(text);
    } catch (jsonError) {
      // The YAML reader's message says more: JSON was only the fallback.
      throw yamlError;
    }
  }
}

const corpus = process.argv[2];
const pairs = JSON.parse(fs.readFileSync(path.join(corpus, 'corpus.json'), 'utf8')).pairs;
const startup = performance.now();
const startupCpu = process.cpuUsage();
const out = [];
for (const pair of pairs) {
  const dir = path.join(corpus, 'pairs', pair.id);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const line = { id: pair.id };
  try {
    const oldTemplate = deserializeStructure(fs.readFileSync(path.join(dir, pair.old), 'utf8'));
    const newTemplate = deserializeStructure(fs.readFileSync(path.join(dir, pair.new), 'utf8'));
    const diff = fullDiff(oldTemplate, newTemplate);
    const resources = {};
    diff.resources.forEachDifference((logicalId, change) => {
      resources[logicalId] = change.changeImpact;
    });
    line.resources = resources;
  } catch (err) {
    line.error = String((err && err.message) || err).split('\n')[0];
  }
  line.ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  line.cpu_ms = (cpu.user + cpu.system) / 1000;
  out.push(JSON.stringify(line));
}
out.push(JSON.stringify({ startup_ms: startup, startup_cpu_ms: (startupCpu.user + startupCpu.system) / 1000 }));
process.stdout.write(out.join('\n') + '\n');
