// SPDX-License-Identifier: ISC
// Accounts in the console, at desktop (1280) and phone (390) widths: an
// administrator adds a colleague (a viewer), resets the colleague's
// password behind a confirmation and reads the temporary password once
// (copy button, "will not be shown again", gone once hidden); the
// colleague logs in with it and is held on the password page until they
// choose their own; the administrator disables the colleague, whose open
// session ends and who can no longer log in; the last administrator's
// demotion and disabling are refused with a message.  No horizontal
// scroll at 390 px; axe-core finds no serious or critical violation on
// the new pages (list, dialog, once box, password page, viewer's page).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launch, newPage, screenshot, axe } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, PASSWORD } from './lib/admin.mjs';

const WIDTHS = {
	desktop: { width: 1280, height: 900 },
	phone: { width: 390, height: 844 },
};

let srv;
let browser;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await addAdmin(srv, 'alice');
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

// The page is no wider than the window (no horizontal scroll).
async function fits(page, name) {
	const { scroll, client } = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
	assert.ok(scroll <= client, `${name}: the page is ${scroll} px wide in a ${client} px window`);
}

// Logs in through the login page and waits for where it leads.
async function loginTo(page, user, password, where) {
	await page.goto(`${srv.url}/admin/login.html`);
	await ready(page);
	await page.fill('#username', user);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL(where), page.click('#login-btn')]);
	await ready(page);
}

// The row of user in the accounts list.
const row = (page, user) => page.locator(`#acct-body tr[data-user="${user}"]`);

// Answers the confirmation dialog, after checking that it asks.
async function confirm(page, titleRe, yes = true) {
	await page.locator('#confirm[open]').waitFor();
	assert.match(await page.textContent('#confirm-title'), titleRe);
	await page.click(yes ? '#confirm-ok' : '#confirm-cancel');
	await page.locator('#confirm[open]').waitFor({ state: 'detached' });
}

async function msg(page, id, re) {
	await page.waitForFunction(([sel, src]) => new RegExp(src).test(document.getElementById(sel)?.textContent ?? ''),
	    [id, re.source]);
	return page.textContent(`#${id}`);
}

