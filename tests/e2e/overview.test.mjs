// Issue 20, point 6 (part): the loaded files grouped by source, SchILD files told apart by
// their school's folder, large groups closed at first; the long table by Baublock on
// "Räumliche Verteilung" collapsed to the sums of Stadtbezirke and Stadtteile, opened by
// choosing a Stadtbezirk or Stadtteil (the download keeps the whole table).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';
import { download } from './tools.mjs';

async function loadDemo(page) {
  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
}

test('Dateiliste nach Quelle: Reihenfolge des Amtes, Schulordner bei SchILD, große Gruppen zugeklappt', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  await loadDemo(page);

  const groups = page.getByTestId('file-group');
  const sources = await groups.evaluateAll((els) => els.map((e) => e.dataset.source));
  assert.deepEqual(sources, [
    'EWO Meldewesen',
    'EWO-ALW (Ausländerwesen)',
    'AKDN sozial (AsylbLG)',
    'SchILD-NRW (Schülerdaten)',
    'Räumliche Gliederung (Adressen)',
    'Karte (GeoJSON)',
  ]);
  // Every file in exactly one group, each group's line counts its files.
  let total = 0;
  for (const source of sources) {
    const group = page.locator(`[data-testid="file-group"][data-source="${source}"]`);
    const rows = await group.getByTestId('file-row').count();
    total += rows;
    const line = await group.getByTestId('file-group-summary').textContent();
    assert.match(line, new RegExp(`^${source.replace(/[()]/g, '\\$&')}: ${rows} Dateie?n?, `), line);
    // Large groups start closed, small ones open.
    assert.equal(await group.evaluate((e) => e.open), rows <= 10, `${source}: ${rows} Dateien`);
  }
  assert.equal(total, await page.getByTestId('file-row').count());

  // SchILD: one school folder per file, shown before the file name once the group is open.
  const schild = page.locator('[data-testid="file-group"][data-source="SchILD-NRW (Schülerdaten)"]');
  assert.equal(await schild.getByTestId('file-folder').first().isVisible(), false);
  await schild.getByTestId('file-group-summary').click();
  const folders = (await schild.getByTestId('file-folder').allInnerTexts()).map((s) => s.replace(/\s*\/\s*$/, ''));
  assert.equal(folders.length, await schild.getByTestId('file-row').count());
  assert.equal(new Set(folders).size, folders.length, folders.join(', '));
  for (const f of folders) assert.match(f, /^\d{6}_/);
  assert.deepEqual(folders, [...folders].sort());
  assert.ok(await schild.getByTestId('file-folder').first().isVisible());
  // Other groups show no folder.
  assert.equal(await page.locator('[data-testid="file-group"]:not([data-source^="SchILD"]) [data-testid="file-folder"]').count(), 0);

  // Opened by the analyst, it stays open while the list changes (a file removed).
  const akdn = page.locator('[data-testid="file-group"][data-source="AKDN sozial (AsylbLG)"]');
  await akdn.getByTestId('file-group-summary').click();
  await akdn.getByTestId('remove-file').first().click();
  await page.getByTestId('confirm-go').click();
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 180_000 });
  await page.getByTestId('reports-ready').waitFor();
  assert.equal(await akdn.evaluate((e) => e.open), true);
  assert.equal(await schild.evaluate((e) => e.open), true);

  assertCleanSession(session);
});

/** Label, depth and visibility of every body row of a table. */
function rowsOf(table) {
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const th = tr.querySelector('th');
    return { label: th.textContent.trim(), depth: Number(th.className.match(/depth-(\d)/)[1]), shown: !tr.hidden && tr.offsetParent !== null };
  }));
}

/** The rows below row `i` nested deeper than it (its parts). */
function below(rows, i) {
  const out = [];
  for (let j = i + 1; j < rows.length && rows[j].depth > rows[i].depth; j += 1) out.push(rows[j]);
  return out;
}

test('Räumliche Verteilung: die Baublock-Tabelle ist zugeklappt und öffnet sich je Stadtbezirk und Stadtteil', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;
  await loadDemo(page);
  await page.getByTestId('nav-raeumlich').click();

  const table = page.locator('[data-testid="report-table"][data-key="kategorie_baublock"]');
  await table.waitFor();
  // Only the table by Baublock has the filter.
  assert.equal(await page.getByTestId('area-filter').count(), 1);
  assert.equal(await table.getByTestId('area-filter').count(), 1);

  // At first: the sums only, every Baublock row hidden.
  let rows = await rowsOf(table);
  const blocks = rows.filter((r) => r.depth === 2).length;
  assert.ok(blocks > 100, `${blocks} Baublock-Zeilen`);
  assert.deepEqual(rows.filter((r) => r.shown).map((r) => r.label), rows.filter((r) => r.depth < 2).map((r) => r.label));
  assert.match(await table.getByTestId('area-district').locator('option').first().textContent(), new RegExp(`${blocks} Baublock-Zeilen eingeklappt`));
  assert.ok(await table.getByTestId('area-part').isDisabled());

  // One Stadtbezirk: its sum, its Stadtteile and their Baublöcke, and the total.
  const district = rows.findIndex((r) => r.depth === 0);
  await table.getByTestId('area-district').selectOption({ label: rows[district].label });
  rows = await rowsOf(table);
  const inDistrict = [rows[district], ...below(rows, district)];
  assert.deepEqual(rows.filter((r) => r.shown).map((r) => r.label), [...inDistrict.map((r) => r.label), rows.at(-1).label]);

  // One Stadtteil of it: the Bezirk's sum, the Stadtteil and its Baublöcke, the total.
  const part = rows.findIndex((r, i) => i > district && r.depth === 1);
  await table.getByTestId('area-part').selectOption({ label: rows[part].label });
  rows = await rowsOf(table);
  const inPart = below(rows, part);
  assert.ok(inPart.length > 0);
  assert.deepEqual(rows.filter((r) => r.shown).map((r) => r.label),
    [rows[district].label, rows[part].label, ...inPart.map((r) => r.label), rows.at(-1).label]);

  // The whole table on request.
  await table.getByTestId('area-district').selectOption('alle');
  rows = await rowsOf(table);
  assert.ok(rows.every((r) => r.shown));
  assert.ok(await table.getByTestId('area-part').isDisabled());

  // Collapsed or not, the download holds every Baublock.
  await table.getByTestId('area-district').selectOption('summen');
  assert.equal((await rowsOf(table)).filter((r) => r.shown && r.depth === 2).length, 0);
  const csv = (await download(page, table.getByTestId('table-csv'))).bytes.toString('utf8');
  for (const block of rows.filter((r) => r.depth === 2).slice(0, 5)) assert.ok(csv.includes(block.label), block.label);

  assertCleanSession(session);
});
