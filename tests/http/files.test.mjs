// SPDX-License-Identifier: ISC
// Files and privileges: the data the server writes (database, -wal, -shm,
// secret, backups, exports) is 0600 and the folder it makes 0700 even
// under umask 022; a database file left 0644 is narrowed at open; serve
// refuses root without --user; --user gives away the server's own files
// and a folder of its own, never a shared folder; the daemon has no core
// file limit above 0 and is not dumpable once it runs as the user.
//
// Every command here runs under umask 022 and the highest core file limit
// allowed (sh -c 'umask 022; ulimit -S -c ...'), so what we check is what
// the server does, not what the test's environment happened to give.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, AS_ROOT, VALGRIND, get, run } from '../lib/server.mjs';

const IS_ROOT = process.geteuid?.() === 0;
const START_TIMEOUT_MS = VALGRIND ? 60000 : 20000;
const HOSTILE = 'umask 022; ulimit -S -c "$(ulimit -H -c)" 2>/dev/null; exec "$0" "$@"';

const mode = (p) => fs.statSync(p).mode & 0o777;
const octal = (m) => m.toString(8).padStart(3, '0');

// The common flags for a database and a secret in folder dir.
const flags = (dir, db = 'ita-survey.db') => ['--db', path.join(dir, db), '--secret',
    path.join(dir, 'secret.key'), '--forms', 'forms', '--web', 'web', '--migrations', 'migrations'];

// ita-survey args under umask 022; resolves {code, stdout, stderr}.
const cli = (args, opts) => run('sh', ['-c', HOSTILE, BIN, ...args], opts);

// ita-survey serve args under umask 022.  Resolves {url, pid, stderr(),
// stop()} once it listens, or {code, stdout, stderr()} if it exits first.
function serve(args) {
	const p = spawn('sh', ['-c', HOSTILE, BIN, 'serve', '--listen', '127.0.0.1:0', ...args],
	    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '', err = '';
	p.stderr.setEncoding('utf8');
	p.stderr.on('data', (d) => { err += d; });
	p.stdout.setEncoding('utf8');
	const exited = new Promise((resolve) => p.once('exit', (code, sig) => resolve(code ?? sig)));
	const stop = async () => {
		if (p.exitCode === null && p.signalCode === null)
			p.kill('SIGTERM');
		const t = setTimeout(() => p.kill('SIGKILL'), 30000);
		const code = await exited;
		clearTimeout(t);
		return code;
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			p.kill('SIGKILL');
			reject(new Error(`serve did not start; stderr:\n${err}`));
		}, START_TIMEOUT_MS);
		p.stdout.on('data', (d) => {
			out += d;
			const m = /^listening on (http:\/\/\S+)\n/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve({ url: m[1], pid: p.pid, stderr: () => err, stop });
			}
		});
		exited.then((code) => {
			clearTimeout(timer);
			resolve({ code, stdout: out, stderr: () => err });
		});
	});
}

// A serve() that must not have started: stop it if it did, and fail.
async function refused(r) {
	if (r.url !== undefined) {
		await r.stop();
		assert.fail(`it served; stderr:\n${r.stderr()}`);
	}
	return r;
}

// The uid and gid of user, or null when there is no such user.
async function ids(user) {
	const u = await run('id', ['-u', user]);
	const g = await run('id', ['-g', user]);
	return u.code === 0 && g.code === 0 ?
	    { uid: Number(u.stdout), gid: Number(g.stdout) } : null;
}

// Whether uid:gid can read web/index.html through the checkout's folders.
async function canRead(who, file) {
	return new Promise((resolve) => {
		const p = spawn('sh', ['-c', 'test -r "$0"', file], { uid: who.uid, gid: who.gid, stdio: 'ignore' });
		p.on('error', () => resolve(false));
		p.on('exit', (code) => resolve(code === 0));
	});
}

// A field of /proc/PID/limits, e.g. "Max core file size": [soft, hard].
function limit(pid, name) {
	const line = fs.readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n')
	    .find((l) => l.startsWith(name));
	assert.ok(line, `${name} in /proc/${pid}/limits`);
	return line.slice(name.length).trim().split(/\s+/).slice(0, 2);
}

