// The city's own classification rules and PKS mapping as settings: loaded from TOML files on
// "Daten laden", checked by the worker, used by every report (named in the Qualität page's
// rules), remembered after a reload (settings, never data), refused in German when broken.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertCleanSession, openApp, waitForApp } from './harness.mjs';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'crates', 'core', 'data');
const toml = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });

async function rules(page) {
  await page.getByTestId('nav-qualitaet').click();
  return (await page.getByTestId('rules').locator('li').allTextContents()).join('\n');
}

async function until(page, check, what) {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`nicht eingetreten: ${what}`);
}

test('Klassifikationsregeln und PKS-Zuordnung der Stadt: laden, verwenden, merken, Fehler melden', async (t) => {
  const session = await openApp();
  t.after(() => session.close());
  await waitForApp(session);
  const { page } = session;

  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  assert.match(await page.getByTestId('pks-in-force').textContent(), /BEISPIEL/);
  assert.match(await page.getByTestId('rules-in-force').textContent(), /mitgelieferte Regeln/);
  let text = await rules(page);
  assert.match(text, /Beispielzuordnung/);
  assert.match(text, /§ 104c AufenthG: eigene Unterkategorie/);

  // The city's PKS list (here the same codes in the city's own file) replaces the example.
  await page.getByTestId('nav-load').click();
  await page.getByTestId('pks-file').setInputFiles(toml('pks_stadt.toml', fs.readFileSync(path.join(DATA, 'pks_example.toml'), 'utf8')));
  await page.getByText('Klassifikation übernommen').waitFor();
  assert.match(await page.getByTestId('pks-in-force').textContent(), /eigene Datei „pks_stadt\.toml“/);
  await until(page, async () => /PKS-Zuordnung: von der Stadt geladen/.test(await rules(page)), 'PKS der Stadt im Bericht');

  // Own rules: § 104c counts as "kein Flüchtling".
  const own = fs.readFileSync(path.join(DATA, 'rules.toml'), 'utf8').replace('section_104c_refugee = true', 'section_104c_refugee = false');
  assert.match(own, /section_104c_refugee = false/);
  await page.getByTestId('nav-load').click();
  await page.getByTestId('rules-file').setInputFiles(toml('regeln_stadt.toml', own));
  await page.getByText('Klassifikation übernommen').waitFor();
  await until(page, async () => /§ 104c AufenthG: kein Flüchtling/.test(await rules(page)), 'eigene Regeln im Bericht');

  // A broken file is refused with a German reason; what was in force stays.
  await page.getByTestId('nav-load').click();
  await page.getByTestId('rules-file').setInputFiles(toml('kaputt.toml', '[[rule]\nparagraph = '));
  const notice = page.getByTestId('notice');
  await notice.getByText('Die Klassifikationsregeln lassen sich nicht verwenden').waitFor();
  assert.match(await notice.textContent(), /Es gelten weiter die bisherigen Regeln/);
  assert.match(await page.getByTestId('rules-in-force').textContent(), /regeln_stadt\.toml/);

  // Remembered as settings: after a reload the new worker uses them for new data.
  // With data loaded the browser asks before leaving (session.test.mjs): leave.
  page.once('dialog', (d) => d.accept());
  await page.reload();
  await waitForApp(session);
  assert.match(await page.getByTestId('rules-in-force').textContent(), /regeln_stadt\.toml/);
  await page.getByTestId('demo-data').click();
  await page.getByTestId('reports-ready').waitFor({ timeout: 180_000 });
  text = await rules(page);
  assert.match(text, /§ 104c AufenthG: kein Flüchtling/);
  assert.match(text, /PKS-Zuordnung: von der Stadt geladen/);
  const stored = await page.evaluate(() => localStorage.getItem('lagebild.einstellungen'));
  assert.match(stored, /section_104c_refugee = false/);

  // Back to the shipped ones.
  await page.getByTestId('nav-load').click();
  await page.getByTestId('rules-reset').click();
  await page.getByText('Klassifikation übernommen').waitFor();
  assert.match(await page.getByTestId('rules-in-force').textContent(), /mitgelieferte Regeln/);
  await until(page, async () => /§ 104c AufenthG: eigene Unterkategorie/.test(await rules(page)), 'mitgelieferte Regeln im Bericht');

  // A threshold of 2 is refused with the command line's sentence (issue 17: the worker used to
  // turn it into 3 silently); the threshold in force stays 3.
  await page.getByTestId('nav-load').click();
  const threshold = page.getByTestId('threshold');
  await threshold.fill('2');
  await threshold.dispatchEvent('change');
  const refusal = page.getByTestId('threshold-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /Die Geheimhaltungsschwelle muss mindestens 3 sein \(angegeben: 2\)/);
  assert.equal(await threshold.inputValue(), '3');
  const kept = JSON.parse(await page.evaluate(() => localStorage.getItem('lagebild.einstellungen')));
  assert.equal(kept.threshold, 3);
  await threshold.fill('4');
  await threshold.dispatchEvent('change');
  await until(page, async () => (await refusal.count()) === 0, 'Meldung verschwindet bei gültiger Schwelle');
  await until(page, async () => JSON.parse(await page.evaluate(() => localStorage.getItem('lagebild.einstellungen'))).threshold === 4, 'Schwelle 4 gemerkt');

  assertCleanSession(session);
});
