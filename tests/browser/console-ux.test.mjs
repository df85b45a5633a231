// SPDX-License-Identifier: ISC
// The console's second pass (issue 12), at a desk (1280 px) and on a
// phone (390 px): a round's state and the buttons that change it read
// apart in Thai and English, have a colour and an icon each, and ask
// first (cancel changes nothing); scores below the minimum sample say
// "preliminary: N of M minimum" on the round page, the printed report and
// the ITA overview, and stop saying it once the sample is met; no console
// page scrolls sideways at 390 px, and the create form chooses no
// questionnaire by itself; slips print the code at 10 pt or more and
// break the link only between its parts; chart values never cross the
// target line.  axe-core on every page this work changed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, openRound, issueTokens, addKiosk } from './lib/server.mjs';
import { launch, newPage, screenshot, axe, watch, SHOTS } from './lib/browser.mjs';
import { addAdmin, apiLogin, apiCall, loginPage, ready, submitAnswers, decodeQr } from './lib/admin.mjs';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WIDTHS = [['desktop', DESKTOP], ['phone', PHONE]];
// A long public address, so that the slips' printed link must break.
const PUBLIC = 'https://survey.provincial-office.example.go.th';
// An A4 sheet's printable width at 96 px per inch: 210 mm less 2 x 10 mm.
const A4_PX = 718;

let srv;
let browser;
let sess;
const R = {};	// round ids by role in these tests

const pick = (q, i) => {
	if (q.options.includes('4'))
		return (i + q.code.length) % 4 === 0 ? '3' : '4';
	return q.options.includes('no') ? 'no' : q.options[0];
};

// A closed round made with the command line; its id.
async function closedRound(form, title, population) {
	const args = ['round', 'create', '--form', form, '--title', title];
	if (population)
		args.push('--population', String(population));
	return (await srv.cli(args)).trim().split('\n')[0];
}

// An open IIT round with n responses given with access codes.
async function answeredIit(title, population, n) {
	const id = await openRound(srv, 'ita-2563-iit', { title, population });
	const codes = await issueTokens(srv, id, n);
	assert.deepEqual(await submitAnswers(srv.url, id, { codes }, pick), Array(n).fill(201));
	return id;
}

before(async () => {
	srv = await startServer({ serve: ['--public-url', PUBLIC] });
	browser = await launch();
	await addAdmin(srv, 'alice');
	sess = await apiLogin(srv.url, 'alice');
	// Preliminary: population 120 gives the minimum of 30 (10 % is 12,
	// below the floor of 30); 5 respondents are published (min_cell 5).
	R.prelim = await answeredIit('IIT 2569 กองคลัง ผลเบื้องต้น', 120, 5);
	// No population: the form's floor (30) applies.
	R.nopop = await answeredIit('IIT 2569 ไม่ระบุประชากร', 0, 5);
	// Met: a population of 10 must all answer; 10 do.
	R.met = await answeredIit('IIT 2569 กองพัสดุ ครบตัวอย่าง', 10, 10);
	// EIT met: a population of 5, 5 kiosk responses.
	R.eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT 2569 เคาน์เตอร์', population: 5, pub: true });
	const key = await addKiosk(srv, R.eit, 'เคาน์เตอร์ 1');
	assert.deepEqual(await submitAnswers(srv.url, R.eit, { kiosk: key, count: 5 }, pick), Array(5).fill(201));
	// Final: closed, then its responses exported.
	R.final = await answeredIit('IIT 2568 ปิดถาวร', 40, 5);
	await srv.cli(['round', 'close', R.final]);
	const x = await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${R.final}/export?what=responses&format=csv`);
	assert.equal(x.status, 200);
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function noAxe(page, name) {
	assert.deepEqual(await axe(page), [], `${name}: axe found serious or critical violations`);
}

async function noSideScroll(page, name, width) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(w <= width, `${name}: the page is ${w} px wide at ${width} px`);
}

async function roundJson(id) {
	return (await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${id}`)).json;
}

async function scoresJson(id) {
	return (await apiCall(srv.url, sess, 'GET', `/api/v1/admin/rounds/${id}/scores`)).json;
}

