// SPDX-License-Identifier: ISC
// The audit log as an administrator reads it: every admin action and every
// failed login (the name tried, never the password), each line's facts and
// its sentence in Thai and English, filters by day, user and action that
// reach past the newest page, paging, and a CSV download a spreadsheet
// opens; bad filters answer 400 and viewers 403.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	PASSWORD, startServer, createRound, adminLogin, post, get, sql, assertError,
} from '../lib/server.mjs';

let srv, alice, bob, round;
const WRONG = 'not-the-password-9f3c';
const api = (p) => `${srv.url}/api/v1/admin${p}`;
const audit = async (q = '') => {
	const r = await get(api(`/audit${q}`), alice.headers);
	assert.equal(r.status, 200, r.text);
	return r.json;
};

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	bob = await adminLogin(srv, 'bob', { role: 'viewer' });
	round = await createRound(srv, 'ita-2563-iit', { title: '=HYPERLINK("x") รอบทดสอบ', open: false });
	for (const username of ['alice', 'nobody-here', 'evil\u0007name'])
		assert.equal((await post(`${srv.url}/api/v1/admin/login`, { username, password: WRONG })).status, 401);
});

after(async () => {
	await srv?.stop();
});

test('a failed login is a line with the name tried and never the password', async () => {
	const { audit: lines } = await audit('?action=login.fail');
	const users = lines.map((l) => l.user).sort();
	assert.deepEqual(users, ['alice', 'evil?name', 'nobody-here'], 'control characters shown as ?');
	for (const l of lines) {
		assert.equal(l.action, 'login.fail');
		assert.deepEqual(l.facts, { user: l.user });
		assert.equal(l.text.en, `failed sign-in as "${l.user}"`);
		assert.equal(l.text.th, `เข้าสู่ระบบไม่สำเร็จ ด้วยชื่อผู้ใช้ "${l.user}"`);
	}
	const dump = await sql(srv.db, 'SELECT * FROM audit_log');
	assert.ok(!JSON.stringify(dump).includes(WRONG), 'the password is nowhere in the log');
	assert.ok(!JSON.stringify(dump).includes(PASSWORD), 'nor the right one');
	assert.ok(!srv.stderr().includes(WRONG), 'nor in the server log');
});

test('lines carry facts and Thai and English sentences', async () => {
	const { audit: lines } = await audit('?action=round.create');
	const l = lines.find((x) => x.facts?.round === round);
	assert.ok(l, JSON.stringify(lines));
	assert.equal(l.user, 'cli');
	assert.equal(l.facts.title, '=HYPERLINK("x") รอบทดสอบ');
	assert.match(l.text.th, /^สร้างรอบ \d+ "=HYPERLINK\("x"\) รอบทดสอบ" \(แบบ ita-2563-iit จำนวนประชากร 0\)$/);
	assert.equal(l.text.en, l.detail);
	// Viewer accounts are not called admin accounts.
	const add = (await audit('?action=admin.add')).audit.find((x) => x.facts.user === 'bob');
	assert.equal(add.text.en, 'added account "bob" (viewer)');
	assert.equal(add.text.th, 'เพิ่มบัญชี "bob" (ผู้ดูผล)');
});

test('filters by user, action group and day reach past the newest page', async () => {
	// Enough lines that the first page cannot hold them all.
	for (let i = 0; i < 6; i++)
		assert.equal((await post(api(`/rounds/${round}/tokens`), { count: 1 }, alice.headers)).status, 201);
	const mine = await audit('?user=alice');
	assert.ok(mine.audit.length >= 7 && mine.audit.every((l) => l.user === 'alice'));
	const group = await audit('?action=round');
	assert.ok(group.audit.length > 0 && group.audit.every((l) => l.action.startsWith('round.')), 'round.*');
	assert.equal((await audit('?action=roun')).audit.length, 0, 'a group is a whole name');
	// Paging: limit and before, with "more".
	const p1 = await audit('?user=alice&limit=4');
	assert.equal(p1.audit.length, 4);
	assert.equal(p1.more, true);
	const p2 = await audit(`?user=alice&limit=4&before=${p1.audit.at(-1).id}`);
	assert.ok(p2.audit.every((l) => l.id < p1.audit.at(-1).id));
	const all = [...p1.audit, ...p2.audit].map((l) => l.id);
	assert.deepEqual(all, mine.audit.slice(0, all.length).map((l) => l.id), 'pages join up, newest first');
	// Days: today holds everything, a day long past nothing; seconds too.
	const now = Math.floor(Date.now() / 1000);
	assert.equal((await audit('?from=2001-01-01&to=2001-01-31')).audit.length, 0);
	assert.ok((await audit(`?from=${now - 3600}&to=${now + 3600}`)).audit.length > 0);
	assert.equal((await audit(`?to=${now - 86400 * 365}`)).audit.length, 0);
	const today = new Date().toISOString().slice(0, 10);
	assert.ok((await audit(`?from=${today}&to=${today}`)).audit.length > 0 ||
	    (await audit(`?to=${today}`)).audit.length > 0, 'a day given as YYYY-MM-DD');
});

test('bad filters answer 400 and viewers 403', async () => {
	for (const q of ['?from=yesterday', '?to=2026-13-01', '?from=-5', '?limit=0', '?limit=501',
	    '?before=x', '?format=xml', `?user=${'u'.repeat(65)}`, `?action=${'a'.repeat(65)}`])
		assertError(assert, await get(api(`/audit${q}`), alice.headers), 400, 'bad_request', q);
	assertError(assert, await get(api('/audit'), bob.headers), 403, 'forbidden', 'viewer');
	assertError(assert, await get(api('/audit?format=csv'), bob.headers), 403, 'forbidden', 'viewer csv');
	const r = await get(api('/audit'));
	assert.equal(r.status, 401);
});

test('the CSV download: filtered, Thai and English, safe to open', async () => {
	const r = await get(api('/audit?format=csv&action=round.create'), alice.headers);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(r.headers.get('content-disposition') ?? '', /attachment; filename="?audit-log\.csv/);
	assert.ok(r.text.startsWith('\ufeffid,time_utc,user,action,detail_th,detail_en\r\n'), r.text.slice(0, 80));
	const rows = r.text.slice(1).trim().split('\r\n').slice(1);
	assert.ok(rows.length >= 1);
	assert.ok(rows.every((row) => row.includes(',round.create,')), 'only what the filter asks');
	const row = rows.find((x) => x.includes('HYPERLINK'));
	assert.match(row, /^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,cli,round\.create,"สร้างรอบ/);
	assert.ok(!/(^|,)[=+@-]/.test(row.replace(/^\d+,[^,]+,/, '')), 'no cell starts a formula');
	assert.ok(row.endsWith('(form ita-2563-iit, population 0)"'), row);
});
