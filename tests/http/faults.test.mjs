// SPDX-License-Identifier: ISC
// Faults: a full disk (a small tmpfs) and a read-only database (chattr +i
// while serving) answer 503 with the JSON envelope, keep serving reads and
// recover by themselves; a database on a read-only mount, a corrupt one
// and a foreign one are refused at start; SIGTERM stops accepting, drains
// the requests in flight and exits 0.
//
// Needs root for mount and chattr; each part skips with its reason when
// the system does not allow it.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
	BIN, startServer, createRound, getForm, makeAnswers, addKiosk, adminLogin, respondents, stepped,
	post, get, request, rawHttp, run, uuid, assertError, PASSWORD, AS_ROOT,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
const IIT = 'ita-2563-iit';

function sh(cmd, args) {
	execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function tryUmount(dir) {
	for (let i = 0; i < 50; i++) {
		try {
			sh('umount', [dir]);
			return;
		} catch {
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
		}
	}
	sh('umount', ['-l', dir]);
}

async function integrityOk(db) {
	const r = await run('sqlite3', [db, 'PRAGMA integrity_check']);
	assert.equal(r.stdout.trim(), 'ok', r.stderr);
}

// A server with a public EIT round (plus a kiosk, an IIT round and two
// admin sessions) on the database path db.
async function setUp(db) {
	const s = await startServer({ db });
	const c = { srv: s };
	c.eit = await createRound(s, EIT, { pub: true });
	c.iit = await createRound(s, IIT);
	c.form = await getForm(s, c.eit);
	c.key = await addKiosk(s, c.eit, 'counter');
	c.admin = await adminLogin(s);
	// (Not through GET /api/v1/kiosk: the kiosk's first contact must come
	// while writes fail.)
	c.kioskId = (await get(`${s.url}/api/v1/admin/rounds/${c.eit}/kiosks`, c.admin.headers)).json.kiosks[0].id;
	c.admin2 = await adminLogin(s);
	c.url = `${s.url}/api/v1/rounds/${c.eit}/responses`;
	c.body = () => ({ submission_id: uuid(), answers: makeAnswers(c.form) });
	c.stored = c.body();
	const r = await post(c.url, c.stored);
	assert.equal(r.status, 201, r.text);
	return c;
}

// While writes fail: submissions get 503, reads answer.
function storageFailingTests(ctx, what) {
	test(`${what}: a submission gets 503 unavailable, from anyone, and stores nothing`, async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c;
		assertError(assert, await post(c.url, c.body()), 503, 'unavailable', 'public');
		assertError(assert, await post(c.url, c.body()), 503, 'unavailable', 'public, again');
		assertError(assert, await post(c.url, c.body(), { authorization: `Kiosk ${c.key}` }), 503, 'unavailable',
		    'kiosk');
		assert.equal(await respondents(c.srv, c.eit), ctx.n);
	});

	test(`${what}: reads keep working`, async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c, s = c.srv.url;
		const h = await get(`${s}/healthz`);
		assert.equal(h.status, 200, h.text);
		assert.equal((await get(`${s}/api/v1/rounds/${c.eit}/form`)).status, 200);
		const sc = await get(`${s}/api/v1/admin/rounds/${c.eit}/scores`, c.admin.headers);
		assert.equal(sc.status, 200, sc.text);
		assert.equal(sc.json.respondents, stepped(ctx.n, sc.json.min_cell));
		assert.equal((await get(`${s}/api/v1/admin/rounds`, c.admin.headers)).status, 200);
		assert.equal((await get(`${s}/api/v1/admin/me`, c.admin.headers)).status, 200);
		assert.equal((await get(`${s}/`)).status, 200);
		// A replay is recognised without writing.
		const r = await post(c.url, c.stored);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { status: 'already_accepted' });
	});

	test(`${what}: issuing codes gets 503 unavailable`, async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c;
		assertError(assert, await post(`${c.srv.url}/api/v1/admin/rounds/${c.iit}/tokens`, { count: 2 },
		    c.admin.headers), 503, 'unavailable', 'tokens');
	});

	test(`${what}: a kiosk can still pair (GET /api/v1/kiosk is a read)`,
	    async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c;
		const r = await get(`${c.srv.url}/api/v1/kiosk`, { authorization: `Kiosk ${c.key}` });
		assert.equal(r.status, 200, r.text);
	});

	test(`${what}: every admin change gets 503 unavailable, not 500`,
	    async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c, s = c.srv.url, h = c.admin.headers;
		const cases = [
			['POST', '/api/v1/admin/login', { username: 'alice', password: PASSWORD }, {}],
			['POST', '/api/v1/admin/rounds', { form: EIT, title: 'x' }, h],
			['POST', `/api/v1/admin/rounds/${c.iit}/close`, undefined, h],
			['POST', `/api/v1/admin/rounds/${c.eit}/kiosks`, { name: 'k' }, h],
			['PATCH', `/api/v1/admin/kiosks/${c.kioskId}`, { name: 'k2' }, h],
			['POST', '/api/v1/admin/logout', undefined, c.admin2.headers],
		];
		const got = [];
		for (const [m, p, body, headers] of cases) {
			const r = await request(`${s}${p}`, { method: m, body, headers });
			got.push(`${m} ${p} -> ${r.status} ${r.json?.error?.code}`);
		}
		assert.deepEqual(got, cases.map(([m, p]) => `${m} ${p} -> 503 unavailable`));
	});
}

