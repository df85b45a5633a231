// SPDX-License-Identifier: ISC
// The OIT watcher against a stand-in of the agency's website on loopback
// (tests/lib/oitsite.mjs): pages that go down and come back, redirect off
// the main site, hang, answer 200 with an error page, shrink, serve a
// large file, and serve TLS with a certificate about to expire.  The
// server runs with --oit-allow-private and a one-second schedule; an SMTP
// sink and a webhook sink record the alerts.  Each case must be detected,
// raise exactly one alert and clear it once, keep the last good copy,
// and count checks exactly as the site saw them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, sql, adminLogin, get, post, VALGRIND } from '../lib/server.mjs';
import { startSite, startSmtpSink, startWebhookSink, makeCert, waitFor, largeByte }
    from '../lib/oitsite.mjs';

const T = VALGRIND ? 120000 : 30000;
let srv, site, tls, smtp, hook, certDir, cert;

// Watch url as evidence of item (straight into the table: what the
// console's "add URL" does is tested in oit-api.test.mjs).
async function watch(item, url) {
	await sql(srv.db, `INSERT INTO oit_urls (checklist, item, url, ` +
	    `added_at, added_by) VALUES ('oit-2563', '${item}', '${url}', ` +
	    `strftime('%s','now'), 'test')`);
	const [{ id }] = await sql(srv.db,
	    `SELECT id FROM oit_urls WHERE url = '${url}' AND removed_at IS NULL`);
	return id;
}

async function row(id) {
	const [r] = await sql(srv.db, `SELECT * FROM oit_urls WHERE id = ${id}`);
	return r;
}

async function alerts(id) {
	return sql(srv.db, `SELECT * FROM oit_alerts WHERE url_id = ${id} ORDER BY id`);
}

async function settings(pairs) {
	for (const [k, v] of Object.entries(pairs)) {
		const r = await srv.cli(['settings', 'set', k, String(v)]);
		assert.equal(r.code, 0, `settings set ${k}: ${r.stderr}`);
	}
}

// The mails about url: their decoded bodies.
function mailsAbout(url) {
	return smtp.mails.map((m) => {
		const i = m.data.indexOf('\r\n\r\n');
		const body = Buffer.from(m.data.slice(i + 4).replace(/\s+/g, ''),
		    'base64').toString('utf8');
		return { ...m, body };
	}).filter((m) => m.body.includes(`URL: ${url}\r\n`));
}

const hooksAbout = (url) => hook.events.filter((e) => e.body?.url === url);

before(async () => {
	certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-oit-cert-'));
	cert = makeCert(certDir, 5);
	site = await startSite();
	tls = await startSite({ tls: { cert: cert.cert, key: cert.key } });
	smtp = await startSmtpSink();
	hook = await startWebhookSink();
	srv = await startServer({ args: ['--oit-allow-private',
	    '--oit-ca-file', cert.certPath] });
	await settings({ 'oit.host': '127.0.0.1', 'oit.interval': 1,
	    'oit.fails': 2, 'oit.timeout': 2, 'oit.copy_max': 2097152,
	    'oit.smtp_url': smtp.url, 'oit.mail_from': 'ita@agency.example',
	    'oit.mail_to': 'group@agency.example, it@agency.example',
	    'oit.webhook': `${hook.url}/hook` });
});

after(async () => {
	await srv?.stop();
	await site?.close();
	await tls?.close();
	await smtp?.close();
	await hook?.close();
	if (certDir)
		fs.rmSync(certDir, { recursive: true, force: true });
});

