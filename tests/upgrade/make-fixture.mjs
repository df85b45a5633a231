// SPDX-License-Identifier: ISC
// Builds tests/upgrade/v<N>.sql: the rows of a database made by this
// checkout's server at its newest schema version N, as INSERT statements
// with column names.  tests/http/upgrade.test.mjs recreates that database
// from migrations/ (0001 to N only) and these rows, migrates it with the
// server of the day and checks every row came through.  Run it once when a
// release's schema is final (node tests/upgrade/make-fixture.mjs, after
// make) and commit the file: it is the database an agency has on disk.
//
// What it holds: an IIT round with responses, one code left unused, and a
// published snapshot; an EIT round exported to the end (final) with a
// kiosk that answered and a revoked one; an admin, a viewer, a session,
// the audit log.  Secret, password and unused code are in its header.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	ROOT, PASSWORD, startServer, createRound, issueTokens, addKiosk, getForm, makeAnswers, post, get, run,
	uuid, adminLogin, closeRound,
} from '../lib/server.mjs';

const SECRET = Buffer.from('ita-survey upgrade fixture key!!');	// 32 bytes

async function cliOk(srv, args) {
	const r = await srv.cli(args);
	if (r.code !== 0)
		throw new Error(`${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

const srv = await startServer({ prefix: 'ita-fixture-', init: (dir) =>
	fs.writeFileSync(path.join(dir, 'secret.key'), SECRET, { mode: 0o600 }) });
try {
	const version = Number((await cliOk(srv, ['migrate'])).match(/([0-9]+)/)[1]);

	// IIT: six codes, five answered: one step of five published.
	const iit = await createRound(srv, 'ita-2563-iit', { title: 'IIT 2569 กองคลัง', population: 40 });
	const codes = await issueTokens(srv, iit, 6);
	const f = await getForm(srv, iit);
	for (const code of codes.slice(0, 5)) {
		const r = await post(`${srv.url}/api/v1/rounds/${iit}/responses`,
		    { submission_id: uuid(), token: code, answers: makeAnswers(f) });
		if (r.status !== 201)
			throw new Error(`IIT response: ${r.status} ${r.text}`);
	}

	// EIT: ten answers from a kiosk, closed and exported (final), and a
	// second kiosk revoked.
	const eit = await createRound(srv, 'ita-2563-eit', { title: 'EIT ศูนย์บริการ', pub: true });
	const key = await addKiosk(srv, eit, 'เคาน์เตอร์ 1');
	await addKiosk(srv, eit, 'spare tablet');
	const g = await getForm(srv, eit);
	for (let i = 0; i < 10; i++) {
		const r = await post(`${srv.url}/api/v1/rounds/${eit}/responses`,
		    { submission_id: uuid(), answers: makeAnswers(g) }, { 'X-Kiosk-Key': key });
		if (r.status !== 201)
			throw new Error(`EIT response: ${r.status} ${r.text}`);
	}
	const admin = await adminLogin(srv, 'alice');
	await adminLogin(srv, 'victor', { role: 'viewer' });
	const k = await get(`${srv.url}/api/v1/admin/rounds/${eit}/kiosks`, admin.headers);
	const spare = k.json.kiosks.find((x) => x.name === 'spare tablet');
	const p = await run('curl', ['-sS', '-X', 'PATCH', '-H', `Cookie: ${admin.headers.cookie}`,
	    '-H', `X-CSRF-Token: ${admin.csrf}`, '-H', 'Content-Type: application/json',
	    '--data', '{"revoked": true}', `${srv.url}/api/v1/admin/kiosks/${spare.id}`]);
	if (p.code !== 0 || !p.stdout.includes('"revoked": true') && !p.stdout.includes('"revoked":true'))
		throw new Error(`revoke: ${p.stdout} ${p.stderr}`);
	await closeRound(srv, eit);
	await cliOk(srv, ['export', '--round', String(eit), '--what', 'responses', '--format', 'csv']);
	const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ita-fixture-copy-')), 'db');
	await cliOk(srv, ['backup', '--out', db]);
	await srv.stop();

	// Every table's rows, in key order, as INSERTs naming their columns.
	const tables = (await run('sqlite3', [db, "SELECT name FROM sqlite_schema WHERE type = 'table' " +
	    "AND name NOT LIKE 'sqlite_%' ORDER BY name"])).stdout.trim().split('\n');
	const lines = [
		`-- The rows of a schema version ${version} database, made by tests/upgrade/make-fixture.mjs`,
		`-- (git ${(await run('git', ['rev-parse', '--short', 'HEAD'])).stdout.trim()}).  Do not edit: rebuild it.`,
		`-- secret (hex): ${SECRET.toString('hex')}`,
		`-- password of alice and victor: ${PASSWORD}`,
		`-- unused code of round ${iit}: ${codes[5]}`,
		'BEGIN;',
	];
	for (const t of tables) {
		const d = await run('sqlite3', [db, '-cmd', `.mode insert ${t}`, '-cmd', '.headers on',
		    `SELECT * FROM "${t}" ORDER BY 1`]);
		if (d.code !== 0)
			throw new Error(d.stderr);
		lines.push(...d.stdout.trim().split('\n').filter(Boolean));
	}
	lines.push('COMMIT;', '');
	const out = path.join(ROOT, 'tests', 'upgrade', `v${version}.sql`);
	fs.writeFileSync(out, lines.join('\n'));
	console.log(`wrote ${out}`);
	fs.rmSync(path.dirname(db), { recursive: true, force: true });
} finally {
	await srv.stop();
}
