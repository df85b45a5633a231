// SPDX-License-Identifier: ISC
// The OIT evidence desk's console API and command line (oit.c, api_oit.c,
// cmd_oit.c): evidence URLs added and removed by admins only, with the
// CSRF header, each audited; the fetch rule at entry (without
// --oit-allow-private no loopback, private, link-local or metadata
// address, only http and https, no user name or password); the working
// group's word on an item; the checklist's states at a glance, uptime,
// history and alerts computed from rows the test writes itself (as the
// watcher would), and a kept copy downloaded so that it can never run as
// our page.
//
// Two servers: "open" runs with --oit-allow-private (loopback URLs can be
// added), "strict" without.  Rows written with sqlite3 say they were
// checked just now and the watch interval is a day, so a watcher running
// in the same server leaves them as they are.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
	startServer, adminLogin, request, get, assertError, sql,
} from '../lib/server.mjs';

let open, strict, alice, victor, sAlice;
const NOW = Math.floor(Date.now() / 1000);
// A loopback port nothing listens on: URLs added here point at it.
const DEAD = 'http://127.0.0.1:9';

const api = (srv, p) => `${srv.url}/api/v1/admin/oit${p}`;
const send = (srv, method, p, body, headers) => request(api(srv, p), { method, body, headers });
const addUrl = (item, url, s = alice, srv = open) => send(srv, 'POST', '/urls', { item, url }, s.headers);
const list = async (srv = open) => {
	const r = await get(api(srv, ''), victor.headers);
	assert.equal(r.status, 200, r.text);
	return r.json;
};
const itemOf = (doc, code) => doc.items.find((i) => i.code === code);
const auditLines = async (srv, s, action) => (await get(`${srv.url}/api/v1/admin/audit?action=${action}`,
    s.headers)).json.audit;

