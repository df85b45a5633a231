// SPDX-License-Identifier: ISC
// The OIT evidence desk's proof of availability and its OIT estimate:
// GET /api/v1/admin/oit/report (JSON, the three CSVs, XLSX) and
// /oit/estimate, "ita-survey oit report", and the ITA overview with the
// estimate or a typed-in override.  What the watcher would have recorded
// is seeded with sqlite3 on fixed local days of March 2024, and every
// figure is checked against one worked out by hand below.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	startServer, adminLogin, get, sql, run, assertError, createRound, issueTokens, addKiosk, getForm,
	makeAnswers, post, uuid, BIN, ROOT, PASSWORD, AS_ROOT,
} from '../lib/server.mjs';
import { readBack } from '../lib/xlsx.mjs';

let srv, alice, victor;
const api = (p) => `${srv.url}/api/v1/admin${p}`;

// Local time (the server's zone is the test's), in unix seconds.
const D = (y, m, d, hh = 0, mm = 0) => Math.floor(new Date(y, m - 1, d, hh, mm).getTime() / 1000);
const q = (s) => (s === null ? 'NULL' : typeof s === 'number' ? String(s) : `'${String(s).replace(/'/g, "''")}'`);
const values = (rows) => rows.map((r) => `(${r.map(q).join(', ')})`).join(', ');

const CL = 'oit-2563';
const HOSTILE = "=cmd|' /C calc'!A0";
const SITE = 'https://www.example.go.th';
const SHA = 'ab'.repeat(32);

// [id, item, url, state now, removed_at]
const URLS = [
	[1, 'o1', `${SITE}/structure`, 'up', null],
	[2, 'o2', `${SITE}/executives`, 'down', null],
	[3, 'o3', `${SITE}/duties`, 'up', null],
	[4, 'o4', `${SITE}/plan`, 'suspect', null],
	[5, 'o6', `${SITE}/laws`, 'up', null],
	[6, 'o6', `${SITE}/laws-2`, 'unknown', null],
	[7, 'o34', `${SITE}/integrity`, 'up', null],
	[8, 'o35', `${SITE}/participation`, 'up', null],
	[9, 'o35', 'https://old.example.go.th/participation', 'down', D(2024, 3, 2, 12)],
	[10, 'o8', HOSTILE, 'up', null],
	[11, 'o9', `${SITE}/gone`, 'down', D(2024, 1, 1)],
];

