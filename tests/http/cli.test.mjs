// SPDX-License-Identifier: ISC
// The command line of API.md: --help everywhere, exit 2 for bad usage,
// script-friendly output, forms check, migrate, backup and export while the
// daemon runs.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	BIN, ROOT, TOKEN_RE, PASSWORD, startServer, createRound, issueTokens, getForm, makeAnswers, respondents,
	run, post, uuid,
} from '../lib/server.mjs';

const COMMANDS = ['serve', 'migrate', 'forms', 'round', 'tokens', 'kiosk', 'scores', 'export', 'admin', 'backup',
    'settings'];
let srv, tmp;

before(async () => {
	srv = await startServer();
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-cli-'));
});

after(async () => {
	try {
		await srv?.stop();
	} finally {
		if (tmp)
			fs.rmSync(tmp, { recursive: true, force: true });
	}
});

describe('--help', () => {
	test('ita-survey --help lists every command', async () => {
		const r = await run(BIN, ['--help']);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^usage: ita-survey/);
		for (const c of COMMANDS)
			assert.match(r.stdout, new RegExp(`^ +${c} `, 'm'), c);
	});
	for (const c of COMMANDS) {
		test(`${c} --help exits 0 and prints its usage`, async () => {
			const r = await srv.cli([c, '--help']);
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, new RegExp(`^usage: ita-survey ${c}\\b`), r.stdout);
			assert.equal(r.stderr, '');
		});
	}
});

