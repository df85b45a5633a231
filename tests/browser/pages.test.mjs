// SPDX-License-Identifier: ISC
// Every respondent page at phone and tablet sizes: a screenshot for review
// under tests/out/screenshots/, and axe-core with no serious or critical
// violation. axe is evaluated through the DevTools protocol (see
// lib/browser.mjs), so the pages keep their real Content-Security-Policy.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, issueTokens, addKiosk } from './lib/server.mjs';
import { launch, newPage, screen, screenshot, axe, VIEWPORTS } from './lib/browser.mjs';
import { answerAllEit, tapAnswer } from './lib/eit.mjs';

let srv;
let browser;
let iit;
let eit;
let pub;
let tokens;
let key;

before(async () => {
	srv = await startServer();
	browser = await launch();
	iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT pages' });
	eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT pages' });
	pub = await openRound(srv, 'ita-2563-eit', { title: 'EIT public pages', pub: true });
	tokens = await issueTokens(srv, iit, Object.keys(VIEWPORTS).length);
	key = await addKiosk(srv, eit, 'Counter 1');
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// check(page, name): screenshot NAME, and record axe's serious/critical findings.
async function check(found, page, name, opts) {
	await screenshot(page, name, opts);
	for (const v of await axe(page))
		found.push(`${name}: ${v}`);
}

Object.entries(VIEWPORTS).forEach(([vp, viewport], n) => {
	test(`pages at ${vp} size (${viewport.width}x${viewport.height})`, { timeout: 240000 }, async () => {
		const found = [];
		const { context, page } = await newPage(browser, { viewport });
		try {
			await page.goto(`${srv.url}/`);
			await check(found, page, `home-${vp}`);

			// Staff: entry, questionnaire, review, thank you.
			await page.goto(`${srv.url}/respond/?round=${iit}#code=${tokens[n]}`);
			await screen(page, 'screen-entry');
			await page.locator('#entry-form-title').waitFor();
			await check(found, page, `respond-entry-${vp}`, { fullPage: true });
			await page.click('#start-btn');
			await screen(page, 'screen-form');
			await page.click('label[for="a-i1a-3"]');
			await page.evaluate(() => window.scrollTo(0, 0));
			await check(found, page, `respond-questionnaire-${vp}`);
			await page.click('#review-btn');
			await check(found, page, `respond-questionnaire-missing-${vp}`);
			const sets = await page.$$eval('#questions fieldset.q', (fs) =>
			    fs.map((f) => [f.dataset.code, f.querySelector('input').value]));
			for (const [code, value] of sets)
				await page.click(`label[for="a-${code}-${value}"]`);
			await page.click('#lang-toggle');
			await page.evaluate(() => window.scrollTo(0, 0));
			await check(found, page, `respond-questionnaire-en-${vp}`);
			await page.click('#lang-toggle');
			await page.click('#review-btn');
			await screen(page, 'screen-review');
			await check(found, page, `respond-review-${vp}`);
			await page.click('#submit-btn');
			await screen(page, 'screen-done');
			await check(found, page, `respond-thankyou-${vp}`);

			// Kiosk: pairing, start, a question, send, thank you.
			await page.goto(`${srv.url}/kiosk/?thanks=600`);
			await screen(page, 'screen-pair');
			await check(found, page, `kiosk-pair-${vp}`);
			await page.fill('#pair-key', key);
			await page.click('#pair-btn');
			await screen(page, 'screen-start');
			await check(found, page, `kiosk-start-${vp}`);
			await page.click('#start-btn');
			await screen(page, 'screen-question');
			await tapAnswer(page, 1);
			await check(found, page, `kiosk-question-${vp}`);
			await page.click('#lang-small');
			await check(found, page, `kiosk-question-en-${vp}`);
			await page.click('#lang-small');
			await page.click('#back-btn');
			await page.click('#back-btn');
			await screen(page, 'screen-start');
			await answerAllEit(page);
			await check(found, page, `kiosk-send-${vp}`);
			await page.click('#send-btn');
			await screen(page, 'screen-thanks');
			await check(found, page, `kiosk-thankyou-${vp}`);
			await page.click('#staff-btn');
			await check(found, page, `kiosk-staff-${vp}`);
			await page.click('#staff-close');

			// Public EIT.
			await page.goto(`${srv.url}/eit/`);
			await screen(page, 'screen-round');
			await check(found, page, `eit-round-${vp}`);
			await page.goto(`${srv.url}/eit/?round=${pub}`);
			await screen(page, 'screen-start');
			await check(found, page, `eit-start-${vp}`);
			await page.click('#start-btn');
			await screen(page, 'screen-question');
			await check(found, page, `eit-question-${vp}`);
			await page.click('#back-btn');
			await answerAllEit(page);
			await page.click('#send-btn');
			await screen(page, 'screen-thanks');
			await check(found, page, `eit-thankyou-${vp}`);

			assert.deepEqual(found, [], 'axe: serious or critical violations');
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
});
