// SPDX-License-Identifier: ISC
// ita-survey admin list | role | disable | enable | reset | password: the
// accounts from the shell, the way back in for a working group that
// locked itself out.  The same rules as the console (the last
// administrator), --help for each, exit 2 for bad usage, and every change
// audited as done by "cli".

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, TOKEN_RE, startServer, post, get, sql, sessionCookie, assertError } from '../lib/server.mjs';

let srv;

const cli = (...args) => srv.cli(['admin', ...args]);
const cliIn = (input, ...args) => srv.cli(['admin', ...args], { input });

async function login(username, password) {
	const r = await post(`${srv.url}/api/v1/admin/login`, { username, password });
	return { ...r, session: r.status === 200 ? { cookie: `ita_session=${sessionCookie(r.headers)}` } : null };
}

async function list() {
	const r = await cli('list', '--json');
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout);
}

before(async () => {
	srv = await startServer();
	for (const [user, role] of [['alice', 'admin'], ['vera', 'viewer']]) {
		const r = await cliIn(`${PASSWORD}\n`, 'add', user, '--role', role);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, `${user}\n`);
	}
});

after(async () => {
	await srv?.stop();
});

describe('--help and bad usage', () => {
	test('admin --help lists every subcommand; each has its own', async () => {
		const r = await cli('--help');
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^usage: ita-survey admin add/);
		for (const sub of ['add', 'list', 'role', 'disable', 'enable', 'reset', 'password']) {
			assert.match(r.stdout, new RegExp(`ita-survey admin ${sub}\\b`), sub);
			const h = await cli(sub, '--help');
			assert.equal(h.code, 0, h.stderr);
			assert.match(h.stdout, new RegExp(`^usage: ita-survey admin ${sub}\\b`), h.stdout);
			assert.ok(h.stdout.split('\n').length > 3, `${sub} --help explains`);
			assert.equal(h.stderr, '');
		}
	});

	test('bad usage exits 2 and changes nothing', async () => {
		const before = await list();
		for (const args of [[], ['frobnicate'], ['list', '--xml'], ['role', 'alice'], ['role', 'alice', 'boss'],
		    ['role', 'alice', 'viewer', 'extra'], ['disable'], ['disable', 'alice', 'vera'], ['enable'],
		    ['reset'], ['reset', '--all'], ['password'], ['add'], ['add', 'x', '--role', 'boss']]) {
			const r = await cliIn('whatever password\n', ...args);
			assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, /^ita-survey: .*\nusage: ita-survey admin/, args.join(' '));
			assert.equal(r.stdout, '');
		}
		assert.deepEqual(await list(), before);
	});

	test('an unknown account exits 1', async () => {
		for (const sub of ['disable', 'enable', 'reset']) {
			const r = await cli(sub, 'nobody');
			assert.equal(r.code, 1);
			assert.match(r.stderr, /No such account/);
		}
		const r = await cliIn('a password long enough\n', 'password', 'nobody');
		assert.equal(r.code, 1);
	});
});

