// SPDX-License-Identifier: ISC
// The admin console's kiosks (register with a pairing QR, rename, revoke:
// a revoked kiosk's submissions get 403) and the viewer role, which sees
// every page but no control that changes anything.  Screenshots under
// tests/out/screenshots/, axe-core on each page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, openRound } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, submitAnswers, decodeQr } from './lib/admin.mjs';

const DESKTOP = { width: 1280, height: 900 };

let srv;
let browser;
let eit;
let iit;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT จุดบริการ', pub: true });
	iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT ภายใน' });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

const pick = (q) => q.options[q.options.length - 1];

test('an admin registers, renames and revokes a kiosk', { timeout: 180000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: DESKTOP });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/round.html?id=${eit}`);
		await ready(page);
		assert.equal(await page.isVisible('#kiosks'), true);
		assert.equal(await page.isVisible('#codes'), false, 'no access codes for an external round');
		await page.waitForSelector('#public-link .qr svg');
		assert.equal(await page.textContent('#public-url'), `${srv.url}/eit/?round=${eit}`);

		// Register: the key and its pairing QR are shown once.
		await page.fill('#kiosk-name', 'เคาน์เตอร์ 1');
		await page.click('#kiosk-add');
		await page.waitForSelector('#key-once .qr svg');
		const key = await page.textContent('#kiosk-key');
		assert.equal(await page.textContent('#pair-link'), `${srv.url}/kiosk/#key=${key}`);
		await page.waitForSelector('#kiosk-body tr[data-kiosk]');
		await noAxe(page, 'kiosk key');
		await page.evaluate(() => window.scrollTo(0, 0));
		await screenshot(page, 'admin-kiosk-key', { fullPage: true });
		const png = path.join(srv.dir, 'pair-qr.png');
		await page.locator('#key-once .qr').screenshot({ path: png });
		const read = await decodeQr(png);
		if (read !== null)
			assert.deepEqual(read, [`${srv.url}/kiosk/#key=${key}`], 'the pairing QR code reads back');
		await page.click('#key-hide');
		assert.equal(await page.locator('#key-once').count(), 0, 'the key is gone');

		// The tablet pairs (its last contact) and answers five times; the
		// list shows its responses in steps of min_cell (5), so two show
		// as none and five as five.
		const pair = await fetch(`${srv.url}/api/v1/kiosk`, { headers: { authorization: `Kiosk ${key}` } });
		assert.equal(pair.status, 200);
		assert.deepEqual(await submitAnswers(srv.url, eit, { kiosk: key, count: 2 }, pick), [201, 201]);
		await page.click('#refresh');
		const row = page.locator('#kiosk-body tr[data-kiosk]').first();
		await page.waitForFunction(() => document.querySelector('#kiosk-body tr[data-kiosk] td.num')?.textContent === '0');
		assert.deepEqual(await submitAnswers(srv.url, eit, { kiosk: key, count: 3 }, pick), [201, 201, 201]);
		await page.click('#refresh');
		await page.waitForFunction(() => document.querySelector('#kiosk-body tr[data-kiosk] td.num')?.textContent === '5');
		assert.notEqual((await row.locator('td').nth(3).textContent()).trim(), 'ยังไม่เคย');

		// Rename.
		await row.locator('button[data-act="rename"]').click();
		await row.locator('input').fill('เคาน์เตอร์ 2 ชั้นล่าง');
		await row.locator('button[type="submit"]').click();
		await page.waitForFunction(() => document.querySelector('#kiosk-body tr[data-kiosk] td')?.textContent ===
		    'เคาน์เตอร์ 2 ชั้นล่าง');

		// Revoke: its submissions now get 403.
		await page.locator('#kiosk-body tr[data-kiosk] button[data-act="revoke"]').click();
		await page.locator('#kiosk-body tr[data-kiosk] button[data-act="revoke-yes"]').click();
		await page.waitForSelector('#kiosk-body .badge.revoked');
		assert.deepEqual(await submitAnswers(srv.url, eit, { kiosk: key, count: 1 }, pick), [403]);
		await noAxe(page, 'kiosks');
		await page.locator('#kiosks').scrollIntoViewIfNeeded();
		await screenshot(page, 'admin-kiosks');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('a viewer sees the console without change controls', { timeout: 180000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: DESKTOP });
	try {
		await loginPage(page, srv.url, 'victor');
		assert.equal(await page.textContent('#role-tag'), 'ผู้อ่าน');
		assert.equal(await page.isVisible('#create-card'), false);
		assert.equal(await page.locator('#rounds-body tr[data-round]').count(), 2);
		assert.equal(await page.locator('button[data-action]').count(), 0, 'no open/close buttons');
		assert.equal(await page.locator('a[href="/admin/audit.html"]').count(), 0);
		await noAxe(page, 'viewer rounds');
		await screenshot(page, 'admin-viewer-rounds');

		await page.goto(`${srv.url}/admin/round.html?id=${eit}`);
		await ready(page);
		for (const sel of ['#open-btn', '#close-btn', 'button[data-act]'])
			assert.equal(await page.locator(sel).count(), 0, `no ${sel}`);
		assert.equal(await page.isVisible('#kiosk-form'), false);
		await noAxe(page, 'viewer kiosks');

		await page.goto(`${srv.url}/admin/round.html?id=${iit}`);
		await ready(page);
		assert.equal(await page.isVisible('#issue-form'), false);
		assert.equal(await page.locator('#export-scores-xlsx').count(), 1, 'a viewer may export');
		await noAxe(page, 'viewer codes');
		await screenshot(page, 'admin-viewer-round');

		// The server refuses anyway.
		const status = await page.evaluate(async (id) => (await fetch(`/api/v1/admin/rounds/${id}/close`, {
			method: 'POST', headers: { 'X-CSRF-Token': sessionStorage.getItem('ita-admin-csrf') },
		})).status, iit);
		assert.equal(status, 403);

		await page.goto(`${srv.url}/admin/audit.html`);
		await ready(page);
		assert.match(await page.textContent('main'), /เฉพาะผู้ดูแล/);
		await noAxe(page, 'viewer audit');
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

test('the login page explains a wrong password and a lock-out', { timeout: 120000 }, async () => {
	await addAdmin(srv, 'mallory');
	const { context, page } = await newPage(browser, { viewport: { width: 390, height: 800 } });
	try {
		await page.goto(`${srv.url}/admin/login.html`);
		await page.fill('#username', 'mallory');
		await page.fill('#password', 'not the password');
		await page.click('#login-btn');
		await page.waitForFunction(() => document.querySelector('#login-msg').textContent !== '');
		assert.match(await page.textContent('#login-msg'), /ไม่ถูกต้อง/);
		for (let i = 0; i < 4; i++) {
			await page.fill('#password', 'not the password');
			await page.click('#login-btn');
			await page.waitForFunction(() => !document.querySelector('#login-btn').disabled);
		}
		await page.fill('#password', 'not the password');
		await page.click('#login-btn');
		await page.waitForFunction(() => /ล็อก/.test(document.querySelector('#login-msg').textContent));
		await page.click('#lang-toggle');
		assert.match(await page.textContent('#login-msg'), /locked/);
		await noAxe(page, 'login locked');
		await screenshot(page, 'admin-login-locked');
	} finally {
		await context.close();
	}
});