test('a page that goes down and comes back: one alert, one recovery, by mail and webhook', async () => {
	const url = `${site.url}/flap`;
	const id = await watch('o1', url);
	await waitFor(async () => (await row(id)).state === 'up', { timeout: T, what: 'up' });
	site.setMode('/flap', 'down');
	await waitFor(async () => (await alerts(id)).length === 1, { timeout: T, what: 'alert' });
	const [a] = await alerts(id);
	assert.equal(a.kind, 'down');
	assert.equal(a.closed_at, null);
	assert.equal(JSON.parse(a.detail).status, 503);
	const r = await row(id);
	assert.equal(r.state, 'down');
	assert.equal(r.error, 'http_status');
	assert.ok(r.fails >= 2);
	await waitFor(() => mailsAbout(url).length === 1 && hooksAbout(url).length === 1,
	    { timeout: T, what: 'open notices' });
	const [m] = mailsAbout(url);
	assert.deepEqual(m.to.sort(), ['group@agency.example', 'it@agency.example']);
	assert.equal(m.from, 'ita@agency.example');
	assert.match(m.subject, /^\[ITA OIT\] หลักฐาน OIT ข้อ o1 เปิดไม่ได้/);
	assert.match(m.subject, /OIT evidence o1 cannot be opened/);
	const [h] = hooksAbout(url);
	assert.equal(h.body.event, 'oit.alert.open');
	assert.equal(h.body.kind, 'down');
	assert.equal(h.body.item, 'o1');
	assert.equal(h.body.closed_at, null);
	assert.equal(h.path, '/hook');

	// Still down for a few more checks: no second alert, no second notice.
	const seen = site.hits('/flap');
	await waitFor(() => site.hits('/flap') >= seen + 3, { timeout: T, what: 'more checks' });
	assert.equal((await alerts(id)).length, 1);
	assert.equal(mailsAbout(url).length, 1);

	site.setMode('/flap', 'ok');
	await waitFor(async () => (await alerts(id))[0].closed_at !== null, { timeout: T, what: 'cleared' });
	await waitFor(() => mailsAbout(url).length === 2 && hooksAbout(url).length === 2,
	    { timeout: T, what: 'close notices' });
	assert.equal(hooksAbout(url)[1].body.event, 'oit.alert.close');
	assert.match(mailsAbout(url)[1].subject, /OIT evidence o1 opens again/);
	const s2 = site.hits('/flap');
	await waitFor(() => site.hits('/flap') >= s2 + 2, { timeout: T, what: 'checks after' });
	assert.equal((await alerts(id)).length, 1, 'one incident, one alert');

	// The check log holds the changes only: up, down, up.
	const log = await sql(srv.db, `SELECT state FROM oit_changes WHERE url_id = ${id} ORDER BY id`);
	assert.deepEqual(log.map((l) => l.state), ['up', 'down', 'up']);
});

test('an error page that answers 200, and a page much smaller than its copy, are suspect', async () => {
	const soft = await watch('o2', `${site.url}/soft`);
	site.setMode('/soft', 'errorpage');
	site.setMode('/soft-th', 'errorpage', { title: 'ขออภัย ไม่พบหน้าที่ท่านต้องการ' });
	const softTh = await watch('o2', `${site.url}/soft-th`);
	const shrink = await watch('o3', `${site.url}/shrink`);
	await waitFor(async () => (await row(soft)).state === 'suspect' &&
	    (await row(shrink)).state === 'up', { timeout: T, what: 'first checks' });
	assert.equal((await row(soft)).error, 'error_page');
	assert.equal((await row(soft)).status, 200);
	await waitFor(async () => (await row(softTh)).state === 'suspect', { timeout: T, what: 'Thai error page' });
	assert.equal((await row(softTh)).error, 'error_page');
	// A suspect page is not up: after two checks it is an incident.
	await waitFor(async () => (await alerts(soft)).length === 1, { timeout: T, what: 'soft alert' });
	const [copy] = await sql(srv.db, `SELECT size FROM oit_copies WHERE url_id = ${shrink}`);
	assert.ok(copy.size > 4000, 'the good copy was kept');
	site.setMode('/shrink', 'small');
	await waitFor(async () => (await row(shrink)).state === 'suspect', { timeout: T, what: 'smaller' });
	assert.equal((await row(shrink)).error, 'smaller');
	const [still] = await sql(srv.db, `SELECT size FROM oit_copies WHERE url_id = ${shrink}`);
	assert.equal(still.size, copy.size, 'a suspect page does not replace the good copy');
});

