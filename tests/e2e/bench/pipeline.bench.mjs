// Benchmark of the whole pipeline, as a user runs it: the exports of a synthetic city a user
// would load (tools.mjs `userExports`) go natively through `lagebild report --timings`, and in
// headless Chromium into the app's file picker, until the protected reports are ready and the
// workbook is downloaded. Each browser run is a fresh page (a fresh worker: wasm memory never
// shrinks, so its size after the run is the run's high-water mark, read from the Qualität page).
// Input: BENCH_DATA (city directory with manifest.json), BENCH_RUNS, BENCH_SCALE (label),
// BENCH_SELECTION (alle | stichtag).
// Output: one JSON line.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoConsoleErrors, foreignRequests, openApp, waitForApp } from '../harness.mjs';
import { CLI, download, reportArgs, userExports } from '../tools.mjs';

const CHROMIUM_OWN = new Set(['Server: CONNECT optimizationguide-pa.googleapis.com:443']);
const dataDir = path.resolve(process.env.BENCH_DATA ?? '.');
const runs = Number(process.env.BENCH_RUNS ?? 3);
// `alle`: every export a user would load; `stichtag`: without the snapshots of earlier
// reference dates (what the weekly and monthly reports need).
const selection = process.env.BENCH_SELECTION ?? 'alle';
const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'));
const older = new Set(manifest.files
  .filter((f) => f.snapshot_date && f.snapshot_date !== manifest.stichtag)
  .map((f) => path.join(dataDir, f.path)));
const files = userExports(dataDir).filter((f) => selection === 'alle' || !older.has(f.file));
const bytes = files.reduce((sum, f) => sum + fs.statSync(f.file).size, 0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lagebild-bench-pipeline-'));

function nativeRun() {
  const timings = path.join(tmp, 'timings.json');
  const out = path.join(tmp, 'bericht.xlsx');
  const start = process.hrtime.bigint();
  try {
    execFileSync(CLI, ['report', '--out', out, '--timings', timings, ...reportArgs(files)], { stdio: 'pipe', maxBuffer: 1 << 28 });
  } catch (e) {
    // Exit code 1: a file could not be imported; the workbook and timings are still written.
    if (!fs.existsSync(timings)) throw e;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  return { ...JSON.parse(fs.readFileSync(timings, 'utf8')), wall_seconds: wall };
}

async function browserRun() {
  const session = await openApp();
  try {
    await waitForApp(session);
    const { page } = session;
    const start = Date.now();
    await page.getByTestId('file-input').setInputFiles(files.map((f) => f.file));
    const ready = page.getByTestId('reports-ready');
    const notice = page.getByTestId('notice');
    await Promise.race([ready.waitFor({ timeout: 900_000 }), notice.waitFor({ timeout: 900_000 })]);
    if (await ready.count() === 0) {
      const text = (await notice.locator('p').textContent()).trim();
      return { refused: text, seconds: (Date.now() - start) / 1000 };
    }
    const reportsSeconds = (Date.now() - start) / 1000;
    await page.getByTestId('nav-download').click();
    const book = await download(page, page.getByTestId('download-workbook'));
    const workbookSeconds = (Date.now() - start) / 1000;
    await page.getByTestId('nav-qualitaet').click();
    const run = page.getByTestId('run-table');
    const stages = {};
    for (const row of await run.locator('tbody tr').all()) {
      const label = (await row.locator('th').textContent()).trim();
      stages[label] = Number((await row.locator('td').textContent()).replace(' s', '').replace('.', '').replace(',', '.'));
    }
    assertNoConsoleErrors(session);
    const foreign = foreignRequests(session).filter((r) => !CHROMIUM_OWN.has(r));
    assert.deepEqual(foreign, [], `Fremde Anfragen:\n  ${foreign.join('\n  ')}`);
    return {
      reports_seconds: reportsSeconds,
      workbook_seconds: workbookSeconds,
      workbook_bytes: book.bytes.length,
      stages,
      wasm_memory_bytes: Number(await run.getAttribute('data-memory')),
    };
  } finally {
    await session.close();
  }
}

const native = [];
for (let i = 0; i < runs; i += 1) native.push(nativeRun());
const browser = [];
for (let i = 0; i < runs; i += 1) {
  const run = await browserRun();
  browser.push(run);
  if (run.refused) break;
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify({ scale: process.env.BENCH_SCALE ?? '', selection, files: files.length, bytes, native, browser }));