async function seed() {
	await sql(srv.db, [
		// Checked just now, on a daily schedule: the watcher leaves them be.
		`INSERT INTO oit_urls (id, checklist, item, url, added_at, added_by, removed_at, state, checked_at) VALUES ${
		    values(URLS.map(([id, item, url, state, rm]) => [id, CL, item, url, D(2024, 1, 1), 'alice', rm, state,
			Math.floor(Date.now() / 1000)]))}`,
		`INSERT INTO oit_items (checklist, item, ready, updated_at) VALUES ${values(
		    [['o1', 1], ['o2', 1], ['o3', 0], ['o4', 1], ['o5', 1], ['o6', 1], ['o34', 1], ['o35', 1]]
			.map(([i, r]) => [CL, i, r, D(2024, 1, 1)]))}`,
		// url, day, checks, up, suspect, down, ttfb_ms_sum, ttfb_ms_max
		`INSERT INTO oit_daily VALUES ${values([
		    [1, '2024-02-29', 96, 0, 0, 96, 0, 0],
		    [1, '2024-03-01', 96, 96, 0, 0, 9600, 150],
		    [1, '2024-03-02', 96, 94, 0, 2, 11280, 300],
		    [1, '2024-03-03', 96, 96, 0, 0, 9600, 150],
		    [2, '2024-03-01', 96, 48, 0, 48, 4800, 200],
		    [2, '2024-03-02', 96, 0, 0, 96, 0, 0],
		    [4, '2024-03-01', 96, 90, 6, 0, 9600, 120],
		    [9, '2024-03-01', 96, 96, 0, 0, 9600, 100],
		    [9, '2024-03-02', 48, 0, 0, 48, 0, 0],
		    [10, '2024-03-01', 10, 10, 0, 0, 500, 60],
		    [11, '2024-02-01', 96, 0, 0, 96, 0, 0]])}`,
		`INSERT INTO oit_alerts (url_id, kind, opened_at, closed_at, detail) VALUES ${values([
		    [1, 'cert', D(2024, 2, 20), D(2024, 3, 1, 6), '{}'],
		    [1, 'down', D(2024, 3, 2, 10), D(2024, 3, 2, 10, 30), '{}'],
		    [2, 'down', D(2024, 3, 1, 12), null, '{}'],
		    [2, 'down', D(2024, 2, 1), D(2024, 2, 2), '{}'],
		    [9, 'offsite', D(2024, 3, 3, 1), null, '{}']])}`,
		// url, at, state, status, final_url, on_site, ttfb_ms, size, ctype, sha256, cert_days, error
		`INSERT INTO oit_changes (url_id, at, state, status, final_url, on_site, ttfb_ms, size, ctype, sha256,
		    cert_days, error) VALUES ${values([
		    [1, D(2024, 2, 29, 23), 'down', 0, null, null, null, 0, null, null, null, 'timeout'],
		    [1, D(2024, 3, 1, 0, 5), 'up', 200, `${SITE}/structure`, 1, 100, 5000, 'text/html', SHA, 40, null],
		    [1, D(2024, 3, 2, 10), 'down', 503, `${SITE}/structure`, 1, 80, 100, 'text/html', null, 40,
			'http_status'],
		    [1, D(2024, 3, 2, 10, 30), 'up', 200, `${SITE}/structure`, 1, 110, 5000, 'text/html', SHA, 40, null],
		    [2, D(2024, 3, 1, 12), 'down', 0, null, null, null, 0, null, null, null, 'timeout'],
		    [10, D(2024, 3, 1, 9), 'up', 200, '@SUM(1+1)', 0, 50, 10, 'text/html', SHA, -1, null]])}`,
	].join('; '));
}

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv);
	victor = await adminLogin(srv, 'victor', { role: 'viewer' });
	await srv.cli(['settings', 'set', 'agency', 'กรมตัวอย่าง']);
	await srv.cli(['settings', 'set', 'oit.host', 'www.example.go.th']);
	await srv.cli(['settings', 'set', 'oit.interval', '86400']);
	await seed();
});

after(async () => {
	await srv?.stop();
});

const report = (query, who = victor) => get(api(`/oit/report?${query}`), who.headers);
const RANGE = 'from=2024-03-01&to=2024-03-02';