test('a redirect off the main site raises an offsite alert; its final URL is kept', async () => {
	const off = site.url.replace('127.0.0.1', 'localhost');
	site.setMode('/moved', 'redirect', { location: `${off}/moved-here` });
	const id = await watch('o4', `${site.url}/moved`);
	await waitFor(async () => (await alerts(id)).length === 1, { timeout: T, what: 'offsite alert' });
	const r = await row(id);
	assert.equal(r.state, 'up');
	assert.equal(r.on_site, 0);
	assert.equal(r.final_url, `${off}/moved-here`);
	assert.equal((await alerts(id))[0].kind, 'offsite');
	site.setMode('/moved', 'ok');
	await waitFor(async () => (await alerts(id))[0].closed_at !== null, { timeout: T, what: 'back on site' });
});

test('a page that hangs delays only its own check', async () => {
	site.setMode('/hang', 'hang');
	const id = await watch('o5', `${site.url}/hang`);
	const ok = await watch('o6', `${site.url}/steady`);
	const t0 = site.hits('/steady');
	await waitFor(async () => (await row(id)).state === 'down', { timeout: T, what: 'timeout' });
	assert.equal((await row(id)).error, 'timeout');
	// While the hanging page held its fetch (2 s each), the steady page
	// was checked every second.
	assert.ok(site.hits('/steady') - t0 >= 2, `steady checks: ${site.hits('/steady') - t0}`);
	assert.equal((await row(ok)).state, 'up');
});

test('a large file is up, measured, and not copied past the limit', async () => {
	site.setMode('/big.pdf', 'large', { bytes: 3 << 20 });
	const id = await watch('o7', `${site.url}/big.pdf`);
	await waitFor(async () => (await row(id)).state === 'up', { timeout: T, what: 'up' });
	const r = await row(id);
	assert.equal(r.size, 3 << 20, 'the size it declared');
	assert.equal(r.ctype, 'application/pdf');
	const copies = await sql(srv.db, `SELECT count(*) AS n FROM oit_copies WHERE url_id = ${id}`);
	assert.equal(copies[0].n, 0);
});

test('a document larger than memory holds is kept whole, through a temporary file', async () => {
	const n = (3 << 20) / 2;	// 1.5 MiB: more than the 1 MiB held in memory
	site.setMode('/mid.pdf', 'large', { bytes: n });
	const id = await watch('o8', `${site.url}/mid.pdf`);
	await waitFor(async () => (await sql(srv.db,
	    `SELECT 1 FROM oit_copies WHERE url_id = ${id}`)).length === 1, { timeout: T, what: 'copy' });
	const want = Buffer.alloc(n);
	for (let i = 0; i < n; i++)
		want[i] = largeByte(i);
	const [c] = await sql(srv.db, `SELECT hex(body) AS hex, sha256, size FROM oit_copies WHERE url_id = ${id}`);
	assert.equal(c.size, n);
	assert.ok(Buffer.from(c.hex, 'hex').equals(want), 'the copy is the document');
	assert.equal(c.sha256, crypto.createHash('sha256').update(want).digest('hex'));
	assert.equal((await row(id)).sha256, c.sha256);
});

