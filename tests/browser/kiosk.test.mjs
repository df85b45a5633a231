// SPDX-License-Identifier: ISC
// The EIT kiosk (/kiosk/): pairing, a full questionnaire, the resets, and
// the offline outbox, against a real ita-survey daemon.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, addKiosk, respondents } from './lib/server.mjs';
import { launch, newPage, screen, screenshot, VIEWPORTS } from './lib/browser.mjs';
import { answerAllEit, completeEit, tapAnswer, currentCode } from './lib/eit.mjs';

let srv;
let browser;
let round;
let key;

before(async () => {
	srv = await startServer();
	browser = await launch();
	round = await openRound(srv, 'ita-2563-eit', { title: 'EIT kiosk test' });
	key = await addKiosk(srv, round, 'Counter 1');
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

const pending = (page) => page.getAttribute('#queue-count', 'data-pending');

async function waitPending(page, n, timeout = 30000) {
	await page.waitForFunction((want) =>
	    document.getElementById('queue-count').dataset.pending === want, String(n), { timeout });
}

test('a kiosk pairs, completes the EIT, and the screen resets', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.tablet });
	try {
		await page.goto(`${srv.url}/kiosk/#key=${key}`);
		await screen(page, 'screen-start');
		assert.equal(new URL(page.url()).hash, '', 'the key left the address bar');
		assert.equal(await page.textContent('#kiosk-name'), 'Counter 1');
		const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('ita-kiosk-pair')));
		assert.equal(stored.key, key);
		assert.equal(String(stored.round), round);
		assert.equal(stored.name, 'Counter 1');

		// Back and forth: the back button keeps the answer of the question.
		await page.click('#start-btn');
		await screen(page, 'screen-question');
		assert.match(await page.textContent('#k-progress-label'), /ข้อ 1 จาก 19/);
		const first = await currentCode(page);
		await tapAnswer(page, 2);
		assert.match(await page.textContent('#k-progress-label'), /ข้อ 2 จาก 19/);
		await page.click('#back-btn');
		assert.equal(await currentCode(page), first);
		assert.ok(await page.locator('#screen-question input:checked').count() === 1);
		assert.equal(await page.locator('#screen-question input:checked').getAttribute('value'), '3');
		// Next without an answer is refused kindly.
		await page.click('#next-btn');
		await page.click('#next-btn');
		assert.match(await page.textContent('#need-msg'), /กรุณาเลือกคำตอบ/);
		await page.click('#back-btn');
		await page.click('#back-btn');
		await screen(page, 'screen-start');

		const n = await answerAllEit(page, (i) => i + 1);
		assert.equal(n, 19);
		await page.click('#send-btn');
		await screen(page, 'screen-thanks');
		assert.match(await page.textContent('#screen-thanks'), /ขอบคุณ/);
		// The thank-you screen goes back to the start by itself.
		await screen(page, 'screen-start', 10000);
		await page.click('#start-btn');
		await screen(page, 'screen-question');
		assert.equal(await page.locator('#screen-question input:checked').count(), 0);

		await waitPending(page, 0);
		assert.equal(await respondents(srv, round), 1);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('the idle timeout clears a half-filled questionnaire', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.tablet });
	try {
		const before = await respondents(srv, round);
		await page.goto(`${srv.url}/kiosk/?idle=3#key=${key}`);
		await screen(page, 'screen-start');
		await page.click('#start-btn');
		await screen(page, 'screen-question');
		await tapAnswer(page, 3);
		await tapAnswer(page, 3);
		assert.match(await page.textContent('#k-progress-label'), /ข้อ 3 จาก 19/);
		// Shorter than 15 s: the countdown shows the whole time.
		await page.locator('#idle-banner').waitFor({ state: 'visible', timeout: 3000 });
		assert.match(await page.textContent('#idle-banner'), /คำตอบจะถูกล้างใน \d+ วินาที/);
		await screenshot(page, 'kiosk-idle-warning-tablet');
		await screen(page, 'screen-start', 8000);
		assert.ok(await page.locator('#idle-banner').isHidden());

		// The next person sees none of it.
		await page.click('#start-btn');
		await screen(page, 'screen-question');
		assert.match(await page.textContent('#k-progress-label'), /ข้อ 1 จาก 19/);
		assert.equal(await page.locator('#screen-question input:checked').count(), 0);
		await tapAnswer(page, 0);
		assert.equal(await page.locator('#screen-question input:checked').count(), 0);
		assert.equal(await respondents(srv, round), before);
	} finally {
		await context.close();
	}
});

