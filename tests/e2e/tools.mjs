// Helpers of the app's end-to-end tests: synthetic exports (lagebild-synth), the CLI's report on
// the same files (lagebild report), an independent XLSX reader (SheetJS) and the axe-core scan.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import XLSX from 'xlsx';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The native binaries (`cargo xtask test` builds them and sets these variables). */
export const CLI = process.env.LAGEBILD_CLI ?? path.join(ROOT, 'target', 'release', 'lagebild');
export const SYNTH = process.env.LAGEBILD_SYNTH ?? path.join(ROOT, 'target', 'release', 'lagebild-synth');

function requireBinary(file, what) {
  assert.ok(fs.existsSync(file), `${what} fehlt: ${file} (cargo build --release -p ${what === 'CLI' ? 'lagebild-cli' : 'lagebild-synth'})`);
}

/**
 * The CLI option and folder of each source. The order of files does not matter: the core's
 * session imports the app's and the CLI's files alike in path order (proved natively by
 * crates/core/tests/session.rs).
 */
const SOURCES = [
  ['Meldewesen', '--ewo', 'meldewesen'],
  ['ALW', '--alw', 'alw'],
  ['AKDN', '--akdn', 'akdn'],
  ['Gliederung', '--gliederung', 'gliederung'],
  ['SchILD', '--schild', 'schild'],
];

/**
 * Generates a synthetic city (without LibreOffice) into a fresh temporary directory and copies
 * the exports a user would load (no copies, no subsets, no map geometries) into `input/`, one
 * folder per source (SchILD files keep their school folder). `files` are in path order.
 */
export function synthCity({ scale = 'tiny', seed = 7 } = {}) {
  requireBinary(SYNTH, 'lagebild-synth');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lagebild-e2e-${scale}-`));
  execFileSync(SYNTH, ['--scale', scale, '--seed', String(seed), '--out', dir, '--no-office'], { stdio: 'pipe' });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const input = path.join(dir, 'input');
  const files = [];
  for (const [source, option, folder] of SOURCES) {
    for (const entry of manifest.files) {
      if (entry.source !== source || entry.subset_of || entry.duplicate_of) continue;
      const relative = path.join(folder, ...entry.path.split('/').slice(2));
      const file = path.join(input, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(path.join(dir, entry.path), file);
      files.push({ source, option, file, relative, name: path.basename(entry.path) });
    }
  }
  files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return { dir, input, files, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The exports of an already generated city (`dir` holds `manifest.json`) that a user would
 * load: no copies, no subsets, no map geometries; with the CLI option of their source.
 */
export function userExports(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const files = [];
  for (const [source, option] of SOURCES) {
    for (const entry of manifest.files) {
      if (entry.source !== source || entry.subset_of || entry.duplicate_of) continue;
      files.push({ source, option, file: path.join(dir, entry.path), name: path.basename(entry.path) });
    }
  }
  return files;
}

/** The arguments of `lagebild report` for `files` (as from `userExports`): each under its option. */
export function reportArgs(files) {
  return files.flatMap((f) => [f.option, f.file]);
}

/** Runs `lagebild report` on the files and returns the bytes of its workbook. */
export function cliWorkbook(city) {
  requireBinary(CLI, 'CLI');
  const out = path.join(city.dir, 'cli-bericht.xlsx');
  const args = ['report', '--out', out, ...reportArgs(city.files)];
  try {
    execFileSync(CLI, args, { stdio: 'pipe' });
  } catch (e) {
    // Exit code 1 means a file could not be imported; the workbook is still written.
    if (!fs.existsSync(out)) throw e;
  }
  return fs.readFileSync(out);
}

/** Sheet names and every cell value of a workbook (independent reader: SheetJS). */
export function readWorkbook(bytes) {
  const book = XLSX.read(bytes, { type: 'buffer', cellDates: false });
  const sheets = {};
  for (const name of book.SheetNames) {
    sheets[name] = XLSX.utils.sheet_to_json(book.Sheets[name], { header: 1, raw: true, defval: null, blankrows: true });
  }
  return { names: book.SheetNames, sheets };
}

/** Runs axe-core in the page; returns the serious and critical violations (rule and targets). */
export async function seriousViolations(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated through the DevTools protocol, not as a <script> tag, which the app's Content
  // Security Policy (rightly) refuses.
  if (!hasAxe) await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Clicks a button that starts a download and returns the downloaded file's name and bytes. */
export async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), locator.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}