test('the last good copy is the page, byte for byte, with its hash', async () => {
	site.setMode('/doc', 'ok', { body: '<p>แผนปฏิบัติการประจำปี</p>' });
	const id = await watch('o10', `${site.url}/doc`);
	await waitFor(async () => (await sql(srv.db,
	    `SELECT 1 FROM oit_copies WHERE url_id = ${id}`)).length === 1, { timeout: T, what: 'copy' });
	const [c] = await sql(srv.db, `SELECT hex(body) AS hex, sha256, size, final_url FROM oit_copies WHERE url_id = ${id}`);
	const body = Buffer.from(c.hex, 'hex');
	assert.ok(body.toString('utf8').includes('แผนปฏิบัติการประจำปี'));
	assert.equal(c.sha256, crypto.createHash('sha256').update(body).digest('hex'));
	assert.equal(c.size, body.length);
	assert.equal(c.final_url, `${site.url}/doc`);
});

test('TLS: a certificate about to expire raises one cert alert', async () => {
	const url = `${tls.url}/secure`;
	const id = await watch('o11', url);
	const certs = async () => (await alerts(id)).filter((a) => a.kind === 'cert');
	await waitFor(async () => (await certs()).length === 1, { timeout: T, what: 'cert alert' });
	// Up (a TLS handshake under valgrind on a busy machine may miss the
	// 2 s timeout once; the next check is up again).
	const r = await waitFor(async () => { const x = await row(id); return x.state === 'up' && x; },
	    { timeout: T, what: 'up' });
	assert.ok(r.cert_days >= 4 && r.cert_days <= 5, `cert_days ${r.cert_days}`);
	assert.equal((await certs()).length, 1, 'one cert alert, not one per check');
	await waitFor(() => hooksAbout(url).length === 1, { timeout: T, what: 'cert webhook' });
	assert.equal(hooksAbout(url)[0].body.kind, 'cert');
	// The window is 14 days: at 3 the certificate is fine and it clears.
	await settings({ 'oit.cert_days': 3 });
	await waitFor(async () => (await certs())[0].closed_at !== null, { timeout: T, what: 'cert cleared' });
	await settings({ 'oit.cert_days': 14 });
});