let tmp;
before(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-files-'));
	// The tests below need a folder others may enter, as /var/lib is.
	fs.chmodSync(tmp, 0o755);
});
after(() => {
	if (!process.env.ITA_KEEP)
		fs.rmSync(tmp, { recursive: true, force: true });
});

describe('file modes under umask 022', () => {
	test('a first start as "make run" does: the folder 0700, database, -wal, -shm, secret 0600', async () => {
		const top = fs.mkdtempSync(path.join(tmp, 'first-'));
		fs.chmodSync(top, 0o755);
		const dir = path.join(top, 'var');
		const m = await cli(['migrate', ...flags(dir)]);
		assert.equal(m.code, 0, m.stderr);
		const srv = await serve([...flags(dir), ...AS_ROOT]);
		assert.ok(srv.url, `serve exited ${srv.code}: ${srv.stderr()}`);
		try {
			assert.equal((await get(`${srv.url}/healthz`)).status, 200);
			assert.equal(octal(mode(dir)), '700', dir);
			for (const f of ['ita-survey.db', 'ita-survey.db-wal', 'ita-survey.db-shm', 'secret.key'])
				assert.equal(octal(mode(path.join(dir, f))), '600', f);
			// No core file: the limit is 0 whatever the daemon inherited.
			assert.deepEqual(limit(srv.pid, 'Max core file size'), ['0', '0']);
		} finally {
			assert.equal(await srv.stop(), 0, srv.stderr());
		}
	});

	test('a database and secret left 0644 are narrowed to 0600 at open, with a warning', async () => {
		const dir = fs.mkdtempSync(path.join(tmp, 'wide-'));
		assert.equal((await cli(['migrate', ...flags(dir)])).code, 0);
		for (const f of ['ita-survey.db', 'secret.key'])
			fs.chmodSync(path.join(dir, f), 0o644);
		const r = await cli(['round', 'list', ...flags(dir)]);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stderr, /ita-survey\.db: was open to other users \(mode 644\); now 600/);
		assert.match(r.stderr, /secret\.key: was open to other users \(mode 644\); now 600/);
		for (const f of ['ita-survey.db', 'secret.key'])
			assert.equal(octal(mode(path.join(dir, f))), '600', f);
	});

	test('backup --out FILE is 0600, over an old 0644 FILE and a stale FILE.tmp', async () => {
		const dir = fs.mkdtempSync(path.join(tmp, 'backup-'));
		assert.equal((await cli(['migrate', ...flags(dir)])).code, 0);
		const out = path.join(tmp, 'backup.db');
		const fresh = await cli(['backup', '--out', out, ...flags(dir)]);
		assert.equal(fresh.code, 0, fresh.stderr);
		assert.equal(octal(mode(out)), '600');
		fs.chmodSync(out, 0o644);
		fs.writeFileSync(`${out}.tmp`, '');
		fs.chmodSync(`${out}.tmp`, 0o644);
		const again = await cli(['backup', '--out', out, ...flags(dir)]);
		assert.equal(again.code, 0, again.stderr);
		assert.equal(octal(mode(out)), '600');
		assert.ok(!fs.existsSync(`${out}.tmp`));
		// Still a database.
		const r = await cli(['round', 'list', '--db', out, '--secret', path.join(dir, 'secret.key')]);
		assert.equal(r.code, 0, r.stderr);
	});

	test('export --out FILE is 0600, over an old 0644 FILE and a stale FILE.tmp', async () => {
		const dir = fs.mkdtempSync(path.join(tmp, 'export-'));
		const c = await cli(['round', 'create', '--form', 'ita-2563-eit', '--title', 'modes', ...flags(dir)]);
		assert.equal(c.code, 0, c.stderr);
		const id = c.stdout.trim();
		const out = path.join(tmp, 'scores.csv');
		for (const stale of [false, true]) {
			if (stale) {
				fs.chmodSync(out, 0o644);
				fs.writeFileSync(`${out}.tmp`, '');
				fs.chmodSync(`${out}.tmp`, 0o644);
			}
			const r = await cli(['export', '--round', id, '--what', 'scores', '--format', 'csv', '--out', out,
			    ...flags(dir)]);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(octal(mode(out)), '600', `stale ${stale}`);
			assert.ok(fs.readFileSync(out, 'utf8').includes('ita-2563-eit'));
			assert.ok(!fs.existsSync(`${out}.tmp`));
		}
	});
});