// Once writes work again: 201 without a restart, everything consistent.
function recoveredTests(ctx, what) {
	test(`${what}: once writes work again, a submission gets 201 without a restart`, async (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		const c = ctx.c;
		const pid = c.srv.pid();
		for (let i = 0; i < 3; i++) {
			const r = await post(c.url, c.body());
			assert.equal(r.status, 201, r.text);
		}
		const k = await post(c.url, c.body(), { authorization: `Kiosk ${c.key}` });
		assert.equal(k.status, 201, k.text);
		assert.equal(c.srv.pid(), pid, 'the same process');
		assert.equal(await respondents(c.srv, c.eit), ctx.n + 4);
		assert.equal((await get(`${c.srv.url}/api/v1/kiosk`, { authorization: `Kiosk ${c.key}` })).status, 200);
		assert.equal((await post(`${c.srv.url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD }))
		    .status, 200);
		await integrityOk(c.srv.db);
	});
}

describe('disk full (a small tmpfs)', () => {
	const ctx = {};
	let mnt = null, mounted = false, filler;

	before(async () => {
		mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-full-'));
		try {
			sh('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mnt]);
			mounted = true;
		} catch (e) {
			ctx.skip = `cannot mount a tmpfs (${String(e.stderr ?? e.message).trim()}): run as root`;
			return;
		}
		ctx.c = await setUp(path.join(mnt, 'db'));
		ctx.n = await respondents(ctx.c.srv, ctx.c.eit);
		// Fill every byte that is left.
		filler = path.join(mnt, 'filler');
		const fd = fs.openSync(filler, 'w');
		try {
			for (const size of [1 << 20, 4096, 512]) {
				const buf = Buffer.alloc(size, 0x55);
				try {
					// Bounded: twice the size of the tmpfs.
					for (let i = 0; i < (32 << 20) / size; i++)
						fs.writeSync(fd, buf);
				} catch (e) {
					if (e.code !== 'ENOSPC')
						throw e;
				}
			}
		} finally {
			fs.closeSync(fd);
		}
		assert.equal(fs.statfsSync(mnt).bavail, 0, 'the tmpfs is full');
	});

	after(async () => {
		await ctx.c?.srv.stop();
		if (mounted)
			tryUmount(mnt);
		if (mnt)
			fs.rmSync(mnt, { recursive: true, force: true });
	});

	storageFailingTests(ctx, 'disk full');

	test('disk full: space returns', (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		fs.rmSync(filler);
		assert.ok(fs.statfsSync(mnt).bavail > 0);
	});

	recoveredTests(ctx, 'disk full');
});

// Whether chattr +i stops writes through a descriptor opened before it,
// in dir (ext4, xfs, btrfs do; tmpfs does not).  null, or why not.
function immutableUnsupported(dir) {
	const f = path.join(dir, 'probe');
	const fd = fs.openSync(f, 'w');
	try {
		try {
			sh('chattr', ['+i', f]);
		} catch (e) {
			return `chattr +i fails here (${String(e.stderr ?? e.message).trim()})`;
		}
		try {
			fs.writeSync(fd, 'x');
			return `${dir} ignores the immutable flag for open files (tmpfs?)`;
		} catch {
			return null;
		} finally {
			sh('chattr', ['-i', f]);
		}
	} finally {
		fs.closeSync(fd);
		fs.rmSync(f, { force: true });
	}
}

describe('read-only database (chattr +i while serving)', () => {
	// Root ignores permission bits, and a tmpfs cannot be remounted
	// read-only while the server holds its files open for writing
	// (EBUSY); the immutable flag stops root's writes at once.
	const ctx = {};
	let dir = null;
	const files = () => [path.join(dir, 'db'), path.join(dir, 'db-wal'), dir];
	const chattr = (flag) => {
		for (const f of files())
			if (fs.existsSync(f))
				sh('chattr', [flag, f]);
	};

	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-ro-'));
		ctx.skip = immutableUnsupported(dir) ?? undefined;
		if (ctx.skip)
			return;
		ctx.c = await setUp(path.join(dir, 'db'));
		ctx.n = await respondents(ctx.c.srv, ctx.c.eit);
		chattr('+i');
	});

	after(async () => {
		if (dir && !ctx.skip)
			try {
				chattr('-i');
			} catch { /* removed below anyway */ }
		await ctx.c?.srv.stop();
		if (dir)
			fs.rmSync(dir, { recursive: true, force: true });
	});

	storageFailingTests(ctx, 'read-only');

	test('read-only: the files become writable again', (t) => {
		if (ctx.skip)
			return t.skip(ctx.skip);
		chattr('-i');
	});

	recoveredTests(ctx, 'read-only');
});

describe('refused at start', () => {
	let tmp, bind = null, mounted = false;

	// ita-survey serve on db (with a fresh secret beside it); resolves
	// {code, stderr}.  A server that starts anyway is stopped.
	const serve = (db) => run(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--secret',
	    path.join(tmp, 'secret.key'), '--forms', 'forms', '--web', 'web', '--migrations', 'migrations',
	    ...AS_ROOT], { timeout: 20000 });

	before(async () => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-refuse-'));
		// A good database, cleanly closed (no -wal left).
		const m = await run(BIN, ['migrate', '--db', path.join(tmp, 'good.db'), '--secret',
		    path.join(tmp, 'secret.key'), '--migrations', 'migrations']);
		assert.equal(m.code, 0, m.stderr);
	});

	after(() => {
		if (mounted)
			tryUmount(bind);
		fs.rmSync(tmp, { recursive: true, force: true });
	});

	test('a database on a read-only mount: exit 1 and a message naming the file', async (t) => {
		bind = path.join(tmp, 'ro');
		fs.mkdirSync(bind);
		try {
			sh('mount', ['--bind', '-o', 'ro', tmp, bind]);
			mounted = true;
		} catch (e) {
			return t.skip(`cannot bind-mount read-only (${String(e.stderr ?? e.message).trim()})`);
		}
		const db = path.join(bind, 'good.db');
		const r = await serve(db);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '', 'never said "listening"');
		assert.ok(r.stderr.includes(db), r.stderr);
	});

	test('a foreign SQLite database: exit 1, "not an ita-survey database"', async () => {
		const db = path.join(tmp, 'foreign.db');
		const s = await run('sqlite3', [db, 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); ' +
		    "INSERT INTO customers VALUES (1, 'x');"]);
		assert.equal(s.code, 0, s.stderr);
		const r = await serve(db);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /not an ita-survey database/);
		// And it was not touched: no table of ours was added.
		const t = await run('sqlite3', [db, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'"]);
		assert.equal(t.stdout.trim(), 'customers');
	});

	test('a file that is not a database: exit 1', async () => {
		const db = path.join(tmp, 'text.db');
		fs.writeFileSync(db, 'this is not a database\n'.repeat(400));
		const r = await serve(db);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
		assert.ok(r.stderr.includes(db), r.stderr);
	});

	test('a corrupt database: exit 1, "failed its integrity check"', async () => {
		const db = path.join(tmp, 'corrupt.db');
		fs.copyFileSync(path.join(tmp, 'good.db'), db);
		// Overwrite everything after the first page (the schema) with
		// garbage: the tables' b-tree pages no longer parse.
		const buf = fs.readFileSync(db);
		const pageSize = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
		assert.ok(buf.length > 2 * pageSize, 'the database has more than one page');
		for (let i = pageSize; i < buf.length; i++)
			buf[i] = (i * 7919) & 0xff;
		fs.writeFileSync(db, buf);
		const r = await serve(db);
		assert.equal(r.code, 1, r.stderr);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /integrity check|malformed|not a database/i);
	});
});

describe('SIGTERM drain', () => {
	let srv, round, form;
	const held = [];
	let termResult, newConn, burst;

	before(async () => {
		srv = await startServer({ args: ['--rate-limits', 'off'] });
		round = await createRound(srv, EIT, { pub: true });
		form = await getForm(srv, round);
	});

	after(async () => {
		for (const h of held)
			h.sock.destroy();
		await srv?.stop();
	});

	// A POST whose headers (with Expect: 100-continue) are sent at once and
	// whose body waits for send(): the "100 Continue" proves the server
	// has begun the request.
	function slowPost() {
		const u = new URL(srv.url);
		const body = { submission_id: uuid(), answers: makeAnswers(form) };
		const data = Buffer.from(JSON.stringify(body));
		const sock = net.connect({ host: u.hostname, port: Number(u.port) });
		let got = Buffer.alloc(0), onContinue, onEnd;
		const continued = new Promise((r) => { onContinue = r; });
		const ended = new Promise((r) => { onEnd = r; });
		sock.on('data', (d) => {
			got = Buffer.concat([got, d]);
			if (/^HTTP\/1\.1 100 /.test(got.toString('latin1')))
				onContinue();
		});
		sock.on('error', () => {});
		sock.on('close', () => onEnd(got.toString('utf8')));
		sock.write(`POST /api/v1/rounds/${round}/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
		    `Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${data.length}\r\n\r\n`);
		// The body goes in two halves, the second after SIGTERM.
		return { sock, body, continued, ended, sendHalf: () => sock.write(data.subarray(0, 40)),
		    sendRest: () => sock.write(data.subarray(40)) };
	}

	test('requests in flight at SIGTERM complete with 201; the process exits 0', async () => {
		for (let i = 0; i < 4; i++)
			held.push(slowPost());
		await Promise.all(held.map((h) => h.continued));
		for (const h of held)
			h.sendHalf();
		// A burst of ordinary POSTs racing the signal.
		const bodies = [...Array(16)].map(() => ({ submission_id: uuid(), answers: makeAnswers(form) }));
		const url = `${srv.url}/api/v1/rounds/${round}/responses`;
		burst = bodies.map((body) => post(url, body).then((r) => ({ body, status: r.status }),
		    (e) => ({ body, error: e })));
		termResult = srv.sigterm();
		// Wait until the server says it drains, then try a new connection.
		for (let i = 0; i < 500 && !srv.stderr().includes('draining'); i++)
			await new Promise((r) => setTimeout(r, 10));
		assert.match(srv.stderr(), /draining/);
		await new Promise((r) => setTimeout(r, 200));
		newConn = await rawHttp(srv.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
		    { timeout: 2000 });
		// Now let the held requests finish.
		for (const h of held)
			h.sendRest();
		const replies = await Promise.all(held.map((h) => h.ended));
		for (const text of replies) {
			assert.match(text, /\r\nHTTP\/1\.1 201 /, text.slice(0, 300));
			assert.match(text, /\{"status":"accepted"\}$/);
		}
		const { code, sig, ms } = await termResult;
		assert.equal(code, 0, `exit ${code ?? sig}; stderr:\n${srv.stderr()}`);
		assert.ok(ms < 15000, `the drain took ${ms} ms`);
		// Each burst request got 201 or no answer at all (refused or
		// cut), never a 5xx.
		for (const b of await Promise.all(burst))
			assert.ok(b.error !== undefined || b.status === 201, `burst: ${b.status}`);
	});

	test('after the drain every 201 is stored, and nothing else', async () => {
		await srv.restart();
		const burstDone = await Promise.all(burst);
		const ok = burstDone.filter((b) => b.status === 201);
		const url = `${srv.url}/api/v1/rounds/${round}/responses`;
		for (const b of [...held.map((h) => h.body), ...ok.map((x) => x.body)]) {
			const r = await post(url, b);
			assert.equal(r.status, 200, r.text);
		}
		assert.equal(await respondents(srv, round), held.length + ok.length);
		await integrityOk(srv.db);
	});

	test('a new connection during the drain is refused at once',
	    () => {
		assert.ok(newConn.error === 'ECONNREFUSED' || newConn.error === 'ECONNRESET',
		    `new connection: status ${newConn.status}, error ${newConn.error}, closed by the server ` +
		    `within 2 s: ${newConn.closed}`);
	});
});