test('offline: three responses wait in the outbox, survive a reload, and are sent once', { timeout: 240000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS['tablet-portrait'] });
	try {
		const before = await respondents(srv, round);
		await page.goto(`${srv.url}/kiosk/?idle=600#key=${key}`);
		await screen(page, 'screen-start');
		// The service worker keeps the page for an offline reload.
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10000 });

		await context.setOffline(true);
		for (let k = 0; k < 3; k++) {
			await completeEit(page, (i) => i + k);
			await page.click('#thanks-done');
			await screen(page, 'screen-start');
		}
		await waitPending(page, 3);
		assert.match(await page.textContent('#queue-count'), /3/);
		await screenshot(page, 'kiosk-offline-queue-tablet-portrait');
		const ids = await page.evaluate(() => new Promise((resolve, reject) => {
			const req = indexedDB.open('ita-kiosk');
			req.onsuccess = () => {
				const g = req.result.transaction('outbox').objectStore('outbox').getAllKeys();
				g.onsuccess = () => resolve(g.result);
				g.onerror = () => reject(g.error);
			};
			req.onerror = () => reject(req.error);
		}));
		assert.equal(new Set(ids).size, 3);

		// Reload while offline: the page comes from the service worker, the
		// form from localStorage, the answers from IndexedDB.
		const reloaded = await page.reload();
		assert.ok(reloaded && reloaded.fromServiceWorker(), 'the page came from the service worker');
		await screen(page, 'screen-start');
		await waitPending(page, 3);
		assert.equal(await respondents(srv, round), before);

		await context.setOffline(false);
		await waitPending(page, 0, 90000);
		assert.equal(await respondents(srv, round), before + 3);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('a refused response is kept and marked failed, and can be sent again', { timeout: 180000 }, async () => {
	const r2 = await openRound(srv, 'ita-2563-eit', { title: 'EIT closing' });
	const k2 = await addKiosk(srv, r2, 'Counter 2');
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.tablet });
	try {
		await page.goto(`${srv.url}/kiosk/?idle=600#key=${k2}`);
		await screen(page, 'screen-start');
		await context.setOffline(true);
		await completeEit(page);
		await page.click('#thanks-done');
		await waitPending(page, 1);
		await srv.cli(['round', 'close', r2]);
		await context.setOffline(false);
		await page.waitForFunction(() => document.getElementById('queue-count').dataset.failed === '1',
		    null, { timeout: 90000 });
		assert.equal(await pending(page), '0');
		assert.match(await page.textContent('#queue-count'), /ส่งไม่สำเร็จ 1/);

		await srv.cli(['round', 'open', r2]);
		await page.click('#staff-btn');
		assert.match(await page.textContent('#staff-failed'), /round_closed/);
		await page.click('#staff-retry');
		await page.waitForFunction(() => document.getElementById('queue-count').dataset.failed === '0'
		    && document.getElementById('queue-count').dataset.pending === '0', null, { timeout: 30000 });
		await page.click('#staff-close');
		assert.equal(await respondents(srv, r2), 1);
	} finally {
		await context.close();
	}
});

test('pairing: a wrong key is refused, the form pairs, staff can unpair', { timeout: 60000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: VIEWPORTS.tablet });
	try {
		await page.goto(`${srv.url}/kiosk/#key=not-a-real-key`);
		await screen(page, 'screen-pair');
		await page.locator('#pair-msg', { hasText: 'ไม่ถูกต้อง' }).waitFor();
		assert.equal(await page.evaluate(() => localStorage.getItem('ita-kiosk-pair')), null);

		await page.fill('#pair-key', key);
		await page.click('#pair-btn');
		await screen(page, 'screen-start');
		assert.equal(await page.textContent('#kiosk-name'), 'Counter 1');

		await page.click('#staff-btn');
		assert.match(await page.textContent('#staff-kiosk'), /Counter 1/);
		await page.click('#staff-unpair');
		assert.ok(await page.locator('#unpair-confirm').isVisible());
		await page.click('#unpair-no');
		assert.ok(await page.locator('#unpair-confirm').isHidden());
		await page.click('#staff-unpair');
		await page.click('#unpair-yes');
		await screen(page, 'screen-pair');
		assert.equal(await page.evaluate(() => localStorage.getItem('ita-kiosk-pair')), null);
		await page.reload();
		await screen(page, 'screen-pair');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
