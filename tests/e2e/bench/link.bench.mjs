// Browser benchmark of the record linkage: the export files of the synthetic city are fetched
// from the test server (same origin), handed to the app's wasm (`bench_link_add`), and
// `bench_link` imports them, links ALW × Meldewesen, AKDN × ALW and SchILD × ALW and times
// every step inside the page. One page for all runs; the wasm memory reported is the linear
// memory's high-water mark (including the files' bytes).
// Input: BENCH_DATA (city directory), BENCH_FILES (JSON list of paths relative to it),
// BENCH_RUNS. Output: one JSON line with the runs.

import assert from 'node:assert/strict';
import path from 'node:path';
import { assertNoConsoleErrors, foreignRequests, openApp, waitForApp } from '../harness.mjs';

// Chromium's own on-demand call for the Optimization Guide, seen at the test server during
// this long session (never from the page: page requests are still caught by the browser's
// request events). Ignored here in the server log only, like the harness's BROWSER_INTERNAL.
const CHROMIUM_OWN = new Set(['Server: CONNECT optimizationguide-pa.googleapis.com:443']);

const dataDir = path.resolve(process.env.BENCH_DATA ?? '.');
const files = JSON.parse(process.env.BENCH_FILES ?? '[]');
const runs = Number(process.env.BENCH_RUNS ?? 3);

const session = await openApp({ mounts: { '/bench-data/': dataDir } });
try {
  await waitForApp(session);
  const measured = await session.page.evaluate(async ({ files, runs }) => {
    for (const rel of files) {
      const response = await fetch(`./bench-data/${rel}`);
      if (!response.ok) throw new Error(`${rel}: ${response.status}`);
      window.wasmBindings.bench_link_add(rel, new Uint8Array(await response.arrayBuffer()));
    }
    const out = [];
    for (let i = 0; i < runs; i += 1) {
      out.push(JSON.parse(window.wasmBindings.bench_link()));
    }
    return out;
  }, { files, runs });
  assertNoConsoleErrors(session);
  const foreign = foreignRequests(session).filter((r) => !CHROMIUM_OWN.has(r));
  assert.deepEqual(foreign, [], `Fremde Anfragen:\n  ${foreign.join('\n  ')}`);
  for (const run of measured) {
    if (run.error) throw new Error(run.error);
  }
  console.log(JSON.stringify({ runs: measured }));
} finally {
  await session.close();
}
