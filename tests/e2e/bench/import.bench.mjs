// Browser benchmark of the import: each file is fetched from the test server (same origin),
// handed to the app's wasm (`bench_import`) and timed inside the page. A fresh page per file,
// so the wasm memory reported is that file's high-water mark.
// Input: BENCH_DATA (directory), BENCH_FILES (JSON list of paths relative to it), BENCH_RUNS.
// Output: one JSON line with the results.

import path from 'node:path';
import { assertCleanSession, openApp, waitForApp } from '../harness.mjs';

const dataDir = path.resolve(process.env.BENCH_DATA ?? '.');
const files = JSON.parse(process.env.BENCH_FILES ?? '[]');
const runs = Number(process.env.BENCH_RUNS ?? 3);

const results = [];
for (const rel of files) {
  const session = await openApp({ mounts: { '/bench-data/': dataDir } });
  try {
    await waitForApp(session);
    const measured = await session.page.evaluate(async ({ rel, runs }) => {
      const response = await fetch(`./bench-data/${rel}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const name = rel.split('/').pop();
      const out = [];
      for (let i = 0; i < runs; i += 1) {
        out.push(JSON.parse(window.wasmBindings.bench_import(name, bytes)));
      }
      return out;
    }, { rel, runs });
    assertCleanSession(session);
    results.push({ file: rel, runs: measured });
  } finally {
    await session.close();
  }
}
console.log(JSON.stringify(results));
