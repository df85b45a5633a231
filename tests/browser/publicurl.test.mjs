// SPDX-License-Identifier: ISC
// One public address (--public-url): every link the console prints, shows,
// encodes in a QR code or exports starts with it: the codes CSV, the A4
// slips (QR and the printed address), the public EIT link and its QR, the
// kiosk pairing link and its QR.  Without it, a console opened at a
// loopback or private address warns on the codes and kiosks panels before
// anything is issued, and on the slips page; a console opened by a public
// host name does not.  QR codes are read back with zbarimg (zbar-tools).
// Screenshots under tests/out/screenshots/, axe-core at phone size.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startServer, openRound } from './lib/server.mjs';
import { launch, newPage, screenshot, axe, watch, VIEWPORTS } from './lib/browser.mjs';
import { addAdmin, loginPage, ready, decodeQr } from './lib/admin.mjs';

const PUBLIC = 'https://survey.example.go.th';
const DESKTOP = { width: 1280, height: 900 };
const CODES = 3;

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

// The one QR code inside selector, read back; zbarimg is required here.
async function qrText(page, selector, file) {
	await page.locator(selector).scrollIntoViewIfNeeded();
	await page.locator(selector).screenshot({ path: file });
	const read = await decodeQr(file);
	assert.notEqual(read, null, 'zbarimg (Debian zbar-tools) is needed to read the QR codes');
	assert.equal(read.length, 1, `${selector}: one QR code, read ${JSON.stringify(read)}`);
	return read[0];
}

