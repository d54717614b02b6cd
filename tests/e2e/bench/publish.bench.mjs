// Browser benchmark of the publication planner: the export files of a synthetic city are
// fetched from the test server (same origin), handed to the app's wasm (`bench_link_add`), and
// `bench_publish` makes the standard reports three times in the page (original designs,
// planned designs, mode Zelle), timing every stage inside the page. No value leaves the page:
// per table only whether it is blanked, how many counts and merges it has.
// Input: BENCH_DATA (city directory), BENCH_FILES (JSON list of paths relative to it).
// Output: one JSON line with the three runs.

import assert from 'node:assert/strict';
import path from 'node:path';
import { assertNoConsoleErrors, foreignRequests, openApp, waitForApp } from '../harness.mjs';

const CHROMIUM_OWN = new Set(['Server: CONNECT optimizationguide-pa.googleapis.com:443']);

const dataDir = path.resolve(process.env.BENCH_DATA ?? '.');
const files = JSON.parse(process.env.BENCH_FILES ?? '[]');

const session = await openApp({ mounts: { '/bench-data/': dataDir } });
try {
  await waitForApp(session);
  const measured = await session.page.evaluate(async ({ files }) => {
    for (const rel of files) {
      const response = await fetch(`./bench-data/${rel}`);
      if (!response.ok) throw new Error(`${rel}: ${response.status}`);
      window.wasmBindings.bench_link_add(rel, new Uint8Array(await response.arrayBuffer()));
    }
    return {
      original: JSON.parse(window.wasmBindings.bench_publish('tabelle', true)),
      planned: JSON.parse(window.wasmBindings.bench_publish('tabelle', false)),
      zelle: JSON.parse(window.wasmBindings.bench_publish('zelle', false)),
    };
  }, { files });
  assertNoConsoleErrors(session);
  const foreign = foreignRequests(session).filter((r) => !CHROMIUM_OWN.has(r));
  assert.deepEqual(foreign, [], `Fremde Anfragen:\n  ${foreign.join('\n  ')}`);
  for (const run of Object.values(measured)) {
    if (run.error) throw new Error(run.error);
  }
  console.log(JSON.stringify(measured));
} finally {
  await session.close();
}
