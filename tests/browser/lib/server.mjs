// SPDX-License-Identifier: ISC
// Starts a private ita-survey daemon for a browser test: its own temporary
// database and secret, the repository's forms/ and web/, a free port.
//
//   const srv = await startServer();
//   const srv = await startServer({ serve: ['--public-url', URL] });
//                        (flags added to "serve" only)
//   srv.url             "http://127.0.0.1:PORT"
//   await srv.cli([...]) runs build/ita-survey with the same --db, --secret
//                        and --forms; resolves to its stdout
//   await srv.stop()     SIGTERM, wait for exit, remove the temporary folder

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = path.join(ROOT, 'build', 'ita-survey');

// serve refuses to run as root without --user: tests run as root keep
// root knowingly.
const AS_ROOT = process.geteuid?.() === 0 ? ['--user', 'root'] : [];

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 10000;

function runBin(args) {
	return new Promise((resolve, reject) => {
		execFile(BIN, args, { cwd: ROOT, maxBuffer: 16 << 20, timeout: 60000 },
		    (err, stdout, stderr) => {
			if (err) {
				err.message = `ita-survey ${args.join(' ')}: ${err.message}\n${stderr}`;
				reject(err);
			} else {
				resolve(stdout);
			}
		});
	});
}

export async function startServer({ serve = [] } = {}) {
	await fs.access(BIN).catch(() => {
		throw new Error(`${BIN} is missing: run "make" first`);
	});
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ita-browser-'));
	const common = ['--db', path.join(dir, 'db'), '--secret', path.join(dir, 'secret.key'),
	    '--forms', 'forms'];
	const cli = (args) => runBin([...args, ...common]);

	let proc;
	try {
		await cli(['migrate']);
		proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...common, '--web', 'web', ...AS_ROOT,
		    ...serve],
		    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (e) {
		await fs.rm(dir, { recursive: true, force: true });
		throw e;
	}
	let stderr = '';
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
	const exited = new Promise((resolve) => proc.once('exit', (code, sig) => resolve({ code, sig })));

	const url = await new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`server did not start in time; stderr:\n${stderr}`)),
		    START_TIMEOUT_MS);
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/^listening on (http:\/\/\S+)\s*$/m);
			if (m) {
				clearTimeout(timer);
				resolve(m[1].replace(/\/$/, ''));
			}
		});
		exited.then(({ code, sig }) => {
			clearTimeout(timer);
			reject(new Error(`server exited (${code ?? sig}) before listening; stderr:\n${stderr}`));
		});
	}).catch(async (e) => {
		proc.kill('SIGKILL');
		await exited;
		await fs.rm(dir, { recursive: true, force: true });
		throw e;
	});
	proc.stdout.resume();

	let stopped = false;
	exited.then(({ code, sig }) => {
		if (!stopped)
			process.stderr.write(`ita-survey serve exited unexpectedly (${code ?? sig}); its stderr:\n${stderr}\n`);
	});
	async function stop() {
		if (stopped)
			return;
		stopped = true;
		if (proc.exitCode === null && proc.signalCode === null) {
			proc.kill('SIGTERM');
			const t = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
			await exited;
			clearTimeout(t);
		}
		await fs.rm(dir, { recursive: true, force: true });
	}

	return { url, dir, cli, stop, get stderr() { return stderr; } };
}

// ---- set-up helpers over the command line ----

const firstLine = (s) => s.trim().split('\n')[0].trim();

// An open round of form; returns its id (a string, as the CLI printed it).
export async function openRound(srv, form, { title = 'Browser test', pub = false, population } = {}) {
	const args = ['round', 'create', '--form', form, '--title', title];
	if (population)
		args.push('--population', String(population));
	if (pub)
		args.push('--public');
	const id = firstLine(await srv.cli(args));
	if (!/^[1-9][0-9]*$/.test(id))
		throw new Error(`round create printed ${JSON.stringify(id)}`);
	await srv.cli(['round', 'open', id]);
	return id;
}

export async function issueTokens(srv, round, count) {
	const out = await srv.cli(['tokens', 'issue', '--round', round, '--count', String(count)]);
	const toks = out.split('\n').map((s) => s.trim()).filter(Boolean);
	if (toks.length !== count)
		throw new Error(`tokens issue printed ${toks.length} lines, wanted ${count}`);
	return toks;
}

export async function addKiosk(srv, round, name) {
	return firstLine(await srv.cli(['kiosk', 'add', '--round', round, '--name', name]));
}

export async function scores(srv, round) {
	return JSON.parse(await srv.cli(['scores', '--round', round, '--json']));
}

// The exact number of responses stored for round, read from the database
// (every figure the server shows moves only in steps of min_cell).
export function respondents(srv, round) {
	return new Promise((resolve, reject) => {
		execFile('sqlite3', [path.join(srv.dir, 'db'),
		    `SELECT count(*) FROM responses WHERE round_id = ${Number(round)}`],
		    (err, stdout, stderr) => err ? reject(new Error(`sqlite3: ${err.message}\n${stderr}`)) :
		    resolve(Number(stdout.trim())));
	});
}