async function setLang(page, lang) {
	if (await page.getAttribute('html', 'lang') !== lang)
		await page.click('#lang-toggle');
	assert.equal(await page.getAttribute('html', 'lang'), lang);
}

function levenshtein(a, b) {
	const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++)
		d[0][j] = j;
	for (let i = 1; i <= a.length; i++)
		for (let j = 1; j <= b.length; j++)
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
	return d[a.length][b.length];
}

// WCAG contrast of two computed colours ("rgb(r, g, b)").
function contrast(fg, bg) {
	const lum = (c) => {
		const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
			const s = v / 255;
			return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const [x, y] = [lum(fg), lum(bg)];
	return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

// The open dialog's state: its id, modal, where the focus is, its text.
function dialogState(page) {
	return page.evaluate(() => {
		const d = document.querySelector('dialog[open]');
		if (!d)
			return null;
		return { id: d.id, modal: d.matches(':modal'), focus: document.activeElement && document.activeElement.id,
		    inside: d.contains(document.activeElement), text: d.textContent,
		    labelled: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent };
	});
}

// ---- 1. state wording, colour and confirmation ----

for (const [name, viewport] of WIDTHS) {
	test(`round states and their changes read apart and ask first (${name})`, { timeout: 240000 }, async () => {
		const closed = await closedRound('ita-2563-iit', `IIT สถานะ ${name}`, 50);
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			const row = (id) => page.locator(`#rounds-body tr[data-round="${id}"]`);

			// The words: in each language the two actions and the three
			// states are five different phrases, none a near copy of another.
			const words = {};
			for (const lang of ['th', 'en']) {
				await setLang(page, lang);
				const badge = async (id) => (await row(id).locator('.badge.state').textContent()).trim();
				const w = {
					start: (await row(closed).locator('button[data-action="open"]').textContent()).trim(),
					stop: (await row(R.prelim).locator('button[data-action="close"]').textContent()).trim(),
					open: await badge(R.prelim),
					closed: await badge(closed),
					final: await badge(R.final),
				};
				words[lang] = w;
				const all = Object.entries(w);
				for (let i = 0; i < all.length; i++)
					for (let j = i + 1; j < all.length; j++)
						assert.ok(levenshtein(all[i][1], all[j][1]) >= 3,
						    `${lang}: "${all[i][1]}" (${all[i][0]}) and "${all[j][1]}" (${all[j][0]}) read alike`);
				for (const act of [w.start, w.stop])
					for (const st of [w.open, w.closed, w.final])
						assert.ok(!act.includes(st) && !st.includes(act), `${lang}: action "${act}" vs state "${st}"`);
			}
			assert.deepEqual(words.th, { start: 'เริ่มเก็บคำตอบ', stop: 'หยุดเก็บคำตอบ',
			    open: 'กำลังเก็บคำตอบ', closed: 'ปิดอยู่', final: 'ปิดถาวร' });
			assert.deepEqual(words.en, { start: 'Start collecting', stop: 'Stop collecting',
			    open: 'Collecting', closed: 'Closed', final: 'Final' });
			await setLang(page, 'th');

			// The colours and icons: three of each, text at AA contrast.
			const looks = {};
			for (const [st, id] of [['open', R.prelim], ['closed', closed], ['final', R.final]]) {
				const b = row(id).locator('.badge.state');
				assert.equal(await b.getAttribute('data-state'), st);
				looks[st] = await b.evaluate((e) => {
					const cs = getComputedStyle(e);
					return { bg: cs.backgroundColor, fg: cs.color, border: cs.borderColor,
					    icon: e.querySelector('svg.icon path')?.getAttribute('d'),
					    iconShown: e.querySelector('svg.icon').getBoundingClientRect().width > 8 };
				});
				assert.ok(contrast(looks[st].fg, looks[st].bg) >= 4.5, `${st}: contrast ${looks[st].fg} on ${looks[st].bg}`);
				assert.ok(looks[st].icon && looks[st].iconShown, `${st}: an icon`);
			}
			assert.equal(new Set(Object.values(looks).map((l) => l.bg)).size, 3, 'three background colours');
			assert.equal(new Set(Object.values(looks).map((l) => l.icon)).size, 3, 'three icons');
			const startIcon = await row(closed).locator('button[data-action="open"] svg.icon path').getAttribute('d');
			assert.ok(!Object.values(looks).some((l) => l.icon === startIcon), 'the action icon is no state icon');
			assert.equal(await row(R.final).locator('button[data-action]').count(), 0, 'a final round has no button');
			await noSideScroll(page, 'rounds', viewport.width);
			await noAxe(page, `rounds ${name}`);

			// Starting from the list asks first; cancel and Esc change nothing.
			const startBtn = row(closed).locator('button[data-action="open"]');
			await startBtn.click();
			let dlg = await dialogState(page);
			assert.ok(dlg, 'a dialog');
			assert.equal(dlg.modal, true, 'modal');
			assert.equal(dlg.focus, 'state-confirm-cancel', 'focus on the choice that changes nothing');
			assert.match(dlg.labelled, new RegExp(`เริ่มเก็บคำตอบของ “IIT สถานะ ${name}”`));
			assert.match(dlg.text, /ตั้งแต่นี้ไป ผู้ตอบส่งคำตอบได้/, 'says what will happen');
			await noAxe(page, `start dialog ${name}`);
			await screenshot(page, `ux-confirm-start-${name}`);
			await page.click('#state-confirm-cancel');
			assert.equal(await dialogState(page), null);
			assert.equal((await roundJson(closed)).state, 'closed', 'cancelled: still closed');
			assert.equal(await startBtn.evaluate((b) => b === document.activeElement), true, 'focus back on the button');
			await startBtn.click();
			await page.waitForSelector('dialog[open]');
			await page.keyboard.press('Escape');
			await page.waitForSelector('dialog', { state: 'detached' });
			assert.equal((await roundJson(closed)).state, 'closed', 'Esc: still closed');
			assert.equal(await row(closed).locator('.badge.state').getAttribute('data-state'), 'closed');

			// Confirmed: open, and the list says so.
			await startBtn.click();
			await page.click('#state-confirm-ok');
			await page.waitForSelector(`#rounds-body tr[data-round="${closed}"] .badge.state-open`);
			assert.equal((await roundJson(closed)).state, 'open');

			// The round page: its state line, and stopping asks first too (in English).
			await page.goto(`${srv.url}/admin/round.html?id=${closed}`);
			await ready(page);
			assert.equal(await page.getAttribute('#r-state .badge', 'data-state'), 'open');
			assert.match(await page.textContent('#r-state'), /ผู้ตอบส่งคำตอบได้ตอนนี้/);
			assert.equal((await page.textContent('#close-btn')).trim(), 'หยุดเก็บคำตอบ');
			await setLang(page, 'en');
			await page.click('#close-btn');
			dlg = await dialogState(page);
			assert.equal(dlg.modal, true);
			assert.match(dlg.labelled, /^Stop collecting answers for "IIT สถานะ/);
			assert.match(dlg.text, /No more answers will be accepted/);
			assert.match(dlg.text, /start collecting again later, unless the round becomes final/);
			await noAxe(page, `stop dialog ${name}`);
			await screenshot(page, `ux-confirm-stop-${name}`);
			await page.click('#state-confirm-cancel');
			assert.equal((await roundJson(closed)).state, 'open', 'cancelled: still open');
			assert.equal(await page.getAttribute('#r-state .badge', 'data-state'), 'open');
			await page.click('#close-btn');
			await page.click('#state-confirm-ok');
			await page.waitForSelector('#open-btn');
			assert.equal((await roundJson(closed)).state, 'closed');
			assert.equal(await page.getAttribute('#r-state .badge', 'data-state'), 'closed');
			assert.match(await page.textContent('#r-state'), /Closed/);
			assert.match(await page.textContent('#r-msg'), /no more answers are accepted/);
			await noSideScroll(page, 'round', viewport.width);
			await noAxe(page, `round ${name}`);

			// A final round: its state, and no button to open it.
			await page.goto(`${srv.url}/admin/round.html?id=${R.final}`);
			await ready(page);
			assert.equal(await page.getAttribute('#r-state .badge', 'data-state'), 'final');
			assert.equal((await page.textContent('#r-state .badge')).trim(), 'Final');
			assert.equal(await page.locator('#open-btn, #close-btn').count(), 0);
			await setLang(page, 'th');
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

// ---- 2. preliminary scores ----

// The preliminary marking inside one scores view (root: a selector).
async function prelimShown(page, root) {
	return page.evaluate((sel) => {
		const r = document.querySelector(sel);
		const grade = r.querySelector('#grade .grade, #ita-grade .grade');
		return {
			banner: r.querySelector('.prelim-banner')?.innerText ?? null,
			tags: r.querySelectorAll('.prelim-tag').length,
			gradePrelim: grade ? grade.classList.contains('prelim') : null,
			gradeSize: grade ? parseFloat(getComputedStyle(grade).fontSize) : null,
			gradeBg: grade ? getComputedStyle(grade).backgroundColor : null,
			chartNote: r.querySelector('svg.chart .chart-note')?.textContent ?? null,
		};
	}, root);
}

for (const [name, viewport] of WIDTHS) {
	test(`scores below the minimum sample say "preliminary: 5 of 30" (${name})`, { timeout: 240000 }, async () => {
		const doc = await scoresJson(R.prelim);
		assert.equal(doc.published, true);
		assert.deepEqual([doc.sample.respondents, doc.sample.minimum, doc.sample.met], [5, 30, false]);
		const met = await scoresJson(R.met);
		assert.equal(met.sample.met, true);
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');

			// The round page's scores.
			await page.goto(`${srv.url}/admin/round.html?id=${R.prelim}`);
			await ready(page);
			await page.waitForSelector('#scores #instrument-score');
			let p = await prelimShown(page, '#scores');
			assert.match(p.banner, /ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน/);
			assert.match(p.banner, /ขั้นต่ำ 30 คน สำหรับประชากร 120 คน/);
			assert.ok(p.tags >= 2, 'tags beside the score and the grade');
			assert.equal(p.gradePrelim, true);
			assert.match(p.chartNote, /5 จากขั้นต่ำ 30/);
			assert.ok(await page.isVisible('#prelim-banner'));
			const prelimGrade = p;
			await page.locator('#scores').scrollIntoViewIfNeeded();
			await screenshot(page, `ux-prelim-round-${name}`);
			await noSideScroll(page, 'round (preliminary)', viewport.width);
			await noAxe(page, `round preliminary ${name}`);
			await setLang(page, 'en');
			p = await prelimShown(page, '#scores');
			assert.match(p.banner, /Preliminary: 5 of 30 minimum/);
			assert.match(p.chartNote, /Preliminary: 5 of 30 minimum/);
			await setLang(page, 'th');

			// Without a population, the page says which minimum applies.
			await page.goto(`${srv.url}/admin/round.html?id=${R.nopop}`);
			await ready(page);
			await page.waitForSelector('#prelim-banner');
			assert.match(await page.textContent('#prelim-banner'), /ผู้ตอบ 5 จากขั้นต่ำ 30 คน/);
			assert.match(await page.textContent('#prelim-banner'), /ไม่ได้ระบุจำนวนประชากร จึงใช้ขั้นต่ำ 30 คน/);

			// Met: no marking, and a full-size grade in its own colour.
			await page.goto(`${srv.url}/admin/round.html?id=${R.met}`);
			await ready(page);
			await page.waitForSelector('#scores #instrument-score');
			p = await prelimShown(page, '#scores');
			assert.deepEqual([p.banner, p.tags, p.gradePrelim, p.chartNote], [null, 0, false, null]);
			assert.ok(p.gradeSize > prelimGrade.gradeSize, 'a preliminary grade is drawn smaller');
			assert.notEqual(p.gradeBg, prelimGrade.gradeBg, 'and grey');

			// The report, on screen and on paper.
			await page.goto(`${srv.url}/admin/report.html?id=${R.prelim}`);
			await ready(page);
			assert.match(await page.title(), /^ผลเบื้องต้น · /, 'a saved PDF is named preliminary');
			assert.match(await page.textContent('#rep-meta'), /ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน/);
			p = await prelimShown(page, 'main');
			assert.match(p.banner, /ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน/);
			assert.equal(p.gradePrelim, true);
			assert.equal(await page.locator('.prelim-banner').count(), 1, 'one banner, in the head');
			await noSideScroll(page, 'report', viewport.width);
			await noAxe(page, `report preliminary ${name}`);
			await page.emulateMedia({ media: 'print' });
			if (name === 'desktop')
				await page.setViewportSize({ width: A4_PX, height: 1000 });
			assert.equal(await page.isVisible('#top'), false);
			const box = await page.locator('#prelim-banner').boundingBox();
			assert.ok(box && box.height > 20, 'the banner prints');
			assert.ok(box.y + box.height < 1000, 'on the first page');
			assert.equal(await page.isVisible('#grade .prelim-tag, #headline .prelim-tag'), true);
			await screenshot(page, `ux-prelim-report-print-${name}`, { fullPage: true });
			if (name === 'desktop') {
				const pdf = await page.pdf({ path: path.join(SHOTS, 'ux-prelim-report.pdf'), format: 'A4',
				    printBackground: true });
				assert.ok(pdf.length > 10000);
			}
			await page.emulateMedia({ media: 'screen' });
			await page.setViewportSize(viewport);

			await page.goto(`${srv.url}/admin/report.html?id=${R.met}`);
			await ready(page);
			assert.equal(await page.locator('.prelim-banner, .prelim-tag').count(), 0);
			assert.match(await page.textContent('#rep-meta'), /ครบขนาดตัวอย่างขั้นต่ำแล้ว: ผู้ตอบ 10 จากขั้นต่ำ 10 คน/);
			assert.doesNotMatch(await page.title(), /ผลเบื้องต้น/);

			// The ITA overview: preliminary while one of its rounds is.
			await page.goto(`${srv.url}/admin/ita.html`);
			await ready(page);
			const opt = await page.locator(`#ita-iit option[value="${R.prelim}"]`).textContent();
			assert.match(opt, /ผลเบื้องต้น/, 'the round picker marks a preliminary round');
			await page.selectOption('#ita-iit', R.prelim);
			await page.selectOption('#ita-eit', R.eit);
			await page.check('#ita-oit-on');
			await page.fill('#ita-oit', '70');
			await page.click('#ita-go');
			await page.waitForSelector('#ita-score');
			p = await prelimShown(page, '#ita-result');
			assert.match(p.banner, new RegExp(`IIT รอบ #${R.prelim} .*ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน`));
			assert.doesNotMatch(p.banner, /EIT รอบ/, 'the met EIT round is not named');
			assert.equal(p.gradePrelim, true);
			assert.ok(p.tags >= 2);
			assert.ok(p.chartNote);
			await noSideScroll(page, 'ita (preliminary)', viewport.width);
			await noAxe(page, `ita preliminary ${name}`);
			await screenshot(page, `ux-prelim-ita-${name}`, { fullPage: true });
			await page.emulateMedia({ media: 'print' });
			assert.equal(await page.isVisible('#ita-prelim'), true, 'the overview prints preliminary');
			await page.emulateMedia({ media: 'screen' });
			await setLang(page, 'en');
			assert.match(await page.textContent('#ita-prelim'), /Preliminary: 5 of 30 minimum/);
			await setLang(page, 'th');
			await page.selectOption('#ita-iit', R.met);
			await page.click('#ita-go');
			await page.waitForFunction(() => !document.querySelector('#ita-prelim'));
			p = await prelimShown(page, '#ita-result');
			assert.deepEqual([p.banner, p.tags, p.gradePrelim, p.chartNote], [null, 0, false, null]);
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}

// ---- 3. phones: no page scrolls sideways; the create form ----

test('no console page scrolls sideways at 390 px; the create form picks no questionnaire', { timeout: 240000 }, async () => {
	const { context, page } = await newPage(browser, { viewport: PHONE });
	try {
		await page.goto(`${srv.url}/admin/login.html`);
		await ready(page);
		await noSideScroll(page, 'login', PHONE.width);
		await loginPage(page, srv.url, 'alice');
		await noSideScroll(page, 'rounds', PHONE.width);

		// The rounds list is a stack of cards, every cell on the screen.
		const cells = await page.locator('#rounds-body td').evaluateAll((tds) => tds.map((td) => {
			const r = td.getBoundingClientRect();
			return { right: r.right, display: getComputedStyle(td).display };
		}));
		assert.ok(cells.length >= 25);
		for (const c of cells) {
			assert.ok(c.right <= PHONE.width, `a cell ends at ${c.right}`);
			assert.equal(c.display, 'block');
		}
		assert.equal(await page.isVisible('#rounds-body button[data-action]'), true, 'the buttons are on screen');

		// No questionnaire chosen until one is; the long title wraps below.
		assert.equal(await page.inputValue('#c-form'), '');
		assert.equal(await page.locator('#c-form option:checked').getAttribute('disabled'), '');
		const before = (await apiCall(srv.url, sess, 'GET', '/api/v1/admin/rounds')).json.rounds.length;
		await page.fill('#c-title', 'IIT ที่ไม่ได้เลือกแบบ');
		await page.click('#create-btn');
		assert.match(await page.textContent('#create-msg'), /กรุณาเลือกแบบสำรวจ/);
		assert.equal(await page.getAttribute('#c-form', 'aria-invalid'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'c-form');
		assert.equal((await apiCall(srv.url, sess, 'GET', '/api/v1/admin/rounds')).json.rounds.length, before,
		    'nothing created');
		await page.selectOption('#c-form', 'ita-2563-eit');
		assert.match(await page.textContent('#c-form-hint'), /แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก \(EIT\) ประจำปีงบประมาณ พ\.ศ\. 2563/);
		const sel = await page.locator('#c-form').boundingBox();
		assert.ok(sel.x + sel.width <= PHONE.width, 'the picker fits');
		const hint = await page.locator('#c-form-hint').boundingBox();
		assert.ok(hint.x + hint.width <= PHONE.width && hint.height > 30, 'the title wraps');
		assert.equal(await page.isDisabled('#c-public'), false, 'an EIT round may be public');
		await noSideScroll(page, 'rounds with a form chosen', PHONE.width);
		await noAxe(page, 'rounds phone');
		await screenshot(page, 'ux-phone-rounds', { fullPage: true });

		const pages = [
			['round (internal)', `/admin/round.html?id=${R.prelim}`],
			['round (external)', `/admin/round.html?id=${R.eit}`],
			['round (final)', `/admin/round.html?id=${R.final}`],
			['report', `/admin/report.html?id=${R.met}`],
			['ita', '/admin/ita.html'],
		];
		for (const [label, url] of pages) {
			await page.goto(`${srv.url}${url}`);
			await ready(page);
			await page.waitForTimeout(200);
			await noSideScroll(page, label, PHONE.width);
			await noAxe(page, `${label} phone`);
			await screenshot(page, `ux-phone-${label.replace(/\W+/g, '-')}`, { fullPage: true });
		}
		await page.selectOption('#ita-iit', R.met);
		await page.selectOption('#ita-eit', R.eit);
		await page.check('#ita-oit-on');
		await page.fill('#ita-oit', '70');
		await page.click('#ita-go');
		await page.waitForSelector('#ita-score');
		await noSideScroll(page, 'ita result', PHONE.width);
		await noAxe(page, 'ita result phone');
		// The audit page is another change's; it must not scroll sideways either.
		await page.goto(`${srv.url}/admin/audit.html`);
		await ready(page);
		await noSideScroll(page, 'audit', PHONE.width);
		assert.deepEqual(page.problems, []);
	} finally {
		await context.close();
	}
});

// ---- 4. slips ----

for (const [name, viewport] of WIDTHS) {
	test(`slips: a 10 pt code, a link that breaks between its parts (${name})`, { timeout: 180000 }, async () => {
		const id = await openRound(srv, 'ita-2563-iit', { title: `IIT ใบรหัส ${name} ชื่อรอบยาวพอที่จะขึ้นบรรทัดใหม่บนใบรหัส`, population: 60 });
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			await page.goto(`${srv.url}/admin/round.html?id=${id}`);
			await ready(page);
			await page.fill('#issue-count', '3');
			await page.click('#issue-btn');
			await page.waitForSelector('#slips-btn:not([disabled])', { timeout: 30000 });
			const [slips] = await Promise.all([page.waitForEvent('popup'), page.click('#slips-btn')]);
			watch(slips);
			await slips.setViewportSize(viewport);
			await ready(slips);
			assert.equal(await slips.locator('.slip').count(), 3);
			assert.equal(await slips.locator('.slip .qr svg path').count(), 3, 'QR codes kept');
			await noSideScroll(slips, 'slips', viewport.width);
			await noAxe(slips, `slips ${name}`);
			await screenshot(slips, `ux-slips-${name}`, { fullPage: true });
			if (name === 'phone') {
				await slips.close();
				return;
			}

			// On paper (an A4 sheet's width).
			await slips.emulateMedia({ media: 'print' });
			await slips.setViewportSize({ width: A4_PX, height: 1100 });
			const link = `${PUBLIC}/respond/?round=${id}`;
			const m = await slips.evaluate(() => [...document.querySelectorAll('.slip')].map((s) => {
				const code = s.querySelector('.s-code');
				const url = s.querySelector('.s-url');
				const range = document.createRange();
				range.selectNodeContents(url);
				const lines = [];
				for (const r of range.getClientRects())
					if (!lines.some((y) => Math.abs(y - r.top) < 2))
						lines.push(r.top);
				return {
					codePt: parseFloat(getComputedStyle(code).fontSize) * 0.75,
					codeLines: code.getClientRects().length,
					codeFits: code.scrollWidth <= code.clientWidth + 1,
					minPt: Math.min(...[...s.querySelectorAll('p')].map((p) => parseFloat(getComputedStyle(p).fontSize) * 0.75)),
					url: url.textContent,
					pieces: [...url.querySelectorAll('.u')].map((u) => ({ text: u.textContent, rects: u.getClientRects().length })),
					lines: lines.length,
					overflow: s.scrollHeight - s.clientHeight,
				};
			}));
			for (const s of m) {
				assert.ok(s.codePt >= 10, `code at ${s.codePt} pt`);
				assert.equal(s.codeLines, 1, 'the code on one line');
				assert.ok(s.codeFits, 'the code fits its slip');
				assert.ok(s.minPt >= 9, `slip text at ${s.minPt} pt`);
				assert.equal(s.url, link);
				assert.ok(s.lines >= 2, 'this long link needs two lines');
				for (const piece of s.pieces)
					assert.equal(piece.rects, 1, `"${piece.text}" is broken inside`);
				assert.deepEqual(s.pieces.map((x) => x.text).join(''), link);
				for (let i = 0; i + 1 < s.pieces.length; i++)
					assert.ok(/[/?&=#]$/.test(s.pieces[i].text) || s.pieces[i + 1].text.startsWith('.'),
					    `a break between "${s.pieces[i].text}" and "${s.pieces[i + 1].text}"`);
				assert.ok(s.overflow <= 0, `a slip overflows by ${s.overflow} px`);
			}
			await screenshot(slips, 'ux-slips-print');
			const png = path.join(srv.dir, 'ux-slip-qr.png');
			await slips.emulateMedia({ media: 'screen' });
			await slips.locator('.slip .qr').first().screenshot({ path: png });
			const read = await decodeQr(png);
			if (read !== null)
				assert.match(read[0], new RegExp(`^${PUBLIC.replace(/\./g, '\\.')}/respond/\\?round=${id}#code=`));
			await slips.pdf({ path: path.join(SHOTS, 'ux-slips.pdf'), format: 'A4' });
			assert.deepEqual(slips.problems, []);
			await slips.close();
		} finally {
			await context.close();
		}
	});
}

// ---- 5. chart value labels and the target line ----

// Every value label of the charts on the page against the target line and
// its own bar: {overlaps: [...], outside: [...], labels}.
function labelCheck(page, sel) {
	return page.evaluate((s) => {
		const out = { overlaps: [], outside: [], labels: 0 };
		for (const svg of document.querySelectorAll(s)) {
			const line = svg.querySelector('line.target').getBoundingClientRect();
			for (const g of svg.querySelectorAll('g.bar')) {
				const v = g.querySelector('text.val');
				if (!v)
					continue;
				out.labels++;
				const b = v.getBoundingClientRect();
				if (b.right >= line.left - 1 && b.left <= line.right + 1 && b.bottom >= line.top && b.top <= line.bottom)
					out.overlaps.push(`${svg.id}: ${v.textContent} [${b.left.toFixed(1)}, ${b.right.toFixed(1)}] vs line at ${line.left.toFixed(1)}`);
				if (v.classList.contains('val-in')) {
					const r = g.querySelector('rect').getBoundingClientRect();
					if (b.left < r.left || b.right > r.right + 0.5)
						out.outside.push(`${svg.id}: ${v.textContent} leaves its bar`);
				}
				const chart = svg.getBoundingClientRect();
				if (b.right > chart.right + 0.5)
					out.outside.push(`${svg.id}: ${v.textContent} leaves the chart`);
			}
		}
		return out;
	}, sel);
}

for (const [name, viewport] of WIDTHS) {
	test(`chart values never cross the target line (${name})`, { timeout: 120000 }, async () => {
		const { context, page } = await newPage(browser, { viewport });
		try {
			await loginPage(page, srv.url, 'alice');
			// Values around the target of 85, where a label after its bar
			// would run over the line, drawn by the console's own module.
			const values = [0, 20, 70, 78, 80, 81.5, 82, 83, 83.5, 84, 84.5, 84.9, 85, 85.5, 86, 99.99, 100];
			await page.evaluate(async (vals) => {
				const { barChart } = await import('/admin/js/chart.js');
				const main = document.querySelector('main');
				for (const compact of [false, true])
					main.append(barChart({ id: `probe-${compact}`, title: 'probe', target: 85, compact,
					    bars: vals.map((v, i) => ({ label: `${i}. probe`, value: v, kind: i === 1 ? 'oit' : null })) }));
			}, values);
			let c = await labelCheck(page, 'svg[id^="probe-"]');
			assert.equal(c.labels, 2 * values.length);
			assert.deepEqual(c.overlaps, []);
			assert.deepEqual(c.outside, []);

			await page.goto(`${srv.url}/admin/round.html?id=${R.prelim}`);
			await ready(page);
			await page.waitForSelector('#score-chart');
			assert.equal(await page.locator('#score-chart').evaluate((s) => s.classList.contains('compact')),
			    name === 'phone', 'the phone layout on a phone');
			c = await labelCheck(page, '#score-chart');
			assert.equal(c.labels, 5);
			assert.deepEqual(c.overlaps, []);
			assert.deepEqual(c.outside, []);

			await page.goto(`${srv.url}/admin/ita.html`);
			await ready(page);
			await page.selectOption('#ita-iit', R.prelim);
			await page.selectOption('#ita-eit', R.eit);
			await page.check('#ita-oit-on');
			await page.fill('#ita-oit', '83.5');
			await page.click('#ita-go');
			await page.waitForSelector('#ita-chart');
			c = await labelCheck(page, '#ita-chart');
			assert.equal(c.labels, 9);
			assert.deepEqual(c.overlaps, []);
			assert.deepEqual(c.outside, []);
			await page.locator('#ita-chart').screenshot({ path: path.join(SHOTS, `ux-ita-chart-${name}.png`) });
			assert.deepEqual(page.problems, []);
		} finally {
			await context.close();
		}
	});
}
