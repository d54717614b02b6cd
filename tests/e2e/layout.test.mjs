// Issue 20, point 6: every page is usable on a laptop (1366×768), a large screen (1920×1080)
// and at 200 % zoom (1366×768 at 200 % is a 683×384 CSS viewport): the page itself never
// scrolls sideways, and a wide table is never cut off (it lies in its own scrolling region or
// fits). With the demo city loaded, on every page.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCleanSession, openDemo } from './harness.mjs';

const SIZES = [
  ['1366×768', 1366, 768],
  ['1920×1080', 1920, 1080],
  ['200 % Zoom', 683, 384],
];

const PAGES = ['load', 'monatsreihe', 'raeumlich', 'bevoelkerung', 'schulen', 'leistungsbezug', 'qualitaet', 'kreuztabelle', 'download'];

/** What does not fit: sideways scrolling of the page, tables cut off outside a scrolling region. */
function problems() {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) found.push(`Seite ${root.scrollWidth} px breit bei ${window.innerWidth} px`);
  for (const table of document.querySelectorAll('main table')) {
    const region = table.closest('.table-scroll');
    const box = table.getBoundingClientRect();
    if (box.width === 0) continue;
    if (region) {
      const style = getComputedStyle(region);
      if (!['auto', 'scroll'].includes(style.overflowX)) found.push(`Tabelle „${table.caption?.textContent ?? ''}“: Bereich scrollt nicht`);
    } else if (box.right > window.innerWidth + 1) {
      found.push(`Tabelle „${table.caption?.textContent ?? ''}“ abgeschnitten (${Math.round(box.right)} px)`);
    }
  }
  return found;
}

test('jede Seite passt auf 1366×768, 1920×1080 und bei 200 % Zoom', async (t) => {
  const session = await openDemo(t);
  const { page } = session;

  const found = [];
  for (const [size, width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    for (const slug of PAGES) {
      await page.getByTestId(`nav-${slug}`).click();
      await page.getByTestId(`page-${slug}`).waitFor();
      for (const p of await page.evaluate(problems)) found.push(`${size}, ${slug}: ${p}`);
    }
  }
  assert.deepEqual(found, []);
  assertCleanSession(session);
});
