// SPDX-License-Identifier: ISC
// The settings page (/admin/settings.html), at desktop size and on a
// 390 px phone: an admin finds it in the top bar and sets the agency's
// name, which the server then has; a name too long is refused before it
// is sent; a viewer sees the name read-only with no save button.  axe
// with no serious or critical violation, no horizontal scroll, no script
// error or CSP violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready } from './lib/admin.mjs';

const SIZES = {
	desktop: { width: 1280, height: 900 },
	phone: { width: 390, height: 844 },
};

let srv;
let browser;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(w[0] <= w[1], `${name}: the page is ${w[0]} px wide in a ${w[1]} px window`);
}

const serverAgency = async () => {
	const s = await apiLogin(srv.url, 'victor');
	return (await apiCall(srv.url, s, 'GET', '/api/v1/admin/settings')).json.settings.agency;
};

for (const [size, viewport] of Object.entries(SIZES)) {
	test(`an admin sets the agency name (${size})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			// Found in the top bar, from any page.
			await Promise.all([page.waitForURL(/\/admin\/settings\.html$/),
			    page.click('#top nav a[href="/admin/settings.html"]')]);
			await ready(page);
			assert.equal(await page.getAttribute('#top nav a[href="/admin/settings.html"]', 'aria-current'), 'page');
			assert.equal(await page.isVisible('#settings-save'), true);
			assert.equal(await page.isVisible('#settings-readonly'), false);
			assert.equal(await page.getAttribute('#s-agency', 'readonly'), null);
			await noAxe(page, `settings ${size}`);
			await noSideScroll(page, `settings ${size}`);

			// Too long: said on the page, nothing sent.
			const before = await serverAgency();
			await page.fill('#s-agency', 'ก'.repeat(67));
			await page.click('#settings-save');
			await page.waitForSelector('#s-agency[aria-invalid="true"]');
			assert.match(await page.textContent('#settings-msg'), /200/);
			assert.equal(await serverAgency(), before);
			await noAxe(page, `settings refused ${size}`);

			const name = `กองคลัง กรมตัวอย่าง (${size})`;
			await page.fill('#s-agency', `  ${name} `);
			await page.click('#settings-save');
			await page.waitForFunction(() => document.getElementById('settings-msg').textContent === 'บันทึกแล้ว');
			assert.equal(await page.getAttribute('#s-agency', 'aria-invalid'), null);
			assert.equal(await serverAgency(), name, 'saved, trimmed');
			await screenshot(page, `admin-settings-${size}`);
			await page.reload();
			await ready(page);
			assert.equal(await page.inputValue('#s-agency'), name, 'shown again after a reload');

			// In English, the same page.
			await page.click('#lang-toggle');
			assert.equal(await page.textContent('label[for="s-agency"]'), 'Agency name');
			// The pointer off the top bar: axe judges the page at rest,
			// not the language button under the pointer.
			await page.mouse.move(viewport.width / 2, viewport.height - 5);
			await noAxe(page, `settings en ${size}`);
			await noSideScroll(page, `settings en ${size}`);
			await page.click('#lang-toggle');
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test(`a viewer sees the agency name read-only (${size})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'victor');
			await page.goto(`${srv.url}/admin/settings.html`);
			await ready(page);
			assert.equal(await page.inputValue('#s-agency'), await serverAgency());
			assert.notEqual(await page.getAttribute('#s-agency', 'readonly'), null, 'read-only');
			assert.equal(await page.isVisible('#settings-save'), false, 'no save button');
			assert.equal(await page.isVisible('#settings-readonly'), true, 'says why');
			await page.press('#s-agency', 'End');
			await page.keyboard.type('x');
			await page.press('#s-agency', 'Enter');
			assert.notEqual(await page.inputValue('#s-agency'), '', 'still shown');
			assert.ok(!(await serverAgency()).endsWith('x'), 'nothing changed');
			await noAxe(page, `settings viewer ${size}`);
			await noSideScroll(page, `settings viewer ${size}`);
			await screenshot(page, `admin-settings-viewer-${size}`);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}