for (const [vp, viewport] of Object.entries(WIDTHS)) {
	test(`accounts in the console at ${vp} width (${viewport.width} px)`, { timeout: 240000 }, async () => {
		const user = `colleague.${vp}`;
		const chosen = `first password ${vp}`;
		const own = `my own password ${vp}`;
		const admin = await newPage(browser, { viewport });
		const colleague = await newPage(browser, { viewport });
		await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
		const a = admin.page;
		const c = colleague.page;
		try {
			// The administrator opens the accounts page from the navigation.
			await loginPage(a, srv.url, 'alice');
			await a.click('nav a[href="/admin/accounts.html"]');
			await a.waitForURL(`${srv.url}/admin/accounts.html`);
			await ready(a);
			await row(a, 'alice').waitFor();
			assert.match(await row(a, 'alice').textContent(), /บัญชีของท่าน/);
			await noAxe(a, `accounts ${vp}`);
			await fits(a, `accounts ${vp}`);

			// Adds a colleague as a viewer, with a password of her choice.
			await a.fill('#add-user', user);
			assert.equal(await a.inputValue('#add-role'), 'viewer', 'a new account is a viewer unless chosen');
			await a.check('#add-set');
			await a.fill('#add-pw', chosen);
			await a.click('#add-btn');
			assert.match(await msg(a, 'add-msg', new RegExp(`เพิ่มบัญชี ${user.replace('.', '\\.')} แล้ว`)), /แล้ว/);
			await row(a, user).waitFor();
			assert.equal(await row(a, user).locator('td[data-role]').getAttribute('data-role'), 'viewer');
			assert.equal(await a.locator('#acct-once').count(), 0, 'no temporary password for a chosen one');

			// Resets her password: a confirmation first (cancel does nothing).
			await row(a, user).locator('button[data-act="reset"]').click();
			await confirm(a, /ตั้งรหัสผ่านใหม่ให้/, false);
			assert.equal(await a.locator('#acct-once').count(), 0, 'cancelled');
			await row(a, user).locator('button[data-act="reset"]').click();
			await a.locator('#confirm[open]').waitFor();
			await noAxe(a, `reset dialog ${vp}`);
			await fits(a, `reset dialog ${vp}`);
			await screenshot(a, `admin-accounts-confirm-${vp}`);
			await confirm(a, /ตั้งรหัสผ่านใหม่ให้/);
			await a.locator('#acct-once').waitFor();
			const temp = (await a.textContent('#temp-password')).trim();
			assert.match(temp, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
			assert.match(await a.textContent('#acct-once'), /จะไม่แสดงอีก/);
			assert.match(await row(a, user).textContent(), /รอเจ้าของตั้งรหัสผ่านใหม่/);
			await a.click('#copy-temp');
			assert.match(await msg(a, 'copy-msg', /คัดลอก/), /คัดลอกแล้ว/);
			assert.equal(await a.evaluate(() => navigator.clipboard.readText()), temp);
			await noAxe(a, `temporary password ${vp}`);
			await fits(a, `temporary password ${vp}`);
			await screenshot(a, `admin-accounts-once-${vp}`, { fullPage: true });
			await a.click('#once-hide');
			assert.equal(await a.locator('#acct-once').count(), 0);
			assert.ok(!(await a.content()).includes(temp), 'the temporary password is gone from the page');
			await a.reload();
			await ready(a);
			assert.ok(!(await a.content()).includes(temp), 'and not shown again');

			// The colleague: her old password no longer works; the temporary
			// one leads to the password page, and only there.
			await c.goto(`${srv.url}/admin/login.html`);
			await ready(c);
			await c.fill('#username', user);
			await c.fill('#password', chosen);
			await c.click('#login-btn');
			assert.match(await msg(c, 'login-msg', /ไม่ถูกต้อง/), /ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง/);
			await loginTo(c, user, temp, /\/admin\/password\.html\?next=/);
			assert.equal(await c.isVisible('#pw-must'), true, 'told to choose a password');
			await noAxe(c, `password page, temporary ${vp}`);
			await fits(c, `password page ${vp}`);
			await screenshot(c, `admin-password-must-${vp}`, { fullPage: true });
			await c.goto(`${srv.url}/admin/ita.html`);
			await c.waitForURL(/\/admin\/password\.html\?next=%2Fadmin%2Fita\.html/);
			await ready(c);
			// Wrong current password, then repeats that differ: refused.
			await c.fill('#pw-current', 'not the temporary one');
			await c.fill('#pw-new', own);
			await c.fill('#pw-repeat', own);
			await c.click('#pw-submit');
			assert.match(await msg(c, 'pw-msg', /ไม่ถูกต้อง/), /รหัสผ่านปัจจุบันไม่ถูกต้อง/);
			await c.fill('#pw-current', temp);
			await c.fill('#pw-new', own);
			await c.fill('#pw-repeat', `${own}!`);
			await c.click('#pw-submit');
			assert.match(await msg(c, 'pw-msg', /ไม่ตรงกัน/), /ไม่ตรงกัน/);
			await c.fill('#pw-repeat', own);
			await Promise.all([c.waitForURL(`${srv.url}/admin/ita.html`), c.click('#pw-submit')]);
			await ready(c);
			assert.equal(await c.textContent('#role-tag'), 'ผู้อ่าน');
			assert.equal(await c.locator('nav a[href="/admin/accounts.html"]').count(), 0, 'no accounts link');
			// A viewer's accounts page says it is for administrators.
			await c.goto(`${srv.url}/admin/accounts.html`);
			await ready(c);
			assert.match(await c.textContent('#acct-admins'), /เฉพาะผู้ดูแล/);
			await noAxe(c, `accounts, viewer ${vp}`);
			await fits(c, `accounts, viewer ${vp}`);
			// Her own password page, from the navigation, without the note.
			await c.click('nav a[href="/admin/password.html"]');
			await ready(c);
			assert.equal(await c.isVisible('#pw-must'), false);
			await noAxe(c, `password page ${vp}`);
			await c.goto(`${srv.url}/admin/`);
			await ready(c);

			// The administrator disables her: her open session ends at once.
			await a.reload();
			await ready(a);
			assert.doesNotMatch(await row(a, user).textContent(), /รอเจ้าของตั้งรหัสผ่านใหม่/, 'she chose hers');
			await row(a, user).locator('button[data-act="disable"]').click();
			await confirm(a, /ปิดการใช้งานบัญชี/);
			await row(a, user).locator('button[data-act="enable"]').waitFor();
			assert.match(await row(a, user).textContent(), /ปิดการใช้งานแล้ว/);
			assert.match(await a.textContent('#acct-msg'), /ปิดการใช้งานบัญชี .* แล้ว/);
			await c.reload();
			await c.waitForURL(/\/admin\/login\.html/);
			await ready(c);
			await c.fill('#username', user);
			await c.fill('#password', own);
			await c.click('#login-btn');
			assert.match(await msg(c, 'login-msg', /ไม่ถูกต้อง/), /ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง/,
			    'a disabled account cannot log in');

			// The last administrator: demoting or disabling herself is refused.
			await row(a, 'alice').locator('button[data-act="viewer"]').click();
			await confirm(a, /เปลี่ยน alice เป็นผู้อ่าน/);
			assert.match(await msg(a, 'acct-msg', /ผู้ดูแลคนสุดท้าย/), /ผู้ดูแลคนสุดท้าย/);
			assert.equal(await row(a, 'alice').locator('td[data-role]').getAttribute('data-role'), 'admin');
			await row(a, 'alice').locator('button[data-act="disable"]').click();
			await confirm(a, /ปิดการใช้งานบัญชี alice/);
			assert.match(await msg(a, 'acct-msg', /บัญชีของตนเอง/), /บัญชีของตนเอง/);
			await noAxe(a, `refusal ${vp}`);
			await fits(a, `refusal ${vp}`);
			await screenshot(a, `admin-accounts-refused-${vp}`, { fullPage: true });
			// The same in English, from the server's message.
			await a.click('#lang-toggle');
			await row(a, 'alice').locator('button[data-act="viewer"]').click();
			await confirm(a, /Make alice a viewer/);
			assert.match(await msg(a, 'acct-msg', /last enabled administrator/), /last enabled administrator/);
			await a.click('#lang-toggle');
			assert.equal((await a.evaluate(() => fetch('/api/v1/admin/me').then((r) => r.json()))).role, 'admin');

			// Enabling needs no confirmation, and she can log in again.
			await row(a, user).locator('button[data-act="enable"]').click();
			await row(a, user).locator('button[data-act="disable"]').waitFor();
			await loginTo(c, user, own, `${srv.url}/admin/`);
			assert.deepEqual(a.problems, []);
			assert.deepEqual(c.problems, []);
		} finally {
			await admin.context.close();
			await colleague.context.close();
		}
	});
}

test('adding an account with a temporary password shows it once', { timeout: 120000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: WIDTHS.phone });
	try {
		await loginPage(page, srv.url, 'alice');
		await page.goto(`${srv.url}/admin/accounts.html`);
		await ready(page);
		await page.fill('#add-user', 'newcomer');
		await page.selectOption('#add-role', 'admin');
		assert.equal(await page.isChecked('#add-gen'), true, 'a temporary password unless one is set');
		assert.equal(await page.isVisible('#add-pw'), false);
		await page.click('#add-btn');
		await page.locator('#acct-once').waitFor();
		const temp = (await page.textContent('#temp-password')).trim();
		assert.match(await page.textContent('#once-title'), /newcomer/);
		await row(page, 'newcomer').waitFor();
		assert.equal(await row(page, 'newcomer').locator('td[data-role]').getAttribute('data-role'), 'admin');
		assert.match(await row(page, 'newcomer').textContent(), /รอเจ้าของตั้งรหัสผ่านใหม่/);
		await fits(page, 'added with a temporary password');
		// The same name again is refused with a message.
		await page.fill('#add-user', 'newcomer');
		await page.click('#add-btn');
		assert.match(await msg(page, 'add-msg', /มีบัญชี/), /มีบัญชีชื่อนี้อยู่แล้ว/);
		// A bad name is caught before it is sent.
		await page.fill('#add-user', 'ชื่อไทย');
		await page.click('#add-btn');
		assert.match(await msg(page, 'add-msg', /ตัวอักษรอังกฤษ/), /ตัวอักษรอังกฤษ/);
		assert.equal(await page.getAttribute('#add-user', 'aria-invalid'), 'true');
		// The temporary password logs in and must be changed.
		const r = await fetch(`${srv.url}/api/v1/admin/login`, { method: 'POST',
		    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'newcomer', password: temp }) });
		assert.equal(r.status, 200);
		assert.equal((await r.json()).must_change, true);
		assert.notEqual(temp, PASSWORD);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});