// No part of the page is wider than the viewport (a 360 px phone).
async function noSideScroll(page, name) {
	const [sw, vw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(sw <= vw, `${name}: the page is ${sw} px wide in a ${vw} px viewport`);
}

// The box fits the viewport's width (the slips page itself is A4 wide).
async function fits(page, box, name) {
	const b = await box.boundingBox();
	const vw = await page.evaluate(() => window.innerWidth);
	assert.ok(b.x >= 0 && b.x + b.width <= vw, `${name}: ${b.x}+${b.width} px in a ${vw} px viewport`);
}

// Issues n codes on the round page; resolves to the rows of the codes CSV
// ([code, link]) once the QR codes are made.
async function issueCodes(page, n) {
	await page.fill('#issue-count', String(n));
	await page.click('#issue-btn');
	await page.waitForSelector('#once-panel');
	await page.waitForSelector('#slips-btn:not([disabled])', { timeout: 30000 });
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#csv-btn')]);
	const rows = (await fs.readFile(await dl.path(), 'utf8')).slice(1).trim().split('\r\n');
	assert.equal(rows[0], 'code,link');
	return rows.slice(1).map((r) => r.split(','));
}

// Opens the slips window; resolves to it, drawn.
async function openSlips(page) {
	const [slips] = await Promise.all([page.waitForEvent('popup'), page.click('#slips-btn')]);
	watch(slips);
	await ready(slips);
	return slips;
}

// Registers a kiosk; resolves to its key once the pairing QR shows.
async function pairKiosk(page, name) {
	await page.fill('#kiosk-name', name);
	await page.click('#kiosk-add');
	await page.waitForSelector('#key-once .qr svg');
	return page.textContent('#kiosk-key');
}

describe('with --public-url', () => {
	let srv, browser, iit, eit;

	before(async () => {
		// The trailing "/" is allowed and never doubled in a link.
		srv = await startServer({ serve: ['--public-url', `${PUBLIC}/`] });
		browser = await launch();
		await addAdmin(srv, 'alice');
		iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT ที่อยู่สาธารณะ' });
		eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT ที่อยู่สาธารณะ', pub: true });
	});

	after(async () => {
		await browser?.close();
		await srv?.stop();
	});

	test('codes CSV, slips (QR and printed address) use the public address; no warning', { timeout: 180000 },
	    async () => {
		const { context, page } = await newPage(browser, { viewport: DESKTOP, acceptDownloads: true });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${iit}`);
			await ready(page);
			assert.equal(await page.isVisible('#codes'), true);
			assert.equal(await page.locator('.addr-warn').count(), 0, 'no warning with --public-url');

			const rows = await issueCodes(page, CODES);
			assert.equal(rows.length, CODES);
			for (const [code, link] of rows)
				assert.equal(link, `${PUBLIC}/respond/?round=${iit}#code=${code}`, 'CSV link');

			const slips = await openSlips(page);
			assert.equal(await slips.locator('.slip').count(), CODES);
			assert.equal(await slips.locator('.addr-warn').count(), 0, 'no warning on the slips');
			assert.deepEqual(await slips.locator('.slip .s-url').allTextContents(),
			    Array(CODES).fill(`${PUBLIC}/respond/?round=${iit}`), 'the address printed on each slip');
			await screenshot(slips, 'publicurl-slips', { fullPage: true });
			for (const [i, [code]] of rows.entries())
				assert.equal(await qrText(slips, `.slip:nth-child(${i + 1}) .qr`, path.join(srv.dir, `slip-${i}.png`)),
				    `${PUBLIC}/respond/?round=${iit}#code=${code}`, `slip ${i + 1}'s QR code`);
			assert.deepEqual(slips.problems, []);
			await slips.close();
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test('public EIT link and kiosk pairing (links and QR codes) use the public address; no warning',
	    { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport: DESKTOP });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${eit}`);
			await ready(page);
			assert.equal(await page.isVisible('#kiosks'), true);
			assert.equal(await page.locator('.addr-warn').count(), 0, 'no warning with --public-url');

			await page.waitForSelector('#public-link .qr svg');
			assert.equal(await page.textContent('#public-url'), `${PUBLIC}/eit/?round=${eit}`);
			assert.equal(await page.getAttribute('#public-url', 'href'), `${PUBLIC}/eit/?round=${eit}`);
			assert.equal(await qrText(page, '#public-link .qr', path.join(srv.dir, 'public.png')),
			    `${PUBLIC}/eit/?round=${eit}`, 'the public link QR code');

			const key = await pairKiosk(page, 'เคาน์เตอร์ 1');
			assert.equal(await page.textContent('#pair-link'), `${PUBLIC}/kiosk/#key=${key}`);
			assert.equal(await qrText(page, '#key-once .qr', path.join(srv.dir, 'pair.png')),
			    `${PUBLIC}/kiosk/#key=${key}`, 'the pairing QR code');
			await screenshot(page, 'publicurl-kiosk-key', { fullPage: true });
			// The key in the link is the kiosk's own.
			const r = await fetch(`${srv.url}/api/v1/kiosk`, { headers: { authorization: `Kiosk ${key}` } });
			assert.equal(r.status, 200);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
});

describe('without --public-url', () => {
	let srv, browser, iit, eit;

	before(async () => {
		srv = await startServer();
		// A public host name for this server, for the last test.
		browser = await launch({ args: ['--host-resolver-rules=MAP survey.example.go.th 127.0.0.1',
		    '--disable-features=HttpsUpgrades'] });
		await addAdmin(srv, 'alice');
		iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT ในเครื่อง' });
		eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT ในเครื่อง', pub: true });
	});

	after(async () => {
		await browser?.close();
		await srv?.stop();
	});

	// The warning in box id says what it must, in Thai, naming base.
	async function warns(page, id, base) {
		const box = page.locator(`#${id}`);
		await box.waitFor({ state: 'visible' });
		assert.equal(await box.getAttribute('role'), 'alert');
		assert.equal(await box.locator('.addr').textContent(), base, 'the address that will be printed');
		const text = await box.textContent();
		assert.match(text, /โทรศัพท์และคีออสก์/);
		assert.match(text, /--public-url/);
		assert.match(text, /ITA_SURVEY_PUBLIC_URL/);
		assert.match(text, /\/etc\/ita-survey\/ita-survey\.conf/);
		return box;
	}

	test('console at 127.0.0.1: codes panel warns before issuing; slips warn and print that address',
	    { timeout: 180000 }, async () => {
		const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone, acceptDownloads: true });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${iit}`);
			await ready(page);
			assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
			const box = await warns(page, 'codes-addr-warn', srv.url);
			assert.match(await box.textContent(), /loopback/, 'says it is this computer\'s own address');
			// Above the form that issues codes.
			const [wy, fy] = await Promise.all([box, page.locator('#issue-form')].map(async (l) =>
			    (await l.boundingBox()).y));
			assert.ok(wy < fy, 'the warning comes before the issue form');
			await noSideScroll(page, 'round page with the warning');
			await noAxe(page, 'codes warning at 360 px');
			await box.scrollIntoViewIfNeeded();
			await screenshot(page, 'publicurl-warn-codes-phone');

			// English too, relabelled in place.
			await page.click('#lang-toggle');
			await page.waitForFunction(() => /Phones and kiosks cannot open/.test(
			    document.querySelector('#codes-addr-warn').textContent));
			assert.equal(await box.locator('.addr').textContent(), srv.url);
			await page.click('#lang-toggle');

			// What it said is what is printed.
			const rows = await issueCodes(page, 1);
			const [[code, link]] = rows;
			assert.equal(link, `${srv.url}/respond/?round=${iit}#code=${code}`);
			const slips = await openSlips(page);
			const sbox = await warns(slips, 'slips-addr-warn', srv.url);
			assert.equal(await slips.locator('.slip .s-url').textContent(), `${srv.url}/respond/?round=${iit}`);
			await fits(slips, sbox, 'the slips page\'s warning');
			await noAxe(slips, 'slips warning at 360 px');
			await screenshot(slips, 'publicurl-warn-slips-phone');
			assert.equal(await qrText(slips, '.slip .qr', path.join(srv.dir, 'slip.png')), link);
			// On screen only, never on the paper.
			await slips.emulateMedia({ media: 'print' });
			assert.equal(await sbox.isVisible(), false, 'the warning is not printed');
			assert.deepEqual(slips.problems, []);
			await slips.close();
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test('console at 127.0.0.1: kiosks panel warns before pairing; the QR is that address', { timeout: 120000 },
	    async () => {
		const { context, page } = await newPage(browser, { viewport: VIEWPORTS.phone });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${eit}`);
			await ready(page);
			const box = await warns(page, 'kiosks-addr-warn', srv.url);
			const [wy, fy] = await Promise.all([box, page.locator('#kiosk-form')].map(async (l) =>
			    (await l.boundingBox()).y));
			assert.ok(wy < fy, 'the warning comes before the kiosk form');
			await page.waitForSelector('#public-link .qr svg');
			await noSideScroll(page, 'kiosks with the warning');
			await noAxe(page, 'kiosks warning at 360 px');
			await box.scrollIntoViewIfNeeded();
			await screenshot(page, 'publicurl-warn-kiosks-phone');
			assert.equal(await qrText(page, '#public-link .qr', path.join(srv.dir, 'public.png')),
			    `${srv.url}/eit/?round=${eit}`);
			const key = await pairKiosk(page, 'Counter 1');
			assert.equal(await qrText(page, '#key-once .qr', path.join(srv.dir, 'pair.png')),
			    `${srv.url}/kiosk/#key=${key}`);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});

	test('which host names are loopback or private (common.js localHost)', { timeout: 60000 }, async () => {
		const { context, page } = await newPage(browser, { viewport: DESKTOP });
		try {
			await page.goto(`${srv.url}/admin/login.html`);
			const want = {
				'localhost': 'loopback', 'LOCALHOST': 'loopback', 'a.b.localhost': 'loopback',
				'127.0.0.1': 'loopback', '127.255.0.9': 'loopback', '0.0.0.0': 'loopback',
				'[::1]': 'loopback', '[::ffff:7f00:1]': 'loopback',
				'10.0.0.1': 'private', '172.16.0.1': 'private', '172.31.255.255': 'private',
				'192.168.1.10': 'private', '169.254.1.1': 'private', '[fc00::1]': 'private',
				'[fd12:3456::1]': 'private', '[fe80::1]': 'private', '[febf::1]': 'private',
				'[::ffff:c0a8:101]': 'private',
				'172.15.0.1': null, '172.32.0.1': null, '192.169.0.1': null, '11.0.0.1': null,
				'8.8.8.8': null, '[2001:db8::1]': null, '[fec0::1]': null, '[fbff::1]': null,
				'survey.example.go.th': null, 'localhost.example.org': null, 'mylocalhost': null,
			};
			const got = await page.evaluate(async (hosts) => {
				const { localHost } = await import('/admin/js/common.js');
				return Object.fromEntries(hosts.map((h) => [h, localHost(h)]));
			}, Object.keys(want));
			assert.deepEqual(got, want);
			// And as URL.hostname gives them.
			const viaUrl = await page.evaluate(async () => {
				const { localHost } = await import('/admin/js/common.js');
				return ['http://[::1]:8080', 'http://127.1:8080', 'http://0x7f000001/', 'https://Survey.Example.go.th']
				    .map((u) => localHost(new URL(u).hostname));
			});
			assert.deepEqual(viaUrl, ['loopback', 'loopback', 'loopback', null]);
		} finally {
			await context.close();
		}
	});

	test('console at localhost warns too', { timeout: 60000 }, async () => {
		const local = srv.url.replace('127.0.0.1', 'localhost');
		const { context, page } = await newPage(browser, { viewport: DESKTOP });
		try {
			await loginPage(page, local, 'alice');
			await page.goto(`${local}/admin/round.html?id=${eit}`);
			await ready(page);
			await warns(page, 'kiosks-addr-warn', local);
			await page.waitForSelector('#public-link .qr svg');
			assert.equal(await page.textContent('#public-url'), `${local}/eit/?round=${eit}`);
		} finally {
			await context.close();
		}
	});

	test('console at a public host name: no warning, links at that name', { timeout: 60000 }, async () => {
		const named = srv.url.replace('127.0.0.1', 'survey.example.go.th');
		const { context, page } = await newPage(browser, { viewport: DESKTOP });
		try {
			await loginPage(page, named, 'alice');
			await page.goto(`${named}/admin/round.html?id=${eit}`);
			await ready(page);
			await page.waitForSelector('#public-link .qr svg');
			assert.equal(await page.locator('.addr-warn').count(), 0);
			assert.equal(await page.textContent('#public-url'), `${named}/eit/?round=${eit}`);
		} finally {
			await context.close();
		}
	});
});
