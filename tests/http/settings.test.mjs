// SPDX-License-Identifier: ISC
// The settings (for now the agency's name every export carries), from
// the console's API and from the shell: read by admins and viewers,
// changed by admins only, with the CSRF header, all or none, each change
// audited; bad input refused with a 4xx and nothing changed.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, adminLogin, request, get, assertError,
} from '../lib/server.mjs';

let srv, alice, victor;

const url = () => `${srv.url}/api/v1/admin/settings`;
const put = (body, headers) => request(url(), { method: 'PUT', body, headers });
const agency = async () => (await get(url(), victor.headers)).json.settings.agency;
const settingsLines = async () => (await get(`${srv.url}/api/v1/admin/audit`, alice.headers)).json.audit
    .filter((l) => l.action === 'settings.set');

// The OIT desk's settings (README, "OIT evidence desk"), unset here.
const OIT_KEYS = ['oit.host', 'oit.interval', 'oit.strict_interval', 'oit.strict_from',
	'oit.strict_to', 'oit.fails', 'oit.cert_days', 'oit.timeout', 'oit.copy_max',
	'oit.copy_quota', 'oit.smtp_url', 'oit.smtp_user', 'oit.mail_from', 'oit.mail_to',
	'oit.webhook', 'oit.checklist'];
// Every setting, as GET has them, with this agency name.
const all = (name) => ({ agency: name, ...Object.fromEntries(OIT_KEYS.map((k) => [k, ''])) });