describe('the report of 1 to 2 March 2024', () => {
	let doc;
	const byId = (id) => doc.urls.find((u) => u.id === id);

	before(async () => {
		const r = await report(RANGE);
		assert.equal(r.status, 200, r.text);
		doc = r.json;
	});

	test('says what it covers', () => {
		assert.equal(doc.from, '2024-03-01');
		assert.equal(doc.to, '2024-03-02');
		assert.equal(doc.days, 2);
		assert.equal(doc.agency, 'กรมตัวอย่าง');
		assert.equal(doc.host, 'www.example.go.th');
		assert.deepEqual([doc.checklist.id, doc.checklist.fiscal_year], [CL, 2563]);
		assert.ok(Math.abs(doc.generated_at - Date.now() / 1000) < 120);
	});

	test('URLs watched now or checked in the range, in checklist order', () => {
		// 11 was removed before the range and not checked in it.
		assert.deepEqual(doc.urls.map((u) => u.id), [1, 2, 3, 4, 5, 6, 10, 7, 8, 9]);
		assert.equal(byId(9).removed, true);
		assert.equal(byId(9).removed_at, D(2024, 3, 2, 12));
		assert.equal(byId(1).removed, false);
		assert.deepEqual(byId(1).item_name, { th: 'โครงสร้าง', en: 'Organisation structure' });
	});

	test('counts and uptime of the days in the range only', () => {
		const u1 = byId(1);
		assert.deepEqual([u1.checks, u1.up, u1.suspect, u1.down], [192, 190, 0, 2]);
		assert.equal(u1.uptime, 98.96);			// 190 / 192
		assert.equal(u1.ttfb_ms_avg, 110);		// 20880 / 190
		assert.equal(byId(2).uptime, 25);
		assert.equal(byId(4).uptime, 93.75);		// 90 / 96, 6 suspect
		assert.equal(byId(9).uptime, 66.67);		// 96 / 144
		assert.equal(byId(3).uptime, null, 'no checks: no uptime');
		assert.equal(byId(3).ttfb_ms_avg, null);
		assert.deepEqual(doc.totals, { urls: 10, checks: 634, up: 434, suspect: 6, down: 194,
		    uptime: 68.45, incidents: 3, downtime_s: 131400 });
	});

	test('incidents, cut to the range', () => {
		assert.deepEqual(byId(1).incidents, [
		    { kind: 'cert', opened_at: D(2024, 2, 20), closed_at: D(2024, 3, 1, 6), duration_s: 6 * 3600 },
		    { kind: 'down', opened_at: D(2024, 3, 2, 10), closed_at: D(2024, 3, 2, 10, 30), duration_s: 1800 }]);
		assert.equal(byId(1).downtime_s, 1800, 'only down incidents count as downtime');
		// Still open: up to the end of the range.
		assert.deepEqual(byId(2).incidents, [
		    { kind: 'down', opened_at: D(2024, 3, 1, 12), closed_at: null, duration_s: 36 * 3600 }]);
		assert.deepEqual(byId(9).incidents, [], 'opened after the range');
	});

	test('the check log of the range', () => {
		assert.deepEqual(byId(1).log.map((l) => [l.at, l.state, l.status, l.error]), [
		    [D(2024, 3, 1, 0, 5), 'up', 200, null],
		    [D(2024, 3, 2, 10), 'down', 503, 'http_status'],
		    [D(2024, 3, 2, 10, 30), 'up', 200, null]]);
		assert.deepEqual(byId(1).log[0], { at: D(2024, 3, 1, 0, 5), state: 'up', status: 200,
		    final_url: `${SITE}/structure`, on_site: true, ttfb_ms: 100, size: 5000, sha256: SHA,
		    cert_days: 40, error: null });
		assert.deepEqual(byId(2).log[0], { at: D(2024, 3, 1, 12), state: 'down', status: 0, final_url: null,
		    on_site: null, ttfb_ms: null, size: 0, sha256: null, cert_days: null, error: 'timeout' });
		assert.equal(byId(1).truncated, false);
		assert.equal(doc.log_truncated, false);
	});

	test('each item: ready, state now, uptime', () => {
		assert.equal(doc.items.length, 43);
		const it = Object.fromEntries(doc.items.map((i) => [i.code, i]));
		assert.deepEqual([it.o1.ready, it.o1.state_now, it.o1.uptime], [true, 'up', 98.96]);
		assert.deepEqual([it.o3.ready, it.o3.state_now], [false, 'up']);
		assert.deepEqual([it.o5.state_now, it.o5.uptime], ['no_url', null]);
		assert.deepEqual([it.o6.state_now, it.o6.urls], ['unknown', 2], 'the worst of its URLs');
		// The removed URL counts in the uptime, not in the state now.
		assert.deepEqual([it.o35.state_now, it.o35.urls, it.o35.uptime], ['up', 1, 66.67]);
		assert.equal(it.o34.indicator, '10');
	});
});

test('the CSVs: summary, log and incidents, with a BOM and no formula cells', async () => {
	let r = await report(`${RANGE}&format=csv`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="oit-report-2024-03-01-2024-03-02\.csv"/);
	assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	let lines = r.text.slice(1).split('\r\n');
	assert.equal(lines[0], 'item,item_name_th,url,checks,up,suspect,down,uptime_percent,incidents,downtime_minutes');
	assert.equal(lines.length, 1 + 10 + 1, 'a row per URL, CRLF after each');
	assert.equal(lines[1], `o1,โครงสร้าง,${SITE}/structure,192,190,0,2,98.96,2,30`);
	assert.equal(lines[2], `o2,ข้อมูลผู้บริหาร,${SITE}/executives,192,48,0,144,25.00,1,2160`);
	assert.ok(lines.includes(`o3,อำนาจหน้าที่,${SITE}/duties,0,0,0,0,"",0,0`), 'no checks: no uptime');
	// The hostile URL is a quoted text cell starting with an apostrophe.
	assert.ok(lines.some((l) => l.startsWith(`o8,`) && l.includes(`"'${HOSTILE}"`)), lines.join('\n'));

	r = await report(`${RANGE}&format=csv&part=log`);
	assert.match(r.headers.get('content-disposition'), /filename="oit-log-2024-03-01-2024-03-02\.csv"/);
	lines = r.text.slice(1).split('\r\n').filter(Boolean);
	assert.equal(lines[0], 'time_utc,item,url,state,status,final_url,on_site,ttfb_ms,size,sha256,cert_days,error');
	assert.equal(lines.length, 1 + 5);
	const t = new Date(D(2024, 3, 2, 10) * 1000).toISOString().replace(/\.000Z$/, 'Z');
	assert.equal(lines[2], `${t},o1,${SITE}/structure,down,503,${SITE}/structure,true,80,100,"",40,http_status`);
	assert.ok(lines.some((l) => l.includes(`"'${HOSTILE}"`) && l.includes(`"'@SUM(1+1)",false`)), lines.join('\n'));

	r = await report(`${RANGE}&format=csv&part=incidents`);
	lines = r.text.slice(1).split('\r\n').filter(Boolean);
	assert.equal(lines[0], 'item,url,kind,opened_utc,closed_utc,duration_s');
	assert.equal(lines.length, 1 + 3);
	assert.match(lines[3], new RegExp(`^o2,${SITE}/executives,down,[0-9T:Z-]+,"",129600$`));
});