// The server's local day n days before today, as oit_daily keeps it.
function day(n) {
	const d = new Date();
	d.setHours(12, 0, 0, 0);
	d.setDate(d.getDate() - n);
	const p = (v) => String(v).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const q = (s) => (s === null ? 'NULL' : typeof s === 'number' ? String(s) : `'${String(s).replace(/'/g, "''")}'`);

// A URL row as the watcher leaves it after a check; resolves its id.
async function seedUrl(srv, item, { state = 'up', url = `https://agency.example/${item}/${crypto.randomUUID()}`,
    status = 200, certDays = 90, removed = null, finalUrl = null, ctype = 'text/html' } = {}) {
	const [{ id }] = await sql(srv.db, `INSERT INTO oit_urls (checklist, item, url, added_at, added_by,
	    removed_at, state, since, fails, checked_at, status, final_url, on_site, ttfb_ms, size, ctype, sha256,
	    cert_days, error) VALUES ('oit-2563', ${q(item)}, ${q(url)}, ${NOW - 86400}, 'seed', ${q(removed)},
	    ${q(state)}, ${NOW - 3600}, 0, ${NOW}, ${status}, ${q(finalUrl ?? url)}, 1, 120, 4096, ${q(ctype)},
	    '${'ab'.repeat(32)}', ${certDays}, ${q(state === 'up' ? null : 'http_status')}) RETURNING id`);
	return id;
}

before(async () => {
	[open, strict] = await Promise.all([startServer({ args: ['--oit-allow-private'] }), startServer()]);
	alice = await adminLogin(open, 'alice');
	victor = await adminLogin(open, 'victor', { role: 'viewer' });
	sAlice = await adminLogin(strict, 'alice');
	for (const srv of [open, strict]) {
		const r = await srv.cli(['settings', 'set', 'oit.interval', '86400']);
		assert.equal(r.code, 0, r.stderr);
	}
});

after(async () => {
	await Promise.all([open?.stop(), strict?.stop()]);
});

describe('the fetch rule at entry', () => {
	test('without --oit-allow-private: loopback, private, link-local refused (422 url_not_public)', async () => {
		for (const url of [`${open.url}/x`, 'http://localhost/', 'http://169.254.169.254/latest/meta-data/',
		    'http://10.1.2.3/', 'http://[::1]/', 'https://192.168.1.1/oit']) {
			const r = await addUrl('o1', url, sAlice, strict);
			assertError(assert, r, 422, 'url_not_public', url);
		}
		const c = await strict.cli(['oit', 'add', '--item', 'o1', '--url', 'http://127.0.0.1/x']);
		assert.equal(c.code, 2, c.stderr);
		assert.match(c.stderr, /loopback, private/);
	});

	test('only http and https, no user name or password (422 bad_url)', async () => {
		for (const url of ['ftp://agency.example/file.pdf', 'http://user:pass@agency.example/',
		    'https://user@agency.example/', 'javascript:alert(1)', 'file:///etc/passwd', 'agency.example/o1',
		    'http://', 'http://agency.example/a b', `https://agency.example/${'a'.repeat(2000)}`]) {
			for (const [s, srv] of [[sAlice, strict], [alice, open]]) {
				const r = await addUrl('o1', url, s, srv);
				assertError(assert, r, 422, 'bad_url', url);
			}
		}
		const c = await open.cli(['oit', 'add', '--item', 'o1', '--url', 'ftp://agency.example/', '--oit-allow-private']);
		assert.equal(c.code, 2, c.stderr);
		assert.deepEqual(await sql(strict.db, 'SELECT count(*) AS n FROM oit_urls'), [{ n: 0 }], 'nothing stored');
		assert.deepEqual(await auditLines(strict, sAlice, 'oit'), [], 'nothing audited');
	});

	test('oit check with nothing watched prints nothing and exits 0', async () => {
		let c = await strict.cli(['oit', 'check']);
		assert.equal(c.code, 0, c.stderr);
		assert.equal(c.stdout, '');
		c = await strict.cli(['oit', 'check', '--json']);
		assert.equal(c.code, 0, c.stderr);
		assert.deepEqual(JSON.parse(c.stdout), []);
	});
});

describe('evidence URLs', () => {
	let id;

	test('an admin adds one: 201 with the URL, never checked yet, audited', async () => {
		const url = `${DEAD}/o1/structure.html`;
		const r = await addUrl('o1', url);
		assert.equal(r.status, 201, r.text);
		id = r.json.id;
		assert.ok(Number.isInteger(id) && id > 0);
		assert.equal(r.json.item, 'o1');
		assert.equal(r.json.url, url);
		assert.equal(r.json.checklist, 'oit-2563');
		assert.equal(r.json.state, 'unknown');
		assert.equal(r.json.checked_at, null);
		assert.equal(r.json.has_copy, false);
		assert.equal(r.json.uptime_30d, null);
		assert.equal(r.json.added_by, 'alice');
		const [line] = await auditLines(open, alice, 'oit.url.add');
		assert.equal(line.user, 'alice');
		assert.deepEqual(line.facts, { checklist: 'oit-2563', item: 'o1', url, id });
		assert.equal(line.text.en, `added evidence URL ${id} ${url} to OIT item o1`);
	});

	test('the same URL twice: 409 url_exists; another item may have it', async () => {
		assertError(assert, await addUrl('o1', `${DEAD}/o1/structure.html`), 409, 'url_exists');
		const r = await addUrl('o2', `${DEAD}/o1/structure.html`);
		assert.equal(r.status, 201, r.text);
		assert.equal((await send(open, 'DELETE', `/urls/${r.json.id}`, undefined, alice.headers)).status, 200);
	});

	test('unknown item 404, bad bodies 400', async () => {
		assertError(assert, await addUrl('o99', `${DEAD}/x`), 404, 'unknown_item');
		assertError(assert, await addUrl('', `${DEAD}/x`), 404, 'unknown_item');
		for (const body of [{ item: 'o1' }, { url: `${DEAD}/x` }, { item: 1, url: `${DEAD}/x` },
		    { item: 'o1', url: `${DEAD}/x`, extra: 1 }, '[]']) {
			const r = await send(open, 'POST', '/urls', body, alice.headers);
			assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
		}
	});

	test('at most 10 URLs per item (422 too_many_urls)', async () => {
		for (let i = 0; i < 10; i++)
			assert.equal((await addUrl('o43', `${DEAD}/o43/${i}`)).status, 201);
		assertError(assert, await addUrl('o43', `${DEAD}/o43/10`), 422, 'too_many_urls');
		const ids = (await sql(open.db, "SELECT id FROM oit_urls WHERE item = 'o43'")).map((r) => r.id);
		for (const u of ids)
			assert.equal((await send(open, 'DELETE', `/urls/${u}`, undefined, alice.headers)).status, 200);
	});

	test('viewers and requests without the CSRF header cannot write', async () => {
		const before = await sql(open.db, 'SELECT count(*) AS n FROM oit_urls');
		assertError(assert, await addUrl('o1', `${DEAD}/v`, victor), 403, 'forbidden', 'viewer');
		assertError(assert, await send(open, 'DELETE', `/urls/${id}`, undefined, victor.headers), 403, 'forbidden');
		const { cookie } = alice.headers;
		for (const h of [{ cookie }, { cookie, 'x-csrf-token': 'garbage' }, { cookie, 'x-csrf-token': victor.csrf }]) {
			assertError(assert, await send(open, 'POST', '/urls', { item: 'o1', url: `${DEAD}/c` }, h), 403, 'csrf');
			assertError(assert, await send(open, 'DELETE', `/urls/${id}`, undefined, h), 403, 'csrf');
			assertError(assert, await send(open, 'PATCH', '/items/o1', { ready: true }, h), 403, 'csrf');
		}
		assert.deepEqual(await sql(open.db, 'SELECT count(*) AS n FROM oit_urls'), before);
		assertError(assert, await get(api(open, '')), 401, 'unauthorized');
		assertError(assert, await get(api(open, '/alerts')), 401, 'unauthorized');
		assertError(assert, await get(api(open, `/urls/${id}/copy`)), 401, 'unauthorized');
	});
});

describe('the group\'s word on an item', () => {
	test('PATCH ready, note, owner: 200 with the item, audited', async () => {
		let r = await send(open, 'PATCH', '/items/o1', { ready: true, note: 'ตรวจแล้ว 1 ต.ค.', owner: 'งานไอที' },
		    alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.code, 'o1');
		assert.equal(r.json.ready, true);
		assert.equal(r.json.note, 'ตรวจแล้ว 1 ต.ค.');
		assert.equal(r.json.owner, 'งานไอที');
		assert.equal(r.json.updated_by, 'alice');
		assert.equal(r.json.urls.length, 1);
		// One field leaves the others as they were.
		r = await send(open, 'PATCH', '/items/o1', { note: '' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual([r.json.ready, r.json.note, r.json.owner], [true, '', 'งานไอที']);
		const [line] = await auditLines(open, alice, 'oit.item.set');
		assert.deepEqual(line.facts, { checklist: 'oit-2563', item: 'o1', ready: 'yes', note: '', owner: 'งานไอที',
		    changed: ['note'] });
		assert.equal(line.text.th, 'ตั้งข้อ o1 ของ OIT: เนื้อหาพร้อมแล้ว ผู้รับผิดชอบ "งานไอที"');
	});

	test('anything else is 422 bad_item; an unknown item 404; a viewer 403', async () => {
		const before = (await auditLines(open, alice, 'oit.item.set')).length;
		for (const body of [{}, { ready: 'yes' }, { ready: 1 }, { color: 'red' }, { ready: true, extra: 1 },
		    { note: 'a'.repeat(1001) }, { owner: 'b'.repeat(201) }, { owner: 'two\nlines' }, { note: 'bell\u0007' },
		    { note: 5 }, '[]']) {
			const r = await send(open, 'PATCH', '/items/o1', body, alice.headers);
			assert.ok(r.status === 422 || r.status === 400, `${JSON.stringify(body)}: ${r.status}`);
			assertError(assert, r, r.status, r.status === 422 ? 'bad_item' : 'bad_request', JSON.stringify(body));
		}
		assert.equal((await send(open, 'PATCH', '/items/o1', { note: 'a'.repeat(1000), owner: 'b'.repeat(200) },
		    alice.headers)).status, 200, 'the bounds themselves pass');
		assertError(assert, await send(open, 'PATCH', '/items/o99', { ready: true }, alice.headers), 404, 'unknown_item');
		assertError(assert, await send(open, 'PATCH', '/items/o1', { ready: false }, victor.headers), 403, 'forbidden');
		for (const p of ['/items/O1', '/items/', '/items/o_1', `/items/${'o'.repeat(17)}`, '/items/o1/x'])
			assertError(assert, await get(api(open, p), victor.headers), 404, 'not_found', p);
		assert.equal((await auditLines(open, alice, 'oit.item.set')).length, before + 1);
	});
});

describe('states, uptime, history, alerts and copies from the watcher\'s rows', () => {
	const ids = {};
	const body = Buffer.from('<html><body><script>alert(document.cookie)</script>ข้อมูล OIT</body></html>');

	before(async () => {
		// o1's URL was never checked: a watcher would check it soon.
		for (const { id } of await sql(open.db, "SELECT id FROM oit_urls WHERE item = 'o1'"))
			assert.equal((await send(open, 'DELETE', `/urls/${id}`, undefined, alice.headers)).status, 200);
		// o3 up and ready; o4 up, not ready; o5 up + down; o6 up + suspect;
		// o7 up + never checked; o8 only a removed URL; o2 nothing.
		ids.o3 = await seedUrl(open, 'o3', { certDays: 12, finalUrl: 'https://agency.example/o3/final' });
		ids.o4 = await seedUrl(open, 'o4');
		ids.o5up = await seedUrl(open, 'o5');
		ids.o5down = await seedUrl(open, 'o5', { state: 'down', status: 503 });
		ids.o6 = await seedUrl(open, 'o6', { state: 'suspect' });
		await seedUrl(open, 'o6');
		await seedUrl(open, 'o7');
		ids.o7 = await seedUrl(open, 'o7', { state: 'unknown' });
		ids.o8 = await seedUrl(open, 'o8', { state: 'down', removed: NOW - 60 });
		for (const it of ['o3', 'o5', 'o6', 'o7', 'o8'])
			assert.equal((await send(open, 'PATCH', `/items/${it}`, { ready: true }, alice.headers)).status, 200);
		// Days: o3 3 of 4 up today, 0 of 1 29 days ago (in the window),
		// 0 of 10 40 days ago (outside): 60.00 %.
		await sql(open.db, `INSERT INTO oit_daily (url_id, day, checks, up, suspect, down, ttfb_ms_sum, ttfb_ms_max)
		    VALUES (${ids.o3}, '${day(0)}', 4, 3, 1, 0, 400, 150), (${ids.o3}, '${day(29)}', 1, 0, 0, 1, 0, 0),
		    (${ids.o3}, '${day(40)}', 10, 0, 0, 10, 0, 0), (${ids.o5down}, '${day(0)}', 3, 1, 0, 2, 90, 60),
		    (${ids.o5down}, '${day(10)}', 2, 2, 0, 0, 50, 30)`);
		// The check log of o5's down URL: an hour, two days and ten days ago.
		await sql(open.db, `INSERT INTO oit_changes (url_id, at, state, status, final_url, on_site, ttfb_ms, size,
		    ctype, sha256, cert_days, error) VALUES
		    (${ids.o5down}, ${NOW - 10 * 86400}, 'up', 200, 'https://agency.example/o5', 1, 30, 4000, 'text/html', 'aa', 90, NULL),
		    (${ids.o5down}, ${NOW - 2 * 86400}, 'suspect', 200, 'https://agency.example/o5', 1, 30, 90, 'text/html', 'bb', 88, 'smaller'),
		    (${ids.o5down}, ${NOW - 3600}, 'down', 503, 'https://agency.example/o5', 1, 20, 0, NULL, NULL, 80, 'http_status'),
		    (${ids.o3}, ${NOW - 7200}, 'up', 200, 'https://agency.example/o3/final', 1, 10, 4096, 'text/html', 'cc', 12, NULL)`);
		// An open alert on o5's down URL with its notices, a closed one on o3.
		await sql(open.db, `INSERT INTO oit_alerts (id, url_id, kind, opened_at, closed_at, detail) VALUES
		    (900, ${ids.o3}, 'cert', ${NOW - 5 * 86400}, ${NOW - 4 * 86400}, '{"cert_days": 12}'),
		    (901, ${ids.o5down}, 'down', ${NOW - 3000}, NULL, '{"status": 503, "fails": 2}'),
		    (902, ${ids.o8}, 'down', ${NOW - 4000}, NULL, 'not json');
		    INSERT INTO oit_notices (alert_id, event, channel, created_at, sent_at, attempts, error,
		    tried_at) VALUES
		    (901, 'open', 'mail', ${NOW - 3000}, ${NOW - 2990}, 1, NULL, ${NOW - 2990}),
		    (901, 'open', 'webhook', ${NOW - 3000}, NULL, 2, 'connect', ${NOW + 3600})`);
		// (tried in the future: the server's sender leaves it alone for
		// the test's life, however slowly the machine runs it)
		await sql(open.db, `INSERT INTO oit_copies (url_id, fetched_at, final_url, ctype, size, sha256, body) VALUES
		    (${ids.o3}, ${NOW - 7200}, 'https://agency.example/ไฟล์/o3.html', 'text/html; charset=utf-8',
		    ${body.length}, '${crypto.createHash('sha256').update(body).digest('hex')}', X'${body.toString('hex')}')`);
	});

	test('each item\'s state at a glance, and the counts', async () => {
		const doc = await list();
		assert.equal(doc.checklist, 'oit-2563');
		assert.equal(doc.fiscal_year, 2563);
		assert.deepEqual(doc.indicators.map((i) => [i.code, i.weight, i.groups.length > 0]),
		    [['9', 20, true], ['10', 20, true]]);
		assert.equal(doc.items.length, 43);
		const want = { o1: 'no_url', o2: 'no_url', o3: 'up', o4: 'not_ready', o5: 'down', o6: 'suspect',
		    o7: 'unknown', o8: 'no_url', o9: 'no_url' };
		for (const [code, state] of Object.entries(want))
			assert.equal(itemOf(doc, code).state, state, code);
		const tally = {};
		for (const it of doc.items)
			tally[it.state] = (tally[it.state] ?? 0) + 1;
		assert.deepEqual(doc.counts, { up: 1, suspect: 1, down: 1, unknown: 1, not_ready: 1, no_url: 38 });
		assert.deepEqual(doc.counts, { up: 0, suspect: 0, down: 0, unknown: 0, not_ready: 0, no_url: 0, ...tally });
		assert.equal(doc.open_alerts, 2);
		assert.equal(doc.urls, 8, 'live URLs: the seeded ones but o8');
		const o3 = itemOf(doc, 'o3');
		assert.equal(o3.group, '9.1');
		assert.equal(o3.indicator, '9');
		assert.equal(typeof o3.name.th, 'string');
		assert.equal(o3.last_change, NOW - 7200);
		const [u] = o3.urls;
		assert.equal(u.id, ids.o3);
		assert.equal(u.uptime_30d, 60);
		assert.equal(u.checks_30d, 5);
		assert.equal(u.cert_days, 12);
		assert.equal(u.status, 200);
		assert.equal(u.on_site, true);
		assert.equal(u.final_url, 'https://agency.example/o3/final');
		assert.equal(u.has_copy, true);
		assert.equal(u.copy_fetched_at, NOW - 7200);
		assert.equal(itemOf(doc, 'o4').urls[0].uptime_30d, null, 'no checks: null');
		assert.equal(itemOf(doc, 'o4').urls[0].has_copy, false);
		assert.deepEqual(itemOf(doc, 'o8').urls, [], 'removed URLs are not listed');
		assert.equal(itemOf(doc, 'o5').urls.find((x) => x.id === ids.o5down).uptime_30d, 60);
	});

	test('the command line lists the same', async () => {
		let c = await open.cli(['oit', 'list']);
		assert.equal(c.code, 0, c.stderr);
		const lines = c.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
		const o3 = lines.find((l) => l[0] === 'o3');
		assert.deepEqual([o3[1], o3[2], o3[5]], ['up', String(ids.o3), '60.00%']);
		assert.match(o3[4], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
		assert.deepEqual(lines.find((l) => l[0] === 'o2'), ['o2', 'no_url', '-', '-', '-', '-']);
		assert.equal(lines.filter((l) => l[0] === 'o5').length, 2);
		c = await open.cli(['oit', 'list', '--json']);
		assert.equal(c.code, 0, c.stderr);
		const doc = JSON.parse(c.stdout);
		assert.deepEqual(doc.counts, (await list()).counts);
	});

	test('an item\'s history: URLs live and removed, check log, days, alerts', async () => {
		let r = await get(api(open, '/items/o5?days=7'), victor.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.days, 7);
		assert.equal(r.json.item.state, 'down');
		const down = r.json.urls.find((u) => u.id === ids.o5down);
		assert.deepEqual(down.log.map((l) => [l.at, l.state, l.error]),
		    [[NOW - 3600, 'down', 'http_status'], [NOW - 2 * 86400, 'suspect', 'smaller']], 'newest first, in the window');
		assert.deepEqual(down.daily.map((d) => [d.day, d.checks, d.up, d.down, d.uptime]),
		    [[day(0), 3, 1, 2, 33.33]]);
		assert.equal(down.log[0].on_site, true);
		assert.deepEqual(r.json.alerts.map((a) => [a.id, a.kind, a.closed_at]), [[901, 'down', null]]);
		assert.deepEqual(r.json.alerts[0].detail, { status: 503, fails: 2 });
		assert.deepEqual(r.json.alerts[0].notices.map((n) => [n.event, n.channel, n.sent_at, n.attempts, n.error]),
		    [['open', 'mail', NOW - 2990, 1, null], ['open', 'webhook', null, 2, 'connect']]);
		r = await get(api(open, '/items/o5'), victor.headers);
		assert.equal(r.json.days, 30);
		assert.equal(r.json.urls.find((u) => u.id === ids.o5down).log.length, 3);
		assert.deepEqual(r.json.urls.find((u) => u.id === ids.o5down).daily.map((d) => d.uptime), [33.33, 100]);
		assert.equal(r.json.item.urls[0].log, undefined, 'the item part is as the list shows it');

		r = await get(api(open, '/items/o8?days=366'), victor.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.item.state, 'no_url');
		assert.deepEqual(r.json.urls.map((u) => [u.id, u.removed_at]), [[ids.o8, NOW - 60]]);
		assert.deepEqual(r.json.alerts[0].detail, { text: 'not json' });
		for (const d of ['0', '367', 'abc', '7x', '-1', ''])
			assertError(assert, await get(api(open, `/items/o5?days=${d}`), victor.headers), 400, 'bad_request', d);
		assertError(assert, await get(api(open, '/items/o99'), victor.headers), 404, 'unknown_item');
	});

	test('alerts newest first, open ones only with ?open=1', async () => {
		let r = await get(api(open, '/alerts'), victor.headers);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.alerts.map((a) => a.id), [901, 902, 900]);
		assert.equal(r.json.open, 2);
		const a = r.json.alerts[0];
		assert.deepEqual([a.kind, a.item, a.url_id, a.checklist], ['down', 'o5', ids.o5down, 'oit-2563']);
		assert.equal(a.notices.length, 2);
		r = await get(api(open, '/alerts?open=1'), victor.headers);
		assert.deepEqual(r.json.alerts.map((x) => x.id), [901, 902]);
		assertError(assert, await get(api(open, '/alerts?open=yes'), victor.headers), 400, 'bad_request');
	});

	test('the kept copy downloads as a file that cannot run as our page', async () => {
		for (const s of [alice, victor]) {
			const r = await get(api(open, `/urls/${ids.o3}/copy`), s.headers);
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.buf, body);
			assert.equal(r.headers.get('content-type'), 'application/octet-stream');
			assert.equal(r.headers.get('content-disposition'), `attachment; filename="oit-o3-${ids.o3}.html"`);
			assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
			assert.match(r.headers.get('content-security-policy'), /(^|; )sandbox(;|$)/);
			assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
			assert.equal(r.headers.get('x-oit-fetched-at'), new Date((NOW - 7200) * 1000).toISOString()
			    .replace(/\.\d{3}Z$/, 'Z'));
			assert.equal(r.headers.get('x-oit-sha256'), crypto.createHash('sha256').update(body).digest('hex'));
			assert.equal(r.headers.get('x-oit-final-url'), 'https://agency.example/' +
			    `${encodeURIComponent('ไฟล์').toUpperCase()}/o3.html`);
			assert.equal(r.headers.get('x-oit-content-type'), 'text/html; charset=utf-8');
		}
		assertError(assert, await get(api(open, `/urls/${ids.o4}/copy`), victor.headers), 404, 'no_copy');
		assertError(assert, await get(api(open, '/urls/999999/copy'), victor.headers), 404, 'not_found');
	});

	test('removing a URL keeps its history and ends its open alerts', async () => {
		let r = await send(open, 'DELETE', `/urls/${ids.o5down}`, undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { status: 'removed', id: ids.o5down });
		assertError(assert, await send(open, 'DELETE', `/urls/${ids.o5down}`, undefined, alice.headers), 404, 'not_found');
		assertError(assert, await send(open, 'DELETE', '/urls/999999', undefined, alice.headers), 404, 'not_found');
		const doc = await list();
		assert.equal(itemOf(doc, 'o5').state, 'up');
		assert.equal(doc.open_alerts, 1);
		r = await get(api(open, '/items/o5'), victor.headers);
		const gone = r.json.urls.find((u) => u.id === ids.o5down);
		assert.ok(gone.removed_at >= NOW);
		assert.equal(gone.log.length, 3);
		assert.ok(r.json.alerts.find((a) => a.id === 901).closed_at >= NOW);
		const [line] = await auditLines(open, alice, 'oit.url.remove');
		assert.deepEqual(line.facts, { checklist: 'oit-2563', item: 'o5', url: gone.url, id: ids.o5down });
	});
});

describe('the command line', () => {
	test('add, ready, remove: exit codes and what they change', async () => {
		const url = `${DEAD}/cli/o9.pdf`;
		let c = await open.cli(['oit', 'add', '--item', 'o9', '--url', url, '--oit-allow-private']);
		assert.equal(c.code, 0, c.stderr);
		assert.match(c.stdout, /^[1-9][0-9]*\n$/);
		const id = Number(c.stdout);
		let doc = await list();
		assert.deepEqual(itemOf(doc, 'o9').urls.map((u) => [u.id, u.url, u.added_by]), [[id, url, 'cli']]);
		c = await open.cli(['oit', 'add', '--item', 'o9', '--url', url, '--oit-allow-private']);
		assert.equal(c.code, 1, 'duplicate');
		assert.match(c.stderr, /already evidence/);
		c = await open.cli(['oit', 'add', '--item', 'o99', '--url', url, '--oit-allow-private']);
		assert.equal(c.code, 1, 'unknown item');
		for (const args of [['add', '--item', 'o9'], ['add', '--url', url], ['add', '--item', 'o9', '--url', url, '-x'],
		    ['ready', '--item', 'o9'], ['ready', '--yes'], ['ready', '--item', 'o9', '--yes', '--no'],
		    ['remove'], ['remove', '--id', 'x'], ['remove', '--id', '0'], ['list', '--csv'], ['check', 'now'],
		    ['frobnicate'], []]) {
			c = await open.cli(['oit', ...args]);
			assert.equal(c.code, 2, `oit ${args.join(' ')}: ${c.stderr}`);
			assert.match(c.stderr, /usage: ita-survey oit/);
		}
		c = await open.cli(['oit', 'ready', '--item', 'o9', '--owner', 'two\nlines']);
		assert.equal(c.code, 2, 'a bad owner is bad usage');

		c = await open.cli(['oit', 'ready', '--item', 'o9', '--yes', '--note', 'จาก shell', '--owner', 'สมชาย']);
		assert.equal(c.code, 0, c.stderr);
		doc = await list();
		assert.deepEqual([itemOf(doc, 'o9').ready, itemOf(doc, 'o9').note, itemOf(doc, 'o9').owner,
		    itemOf(doc, 'o9').updated_by], [true, 'จาก shell', 'สมชาย', 'cli']);
		c = await open.cli(['oit', 'ready', '--item', 'o9', '--no']);
		assert.equal(c.code, 0, c.stderr);
		assert.equal(itemOf(await list(), 'o9').ready, false);
		assert.equal(itemOf(await list(), 'o9').note, 'จาก shell', 'left as it was');
		c = await open.cli(['oit', 'ready', '--item', 'o99', '--yes']);
		assert.equal(c.code, 1);

		c = await open.cli(['oit', 'remove', '--id', String(id)]);
		assert.equal(c.code, 0, c.stderr);
		assert.deepEqual(itemOf(await list(), 'o9').urls, []);
		c = await open.cli(['oit', 'remove', '--id', String(id)]);
		assert.equal(c.code, 1);
		const lines = (await auditLines(open, alice, 'oit')).filter((l) => l.user === 'cli');
		assert.deepEqual(lines.map((l) => l.action), ['oit.url.remove', 'oit.item.set', 'oit.item.set',
		    'oit.url.add']);
	});

	test('--help for each subcommand', async () => {
		for (const sub of [[], ['add'], ['remove'], ['ready'], ['list'], ['check']]) {
			const c = await open.cli(['oit', ...sub, '--help']);
			assert.equal(c.code, 0, c.stderr);
			assert.match(c.stdout, /^usage: ita-survey oit/);
		}
	});
});
