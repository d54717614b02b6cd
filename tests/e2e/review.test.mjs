// Qualität, Paare zur Prüfung: after the demo data, each linked pair of registers lists its
// review pairs by file and row only (no personal values), each expandable to its weight per
// comparison; without pairs the page says so in German.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDemo } from './harness.mjs';

const COMPARISONS = ['Familienname', 'Vornamen', 'Geburtsdatum', 'Geschlecht', 'Adresse'];

test('Qualität: Paare zur Prüfung mit Gewicht je Vergleich, nur Datei und Zeile', async (t) => {
  const session = await openDemo(t);
  const { page } = session;
  await page.getByTestId('nav-qualitaet').click();
  await page.getByTestId('review-only').waitFor();
  const section = page.getByTestId('review-only');

  const rows = section.getByTestId('review-pair');
  const count = await rows.count();
  if (count === 0) {
    assert.match(await section.getByTestId('review-none').first().textContent(), /Keine Paare im Prüfband/);
    return;
  }
  const list = section.getByTestId('review-list').first();
  assert.match(await list.locator('caption').textContent(), /Paare im Prüfband/);
  assert.equal(await list.locator(':scope > table > thead > tr > th[scope="col"]').count(), 6);

  const row = rows.first();
  // Both records by file and row only; the row header is record A.
  assert.match((await row.locator(':scope > th[scope="row"]').textContent()).trim(), /, Zeile \d+$/);
  const cells = (await row.locator(':scope > td').allInnerTexts()).map((s) => s.trim());
  assert.match(cells[0], /, Zeile \d+$/);
  assert.match(cells[1], /^(Prüfband \(nicht verknüpft\)|knapp verknüpft)$/);
  assert.match(cells[2], /^-?\d+,\d\d$/);
  assert.match(cells[3], /^\d+,\d %$/);

  // Collapsed at first, the explanation opens on the summary.
  const explanation = row.getByTestId('review-explanation');
  assert.equal(await explanation.isVisible(), false);
  await row.locator('summary').click();
  await explanation.waitFor();
  const names = (await explanation.getByTestId('review-comparison').locator('th[scope="row"]').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(names, COMPARISONS);
  assert.match(await explanation.locator('tfoot').textContent(), /Summe/);
  // The sum row repeats the pair's weight.
  assert.equal((await explanation.locator('tfoot td.number').textContent()).trim(), cells[2]);
});