test('checks are counted exactly as the site saw them', async () => {
	const id = await watch('o12', `${site.url}/count`);
	await waitFor(() => site.hits('/count') >= 3, { timeout: T, what: 'some checks' });
	site.setMode('/count', 'down');
	const at = site.hits('/count');
	await waitFor(() => site.hits('/count') >= at + 2, { timeout: T, what: 'down checks' });
	site.setMode('/count', 'ok');
	const back = site.hits('/count');
	await waitFor(() => site.hits('/count') >= back + 2, { timeout: T, what: 'up checks' });
	// Stop the schedule, let the last fetch land, then compare.
	await settings({ 'oit.interval': 3600 });
	const seen = site.hits('/count');
	await waitFor(async () => {
		const [d] = await sql(srv.db, `SELECT sum(checks) AS n FROM oit_daily WHERE url_id = ${id}`);
		return d.n === site.hits('/count');
	}, { timeout: T, what: 'all recorded' });
	// At most the one check decided before the change came through.
	assert.ok(site.hits('/count') - seen <= 1, 'no check after the schedule stopped');
	const log = site.log.filter((l) => l.path === '/count');
	const [d] = await sql(srv.db, `SELECT sum(checks) AS checks, sum(up) AS up, ` +
	    `sum(down) AS down FROM oit_daily WHERE url_id = ${id}`);
	assert.equal(d.checks, log.length);
	assert.equal(d.up, log.filter((l) => l.status === 200).length);
	assert.equal(d.down, log.filter((l) => l.status === 503).length);

	// The availability report says the same.
	const alice = await adminLogin(srv);
	const now = new Date();
	const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-` +
	    String(now.getDate()).padStart(2, '0');
	const rep = await get(`${srv.url}/api/v1/admin/oit/report?from=${today}&to=${today}&format=json`,
	    alice.headers);
	assert.equal(rep.status, 200, rep.text);
	const u = rep.json.urls.find((x) => x.url === `${site.url}/count`);
	assert.equal(u.checks, log.length);
	assert.equal(u.up, d.up);
	assert.equal(u.uptime, Math.round(10000 * d.up / log.length) / 100);
	assert.ok(u.log.some((l) => l.state === 'down' && l.status === 503), 'the check log has the outage');

	// On demand: "check now" checks it although it is not due.
	const r = await post(`${srv.url}/api/v1/admin/oit/check`, {}, alice.headers);
	assert.equal(r.status, 202, r.text);
	await waitFor(() => site.hits('/count') > seen, { timeout: T, what: 'checked on demand' });

	// The assessment window: its stricter schedule applies today only.
	const quiet = site.hits('/count');
	await settings({ 'oit.strict_interval': 1, 'oit.strict_from': today, 'oit.strict_to': today });
	await waitFor(() => site.hits('/count') >= quiet + 2, { timeout: T, what: 'checks in the window' });
	await settings({ 'oit.strict_from': '2020-01-01', 'oit.strict_to': '2020-01-31' });
	const after = site.hits('/count');
	await new Promise((r) => setTimeout(r, 4000));
	// At most the one check decided before the change came through.
	assert.ok(site.hits('/count') - after <= 1, 'a window in the past changes nothing');
	await settings({ 'oit.interval': 1, 'oit.strict_from': '', 'oit.strict_to': '' });
});

test('without --oit-allow-private no loopback address is fetched, first hop or redirect', async () => {
	// Only 127.0.0.1 is allowed here: the page there redirects to
	// 127.0.0.2 (loopback too), which must be refused after DNS.
	const other = await startSite({ host: '127.0.0.2' });
	const own = await startServer({ args: ['--oit-allow-private=127.0.0.1/32'] });
	const bare = await startServer();
	try {
		for (const s of [own, bare]) {
			const r = await s.cli(['settings', 'set', 'oit.interval', '1']);
			assert.equal(r.code, 0, r.stderr);
		}
		site.setMode('/away', 'redirect', { location: `${other.url}/inside` });
		await sql(own.db, `INSERT INTO oit_urls (checklist, item, url, added_at, added_by) ` +
		    `VALUES ('oit-2563', 'o1', '${site.url}/away', 0, 't')`);
		await sql(bare.db, `INSERT INTO oit_urls (checklist, item, url, added_at, added_by) ` +
		    `VALUES ('oit-2563', 'o1', '${site.url}/steady', 0, 't')`);
		const state = async (s) => (await sql(s.db, 'SELECT state, error, status FROM oit_urls'))[0];
		await waitFor(async () => (await state(own)).state === 'down' &&
		    (await state(bare)).state === 'down', { timeout: T, what: 'refused' });
		assert.deepEqual(await state(own), { state: 'down', error: 'blocked_address', status: 302 });
		assert.deepEqual(await state(bare), { state: 'down', error: 'blocked_address', status: 0 });
		assert.equal(other.hits('/inside'), 0, 'the redirect target was never contacted');
	} finally {
		await own.stop();
		await bare.stop();
		await other.close();
	}
});

test('oit check: every URL once, now, from the shell; exit 1 when one is down', async () => {
	let r = await srv.cli(['oit', 'check', '--json', '--oit-allow-private']);
	assert.equal(r.code, 1, r.stderr);
	const lines = JSON.parse(r.stdout);
	const by = (p) => lines.find((l) => l.url === `${site.url}${p}`);
	assert.equal(by('/count').state, 'up');
	assert.equal(by('/count').status, 200);
	assert.equal(by('/hang').state, 'down');
	assert.equal(by('/hang').error, 'timeout');
	r = await srv.cli(['oit', 'check', '--oit-allow-private']);
	assert.equal(r.code, 1);
	assert.match(r.stdout, /o5\s+down/);
	// Without the flag the shell's pass refuses loopback too.
	r = await srv.cli(['oit', 'check', '--json']);
	assert.equal(r.code, 1);
	assert.ok(JSON.parse(r.stdout).every((l) => l.state === 'down' && l.error === 'blocked_address'));
});