describe('the subcommands', () => {
	test('list: id, name, role, state, password state; --json; never a hash', async () => {
		const r = await cli('list');
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '1\talice\tadmin\tenabled\tok\n2\tvera\tviewer\tenabled\tok\n');
		const j = await list();
		assert.deepEqual(j.map((a) => [a.id, a.username, a.role, a.disabled, a.must_change]),
		    [[1, 'alice', 'admin', false, false], [2, 'vera', 'viewer', false, false]]);
		assert.ok(!r.stdout.includes('argon2') && !JSON.stringify(j).includes('argon2'));
	});

	test('the last administrator can be neither disabled nor made a viewer', async () => {
		for (const args of [['disable', 'alice'], ['role', 'alice', 'viewer']]) {
			const r = await cli(...args);
			assert.equal(r.code, 1, args.join(' '));
			assert.match(r.stderr, /last enabled administrator/);
		}
		assert.equal((await list())[0].role, 'admin');
		assert.equal((await login('alice', PASSWORD)).status, 200);
	});

	test('role: takes effect in an open session at once', async () => {
		const v = await login('vera', PASSWORD);
		assertError(assert, await get(`${srv.url}/api/v1/admin/audit`, v.session), 403, 'forbidden', 'viewer');
		let r = await cli('role', 'vera', 'admin');
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		assert.equal((await get(`${srv.url}/api/v1/admin/audit`, v.session)).status, 200);
		// Now alice is not the last one: the shell may demote her, and back.
		r = await cli('role', 'alice', 'viewer');
		assert.equal(r.code, 0, r.stderr);
		assert.equal((await list()).find((a) => a.username === 'alice').role, 'viewer');
		r = await cli('role', 'alice', 'admin');
		assert.equal(r.code, 0, r.stderr);
	});

	test('disable ends the sessions and the logins; enable restores them', async () => {
		const v = await login('vera', PASSWORD);
		let r = await cli('disable', 'vera');
		assert.equal(r.code, 0, r.stderr);
		assertError(assert, await get(`${srv.url}/api/v1/admin/me`, v.session), 401, 'unauthorized', 'session');
		assertError(assert, await login('vera', PASSWORD), 401, 'unauthorized', 'login');
		assert.equal((await list()).find((a) => a.username === 'vera').disabled, true);
		assert.match((await cli('list')).stdout, /^2\tvera\tadmin\tdisabled\tok$/m);
		r = await cli('enable', 'vera');
		assert.equal(r.code, 0, r.stderr);
		assert.equal((await login('vera', PASSWORD)).status, 200);
	});

	test('reset prints a temporary password once, which must be changed', async () => {
		const r = await cli('reset', 'vera');
		assert.equal(r.code, 0, r.stderr);
		const temp = r.stdout.trim();
		assert.match(temp, TOKEN_RE);
		assert.equal(r.stdout, `${temp}\n`);
		assertError(assert, await login('vera', PASSWORD), 401, 'unauthorized', 'old password');
		const l = await login('vera', temp);
		assert.equal(l.status, 200, l.text);
		assert.equal(l.json.must_change, true);
		assert.match((await cli('list')).stdout, /^2\tvera\tadmin\tenabled\tmust_change$/m);
		assert.ok(!(await cli('list', '--json')).stdout.includes(temp));
		const rows = JSON.stringify(await sql(srv.db, 'SELECT * FROM audit_log'));
		assert.ok(!rows.includes(temp) && !rows.includes(temp.replaceAll('-', '')));
	});

	test('password sets a chosen one from stdin (no change forced) and ends the sessions', async () => {
		const a = await login('alice', PASSWORD);
		const r = await cliIn('the rescued password\n', 'password', 'alice');
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		assertError(assert, await get(`${srv.url}/api/v1/admin/me`, a.session), 401, 'unauthorized', 'old session');
		assertError(assert, await login('alice', PASSWORD), 401, 'unauthorized', 'old password');
		const l = await login('alice', 'the rescued password');
		assert.equal(l.status, 200, l.text);
		assert.equal(l.json.must_change, false);
		const short = await cliIn('short\n', 'password', 'alice');
		assert.equal(short.code, 1);
		assert.match(short.stderr, /8 to 256 bytes/);
		const none = await cliIn('', 'password', 'alice');
		assert.equal(none.code, 1);
		assert.match(none.stderr, /no password on standard input/);
		assert.equal((await login('alice', 'the rescued password')).status, 200, 'unchanged by the failures');
	});

	test('every change is audited as done by "cli", never with a password', async () => {
		const lines = await sql(srv.db, "SELECT username, action, params FROM audit_log WHERE action LIKE 'admin.%' " +
		    'ORDER BY id');
		assert.deepEqual(lines.map((l) => [l.username, l.action, JSON.parse(l.params)]), [
			['cli', 'admin.add', { user: 'alice', role: 'admin' }],
			['cli', 'admin.add', { user: 'vera', role: 'viewer' }],
			['cli', 'admin.role', { user: 'vera', role: 'admin' }],
			['cli', 'admin.role', { user: 'alice', role: 'viewer' }],
			['cli', 'admin.role', { user: 'alice', role: 'admin' }],
			['cli', 'admin.disable', { user: 'vera' }],
			['cli', 'admin.enable', { user: 'vera' }],
			['cli', 'admin.reset', { user: 'vera' }],
			['cli', 'admin.reset', { user: 'alice' }],
		]);
		assert.ok(!JSON.stringify(lines).includes('rescued'));
	});
});
