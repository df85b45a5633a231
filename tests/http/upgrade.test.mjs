// SPDX-License-Identifier: ISC
// Upgrades keep the data.  Each tests/upgrade/v<N>.sql holds the rows of a
// database an earlier release left on disk (made by make-fixture.mjs):
// rebuilt here from migrations 0001..N and those rows, it is migrated by
// today's server, and every row of every table comes through (on the
// columns both schemas have); the server then serves it: the accounts log
// in, an unused code still works, the scores stand.  A database newer
// than the server is refused with a clear message and left untouched.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, run, sql, startServer, post, get } from '../lib/server.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'upgrade');
const MIGRATIONS = path.join(ROOT, 'migrations');
const migrations = fs.readdirSync(MIGRATIONS).filter((f) => /^[0-9]{4}_.*\.sql$/.test(f)).sort();
const NEWEST = Number(migrations.at(-1).slice(0, 4));

// Build the database of fixture version v in dir: {db, secret, header}.
async function build(dir, v) {
	const db = path.join(dir, 'db');
	const text = fs.readFileSync(path.join(FIXTURES, `v${v}.sql`), 'utf8');
	const header = Object.fromEntries([...text.matchAll(/^-- ([a-z ()]+?): (.*)$/gm)].map((m) => [m[1], m[2]]));
	const scripts = migrations.filter((f) => Number(f.slice(0, 4)) <= v)
	    .map((f) => fs.readFileSync(path.join(MIGRATIONS, f), 'utf8'));
	const r = await run('sqlite3', [db], { input: [...scripts, `PRAGMA user_version = ${v};`, text].join('\n') });
	assert.equal(r.code, 0, r.stderr);
	const secret = path.join(dir, 'secret.key');
	fs.writeFileSync(secret, Buffer.from(header['secret (hex)'], 'hex'), { mode: 0o600 });
	return { db, secret, header, text };
}

// Every table's rows: {table: [row objects sorted]}.  Views too: a table
// that became a view of the same rows (answer_counts, schema 6) still
// holds them.
async function snapshot(db) {
	const out = {};
	for (const { name } of await sql(db, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND " +
	    "name NOT LIKE 'sqlite_%'"))
		out[name] = (await sql(db, `SELECT * FROM "${name}"`)).map((r) => JSON.stringify(r)).sort()
		    .map((s) => JSON.parse(s));
	return out;
}

const cli = (args, db, secret) => run(BIN, [...args, '--db', db, '--secret', secret, '--forms', 'forms',
    '--migrations', 'migrations']);

for (const f of fs.readdirSync(FIXTURES).filter((x) => /^v[0-9]+\.sql$/.test(x))) {
	const v = Number(f.slice(1, -4));
	describe(`a schema version ${v} database (tests/upgrade/${f})`, () => {
		test(`migrates to version ${NEWEST} with every row intact`, async () => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-upgrade-'));
			try {
				const { db, secret, header, text } = await build(dir, v);
				const before = await snapshot(db);
				assert.ok(Object.values(before).every((rows) => rows.length > 0), 'a row in every table');
				const m = await cli(['migrate'], db, secret);
				assert.equal(m.code, 0, m.stderr);
				assert.equal(m.stdout, `schema version ${NEWEST}\n`);
				const after = await snapshot(db);
				for (const [table, rows] of Object.entries(before)) {
					assert.ok(table in after, `table ${table} is still there`);
					assert.equal(after[table].length, rows.length, `rows of ${table}`);
					// The columns both versions have, row by row.
					const cols = Object.keys(rows[0]).filter((c) => c in after[table][0]);
					const pick = (r) => JSON.stringify(cols.map((c) => r[c]));
					assert.deepEqual(after[table].map(pick).sort(), rows.map(pick).sort(), `rows of ${table}`);
				}
				// A round that collected (or was opened) before is never deletable.
				const [{ n }] = await sql(db, "SELECT count(*) AS n FROM rounds WHERE opened = 0 AND " +
				    "(state = 'open' OR respondents > 0 OR final = 1)");
				assert.equal(n, 0, 'rounds that collected are marked opened');
				const check = await run('sqlite3', [db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;']);
				assert.equal(check.stdout.trim(), 'ok');

				// The server runs on it: logins, the unused code, the scores.
				const srv = await startServer({ db, init: (d) => fs.copyFileSync(secret, path.join(d, 'secret.key')) });
				try {
					const pw = header['password of alice and victor'];
					let alice;
					for (const username of ['alice', 'victor']) {
						const r = await post(`${srv.url}/api/v1/admin/login`, { username, password: pw });
						assert.equal(r.status, 200, `${username}: ${r.text}`);
						if (username === 'alice')
							alice = { cookie: r.headers.get('set-cookie').split(';')[0] };
					}
					// Audit lines written before facts existed read as they were written.
					const a = await get(`${srv.url}/api/v1/admin/audit?limit=500`, alice);
					assert.equal(a.status, 200, a.text);
					const old = a.json.audit.filter((l) => l.facts === null);
					assert.equal(old.length, before.audit_log.length, 'every old line listed');
					for (const l of old.filter((x) => x.detail !== ''))
						assert.deepEqual(l.text, { th: l.detail, en: l.detail }, `${l.action}: ${l.detail}`);
					const login = old.find((l) => l.action === 'login');
					assert.deepEqual(login.text, { th: 'เข้าสู่ระบบ', en: 'signed in' }, 'an old login line');
					const [, round, code] = /^-- unused code of round ([0-9]+): (\S+)$/m.exec(text);
					const c = await post(`${srv.url}/api/v1/rounds/${round}/tokens/check`, { token: code });
					assert.equal(c.status, 200, c.text);
					const s = await srv.cli(['scores', '--round', round, '--json']);
					assert.equal(s.code, 0, s.stderr);
					assert.ok(JSON.parse(s.stdout).respondents >= 5, s.stdout);
					const h = await get(`${srv.url}/healthz`);
					assert.equal(h.status, 200);
				} finally {
					await srv.stop();
				}
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		});
	});
}

test('a database newer than the server is refused, and left as it was', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-newer-'));
	try {
		const db = path.join(dir, 'db'), secret = path.join(dir, 'secret.key');
		let r = await cli(['migrate'], db, secret);
		assert.equal(r.code, 0, r.stderr);
		await run('sqlite3', [db, `PRAGMA user_version = ${NEWEST + 1}`]);
		const before = fs.readFileSync(db);
		for (const args of [['migrate'], ['round', 'list'], ['serve', '--listen', '127.0.0.1:0', '--rate-limits', 'on']]) {
			r = await cli(process.geteuid?.() === 0 && args[0] === 'serve' ? [...args, '--user', 'root'] : args,
			    db, secret);
			assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
			assert.match(r.stderr, new RegExp(`schema version ${NEWEST + 1} is newer than this`), args[0]);
			assert.equal(r.stdout, '');
		}
		assert.deepEqual(fs.readFileSync(db), before, 'the file is unchanged');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
