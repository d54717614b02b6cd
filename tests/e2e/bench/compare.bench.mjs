// Side by side in the same headless Chromium and the same run: the tools users would pick
// instead of Lagebild, on the same synthetic exports.
// - XLSX: SheetJS (npm xlsx 0.18.5) parses the EWO workbook to rows; Lagebild imports it
//   (parse, header detection, field checks, records: more work than SheetJS does).
// - CSV + count: DuckDB-Wasm reads the EWO CSV (Windows-1252, converted to UTF-8 first, as
//   DuckDB's own latin-1 reader refuses it) and the Gliederung CSV, joins
//   addresses and counts residents by Stadtteil; Lagebild imports both, assigns every address
//   (street keys, house-number ranges and suffixes) and counts by Stadtteil.
// Every library is loaded from local files through the test server (no network).
// Input: BENCH_DATA (exports directory), BENCH_NPM (node_modules with xlsx and
// @duckdb/duckdb-wasm), BENCH_RUNS. Output: one JSON line.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DIST, assertNoConsoleErrors, foreignRequests, openApp, waitForApp } from '../harness.mjs';

const CHROMIUM_OWN = new Set(['Server: CONNECT optimizationguide-pa.googleapis.com:443']);
const dataDir = path.resolve(process.env.BENCH_DATA ?? '.');
const npmDir = path.resolve(process.env.BENCH_NPM ?? 'node_modules');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const FILES = {
  xlsx: 'meldewesen/EWO_Bestand_20261024.xlsx',
  csv: 'meldewesen/EWO_Bestand_20261031.csv',
  gliederung: 'gliederung/Gliederung_Adressen.csv',
};

// DuckDB-Wasm's browser module imports `apache-arrow` (and that `flatbuffers`, `tslib`) by package
// name: a copy of the bench build gets an import map to the local packages.
const pageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lagebild-compare-'));
await fs.cp(DIST, pageDir, { recursive: true });
const index = path.join(pageDir, 'index.html');
const importMap = JSON.stringify({
  imports: {
    'apache-arrow': '/npm/apache-arrow/Arrow.dom.mjs',
    flatbuffers: '/npm/flatbuffers/mjs/flatbuffers.js',
    tslib: '/npm/tslib/tslib.es6.mjs',
  },
});
const html = await fs.readFile(index, 'utf8');
assert.ok(!html.includes('Content-Security-Policy'), 'the bench build has no CSP');
await fs.writeFile(index, html.replace('<head>', `<head><script type="importmap">${importMap}</script>`));

const session = await openApp({ root: pageDir, mounts: { '/bench-data/': dataDir, '/npm/': npmDir } });
try {
  await waitForApp(session);
  const { page } = session;
  await page.addScriptTag({ url: '/npm/xlsx/dist/xlsx.full.min.js' });
  const measured = await page.evaluate(async ({ FILES, runs }) => {
    const get = async (rel) => {
      const r = await fetch(`./bench-data/${rel}`);
      if (!r.ok) throw new Error(`${rel}: ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    };
    const name = (rel) => rel.split('/').pop();
    const xlsx = await get(FILES.xlsx);
    const csv = await get(FILES.csv);
    const gliederung = await get(FILES.gliederung);
    const time = async (f) => { const t = performance.now(); const v = await f(); return [performance.now() - t, v]; };
    const out = { sheetjs: [], lagebild_xlsx: [], duckdb: [], lagebild_csv: [] };

    for (let i = 0; i < runs; i += 1) {
      const [ms, rows] = await time(() => {
        const book = XLSX.read(xlsx, { type: 'array' });
        return XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]], { header: 1 }).length;
      });
      out.sheetjs.push({ millis: ms, rows });
      const lb = JSON.parse(window.wasmBindings.bench_import(name(FILES.xlsx), xlsx));
      out.lagebild_xlsx.push({ millis: lb.millis, rows: lb.rows_read, error: lb.error });
    }

    const duckdb = await import('/npm/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs');
    const base = '/npm/@duckdb/duckdb-wasm/dist';
    const bundle = await duckdb.selectBundle({
      mvp: { mainModule: `${base}/duckdb-mvp.wasm`, mainWorker: `${base}/duckdb-browser-mvp.worker.js` },
      eh: { mainModule: `${base}/duckdb-eh.wasm`, mainWorker: `${base}/duckdb-browser-eh.worker.js` },
    });
    const [instantiateMs, db] = await time(async () => {
      const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
      await db.instantiate(bundle.mainModule);
      return db;
    });
    out.duckdb_instantiate_millis = instantiateMs;
    const conn = await db.connect();
    const sql = `
      WITH e AS (SELECT * FROM read_csv('ewo.csv', delim = ';', header = true, all_varchar = true)),
           g AS (SELECT DISTINCT "Straßenschlüssel" AS k, "Hausnummer" AS h, coalesce("Zusatz", '') AS z, "Stadtteil" AS st
                 FROM read_csv('gliederung.csv', delim = ';', header = true, all_varchar = true))
      SELECT g.st AS stadtteil, count(*) AS n
      FROM e JOIN g ON e."Straßenschlüssel" = g.k AND e."Hausnummer" = g.h AND coalesce(e."Hausnummernzusatz", '') = g.z
      WHERE e."Wohnungsstatus" IN ('H', 'A') AND e."Abmeldedatum" IS NULL
      GROUP BY 1`;
    for (let i = 0; i < runs; i += 1) {
      const [ms, result] = await time(async () => {
        // DuckDB reads UTF-8 (its latin-1 reader refuses Windows-1252's 0x80-0x9F: "File is
        // not latin-1 encoded"): the export is converted first, inside the timed job.
        const utf8 = new TextEncoder().encode(new TextDecoder('windows-1252').decode(csv));
        await db.registerFileBuffer('ewo.csv', utf8);
        await db.registerFileBuffer('gliederung.csv', gliederung.slice());
        const table = await conn.query(sql);
        const rows = table.toArray().map((r) => r.toJSON());
        await db.dropFile('ewo.csv');
        await db.dropFile('gliederung.csv');
        return rows;
      });
      out.duckdb.push({ millis: ms, stadtteile: result.length, total: result.reduce((s, r) => s + Number(r.n), 0) });
      const lb = JSON.parse(window.wasmBindings.bench_population(name(FILES.csv), csv, name(FILES.gliederung), gliederung));
      out.lagebild_csv.push(lb);
    }
    await conn.close();
    await db.terminate();
    return out;
  }, { FILES, runs });
  assertNoConsoleErrors(session);
  const foreign = foreignRequests(session).filter((r) => !CHROMIUM_OWN.has(r));
  assert.deepEqual(foreign, [], `Fremde Anfragen:\n  ${foreign.join('\n  ')}`);
  for (const run of [...measured.lagebild_xlsx, ...measured.lagebild_csv]) {
    if (run.error) throw new Error(run.error);
  }
  console.log(JSON.stringify({ files: FILES, ...measured }));
} finally {
  await session.close();
  await fs.rm(pageDir, { recursive: true, force: true });
}
