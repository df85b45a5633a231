// SPDX-License-Identifier: ISC
// Helpers of the admin console tests: accounts made with the CLI (the
// password on stdin, which lib/server.mjs's cli() cannot pass), the API
// with a session cookie, answers submitted with access codes, and a small
// reader of .xlsx files (a zip) so that no unzip program is needed.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT } from './server.mjs';

export const PASSWORD = 'correct horse battery staple';

// ita-survey admin add USER --role ROLE, the password on stdin.
export function addAdmin(srv, user, { role = 'admin', password = PASSWORD } = {}) {
	const args = ['admin', 'add', user, '--role', role, '--db', path.join(srv.dir, 'db'),
	    '--secret', path.join(srv.dir, 'secret.key'), '--forms', 'forms'];
	return new Promise((resolve, reject) => {
		const child = execFile(BIN, args, { cwd: ROOT, timeout: 60000 }, (err, stdout, stderr) => {
			if (err) {
				err.message = `ita-survey ${args.join(' ')}: ${err.message}\n${stderr}`;
				reject(err);
			} else {
				resolve(stdout);
			}
		});
		child.stdin.end(`${password}\n`);
	});
}

// A session through the API: {cookie, csrf} for apiCall().
export async function apiLogin(url, user, password = PASSWORD) {
	const res = await fetch(`${url}/api/v1/admin/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username: user, password }),
	});
	if (res.status !== 200)
		throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
	const m = /ita_session=([^;]+)/.exec(res.headers.get('set-cookie') || '');
	return { cookie: `ita_session=${m[1]}`, csrf: (await res.json()).csrf_token };
}

// apiCall(url, session, method, path, body): {status, json, headers, buf}.
export async function apiCall(url, sess, method, p, body) {
	const headers = {};
	if (sess) {
		headers.Cookie = sess.cookie;
		if (method !== 'GET')
			headers['X-CSRF-Token'] = sess.csrf;
	}
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	const res = await fetch(`${url}${p}`, {
		method, headers, body: body === undefined ? undefined : JSON.stringify(body),
	});
	const buf = Buffer.from(await res.arrayBuffer());
	let json = null;
	try {
		json = JSON.parse(buf.toString('utf8'));
	} catch (e) {
		json = null;
	}
	return { status: res.status, json, headers: res.headers, buf };
}

// Submits whole responses to the round: with {codes} one per access code,
// with {kiosk, count} that many through the kiosk key.  Every question
// gets the value pick(question, i) returns (i counts the respondents;
// question is {code, options}).  Resolves to the statuses.
export async function submitAnswers(url, round, { codes, kiosk, count }, pick) {
	const form = await (await fetch(`${url}/api/v1/rounds/${round}/form`)).json();
	const qs = [];
	for (const ind of form.indicators)
		for (const it of ind.items)
			for (const q of it.questions)
				qs.push({ code: q.code, options: form.scales[q.scale].options.map((o) => o.value) });
	const n = codes ? codes.length : count;
	const statuses = [];
	for (let i = 0; i < n; i++) {
		const answers = {};
		for (const q of qs)
			answers[q.code] = pick(q, i);
		const headers = { 'Content-Type': 'application/json' };
		const body = { submission_id: crypto.randomUUID(), answers };
		if (codes)
			body.token = codes[i];
		else
			headers.Authorization = `Kiosk ${kiosk}`;
		const res = await fetch(`${url}/api/v1/rounds/${round}/responses`, {
			method: 'POST', headers, body: JSON.stringify(body),
		});
		statuses.push(res.status);
	}
	return statuses;
}

// The files of a zip archive (an .xlsx): shared with the HTTP tests.
export { unzip } from '../../lib/xlsx.mjs';

// The cells of a worksheet as {A1: "text or number", ...}, strings looked
// up in sharedStrings or read inline.
export function sheetCells(files, sheetPath) {
	const shared = [];
	const ss = files.get('xl/sharedStrings.xml');
	if (ss)
		for (const m of ss.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g))
			shared.push(xmlText(m[1]));
	const xml = files.get(sheetPath).toString('utf8');
	const cells = {};
	for (const m of xml.matchAll(/<c r="([A-Z]+[0-9]+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
		const [, ref, attrs, inner = ''] = m;
		const type = (/t="(\w+)"/.exec(attrs) || [])[1];
		const v = (/<v>([\s\S]*?)<\/v>/.exec(inner) || [])[1];
		if (type === 's')
			cells[ref] = shared[Number(v)];
		else if (type === 'inlineStr' || type === 'str')
			cells[ref] = type === 'str' ? xmlText(v || '') : xmlText(inner);
		else if (v !== undefined)
			cells[ref] = Number(v);
	}
	return cells;
}

function xmlText(s) {
	return [...s.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')
	    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
	    .replace(/&apos;/g, "'").replace(/&amp;/g, '&') || (s.includes('<') ? '' : s);
}

// Logs in through the login page; resolves once the rounds list is shown.
export async function loginPage(page, url, user, password = PASSWORD) {
	await page.goto(`${url}/admin/login.html`);
	await page.fill('#username', user);
	await page.fill('#password', password);
	await Promise.all([
		page.waitForURL(`${url}/admin/`),
		page.click('#login-btn'),
	]);
	await ready(page);
}

// Waits until the page's script has drawn it (body[data-ready]).
export function ready(page, timeout = 15000) {
	return page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout });
}

// The texts of the QR codes in a PNG, read by zbarimg (Debian zbar-tools)
// when it is installed; null when it is not, so the check is skipped.
export function decodeQr(png) {
	return new Promise((resolve) => {
		execFile('zbarimg', ['-q', '--raw', png], { timeout: 60000 }, (err, stdout) => {
			if (err && err.code === 'ENOENT')
				resolve(null);
			else
				resolve(stdout.split('\n').map((s) => s.trim()).filter(Boolean));
		});
	});
}
