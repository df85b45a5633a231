// SPDX-License-Identifier: ISC
// Tidying codes and rounds in the console (issue 12), at 1280 px and at
// 390 px: a code voided on the round page is refused by the respondent
// page as a used one; slip codes that are not of the round are named and
// nothing is voided; "void all unused" asks first; replacements are
// issued from the note that slips cannot be reprinted; a round is renamed
// and its population corrected; an archived round is gone from the rounds
// list (back with "show archived") and from the ITA overview's choices;
// an empty round is deleted after a confirmation naming it.  axe-core
// finds no serious or critical violation on the changed pages, with the
// dialogs open too, and nothing scrolls sideways at 390 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, issueTokens } from './lib/server.mjs';
import { launch, newPage, screenshot, axe, screen } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready } from './lib/admin.mjs';

const SIZES = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];

let srv;
let browser;
let sess;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
	sess = await apiLogin(srv.url, 'alice');
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name) {
	const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(sw <= w, `${name}: the page is ${sw} px wide in a ${w} px window`);
}

// A closed round made with the command line; its id as a string.
async function closedRound(form, title) {
	const id = (await srv.cli(['round', 'create', '--form', form, '--title', title])).trim();
	assert.match(id, /^[1-9][0-9]*$/);
	return id;
}

const check = (round, token) => apiCall(srv.url, null, 'POST', `/api/v1/rounds/${round}/tokens/check`, { token });

