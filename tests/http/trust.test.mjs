// SPDX-License-Identifier: ISC
// Trust, tried as a curious administrator would: no sequence of console
// buttons links an answer to a person.
//
//   - Raw responses leave only when the round is over for good: once any
//     responses export exists (API or CLI), the round is final, never
//     reopened, never answered again.
//   - Nothing an administrator or viewer can see moves with one response:
//     every admin document, fetched before and after one response that
//     crosses no multiple of min_cell, is the same byte for byte.
//   - Revoking a kiosk is final.
//   - Wrong kiosk keys count as wrong guesses of their address, and a
//     valid key still works from an address over that limit.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, closeRound, issueTokens, addKiosk, getForm, makeAnswers, adminLogin, respondents,
	get, post, request, requestFrom, assertError, uuid,
} from '../lib/server.mjs';

const IIT = 'ita-2563-iit';
const EIT = 'ita-2563-eit';

let srv, alice, victor;

const api = (p) => `${srv.url}/api/v1/admin${p}`;

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv);
	victor = await adminLogin(srv, 'victor', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

// An IIT round with n responses, each with its own code; resolves
// {id, codes (the unused ones), form}.
async function answeredRound(n, { title = 'trust', spare = 3 } = {}) {
	const id = await createRound(srv, IIT, { title });
	const codes = await issueTokens(srv, id, n + spare);
	const form = await getForm(srv, id);
	for (const token of codes.splice(0, n)) {
		const r = await post(`${srv.url}/api/v1/rounds/${id}/responses`,
		    { submission_id: uuid(), token, answers: makeAnswers(form) });
		assert.equal(r.status, 201, r.text);
	}
	return { id, codes, form };
}

const exportUrl = (id, what, format) => api(`/rounds/${id}/export?what=${what}&format=${format}`);

// The CLI's error message (after "ita-survey: CONTEXT: ").
const cliMessage = (stderr) => /^ita-survey: .*?: (.+)$/m.exec(stderr)?.[1];

describe('a responses export makes the round final', () => {
	test('close, export, reopen: the reopen is refused by API and CLI, and nobody answers again', async () => {
		const { id, codes, form } = await answeredRound(5);
		assertError(assert, await get(exportUrl(id, 'responses', 'csv'), alice.headers), 409, 'not_exportable',
		    'responses of an open round');
		// Refused while open: the round is not final, it can be closed and reopened.
		await closeRound(srv, id);
		let r = await post(api(`/rounds/${id}/open`), undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.final, false);
		await closeRound(srv, id);

		r = await get(exportUrl(id, 'responses', 'csv'), victor.headers);
		assert.equal(r.status, 200, r.text);
		r = await get(api(`/rounds/${id}`), alice.headers);
		assert.equal(r.json.state, 'closed');
		assert.equal(r.json.final, true);

		r = await post(api(`/rounds/${id}/open`), undefined, alice.headers);
		assertError(assert, r, 409, 'round_final', 'reopen from the console');
		assert.match(r.json.error.message, /final/);
		const c = await srv.cli(['round', 'open', String(id)]);
		assert.equal(c.code, 1, c.stderr);
		assert.equal(cliMessage(c.stderr), r.json.error.message, 'the CLI says the same');
		r = await get(api(`/rounds/${id}`), alice.headers);
		assert.equal(r.json.state, 'closed', 'still closed');

		// An unused code of the round cannot answer, nor be checked as valid.
		assertError(assert, await post(`${srv.url}/api/v1/rounds/${id}/responses`,
		    { submission_id: uuid(), token: codes[0], answers: makeAnswers(form) }), 410, 'round_closed');
		assertError(assert, await post(`${srv.url}/api/v1/rounds/${id}/tokens/check`, { token: codes[0] }), 410,
		    'round_closed');
		assert.equal(await respondents(srv, id), 5);

		// Another export is the same rows; the audit says "final" once.
		r = await get(exportUrl(id, 'responses', 'json'), alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(JSON.parse(r.text).length, 5);
		const audit = (await get(api('/audit'), alice.headers)).json.audit;
		const finals = audit.filter((l) => l.action === 'round.final' && l.facts.round === id && l.facts.title === 'trust');
		assert.equal(finals.length, 1, JSON.stringify(audit.slice(0, 5)));
		assert.equal(finals[0].user, 'victor', 'who exported');
		// round list shows it
		const list = await srv.cli(['round', 'list']);
		assert.match(list.stdout, new RegExp(`^${id}\\t${IIT}\\tfinal\\t5\\ttrust$`, 'm'));
	});

	test('an export from the command line makes it final for the console too', async () => {
		const { id } = await answeredRound(5, { title: 'cli export' });
		await closeRound(srv, id);
		const c = await srv.cli(['export', '--round', String(id), '--what', 'responses', '--format', 'csv']);
		assert.equal(c.code, 0, c.stderr);
		assertError(assert, await post(api(`/rounds/${id}/open`), undefined, alice.headers), 409, 'round_final');
		const o = await srv.cli(['round', 'open', String(id)]);
		assert.equal(o.code, 1);
		const audit = (await get(api('/audit'), alice.headers)).json.audit;
		assert.ok(audit.some((l) => l.action === 'round.final' && l.user === 'cli' &&
		    l.facts.round === id && l.facts.title === 'cli export'), 'audited as made final from the shell');
	});

	test('a scores export, or a refused responses export, leaves the round reopenable', async () => {
		const { id } = await answeredRound(4, { title: 'small' });
		await closeRound(srv, id);
		assert.equal((await get(exportUrl(id, 'scores', 'csv'), alice.headers)).status, 200);
		assertError(assert, await get(exportUrl(id, 'responses', 'csv'), alice.headers), 409, 'not_exportable',
		    'below min_cell');
		const c = await srv.cli(['export', '--round', String(id), '--what', 'responses', '--format', 'json']);
		assert.equal(c.code, 1);
		const r = await post(api(`/rounds/${id}/open`), undefined, alice.headers);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.final, false);
	});
});

describe('nothing an administrator or viewer sees moves with one response', () => {
	// Every admin GET, as text, for a viewer and an admin.
	async function snapshot(ids) {
		const urls = [
			'/me', '/forms', '/rounds',
			`/ita?iit=${ids.iit}&eit=${ids.eit}&oit=80`,
		];
		for (const id of [ids.iit, ids.eit]) {
			urls.push(`/rounds/${id}`, `/rounds/${id}/scores`, `/rounds/${id}/kiosks`);
			for (const f of ['csv', 'json'])
				urls.push(`/rounds/${id}/export?what=scores&format=${f}`);
		}
		const out = {};
		for (const [who, s] of [['admin', alice], ['viewer', victor]])
			for (const u of urls) {
				const r = await get(api(u), s.headers);
				out[`${who} ${u}`] = `${r.status} ${r.text}`;
			}
		// The audit log, but for the export lines these snapshots add.
		const r = await get(api('/audit'), alice.headers);
		out['admin /audit'] = JSON.stringify(r.json.audit.filter((l) => l.action !== 'export'));
		return out;
	}

	test('snapshots before and after one response are identical, byte for byte', async () => {
		const iit = await createRound(srv, IIT, { title: 'quiet office' });
		const eit = await createRound(srv, EIT, { title: 'quiet counter', pub: true });
		const codes = await issueTokens(srv, iit, 12);
		const iitForm = await getForm(srv, iit);
		const eitForm = await getForm(srv, eit);
		const key = await addKiosk(srv, eit, 'Counter 3, Tuesday mornings');
		const answerIit = async () => {
			const r = await post(`${srv.url}/api/v1/rounds/${iit}/responses`,
			    { submission_id: uuid(), token: codes.shift(), answers: makeAnswers(iitForm) });
			assert.equal(r.status, 201, r.text);
		};
		const answerEit = async (headers) => {
			const r = await request(`${srv.url}/api/v1/rounds/${eit}/responses`, { method: 'POST',
			    body: { submission_id: uuid(), answers: makeAnswers(eitForm) }, headers });
			assert.equal(r.status, 201, r.text);
		};
		// Five of each: published, at the first step.  The EIT ones from
		// the public page, so the kiosk has not answered yet.
		for (let i = 0; i < 5; i++) {
			await answerIit();
			await answerEit();
		}
		const ids = { iit, eit };
		const s1 = await snapshot(ids);
		assert.match(s1[`viewer /rounds/${eit}/kiosks`], /"responses": ?0/);
		assert.match(s1[`admin /rounds/${iit}`], /"respondents": ?5/);

		// One staff member answers; the quiet counter's kiosk takes its
		// first answer of the day.
		await answerIit();
		await answerEit({ authorization: `Kiosk ${key}` });
		assert.equal(await respondents(srv, iit), 6);
		assert.equal(await respondents(srv, eit), 6);
		const s2 = await snapshot(ids);
		for (const k of Object.keys(s1))
			assert.equal(s2[k], s1[k], `${k} moved with one response`);

		// Up to the next step: now the figures move (so the snapshot sees change).
		for (let i = 0; i < 4; i++) {
			await answerIit();
			await answerEit({ authorization: `Kiosk ${key}` });
		}
		const s3 = await snapshot(ids);
		assert.notEqual(s3[`admin /rounds/${iit}`], s1[`admin /rounds/${iit}`]);
		assert.match(s3[`admin /rounds/${iit}`], /"respondents": ?10/);
		assert.match(s3[`admin /rounds/${iit}`], /"tokens_used": ?10/);
		// The kiosk's five show, as a step of five.
		assert.match(s3[`viewer /rounds/${eit}/kiosks`], /"responses": ?5/);
	});
});

describe('kiosks', () => {
	test('revoking is final, and audited as a revocation', async () => {
		const eit = await createRound(srv, EIT, { title: 'revocation' });
		const form = await getForm(srv, eit);
		let r = await post(api(`/rounds/${eit}/kiosks`), { name: 'lost tablet' }, alice.headers);
		assert.equal(r.status, 201, r.text);
		const { key, kiosk } = r.json;
		const patch = (body) => request(api(`/kiosks/${kiosk.id}`), { method: 'PATCH', body, headers: alice.headers });
		r = await patch({ revoked: true });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.revoked, true);
		r = await patch({ revoked: false });
		assertError(assert, r, 409, 'kiosk_revoked', 'un-revoke');
		r = await patch({ name: 'found tablet', revoked: false });
		assertError(assert, r, 409, 'kiosk_revoked', 'un-revoke with a new name');
		r = await get(api(`/rounds/${eit}/kiosks`), alice.headers);
		const k = r.json.kiosks.find((x) => x.id === kiosk.id);
		assert.equal(k.revoked, true);
		assert.equal(k.name, 'lost tablet', 'a refused change changes nothing');
		assertError(assert, await post(`${srv.url}/api/v1/rounds/${eit}/responses`,
		    { submission_id: uuid(), answers: makeAnswers(form) }, { authorization: `Kiosk ${key}` }), 403,
		'forbidden', 'the revoked key');
		const audit = (await get(api('/audit'), alice.headers)).json.audit;
		assert.ok(audit.some((l) => l.action === 'kiosk.revoke' && l.facts.kiosk === kiosk.id && l.facts.name === 'lost tablet'));
	});

	test('wrong kiosk keys are wrong guesses of their address; a valid key still works from it', async () => {
		const eit = await createRound(srv, EIT, { title: 'guessing' });
		const form = await getForm(srv, eit);
		const key = await addKiosk(srv, eit, 'Counter 1');
		const u = `${srv.url}/api/v1/rounds/${eit}/responses`;
		const send = (k) => requestFrom('127.0.0.9', u, { method: 'POST',
		    body: { submission_id: uuid(), answers: makeAnswers(form) }, headers: { authorization: `Kiosk ${k}` } });
		const wrong = (i) => `${'ABCDEFGHJKMNPQRSTVWXYZ0123456789'.slice(i)}${'0'.repeat(i)}`;
		for (let i = 0; i < 10; i++)
			assertError(assert, await send(wrong(i)), 403, 'forbidden', `wrong key ${i + 1}`);
		assertError(assert, await send(wrong(10)), 429, 'rate_limited', '11th wrong key');
		const pair = await requestFrom('127.0.0.9', `${srv.url}/api/v1/kiosk`,
		    { headers: { authorization: `Kiosk ${wrong(11)}` } });
		assertError(assert, pair, 429, 'rate_limited', 'pairing with a wrong key');
		const ok = await send(key);
		assert.equal(ok.status, 201, `the valid key from the same address: ${ok.text}`);
		const p = await requestFrom('127.0.0.9', `${srv.url}/api/v1/kiosk`, { headers: { authorization: `Kiosk ${key}` } });
		assert.equal(p.status, 200, p.text);
	});
});