describe('bad usage exits 2 with a message on stderr', () => {
	const cases = [
		[],
		['frobnicate'],
		['round'],
		['round', 'frobnicate'],
		['round', 'open'],
		['round', 'open', 'abc'],
		['round', 'open', '0'],
		['round', 'open', '-1'],
		['round', 'open', '1', '2'],
		['round', 'close', '1x'],
		['round', 'create', '--title', 'no form'],
		['round', 'create', '--form', 'ita-2563-iit'],
		['round', 'create', '--form', 'ita-2563-iit', '--title', 'x', '--population', 'many'],
		['round', 'create', '--form', 'ita-2563-iit', '--title', 'x', '--bogus'],
		['round', 'list', '--xml'],
		['tokens', 'issue', '--count', '3'],
		['tokens', 'issue', '--round', '1'],
		['tokens', 'issue', '--round', 'abc', '--count', '3'],
		['tokens', 'issue', '--round', '1', '--count', '0'],
		['tokens', 'issue', '--round', '1', '--count', '-5'],
		['tokens', 'frobnicate'],
		['kiosk', 'add', '--name', 'x'],
		['kiosk', 'add', '--round', '1'],
		['scores'],
		['scores', '--round', 'abc'],
		['export', '--round', '1'],
		['export', '--round', '1', '--what', 'scores', '--format', 'pdf'],
		['export', '--what', 'scores', '--format', 'csv'],
		['admin'],
		['admin', 'add'],
		['admin', 'add', 'eve', '--role', 'king'],
		['backup', 'extra'],
		['backup', '--out'],
		['backup', '--backup-keep', '0'],
		['backup', '--backup-keep', 'seven'],
		['backup', '--backup-keep', '1001'],
		['migrate', 'extra'],
		['serve', 'extra'],
		['forms'],
		['forms', 'check', 'a', 'b'],
	];
	for (const args of cases) {
		test(args.join(' ') || '(no command)', async () => {
			const r = await srv.cli(args);
			assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.stderr}`);
			assert.match(r.stderr, /\S/, 'a message on stderr');
			assert.equal(r.stdout, '', 'nothing on stdout');
		});
	}
});

describe('rounds, codes, kiosks', () => {
	test('round create prints the id alone on a line', async () => {
		const a = await srv.cli(['round', 'create', '--form', 'ita-2563-iit', '--title', 'CLI round', '--population', '80']);
		assert.equal(a.code, 0, a.stderr);
		assert.match(a.stdout, /^[1-9][0-9]*\n$/);
		const b = await srv.cli(['round', 'create', '--form', 'ita-2563-eit', '--title', 'CLI EIT', '--public']);
		assert.equal(b.code, 0, b.stderr);
		assert.match(b.stdout, /^[1-9][0-9]*\n$/);
		assert.notEqual(a.stdout, b.stdout);
	});

	test('round create refuses an unknown form, and --public for an internal form (exit 1)', async () => {
		for (const args of [['--form', 'nope', '--title', 'x'], ['--form', 'ita-2563-iit', '--title', 'x', '--public']]) {
			const r = await srv.cli(['round', 'create', ...args]);
			assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, /\S/);
			assert.equal(r.stdout, '');
		}
	});

	test('round open/close of an unknown round exits 1', async () => {
		for (const c of ['open', 'close']) {
			const r = await srv.cli(['round', c, '999999']);
			assert.equal(r.code, 1, r.stderr);
			assert.match(r.stderr, /999999/);
		}
	});

	test('round list --json parses; round list is one tab-separated line per round', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { title: 'listed round' });
		let r = await srv.cli(['round', 'list', '--json']);
		assert.equal(r.code, 0, r.stderr);
		const rounds = JSON.parse(r.stdout);
		assert.ok(Array.isArray(rounds));
		const mine = rounds.find((x) => x.id === id);
		assert.equal(mine?.form, 'ita-2563-iit');
		assert.equal(mine.state, 'open');
		assert.equal(mine.respondents, 0);
		assert.equal(mine.title, 'listed round');
		r = await srv.cli(['round', 'list']);
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.trimEnd().split('\n');
		assert.equal(lines.length, rounds.length);
		assert.ok(lines.some((l) => l === `${id}\tita-2563-iit\topen\t0\tlisted round`), r.stdout);
	});

	test('tokens issue prints N distinct codes, one a line', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { open: false });
		const r = await srv.cli(['tokens', 'issue', '--round', String(id), '--count', '25']);
		assert.equal(r.code, 0, r.stderr);
		assert.ok(r.stdout.endsWith('\n'));
		const lines = r.stdout.slice(0, -1).split('\n');
		assert.equal(lines.length, 25);
		for (const l of lines)
			assert.match(l, TOKEN_RE);
		assert.equal(new Set(lines).size, 25);
		// They work.
		await srv.cli(['round', 'open', String(id)]);
		const form = await getForm(srv, id);
		const p = await post(`${srv.url}/api/v1/rounds/${id}/responses`,
		    { submission_id: uuid(), token: lines[24], answers: makeAnswers(form) });
		assert.equal(p.status, 201, p.text);
	});

	test('tokens issue refuses an external round and an unknown one (exit 1)', async () => {
		const eit = await createRound(srv, 'ita-2563-eit', { open: false });
		for (const id of [eit, 999999]) {
			const r = await srv.cli(['tokens', 'issue', '--round', String(id), '--count', '2']);
			assert.equal(r.code, 1, r.stderr);
			assert.equal(r.stdout, '');
		}
	});

	test('kiosk add prints the key alone; refuses an internal round', async () => {
		const eit = await createRound(srv, 'ita-2563-eit');
		let r = await srv.cli(['kiosk', 'add', '--round', String(eit), '--name', 'Counter 1']);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}\n$/);
		const iit = await createRound(srv, 'ita-2563-iit');
		r = await srv.cli(['kiosk', 'add', '--round', String(iit), '--name', 'Counter 1']);
		assert.equal(r.code, 1, r.stderr);
	});

	test('admin add reads the password from stdin', async () => {
		let r = await srv.cli(['admin', 'add', 'erin'], { input: `${PASSWORD}\n` });
		assert.equal(r.code, 0, r.stderr);
		r = await post(`${srv.url}/api/v1/admin/login`, { username: 'erin', password: PASSWORD });
		assert.equal(r.status, 200, r.text);
		r = await srv.cli(['admin', 'add', 'erin'], { input: `${PASSWORD}\n` });
		assert.equal(r.code, 1, 'a taken name');
		assert.match(r.stderr, /exists/);
		r = await srv.cli(['admin', 'add', 'frank'], { input: 'short\n' });
		assert.equal(r.code, 1, 'a short password');
		r = await srv.cli(['admin', 'add', 'grace'], { input: '' });
		assert.equal(r.code, 1, 'no password');
		r = await srv.cli(['admin', 'add', 'bad name!'], { input: `${PASSWORD}\n` });
		assert.equal(r.code, 1, 'a bad name');
		assert.ok(!r.stderr.includes(PASSWORD));
	});

	test('scores of an unknown round exits 1', async () => {
		const r = await srv.cli(['scores', '--round', '999999', '--json']);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /999999/);
		assert.equal(r.stdout, '');
	});

	test('common flags go before or after the command, or in the environment', async () => {
		const after = await srv.cli(['round', 'list', '--json']);
		assert.equal(after.code, 0);
		const flags = ['--db', srv.db, '--secret', path.join(srv.dir, 'secret.key'), '--forms', 'forms'];
		const beforeCmd = await run(BIN, [...flags, 'round', 'list', '--json']);
		assert.equal(beforeCmd.code, 0, beforeCmd.stderr);
		assert.equal(beforeCmd.stdout, after.stdout);
		const env = await run(BIN, ['round', 'list', '--json'], { env: { ITA_SURVEY_DB: srv.db,
		    ITA_SURVEY_SECRET: path.join(srv.dir, 'secret.key'), ITA_SURVEY_FORMS: path.join(ROOT, 'forms') } });
		assert.equal(env.code, 0, env.stderr);
		assert.equal(env.stdout, after.stdout);
	});
});

describe('forms check', () => {
	test('the shipped forms are good', async () => {
		const r = await srv.cli(['forms', 'check', 'forms']);
		assert.equal(r.code, 0, r.stdout + r.stderr);
		assert.match(r.stdout, /ita-2563-iit: ok \(51 questions\)/);
		assert.match(r.stdout, /ita-2563-eit: ok \(19 questions\)/);
	});

	test('a broken form: exit 1 and "FILE: $.path: reason" for each problem', async () => {
		const dir = path.join(tmp, 'forms');
		fs.mkdirSync(dir);
		const f = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', 'ita-2563-iit.json'), 'utf8'));
		f.indicators[0].items[0].questions[0].scale = 'L9';
		f.scoring.min_cell = 0;
		fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(f, null, 2));
		fs.writeFileSync(path.join(dir, 'syntax.json'), '{"id": ');
		const r = await srv.cli(['forms', 'check', dir]);
		assert.equal(r.code, 1);
		const out = r.stdout + r.stderr;
		const file = path.join(dir, 'broken.json');
		assert.ok(out.includes(`${file}: $.indicators[0].items[0].questions[0].scale: `), out);
		assert.ok(out.includes(`${file}: $.scoring.min_cell: `), out);
		assert.match(out, new RegExp(`${path.join(dir, 'syntax.json').replaceAll('.', '\\.')}:1:[0-9]+: \\S`), out);
		for (const line of out.trimEnd().split('\n'))
			assert.match(line, /^\S+\.json(: \$\S*|:[0-9]+:[0-9]+): \S/, `problem line: ${line}`);
	});
});

describe('migrate, backup, export', () => {
	test('migrate twice changes nothing', async () => {
		const schema = async () => (await run('sqlite3', [srv.db, '.schema'])).stdout;
		const s1 = await schema();
		const a = await srv.cli(['migrate']);
		const b = await srv.cli(['migrate']);
		assert.equal(a.code, 0, a.stderr);
		assert.equal(b.code, 0, b.stderr);
		assert.match(a.stdout, /^schema version [1-9][0-9]*\n$/);
		assert.equal(b.stdout, a.stdout);
		assert.equal(await schema(), s1);
		const v = await run('sqlite3', [srv.db, 'PRAGMA user_version']);
		assert.equal(`schema version ${v.stdout}`, a.stdout);
	});

	test('backup --out while the server runs holds every response', async () => {
		const id = await createRound(srv, 'ita-2563-iit');
		const toks = await issueTokens(srv, id, 6);
		const form = await getForm(srv, id);
		for (const t of toks) {
			const r = await post(`${srv.url}/api/v1/rounds/${id}/responses`,
			    { submission_id: uuid(), token: t, answers: makeAnswers(form) });
			assert.equal(r.status, 201, r.text);
		}
		const out = path.join(tmp, 'backup.db');
		const r = await srv.cli(['backup', '--out', out]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		assert.ok(!fs.existsSync(`${out}.tmp`));
		const count = await run('sqlite3', [out, `SELECT count(*) FROM responses WHERE round_id = ${id}`]);
		assert.equal(count.stdout.trim(), '6');
		const all = await run('sqlite3', [out, 'SELECT count(*) FROM responses']);
		const live = await run('sqlite3', [srv.db, 'SELECT count(*) FROM responses']);
		assert.equal(all.stdout, live.stdout);
		const check = await run('sqlite3', [out, 'PRAGMA integrity_check']);
		assert.equal(check.stdout.trim(), 'ok');
		// The copy is a database the server can start on.
		const r2 = await run(BIN, ['scores', '--round', String(id), '--json', '--db', out, '--secret',
		    path.join(srv.dir, 'secret.key'), '--forms', 'forms']);
		assert.equal(r2.code, 0, r2.stderr);
		assert.equal(JSON.parse(r2.stdout).respondents, 5, 'six responses, shown in steps of five');
		const bad = await srv.cli(['backup', '--out', path.join(tmp, 'no', 'such', 'dir', 'x.db')]);
		assert.equal(bad.code, 1);
	});

	test('backup without --out: a dated copy in the backup folder, the newest N kept', async () => {
		const dir = path.join(tmp, 'backups');
		const stray = path.join(dir, 'notes.txt');
		const names = [];
		for (let i = 0; i < 4; i++) {
			if (i > 0)	// the names have the second
				await new Promise((r) => setTimeout(r, 1100));
			const r = await srv.cli(['backup', '--backup-dir', dir, '--backup-keep', '2']);
			assert.equal(r.code, 0, r.stderr);
			const made = r.stdout.trim();
			assert.match(path.basename(made), /^ita-survey-[0-9]{8}-[0-9]{6}\.db$/);
			assert.equal(path.dirname(made), dir);
			names.push(path.basename(made));
			if (i === 0) {
				assert.equal(fs.statSync(dir).mode & 0o777, 0o700, 'the folder is 0700');
				fs.writeFileSync(stray, 'not ours\n');
			}
			assert.equal(fs.statSync(made).mode & 0o777, 0o600, 'the copy is 0600');
		}
		const left = fs.readdirSync(dir).sort();
		assert.deepEqual(left, [...names.slice(2), 'notes.txt'].sort(), 'the two newest and the stray file');
		const check = await run('sqlite3', [path.join(dir, names[3]), 'PRAGMA integrity_check']);
		assert.equal(check.stdout.trim(), 'ok');
		// The folder and count from the environment too.
		const e = await srv.cli(['backup'], { env: { ...process.env, ITA_SURVEY_BACKUP_DIR: dir,
		    ITA_SURVEY_BACKUP_KEEP: '1' } });
		assert.equal(e.code, 0, e.stderr);
		assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(e.stdout.trim()), 'notes.txt'].sort());
	});

	test('export --out FILE writes what stdout would', async () => {
		const id = await createRound(srv, 'ita-2563-iit');
		const toks = await issueTokens(srv, id, 5);
		const form = await getForm(srv, id);
		for (const t of toks)
			assert.equal((await post(`${srv.url}/api/v1/rounds/${id}/responses`,
			    { submission_id: uuid(), token: t, answers: makeAnswers(form) })).status, 201);
		assert.equal(await respondents(srv, id), 5);
		for (const format of ['csv', 'json']) {
			const file = path.join(tmp, `scores.${format}`);
			const a = await srv.cli(['export', '--round', String(id), '--what', 'scores', '--format', format, '--out', file]);
			assert.equal(a.code, 0, a.stderr);
			assert.equal(a.stdout, '');
			const b = await srv.cli(['export', '--round', String(id), '--what', 'scores', '--format', format]);
			assert.equal(b.code, 0, b.stderr);
			assert.equal(fs.readFileSync(file, 'utf8'), b.stdout, format);
			assert.ok(!fs.existsSync(`${file}.tmp`));
		}
		const x = path.join(tmp, 'scores.xlsx');
		const rx = await srv.cli(['export', '--round', String(id), '--what', 'scores', '--format', 'xlsx', '--out', x]);
		assert.equal(rx.code, 0, rx.stderr);
		assert.equal(fs.readFileSync(x).subarray(0, 4).toString('hex'), '504b0304');
		// Responses of an open round: refused, and no file is left behind.
		const rf = path.join(tmp, 'responses.csv');
		const r = await srv.cli(['export', '--round', String(id), '--what', 'responses', '--format', 'csv', '--out', rf]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /closed/);
		assert.ok(!fs.existsSync(rf) && !fs.existsSync(`${rf}.tmp`));
		await srv.cli(['round', 'close', String(id)]);
		const ok = await srv.cli(['export', '--round', String(id), '--what', 'responses', '--format', 'csv', '--out', rf]);
		assert.equal(ok.code, 0, ok.stderr);
		assert.equal(fs.readFileSync(rf, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n').length, 6);
		const unknown = await srv.cli(['export', '--round', '999999', '--what', 'scores', '--format', 'csv']);
		assert.equal(unknown.code, 1);
	});
});

describe('configuration file (--config, ITA_SURVEY_CONFIG)', () => {
	// Settings a test gives by hand: no ITA_SURVEY_* of the caller's.
	const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ITA_SURVEY_')));
	const cli = (args, env = {}) => run(BIN, args, { env: { ...clean, ...env } });
	let dir, conf;

	before(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-conf-'));
		conf = path.join(dir, 'ita-survey.conf');
		fs.writeFileSync(conf, [
			'# ita-survey settings, as systemd\'s EnvironmentFile= reads them',
			'',
			`ITA_SURVEY_DB=${path.join(dir, 'from-file.db')}`,
			`  ITA_SURVEY_SECRET = "${path.join(dir, 'secret.key')}"`,
			`ITA_SURVEY_FORMS='forms'`,
			'ITA_SURVEY_MIGRATIONS=migrations',
			'; another comment',
			'ITA_SURVEY_PUBLIC_URL=',
		].join('\n'));
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	test('the file sets what no flag or variable sets', async () => {
		const r = await cli(['--config', conf, 'migrate']);
		assert.equal(r.code, 0, r.stderr);
		assert.ok(fs.existsSync(path.join(dir, 'from-file.db')));
		assert.equal(fs.readFileSync(path.join(dir, 'secret.key')).length, 32, 'quotes dropped');
		const e = await cli(['migrate'], { ITA_SURVEY_CONFIG: conf, ITA_SURVEY_DB: path.join(dir, 'from-env.db') });
		assert.equal(e.code, 0, e.stderr);
		assert.ok(fs.existsSync(path.join(dir, 'from-env.db')), 'the environment wins over the file');
		const f = await cli(['migrate', '--db', path.join(dir, 'from-flag.db')],
		    { ITA_SURVEY_CONFIG: conf, ITA_SURVEY_DB: path.join(dir, 'from-env.db') });
		assert.equal(f.code, 0, f.stderr);
		assert.ok(fs.existsSync(path.join(dir, 'from-flag.db')), 'a flag wins over both');
		// --config=FILE spelling, and an empty variable counts as unset.
		const g = await cli([`--config=${conf}`, 'round', 'list'], { ITA_SURVEY_DB: '' });
		assert.equal(g.code, 0, g.stderr);
	});

	test('a mistake in the file is named with its line, and nothing runs', async () => {
		for (const [text, what] of [
			['ITA_SURVEY_DB=/tmp/x\nITA_SURVEY_PUBLICURL=https://x\n', /:2: unknown setting "ITA_SURVEY_PUBLICURL"/],
			['ITA_SURVEY_DB /tmp/x\n', /:1: not a NAME=value line/],
			['PATH=/bin\n', /:1: unknown setting "PATH"/],
		]) {
			const bad = path.join(dir, 'bad.conf');
			fs.writeFileSync(bad, text);
			const r = await cli(['--config', bad, 'migrate']);
			assert.equal(r.code, 2, r.stderr);
			assert.match(r.stderr, what);
			assert.ok(r.stderr.includes(bad));
		}
		const r = await cli(['--config', path.join(dir, 'missing.conf'), 'migrate']);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /missing\.conf: No such file/);
	});

	test('the development build reads no file by default; --help lists every setting', async () => {
		const r = await cli(['--help']);
		assert.equal(r.code, 0);
		for (const s of ['ITA_SURVEY_CONFIG', 'ITA_SURVEY_PUBLIC_URL', 'ITA_SURVEY_TRUSTED_PROXIES',
		    'ITA_SURVEY_METRICS_LISTEN', 'ITA_SURVEY_BACKUP_DIR', 'ITA_SURVEY_BACKUP_KEEP'])
			assert.match(r.stdout, new RegExp(s));
		assert.match(r.stdout, /--db +ITA_SURVEY_DB +var\/ita-survey\.db/);
		assert.match(r.stdout, /--config +ITA_SURVEY_CONFIG +-/);
	});

	test('the installed build has the FHS places compiled in', async () => {
		const ibin = path.join(ROOT, 'build', 'ita-survey-installed');
		const r = await run(ibin, ['--help'], { env: clean });
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /--config +ITA_SURVEY_CONFIG +\/etc\/ita-survey\/ita-survey\.conf/);
		assert.match(r.stdout, /--db +ITA_SURVEY_DB +\/var\/lib\/ita-survey\/ita-survey\.db/);
		assert.match(r.stdout, /--secret +ITA_SURVEY_SECRET +\/var\/lib\/ita-survey\/secret\.key/);
		assert.match(r.stdout, /--forms +ITA_SURVEY_FORMS +\/\S+\/share\/ita-survey\/forms/);
		assert.match(r.stdout, /--backup-dir +ITA_SURVEY_BACKUP_DIR +\/var\/lib\/ita-survey\/backups/);
	});
});

test('a command run by root on a service\'s data acts as the data\'s owner', async (t) => {
	if (process.geteuid?.() !== 0)
		return t.skip('needs root');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-owner-'));
	try {
		// nobody's folder, as /var/lib/ita-survey is ita-survey's.
		fs.chownSync(dir, 65534, 65534);
		const args = (a) => [...a, '--db', path.join(dir, 'db'), '--secret', path.join(dir, 'secret.key'),
		    '--forms', 'forms', '--migrations', 'migrations'];
		let r = await run(BIN, args(['migrate']));
		assert.equal(r.code, 0, r.stderr);
		r = await run(BIN, args(['round', 'create', '--form', 'ita-2563-iit', '--title', 'as root']));
		assert.equal(r.code, 0, r.stderr);
		for (const f of fs.readdirSync(dir))
			assert.equal(fs.statSync(path.join(dir, f)).uid, 65534, `${f} belongs to the folder's owner`);
		assert.ok(fs.readdirSync(dir).includes('secret.key'));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