describe('root and --user', () => {
	let nobody = null, skipUser = null;

	before(async () => {
		if (!IS_ROOT)
			return;
		nobody = await ids('nobody');
		if (nobody === null)
			skipUser = 'no user "nobody" on this machine';
		else if (!await canRead(nobody, path.join(ROOT, 'web', 'index.html')))
			skipUser = `nobody cannot read ${ROOT}/web (a folder above the checkout is closed to ` +
			    'other users): the server could not serve its pages as nobody';
	});

	test('serve as root without --user refuses, says why, and creates nothing', async (t) => {
		if (!IS_ROOT)
			return t.skip('needs root');
		const dir = path.join(tmp, 'root-refused');
		const r = await refused(await serve(flags(dir)));
		assert.equal(r.code, 1);
		assert.equal(r.stdout, '');
		assert.match(r.stderr(), /refusing to serve as root: pass --user NAME .*--user root/);
		assert.ok(!fs.existsSync(dir), 'the data folder was created');
	});

	test('--user root serves as root and warns once', async (t) => {
		if (!IS_ROOT)
			return t.skip('needs root');
		const dir = fs.mkdtempSync(path.join(tmp, 'root-'));
		const srv = await serve([...flags(dir), '--user', 'root']);
		assert.ok(srv.url, `serve exited ${srv.code}: ${srv.stderr()}`);
		assert.equal(await srv.stop(), 0, srv.stderr());
		assert.equal(srv.stderr().match(/warn: serving as root/g)?.length, 1, srv.stderr());
	});

	test('--user never takes a shared folder: it refuses, and nothing changes hands', async (t) => {
		if (!IS_ROOT)
			return t.skip('needs root');
		if (skipUser)
			return t.skip(skipUser);
		const dir = fs.mkdtempSync(path.join(tmp, 'shared-'));
		assert.equal((await cli(['migrate', ...flags(dir)])).code, 0);
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'not the server\'s\n');
		const r = await refused(await serve([...flags(dir), '--user', 'nobody']));
		assert.equal(r.code, 1);
		assert.match(r.stderr(), /--user nobody: cannot write .*shared-[^,]*, the database's folder, which holds other files than the server's/);
		for (const f of ['', 'ita-survey.db', 'secret.key', 'notes.txt'])
			assert.equal(fs.statSync(path.join(dir, f)).uid, 0, `${f || 'the folder'} changed owner`);
	});

	test('--user takes a folder of its own, serves web/ as the user, and is not dumpable', async (t) => {
		if (!IS_ROOT)
			return t.skip('needs root');
		if (skipUser)
			return t.skip(skipUser);
		const dir = fs.mkdtempSync(path.join(tmp, 'own-'));
		assert.equal((await cli(['migrate', ...flags(dir)])).code, 0);
		const srv = await serve([...flags(dir), '--user', 'nobody']);
		assert.ok(srv.url, `serve exited ${srv.code}: ${srv.stderr()}`);
		try {
			for (const f of ['', 'ita-survey.db', 'ita-survey.db-wal', 'ita-survey.db-shm', 'secret.key']) {
				const sb = fs.statSync(path.join(dir, f));
				assert.deepEqual([sb.uid, sb.gid], [nobody.uid, nobody.gid], f || 'the folder');
			}
			const page = await get(`${srv.url}/`);
			assert.equal(page.status, 200);
			const status = fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8');
			assert.match(status, new RegExp(`^Uid:\\s+${nobody.uid}\\s+${nobody.uid}\\s+${nobody.uid}\\s`, 'm'));
			// Not dumpable: the kernel then gives its /proc files to root
			// (a dumpable process's belong to its own uid).
			assert.equal(fs.statSync(`/proc/${srv.pid}/environ`).uid, 0, 'dumpable after the drop');
			assert.deepEqual(limit(srv.pid, 'Max core file size'), ['0', '0']);
		} finally {
			assert.equal(await srv.stop(), 0, srv.stderr());
		}
		// The folder was the server's own: the next start takes it again.
		const again = await serve([...flags(dir), '--user', 'nobody']);
		assert.ok(again.url, `serve exited ${again.code}: ${again.stderr()}`);
		assert.equal(await again.stop(), 0, again.stderr());
	});
});