for (const [size, viewport] of SIZES) {
	test(`codes: void, unknown codes, void all unused, replacements (${size})`, { timeout: 180000 }, async () => {
		const round = await openRound(srv, 'ita-2563-iit', { title: `IIT ยกเลิกรหัส ${size}`, population: 40 });
		const codes = await issueTokens(srv, round, 5);
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${round}`);
			await ready(page);
			assert.ok(await page.isVisible('#tidy-codes'));
			assert.match(await page.textContent('#tidy-reprint'), /พิมพ์ใบรหัสซ้ำไม่ได้/);
			await noAxe(page, `round page (${size})`);
			await noSideScroll(page, 'round page');

			// Void one code as typed from a slip.
			await page.fill('#tidy-void-codes', codes[0].toLowerCase().replaceAll('-', ' '));
			await page.click('#tidy-void-btn');
			await page.locator('#tidy-void-msg.ok').waitFor();
			assert.match(await page.textContent('#tidy-void-msg'), /1 รหัส/);
			assert.equal(await page.inputValue('#tidy-void-codes'), '');

			// ...and the respondent page refuses it as a used code.
			const { context: rc, page: rp } = await newPage(browser, { viewport });
			try {
				await rp.goto(`${srv.url}/respond/?round=${round}#code=${codes[0]}`);
				await screen(rp, 'screen-entry');
				await rp.click('#start-btn');
				await rp.locator('#entry-msg p').waitFor();
				assert.match(await rp.textContent('#entry-msg'), /รหัสนี้ถูกใช้ตอบแบบสอบถามไปแล้ว/);
				assert.ok(await rp.locator('#screen-form').isHidden());
				await screenshot(rp, `tidy-voided-code-refused-${size}`);
				assert.deepEqual(rp.problems, []);
			} finally {
				await rc.close();
			}

			// Lines that are not codes of the round: named, nothing voided.
			await page.fill('#tidy-void-codes', `${codes[1]}\nNOPE-NOPE`);
			await page.click('#tidy-void-btn');
			await page.locator('#tidy-unknown li').first().waitFor();
			assert.deepEqual(await page.locator('#tidy-unknown li').allTextContents(), ['NOPE-NOPE']);
			assert.equal(await page.getAttribute('#tidy-void-codes', 'aria-invalid'), 'true');
			assert.equal((await check(round, codes[1])).status, 200, 'nothing was voided');
			await noAxe(page, `unknown codes (${size})`);

			// Replacements: issued by the page's own issue form, shown once.
			await page.fill('#tidy-replace-count', '2');
			await page.click('#tidy-replace-btn');
			await page.waitForSelector('#once-panel');
			await page.locator('#tidy-replace-go').waitFor();
			assert.match(await page.textContent('#once-title'), /2/);
			await page.waitForSelector('#slips-btn:not([disabled])', { timeout: 30000 });
			await page.click('#tidy-replace-go');
			assert.equal(await page.evaluate(() => document.activeElement.id), 'tidy-void-codes');

			// Void all unused: a dialog first; cancel changes nothing.
			await page.click('#tidy-void-all');
			await page.locator('#tidy-dialog').waitFor();
			assert.match(await page.textContent('#tidy-dialog-title'), new RegExp(`IIT ยกเลิกรหัส ${size}`));
			assert.equal(await page.evaluate(() => document.activeElement.id), 'tidy-dialog-cancel');
			await noAxe(page, `void all dialog (${size})`);
			await screenshot(page, `tidy-void-all-dialog-${size}`);
			await page.click('#tidy-dialog-cancel');
			await page.locator('#tidy-dialog').waitFor({ state: 'detached' });
			assert.equal((await check(round, codes[1])).status, 200, 'cancelled: still usable');
			await page.click('#tidy-void-all');
			await page.click('#tidy-dialog-ok');
			await page.locator('#tidy-void-msg.ok').waitFor();
			assert.ok(!/[0-9]/.test(await page.textContent('#tidy-void-msg')), 'no count is shown');
			for (const c of codes.slice(1))
				assert.equal((await check(round, c)).status, 409, 'every unused code is refused');
			await screenshot(page, `tidy-codes-${size}`, { fullPage: true });
			await noSideScroll(page, 'round page after voiding');
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test(`rounds: rename, population, archive, delete; lists and the ITA overview (${size})`, { timeout: 180000 },
	    async () => {
		const keep = await closedRound('ita-2563-iit', `IIT ที่ยังแสดง ${size}`);
		const arch = await closedRound('ita-2563-iit', `IIT ทดลอง ${size}`);
		const gone = await closedRound('ita-2563-iit', `รอบสร้างผิด ${size}`);
		await issueTokens(srv, gone, 3);
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${arch}`);
			await ready(page);
			assert.ok(await page.isVisible('#tidy'));
			assert.equal(await page.inputValue('#tidy-name'), `IIT ทดลอง ${size}`);

			// Rename: the heading follows.
			await page.fill('#tidy-name', `IIT ทดลอง (เปลี่ยนชื่อ) ${size}`);
			await page.click('#tidy-rename-btn');
			await page.locator('#tidy-msg.ok').waitFor();
			assert.equal(await page.textContent('#r-title'), `IIT ทดลอง (เปลี่ยนชื่อ) ${size}`);
			// Population: the minimum sample is said.
			await page.fill('#tidy-pop', '60');
			await page.click('#tidy-pop-btn');
			await page.locator('#tidy-msg.ok', { hasText: 'ขนาดตัวอย่างขั้นต่ำ' }).waitFor();
			const r = await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${arch}`);
			assert.equal(r.json.population, 60);
			assert.equal(r.json.title, `IIT ทดลอง (เปลี่ยนชื่อ) ${size}`);
			await page.fill('#tidy-pop', '-3');
			await page.click('#tidy-pop-btn');
			assert.equal(await page.getAttribute('#tidy-pop', 'aria-invalid'), 'true');

			// Archive: hidden from the list and the ITA overview.
			await page.click('#tidy-archive-btn');
			await page.locator('#tidy-unarchive-btn').waitFor();
			assert.ok(await page.isVisible('#tidy-archived'), 'the page says it is archived');
			await noAxe(page, `archived round page (${size})`);
			await noSideScroll(page, 'archived round page');

			await page.goto(`${srv.url}/admin/`);
			await ready(page);
			assert.equal(await page.locator(`#rounds-body tr[data-round="${arch}"]`).count(), 0, 'gone from the list');
			assert.equal(await page.locator(`#rounds-body tr[data-round="${keep}"]`).count(), 1);
			await page.check('#tidy-show-archived');
			await page.locator(`#rounds-body tr[data-round="${arch}"]`).waitFor();
			assert.match(await page.textContent(`#rounds-body tr[data-round="${arch}"]`), /ในคลัง/);
			assert.match(page.url(), /archived=1/);
			await noAxe(page, `rounds list with archived (${size})`);
			// The list page's own width at 390 px is the phone-layout work's
			// (issue 12: the create form's form picker); the toggle fits.
			const right = await page.locator('label.tidy-show').evaluate((e) => e.getBoundingClientRect().right);
			assert.ok(right <= viewport.width, `the archived toggle ends at ${right} px`);
			await page.uncheck('#tidy-show-archived');
			await page.locator(`#rounds-body tr[data-round="${arch}"]`).waitFor({ state: 'detached' });

			await page.goto(`${srv.url}/admin/ita.html`);
			await ready(page);
			const choices = await page.locator('#ita-iit option').evaluateAll((os) => os.map((o) => o.value));
			assert.ok(choices.includes(keep), 'other IIT rounds are offered');
			assert.ok(!choices.includes(arch), 'the archived round is not');
			await noAxe(page, `ITA overview (${size})`);

			// Still readable and exportable by id.
			const ex = await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${arch}/export?what=scores&format=csv`);
			assert.equal(ex.status, 200);

			// Delete an empty round after a confirmation naming it.
			await page.goto(`${srv.url}/admin/round.html?id=${gone}`);
			await ready(page);
			await page.click('#tidy-delete-btn');
			await page.locator('#tidy-dialog').waitFor();
			assert.match(await page.textContent('#tidy-dialog-title'), new RegExp(`รอบสร้างผิด ${size}`));
			assert.match(await page.textContent('#tidy-dialog-body'), /3/);
			await noAxe(page, `delete dialog (${size})`);
			await noSideScroll(page, 'delete dialog');
			await screenshot(page, `tidy-delete-dialog-${size}`);
			await Promise.all([page.waitForURL(/\/admin\/\?deleted=1$/), page.click('#tidy-dialog-ok')]);
			await ready(page);
			await page.locator('#tidy-list-msg.ok').waitFor();
			assert.equal(await page.locator(`#rounds-body tr[data-round="${gone}"]`).count(), 0);
			assert.equal((await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${gone}`)).status, 404);
			await noAxe(page, `rounds list after a deletion (${size})`);

			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

test('an open round: archive waits until it is closed, delete is never offered; a viewer sees no tidy controls', { timeout: 120000 },
    async () => {
	const round = await openRound(srv, 'ita-2563-iit', { title: 'IIT เปิดอยู่' });
	await addAdmin(srv, 'victor', { role: 'viewer' });
	const { context, page } = await newPage(browser, { viewport: SIZES[1][1] });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/round.html?id=${round}`);
		await ready(page);
		assert.equal(await page.isDisabled('#tidy-archive-btn'), true);
		assert.equal(await page.locator('#tidy-delete-btn').count(), 0, 'a round once open is never deleted');
		assert.match(await page.textContent('#tidy-delete-why'), /เคยเปิดรับคำตอบ/);
		await page.click('#lang-toggle');
		assert.match(await page.textContent('#tidy-delete-why'), /was open for responses/);
		assert.match(await page.textContent('#tidy-title'), /Manage this round/);
		await noAxe(page, 'open round, English');
		await page.click('#lang-toggle');
	} finally {
		await context.close();
	}
	const v = await newPage(browser, { viewport: SIZES[0][1] });
	try {
		await loginPage(v.page, srv.url, 'victor');
		await v.page.goto(`${srv.url}/admin/round.html?id=${round}`);
		await ready(v.page);
		for (const sel of ['#tidy', '#tidy-codes', '#nav-tidy'])
			assert.equal(await v.page.isVisible(sel), false, `${sel} hidden for a viewer`);
	} finally {
		await v.context.close();
	}
});