test('the workbook: uptime, incidents and log sheets, read back', async () => {
	const r = await report(`${RANGE}&format=xlsx`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-disposition'), /filename="oit-report-2024-03-01-2024-03-02\.xlsx"/);
	const book = await readBack(r.buf);
	assert.deepEqual(book.names, ['ความพร้อมใช้งาน', 'เหตุขัดข้อง', 'บันทึกการตรวจ']);
	const up = book.sheets['ความพร้อมใช้งาน'];
	assert.ok(up.some((row) => row[0] === 'หน่วยงาน / Agency' && row[1] === 'กรมตัวอย่าง'));
	assert.ok(up.some((row) => row[0] === 'เว็บไซต์หลัก / Main website' && row[1] === 'www.example.go.th'));
	assert.ok(up.some((row) => row[0] === 'ช่วงวันที่ / Date range' && /^2024-03-01 to 2024-03-02/.test(row[2])));
	const row1 = up.find((row) => row[3] === `${SITE}/structure`);
	assert.deepEqual(row1.slice(0, 11), ['o1', 'โครงสร้าง', 'Organisation structure', `${SITE}/structure`,
	    '192', '190', '0', '2', '98.96', '2', '30']);
	assert.ok(up.some((row) => row[3] === HOSTILE), 'a text cell, never a formula');
	assert.match(book.parts.get('xl/worksheets/sheet1.xml').toString(), /<conditionalFormatting sqref="I\d+:I\d+">/,
	    'uptime coloured by its value');
	const inc = book.sheets['เหตุขัดข้อง'];
	assert.equal(inc.filter((row) => row[0] === 'o1' || row[0] === 'o2').length, 3);
	assert.ok(inc.some((row) => row[0] === 'o2' && row[4] === 'ยังไม่สิ้นสุด / still open' && row[5] === '2160'));
	const log = book.sheets['บันทึกการตรวจ'];
	assert.equal(log.filter((row) => /^2024-03-0[12] /.test(row[0])).length, 5);
});

test('bad ranges and formats are 400; viewers may read; strangers may not', async () => {
	for (const bad of ['', 'from=2024-03-01', 'to=2024-03-02', 'from=2024-03-02&to=2024-03-01',
	    'from=2024-02-30&to=2024-03-01', 'from=2024-3-1&to=2024-03-02', 'from=2000-01-01&to=2024-01-01',
	    'from=x&to=y'])
		assertError(assert, await report(bad), 400, 'bad_range', bad);
	// A year is fine; 3660 days is the most.
	assert.equal((await report('from=2023-03-03&to=2024-03-02')).status, 200);
	for (const bad of ['format=pdf', 'format=json&part=log', 'format=csv&part=all', 'format=xlsx&part=log'])
		assertError(assert, await report(`${RANGE}&${bad}`), 400, 'bad_request', bad);
	assertError(assert, await get(api(`/oit/report?${RANGE}`)), 401, 'unauthorized');
	assertError(assert, await get(api('/oit/estimate')), 401, 'unauthorized');
	assert.equal((await report(RANGE, alice)).status, 200);
});

test('oit report on the command line', async () => {
	let c = await srv.cli(['oit', 'report', '--from', '2024-03-01', '--to', '2024-03-02', '--format', 'json']);
	assert.equal(c.code, 0, c.stderr);
	const doc = JSON.parse(c.stdout);
	assert.equal(doc.totals.uptime, 68.45);
	c = await srv.cli(['oit', 'report', '--from', '2024-03-01', '--to', '2024-03-02', '--format', 'csv',
	    '--part', 'incidents']);
	assert.equal(c.code, 0, c.stderr);
	assert.equal(c.stdout.split('\r\n').filter(Boolean).length, 4);
	const file = path.join(srv.dir, 'r.xlsx');
	c = await srv.cli(['oit', 'report', '--from', '2024-03-01', '--to', '2024-03-02', '--format', 'xlsx',
	    '--output', file]);
	assert.equal(c.code, 0, c.stderr);
	assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK');
	assert.equal((fs.statSync(file).mode & 0o777), 0o600);
	for (const bad of [['--from', '2024-03-01', '--format', 'csv'],
	    ['--from', '2024-03-02', '--to', '2024-03-01', '--format', 'csv'],
	    ['--from', '2024-03-01', '--to', '2024-03-02', '--format', 'pdf'],
	    ['--from', '2024-03-01', '--to', '2024-03-02', '--format', 'csv', '--bogus']]) {
		c = await srv.cli(['oit', 'report', ...bad]);
		assert.equal(c.code, 2, `${bad.join(' ')}: ${c.stderr}`);
		assert.match(c.stderr, /usage: ita-survey oit report/);
	}
	c = await srv.cli(['oit', 'report', '--help']);
	assert.equal(c.code, 0);
	assert.match(c.stdout, /--from DATE --to DATE/);
});

describe('the OIT estimate', () => {
	test('an item scores 100 only when ready and every URL up; indicators are means, OIT their weighted mean', async () => {
		const r = await get(api('/oit/estimate'), victor.headers);
		assert.equal(r.status, 200, r.text);
		const d = r.json;
		assert.equal(d.checklist.id, CL);
		const it = Object.fromEntries(d.items.map((i) => [i.code, [i.score, i.reason]]));
		assert.deepEqual(it.o1, [100, 'ok']);
		assert.deepEqual(it.o2, [0, 'down']);
		assert.deepEqual(it.o3, [0, 'not_ready']);
		assert.deepEqual(it.o4, [0, 'suspect']);
		assert.deepEqual(it.o5, [0, 'no_url']);
		assert.deepEqual(it.o6, [0, 'unknown'], 'one URL up, one never checked');
		assert.deepEqual(it.o7, [0, 'not_ready'], 'nothing said, no URL');
		assert.deepEqual(it.o34, [100, 'ok']);
		assert.deepEqual(it.o35, [100, 'ok'], 'a removed URL that is down does not count');
		// 1 of 33 items, 2 of 10; weights 20 and 20.
		assert.deepEqual(d.indicators.map((i) => [i.code, i.weight, i.score, i.items_ready_up, i.items]),
		    [['9', 20, 3.03, 1, 33], ['10', 20, 20, 2, 10]]);
		assert.equal(d.score, 11.52, '(3.03 × 20 + 20 × 20) / 40, half up');
	});

	test('it follows the last check', async () => {
		await sql(srv.db, "UPDATE oit_urls SET state = 'up' WHERE id = 2");
		const d = (await get(api('/oit/estimate'), victor.headers)).json;
		assert.deepEqual(d.indicators.map((i) => i.score), [6.06, 20]);
		assert.equal(d.score, 13.03);
		await sql(srv.db, "UPDATE oit_urls SET state = 'down' WHERE id = 2");
	});
});

// Five answers to an IIT round by code and an EIT round by kiosk: both
// published.  Resolves their ids.
async function publishedRounds() {
	const iit = await createRound(srv, 'ita-2563-iit', { title: 'IIT' });
	const codes = await issueTokens(srv, iit, 5);
	let form = await getForm(srv, iit);
	for (const token of codes) {
		const r = await post(`${srv.url}/api/v1/rounds/${iit}/responses`,
		    { submission_id: uuid(), token, answers: makeAnswers(form) });
		assert.equal(r.status, 201, r.text);
	}
	const eit = await createRound(srv, 'ita-2563-eit', { title: 'EIT' });
	const key = await addKiosk(srv, eit, 'Counter');
	form = await getForm(srv, eit);
	for (let i = 0; i < 5; i++) {
		const r = await post(`${srv.url}/api/v1/rounds/${eit}/responses`,
		    { submission_id: uuid(), answers: makeAnswers(form, (q, v) => v[v.length - 1]) },
		    { authorization: `Kiosk ${key}` });
		assert.equal(r.status, 201, r.text);
	}
	return { iit, eit };
}

test('the ITA overview uses the estimate unless a score is typed in', async () => {
	const { iit, eit } = await publishedRounds();
	const est = await get(api(`/ita?iit=${iit}&eit=${eit}`), victor.headers);
	assert.equal(est.status, 200, est.text);
	const d = est.json;
	assert.equal(d.oit.source, 'estimate');
	assert.equal(d.oit.score, 11.52);
	assert.equal(d.oit.weight, 40);
	assert.deepEqual(d.oit.indicators.map((i) => [i.code, i.score]), [['9', 3.03], ['10', 20]]);
	assert.equal(d.oit.checklist.id, CL);
	const last = d.indicators[d.indicators.length - 1];
	assert.deepEqual([last.code, last.score, last.weight, last.source], ['OIT', 11.52, 40, 'estimate']);
	const sum = d.indicators.reduce((s, p) => s + Math.round(p.score * 100) * p.weight, 0);
	assert.equal(Math.round(d.score * 100), Math.floor((sum + 50) / 100), 'weighted mean, half up');

	const ov = (await get(api(`/ita?iit=${iit}&eit=${eit}&oit=11.52`), victor.headers)).json;
	assert.deepEqual(ov.oit, { source: 'override', estimate: 11.52, score: 11.52, weight: 40 });
	assert.equal(ov.score, d.score, 'the same score typed in gives the same result');
	const hi = (await get(api(`/ita?iit=${iit}&eit=${eit}&oit=90`), victor.headers)).json;
	assert.equal(hi.oit.score, 90);
	assert.equal(hi.indicators[hi.indicators.length - 1].source, 'override');
	assert.ok(Math.abs(hi.score - d.score - (90 - 11.52) * 0.4) < 0.011);
	assertError(assert, await get(api(`/ita?iit=${iit}&eit=${eit}&oit=`), victor.headers), 422, 'bad_oit');
	assertError(assert, await get(api(`/ita?iit=${iit}`), victor.headers), 400, 'bad_request');
});

// A server whose forms folder has no OIT checklist: no estimate, so the
// overview needs a typed-in score.
test('without a checklist the overview asks for a score (422 no_oit)', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-oit-nocl-'));
	const forms = path.join(dir, 'forms');
	fs.mkdirSync(forms);
	for (const f of fs.readdirSync(path.join(ROOT, 'forms')))
		if (/^ita-.*\.json$/.test(f))
			fs.copyFileSync(path.join(ROOT, 'forms', f), path.join(forms, f));
	const common = ['--db', path.join(dir, 'db'), '--secret', path.join(dir, 'secret.key'), '--forms', forms,
	    '--web', 'web', '--migrations', 'migrations'];
	let p;
	try {
		assert.equal((await run(BIN, ['migrate', ...common])).code, 0);
		assert.equal((await run(BIN, ['admin', 'add', 'alice', ...common], { input: `${PASSWORD}\n` })).code, 0);
		p = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...AS_ROOT, ...common],
		    { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
		const url = await new Promise((resolve, reject) => {
			let out = '';
			p.stdout.on('data', (d) => {
				out += d;
				const m = /^listening on (http:\/\/[^\s]+)\n/.exec(out);
				if (m)
					resolve(m[1]);
			});
			p.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
		});
		const login = await post(`${url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD });
		const h = { cookie: /ita_session=[^;]+/.exec(login.headers.get('set-cookie'))[0] };
		assertError(assert, await get(`${url}/api/v1/admin/ita?iit=1&eit=2`, h), 422, 'no_oit');
		assertError(assert, await get(`${url}/api/v1/admin/ita?iit=1&eit=2&oit=50`, h), 404, 'not_found',
		    'a typed-in score needs no checklist');
		assertError(assert, await get(`${url}/api/v1/admin/oit/estimate`, h), 404, 'no_checklist');
		const r = await get(`${url}/api/v1/admin/oit/report?${RANGE}`, h);
		assert.equal(r.status, 200);
		assert.deepEqual([r.json.checklist, r.json.items, r.json.urls], [null, [], []]);
	} finally {
		if (p && p.exitCode === null) {
			const done = new Promise((resolve) => p.once('exit', resolve));
			p.kill('SIGTERM');
			await done;
		}
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