// 66 Thai letters (3 bytes each) and two more bytes: exactly 200 bytes.
const LONGEST = `${'ก'.repeat(66)}ab`;

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	victor = await adminLogin(srv, 'victor', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

describe('the API', () => {
	test('unset at first: an empty agency for admins and viewers alike', async () => {
		for (const s of [alice, victor]) {
			const r = await get(url(), s.headers);
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json, { settings: all('') });
		}
		assertError(assert, await get(url()), 401, 'unauthorized', 'no session');
	});

	test('an admin sets the agency: 200 with the settings, audited, seen by a viewer', async () => {
		const r = await put({ agency: 'กองคลัง กรมตัวอย่าง' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { settings: all('กองคลัง กรมตัวอย่าง') });
		assert.equal(await agency(), 'กองคลัง กรมตัวอย่าง');
		const [line] = await settingsLines();
		assert.equal(line.user, 'alice');
		assert.deepEqual(line.facts, { name: 'agency', value: 'กองคลัง กรมตัวอย่าง' });
		assert.equal(line.detail, 'set agency to "กองคลัง กรมตัวอย่าง"');
		assert.equal(line.text.th, 'ตั้งค่าชื่อหน่วยงานเป็น "กองคลัง กรมตัวอย่าง"');
	});

	test('a viewer cannot change it (403), nor anyone without the CSRF header', async () => {
		const before = (await settingsLines()).length;
		assertError(assert, await put({ agency: 'viewer was here' }, victor.headers), 403, 'forbidden', 'viewer');
		const { cookie } = alice.headers;
		for (const h of [{ cookie }, { cookie, 'x-csrf-token': 'garbage' }, { cookie, 'x-csrf-token': victor.csrf }])
			assertError(assert, await put({ agency: 'forged' }, h), 403, 'csrf', JSON.stringify(Object.keys(h)));
		assert.equal(await agency(), 'กองคลัง กรมตัวอย่าง', 'unchanged');
		assert.equal((await settingsLines()).length, before, 'no audit line');
	});

	test('bad input gets a 4xx and changes nothing, all or none', async () => {
		const before = (await settingsLines()).length;
		const cases = [
			[{ agency: 5 }, 400, 'bad_request'],
			[{ agency: null }, 400, 'bad_request'],
			[{}, 400, 'bad_request'],
			['[]', 400, 'bad_request'],
			['{"agency": "x", "agency": "y"}', 400, 'bad_json'],
			['{"agency": "x"', 400, 'bad_json'],
			[{ agenc: 'typo' }, 422, 'unknown_setting'],
			[{ agency: 'ok', colour: 'blue' }, 422, 'unknown_setting'],
			[{ colour: 'blue', agency: 'ok' }, 422, 'unknown_setting'],
			[{ agency: `${LONGEST}c` }, 422, 'bad_agency'],
			[{ agency: 'two\nlines' }, 422, 'bad_agency'],
			[{ agency: 'a\u0000b' }, 400, 'bad_json'],
			[{ agency: 'bell\u0007' }, 422, 'bad_agency'],
			[{ agency: 'line\u2028sep' }, 422, 'bad_agency'],
			[{ 'oit.interval': '0' }, 422, 'bad_oit_setting'],
			[{ agency: 'ok', 'oit.mail_to': 'not an address' }, 422, 'bad_oit_setting'],
		];
		for (const [body, status, code] of cases) {
			const r = await put(body, alice.headers);
			assertError(assert, r, status, code, JSON.stringify(body));
		}
		assert.equal(await agency(), 'กองคลัง กรมตัวอย่าง', 'unchanged');
		assert.equal((await settingsLines()).length, before, 'no audit line');
	});

	test('200 bytes is the limit; an empty value clears it', async () => {
		let r = await put({ agency: LONGEST }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(await agency(), LONGEST);
		r = await put({ agency: '' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(await agency(), '');
		const [line] = await settingsLines();
		assert.deepEqual(line.facts, { name: 'agency', value: '' });
	});
});

describe('the command line', () => {
	test('settings set and get, seen by the API, audited as cli', async () => {
		let r = await srv.cli(['settings', 'set', 'agency', 'สำนักงานตัวอย่าง']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		assert.equal(await agency(), 'สำนักงานตัวอย่าง');
		r = await srv.cli(['settings', 'get', 'agency']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, 'สำนักงานตัวอย่าง\n');
		r = await srv.cli(['settings', 'get']);
		assert.equal(r.stdout, ['agency\tสำนักงานตัวอย่าง', ...OIT_KEYS.map((k) => `${k}\t`)]
		    .join('\n') + '\n');
		r = await srv.cli(['settings', 'get', '--json']);
		assert.deepEqual(JSON.parse(r.stdout), all('สำนักงานตัวอย่าง'));
		const [line] = await settingsLines();
		assert.equal(line.user, 'cli');
		assert.deepEqual(line.facts, { name: 'agency', value: 'สำนักงานตัวอย่าง' });

		// Set from the console, read from the shell.
		assert.equal((await put({ agency: 'จากคอนโซล' }, alice.headers)).status, 200);
		r = await srv.cli(['settings', 'get', 'agency']);
		assert.equal(r.stdout, 'จากคอนโซล\n');
		r = await srv.cli(['settings', 'set', 'agency', '']);
		assert.equal(r.code, 0, r.stderr);
		r = await srv.cli(['settings', 'get', 'agency']);
		assert.equal(r.stdout, '\n', 'an unset setting is an empty line');
	});

	test('the shell and the API refuse alike, with one message', async () => {
		for (const [name, value, code] of [['colour', 'blue', 'unknown_setting'],
		    ['agency', `${LONGEST}c`, 'bad_agency'], ['agency', 'esc \x1b[2J', 'bad_agency']]) {
			const c = await srv.cli(['settings', 'set', name, value]);
			assert.equal(c.code, 2, c.stderr);
			const r = await put({ [name]: value }, alice.headers);
			assertError(assert, r, 422, code, name);
			const m = /^ita-survey: .*?: (.+)$/.exec(c.stderr.split('\n')[0]);
			assert.equal(m?.[1], r.json.error.message, 'the same message');
			if (code === 'bad_agency')
				assert.match(r.json.error.message, /\b200\b/, 'naming the limit');
			else
				assert.match(r.json.error.message, /settings get/, 'saying where the names are');
		}
	});

	test('bad usage exits 2 and changes nothing', async () => {
		await srv.cli(['settings', 'set', 'agency', 'คงเดิม']);
		const before = (await settingsLines()).length;
		for (const args of [['settings'], ['settings', 'frobnicate'], ['settings', 'set', 'agency'],
		    ['settings', 'set', 'agency', 'a', 'b'], ['settings', 'set', 'colour', 'blue'],
		    ['settings', 'get', 'colour'], ['settings', 'set', 'agency', `${LONGEST}c`],
		    ['settings', 'set', 'agency', 'two\nlines'], ['settings', 'get', '--xml']]) {
			const r = await srv.cli(args);
			assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}; ${r.stderr}`);
			assert.match(r.stderr, /\S/);
			assert.equal(r.stdout, '');
		}
		assert.equal(await agency(), 'คงเดิม');
		assert.equal((await settingsLines()).length, before, 'no audit line');
	});
});

describe('the OIT desk settings', () => {
	test('each is checked against its rule; the error names the setting and the rule', async () => {
		let r = await put({ 'oit.interval': '86401' }, alice.headers);
		assertError(assert, r, 422, 'bad_oit_setting', 'interval');
		assert.match(r.json.error.message, /"oit\.interval" must be whole seconds from 1 to 86400/);
		r = await put({ 'oit.host': 'www.agency.go.th', 'oit.interval': '600',
			'oit.mail_to': 'a@agency.go.th, b@agency.go.th' }, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.settings['oit.host'], 'www.agency.go.th');
		assert.equal(r.json.settings['oit.interval'], '600');
		const lines = (await settingsLines()).filter((l) => l.facts.name.startsWith('oit.'));
		assert.equal(lines.length, 3, 'one audit line per setting');
		r = await srv.cli(['settings', 'set', 'oit.fails', '0']);
		assert.equal(r.code, 2);
		assert.match(r.stderr, /"oit\.fails" must be a whole number from 1 to 100/);
	});
});
