// SPDX-License-Identifier: ISC
// The public EIT page (/eit/?round=ID) for rounds created with --public.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, respondents } from './lib/server.mjs';
import { launch, newPage, screen, VIEWPORTS } from './lib/browser.mjs';
import { answerAllEit, completeEit } from './lib/eit.mjs';

let srv;
let browser;
let round;

before(async () => {
	srv = await startServer();
	browser = await launch();
	round = await openRound(srv, 'ita-2563-eit', { title: 'EIT public test', pub: true });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

test('anyone completes the public EIT, in English', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone });
	try {
		await page.goto(`${srv.url}/eit/?round=${round}`);
		await screen(page, 'screen-start');
		assert.match(await page.textContent('#start-title'), /EIT/);
		await page.click('button.k-lang[lang="en"]');
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		assert.match(await page.textContent('#start-title'), /External Integrity/);
		assert.match(await page.textContent('#start-btn'), /Start/);
		const n = await completeEit(page);
		assert.equal(n, 19);
		assert.match(await page.textContent('#screen-thanks'), /Thank you/);
		assert.match(await page.textContent('#screen-thanks'), /close this page/);
		assert.equal(await respondents(srv, round), 1);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('rate limited: a kind message, then it is sent by itself', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone });
	try {
		const before = await respondents(srv, round);
		await page.goto(`${srv.url}/eit/?round=${round}`);
		await screen(page, 'screen-start');
		await answerAllEit(page);
		let refused = 0;
		await page.route('**/responses', (r) => {
			refused++;
			return r.fulfill({
				status: 429,
				headers: { 'Retry-After': '2', 'Content-Type': 'application/json; charset=utf-8' },
				body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } }),
			});
		});
		await page.click('#send-btn');
		await page.locator('#send-msg', { hasText: 'โปรดรอประมาณ 2 วินาที' }).waitFor();
		await page.unroute('**/responses');
		await screen(page, 'screen-thanks', 10000);
		assert.equal(refused, 1);
		assert.equal(await respondents(srv, round), before + 1);
	} finally {
		await context.close();
	}
});

test('a round that is not public says so', { timeout: 120000 }, async () => {
	const priv = await openRound(srv, 'ita-2563-eit', { title: 'EIT kiosk only' });
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone });
	try {
		await page.goto(`${srv.url}/eit/?round=${priv}`);
		await screen(page, 'screen-start');
		await answerAllEit(page);
		await page.click('#send-btn');
		await page.locator('#send-msg', { hasText: 'ไม่ได้เปิดให้ตอบทางเว็บไซต์' }).waitFor();
		assert.equal(await respondents(srv, priv), 0);
	} finally {
		await context.close();
	}
});

test('without ?round= the page asks for it; an IIT round points to /respond/', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone });
	try {
		await page.goto(`${srv.url}/eit/`);
		await screen(page, 'screen-round');
		await page.fill('#round-input', round);
		await page.click('#round-form button[type=submit]');
		await screen(page, 'screen-start');
		assert.equal(new URL(page.url()).searchParams.get('round'), round);

		const iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT' });
		await page.goto(`${srv.url}/eit/?round=${iit}`);
		await page.locator('#loading-msg a[href^="/respond/"]').waitFor();
	} finally {
		await context.close();
	}
});
