// Issue 20, point 1, the weekly report: last week's Meldewesen export is gone, last week's
// released workbook (written by the command line) is loaded instead. The app recognises the
// workbook by its sheet "Metadaten", and "Bevölkerung aktuell" shows the change since last
// week from its published residents per Stadtteil, naming the workbook as its source.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { CLI, download, synthCity } from './tools.mjs';

test('Veränderung zur Vorwoche aus der veröffentlichten Arbeitsmappe der Vorwoche', async (t) => {
  // The demo city: its Stadtteile are large enough to be published one by one.
  const city = synthCity({ scale: 'demo', seed: 1 });
  t.after(() => city.cleanup());
  const gliederung = city.files.filter((f) => f.source === 'Gliederung' && f.name.endsWith('.csv'));
  const snapshot = (date) => city.files.find((f) => f.source === 'Meldewesen' && f.name.startsWith(`EWO_Bestand_${date}`));
  const previous = snapshot('20261024');
  const current = snapshot('20261031');
  assert.ok(previous && current && gliederung.length === 1, 'two snapshots and the Gliederung');

  // Last week's report, released by the command line.
  const workbook = path.join(city.dir, 'Lagebild_Standardbericht_24.10.2026.xlsx');
  execFileSync(CLI, ['report', '--out', workbook, '--ewo', previous.file, '--gliederung', gliederung[0].file], { stdio: 'pipe' });

  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  await page.getByTestId('file-input').setInputFiles([current.file, gliederung[0].file, workbook]);
  await page.getByTestId('reports-ready').waitFor({ timeout: 120_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 120_000 });

  // The workbook is a source of its own, and it is used.
  const group = page.getByTestId('file-group').filter({ hasText: 'Veröffentlichte Lagebild-Arbeitsmappe' });
  assert.equal(await group.getByTestId('file-row').count(), 1);
  assert.equal(await page.getByTestId('file-unused').count(), 0);

  await page.getByTestId('nav-bevoelkerung').click();
  const change = page.locator('[data-testid="report-table"][data-key="bevoelkerung_veraenderung"]');
  await change.waitFor();
  assert.match(await change.locator('caption').textContent(), /seit dem 24\.10\.2026 \(Stand 31\.10\.2026\)/);
  const text = await change.innerText();
  assert.match(text, /veröffentlichten Werte des damaligen Berichts/);
  // The download names the workbook as a register, never by its file name.
  const csv = (await download(page, change.getByTestId('table-csv'))).bytes.toString('utf8');
  assert.match(csv, /Veröffentlichte Lagebild-Arbeitsmappe, Stichtag 24\.10\.2026/);
  assert.doesNotMatch(csv + text, /Lagebild_Standardbericht_24\.10\.2026\.xlsx/);
  // The city's row: both Stichtage, the change and the change in % are numbers.
  const total = (await change.locator('tbody tr').last().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.equal(total.length, 4, total.join(' | '));
  assert.ok(total.every((v) => /^[+−-]?[\d.]+(,\d+)?$/.test(v)), total.join(' | '));

  // The quality page names the workbook (for the analyst only).
  await page.getByTestId('nav-qualitaet').click();
  assert.match(await page.getByTestId('quality-notes').textContent(), /Lagebild_Standardbericht_24\.10\.2026\.xlsx/);
  assert.ok(fs.existsSync(workbook));

  assertCleanSession(session);
});
