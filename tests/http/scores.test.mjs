// SPDX-License-Identifier: ISC
// The scores document: the published: false threshold, figures that move
// only in steps of min_cell, correct figures recomputed here from the ITA
// rules, the CLI's copy, and the exports.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	ROOT, startServer, createRound, closeRound, issueTokens, getForm, makeAnswers, questions, scores,
	adminLogin, post, get, uuid, assertError,
} from '../lib/server.mjs';

const IIT = 'ita-2563-iit';
// Reverse flags come from the form file; the respondents' document has none.
const FORM_FILE = JSON.parse(fs.readFileSync(path.join(ROOT, 'forms', `${IIT}.json`), 'utf8'));
const REVERSE = new Set();
for (const ind of FORM_FILE.indicators)
	for (const it of ind.items)
		for (const q of it.questions)
			if (q.reverse)
				REVERSE.add(q.code);

// Points in hundredths, by option value (ITA.md): L4 0 / 33.33 / 66.67 / 100,
// YN yes 100 / no 0; a reverse question earns the mirror image.
const POINTS = { 1: 0, 2: 3333, 3: 6667, 4: 10000, yes: 10000, no: 0 };
const RPOINTS = { 1: 10000, 2: 6667, 3: 3333, 4: 0, yes: 0, no: 10000 };
const BANDS = [['AA', 9500], ['A', 8500], ['B', 7500], ['C', 6500], ['D', 5500], ['E', 5000], ['F', 0]];

// num / den rounded half up (num, den >= 0).
const halfUp = (num, den) => Math.floor((2 * num + den) / (2 * den));
const hundredths = (x) => Math.round(x * 100);

let srv, round, form, tokens, admin, viewer;
const submitted = [];

// The answers of respondent k (0-based).  Respondents 0..4 give the figures
// checked by hand below; 5..8 answer everything with the first option, so
// that any figure they moved would show; 9 answers with the last option.
function answersOf(k) {
	return makeAnswers(form, (q, values) => {
		if (k >= 5 && k < 9)
			return values[0];
		if (k === 9)
			return values[values.length - 1];
		if (q.code === 'i1a')
			return ['4', '4', '4', '4', '3'][k];
		if (q.code === 'i1b')
			return ['2', '2', '2', '2', '1'][k];
		if (q.scale === 'YN')
			return ['yes', 'no', 'no', 'yes', 'yes'][k];
		// Otherwise spread over the scale, a little differently per item.
		const shift = Number(q.item.replace(/\D/g, '')) % 4;
		return values[(k + shift) % values.length];
	});
}

// The scores of answer sets as.  Returns {q: {code: h}, items, inds, score}
// in hundredths, every mean rounded half up at its own level.
function expected(as) {
	const q = {}, items = {}, inds = {};
	const indScores = [];
	for (const ind of form.indicators) {
		const itemScores = [];
		for (const it of ind.items) {
			const qs = [];
			for (const qq of it.questions) {
				const pts = REVERSE.has(qq.code) ? RPOINTS : POINTS;
				const sum = as.reduce((s, a) => s + pts[a[qq.code]], 0);
				q[qq.code] = halfUp(sum, as.length);
				qs.push(q[qq.code]);
			}
			items[it.code] = halfUp(qs.reduce((s, x) => s + x, 0), qs.length);
			itemScores.push(items[it.code]);
		}
		inds[ind.code] = halfUp(itemScores.reduce((s, x) => s + x, 0), itemScores.length);
		indScores.push(inds[ind.code]);
	}
	const score = halfUp(indScores.reduce((s, x) => s + x, 0), indScores.length);
	return { q, items, inds, score };
}

async function submitNext() {
	const k = submitted.length;
	const answers = answersOf(k);
	const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`,
	    { submission_id: uuid(), token: tokens[k], answers });
	assert.equal(r.status, 201, `response ${k + 1}: ${r.text}`);
	submitted.push(answers);
}

async function httpScores(who = admin) {
	const r = await get(`${srv.url}/api/v1/admin/rounds/${round}/scores`, who.headers);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	return r.json;
}

// Every object under "indicators" with its path, for key checks.
function walk(doc, fn) {
	for (const ind of doc.indicators) {
		fn(ind, `indicator ${ind.code}`);
		for (const it of ind.items) {
			fn(it, `item ${it.code}`);
			for (const q of it.questions)
				fn(q, `question ${q.code}`);
		}
	}
}

// The published figures of a document: every score and count, by path.
function figures(doc) {
	const out = { score: doc.score, grade: doc.grade, meets_target: doc.meets_target, scored: doc.scored };
	walk(doc, (o, where) => {
		out[where] = { score: o.score, n: o.n, counts: o.counts };
	});
	return out;
}

function checkFigures(doc, as) {
	const e = expected(as);
	walk(doc, (o, where) => {
		const [kind, code] = where.split(' ');
		const want = kind === 'question' ? e.q[code] : kind === 'item' ? e.items[code] : e.inds[code];
		assert.equal(typeof o.score, 'number', `${where} has a score`);
		assert.equal(hundredths(o.score), want, `${where}: ${o.score}, expected ${want / 100}`);
		if (kind === 'question') {
			assert.equal(o.n, as.length, `${where}: n`);
			const counts = {};
			for (const v of Object.keys(o.counts))
				counts[v] = 0;
			for (const a of as)
				counts[a[code]] = (counts[a[code]] ?? 0) + 1;
			assert.deepEqual(o.counts, counts, `${where}: counts`);
		}
	});
	assert.equal(hundredths(doc.score), e.score, `instrument score ${doc.score}, expected ${e.score / 100}`);
	assert.equal(doc.grade, BANDS.find(([, min]) => e.score >= min)[0], `grade of ${doc.score}`);
	assert.equal(doc.meets_target, e.score >= 8500);
}

before(async () => {
	srv = await startServer();
	round = await createRound(srv, IIT, { population: 120, title: 'scores test' });
	tokens = await issueTokens(srv, round, 12);
	form = await getForm(srv, round);
	admin = await adminLogin(srv, 'alice');
	viewer = await adminLogin(srv, 'victor', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

test('below min_cell: published false, scored 0, no score, counts or n anywhere', async () => {
	let doc = await httpScores();
	assert.equal(doc.respondents, 0);
	for (let i = 0; i < 4; i++)
		await submitNext();
	doc = await httpScores();
	assert.equal(doc.round, round);
	assert.equal(doc.form, IIT);
	assert.equal(doc.respondents, 0, 'four respondents show as none: counts move in steps of min_cell');
	assert.equal(doc.published, false);
	assert.equal(doc.min_cell, 5);
	assert.equal(doc.scored, 0);
	assert.equal(doc.score ?? null, null);
	assert.equal(doc.grade ?? null, null);
	assert.equal(doc.indicators.length, 5);
	walk(doc, (o, where) => {
		for (const k of ['score', 'counts', 'n'])
			assert.ok(!(k in o), `${where} has "${k}" while unpublished`);
	});
	assert.ok(!/"counts"|"n"\s*:/.test(JSON.stringify(doc.indicators)));
	assert.deepEqual(doc.sample, { population: 120, minimum: 30, respondents: 0, step: 5, met: false });
});

let doc5;

test('at min_cell: published, scored 5, figures by the ITA rules', async () => {
	await submitNext();
	doc5 = await httpScores();
	assert.equal(doc5.respondents, 5);
	assert.equal(doc5.published, true);
	assert.equal(doc5.scored, 5);
	checkFigures(doc5, submitted);

	// A few figures worked out by hand.
	const find = (code) => {
		let hit;
		walk(doc5, (o, where) => {
			if (where.endsWith(` ${code}`) && (hit === undefined || where.startsWith('question')))
				hit = o;
		});
		return hit;
	};
	const item = (code) => doc5.indicators.flatMap((i) => i.items).find((it) => it.code === code);
	// i1a: 4,4,4,4,3 -> (4 x 100 + 66.67) / 5 = 93.334 -> 93.33
	assert.equal(find('i1a').score, 93.33);
	assert.deepEqual(find('i1a').counts, { 1: 0, 2: 0, 3: 1, 4: 4 });
	// i1b: 2,2,2,2,1 -> (4 x 33.33 + 0) / 5 = 26.664 -> 26.66
	assert.equal(find('i1b').score, 26.66);
	// item i1: (93.33 + 26.66) / 2 = 59.995 -> 60.00 (half up, from the
	// rounded question scores)
	assert.equal(item('i1').score, 60);
	// i4a, a reverse YN question: yes,no,no,yes,yes -> (0+100+100+0+0)/5 = 40
	assert.ok(REVERSE.has('i4a'));
	assert.equal(find('i4a').score, 40);
	assert.deepEqual(find('i4a').counts, { yes: 3, no: 2 });
	// i26a, a plain YN question: 60
	assert.ok(!REVERSE.has('i26a'));
	assert.equal(find('i26a').score, 60);
	// i9, a reverse L4 question of item i9 (shift 1): answers 2,3,4,1,2 ->
	// reverse points 66.67+33.33+0+100+66.67 = 266.67 / 5 = 53.334 -> 53.33
	assert.ok(REVERSE.has('i9'));
	assert.equal(find('i9').score, 53.33);
	assert.equal(item('i9').score, 53.33);

	assert.equal(doc5.target, 85);
	assert.deepEqual(doc5.sample, { population: 120, minimum: 30, respondents: 5, step: 5, met: false });
});

test('6 to 9 respondents: scored stays 5 and no figure moves', async () => {
	for (let n = 6; n <= 9; n++) {
		await submitNext();
		const doc = await httpScores();
		assert.deepEqual(doc, doc5, `the whole document at ${n} respondents`);
	}
});

test('at 10 respondents: scored 10, figures of all ten', async () => {
	await submitNext();
	const doc = await httpScores();
	assert.equal(doc.respondents, 10);
	assert.equal(doc.scored, 10);
	checkFigures(doc, submitted);
	assert.notDeepEqual(figures(doc), figures(doc5));
	assert.deepEqual(doc.sample, { population: 120, minimum: 30, respondents: 10, step: 5, met: false });
});

test('the CLI prints the same document as HTTP; a viewer reads it too', async () => {
	const http = await httpScores();
	assert.deepEqual(await scores(srv, round), http);
	assert.deepEqual(await httpScores(viewer), http);
	assertError(assert, await get(`${srv.url}/api/v1/admin/rounds/999999/scores`, admin.headers), 404,
	    'not_found', 'scores of an unknown round');
});

test('sample minimum by population', async () => {
	// ceil(P x 10%), at least 30; everyone when P < 30; 30 when unknown.
	for (const [pop, min] of [[120, 30], [0, 30], [12, 12], [300, 30], [301, 31], [5000, 500]]) {
		const id = await createRound(srv, IIT, { population: pop, open: false });
		const doc = await scores(srv, id);
		assert.equal(doc.sample.minimum, min, `population ${pop}`);
		assert.equal(doc.sample.population ?? 0, pop);
	}
});

const MIME = {
	csv: /^text\/csv; charset=utf-8$/,
	json: /^application\/json; charset=utf-8$/,
	xlsx: /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet$/,
};

const exportUrl = (r, what, format) => `${srv.url}/api/v1/admin/rounds/${r}/export?what=${what}&format=${format}`;

test('scores exports: CSV, JSON, XLSX downloads', async () => {
	for (const format of ['csv', 'json', 'xlsx']) {
		const r = await get(exportUrl(round, 'scores', format), viewer.headers);
		assert.equal(r.status, 200, `${format}: ${r.text.slice(0, 200)}`);
		assert.match(r.headers.get('content-type'), MIME[format], format);
		assert.equal(r.headers.get('content-disposition'), `attachment; filename="round-${round}-scores.${format}"`);
		if (format === 'json')
			assert.deepEqual(JSON.parse(r.text), await httpScores());
		if (format === 'csv') {
			assert.equal(r.buf.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM');
			const lines = r.text.slice(1).split('\r\n');
			assert.equal(lines[0], 'level,code,name_th,name_en,score,grade,n,preliminary');
			// Ten respondents of a minimum of 30: preliminary on every row.
			assert.ok(lines.some((l) => l.startsWith('question,i1a,') && l.endsWith(',10,true')), 'row of i1a');
		}
		if (format === 'xlsx')
			assert.equal(r.buf.subarray(0, 4).toString('hex'), '504b0304', 'a zip file');
	}
});

test('responses export: 409 while open, then one row per response', async () => {
	for (const format of ['csv', 'json', 'xlsx'])
		assertError(assert, await get(exportUrl(round, 'responses', format), admin.headers), 409, 'not_exportable',
		    `responses ${format} of an open round`);
	await closeRound(srv, round);

	let r = await get(exportUrl(round, 'responses', 'csv'), viewer.headers);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), MIME.csv);
	assert.equal(r.headers.get('content-disposition'), `attachment; filename="round-${round}-responses.csv"`);
	assert.equal(r.buf.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM');
	const lines = r.text.slice(1).split('\r\n');
	assert.equal(lines.at(-1), '', 'ends with a line break');
	lines.pop();
	const codes = questions(form).map((q) => q.code);
	assert.equal(lines[0], codes.join(','));
	assert.equal(lines.length, 11, 'a header and ten rows');
	const rows = lines.slice(1).map((l) => l.split(','));
	const want = submitted.map((a) => codes.map((c) => a[c]).join(',')).sort();
	assert.deepEqual(rows.map((x) => x.join(',')).sort(), want);

	r = await get(exportUrl(round, 'responses', 'json'), admin.headers);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), MIME.json);
	const arr = JSON.parse(r.text);
	assert.equal(arr.length, 10);
	const key = (a) => JSON.stringify(Object.keys(a).sort().map((k) => [k, a[k]]));
	assert.deepEqual(arr.map(key).sort(), submitted.map(key).sort());

	r = await get(exportUrl(round, 'responses', 'xlsx'), admin.headers);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), MIME.xlsx);
	assert.equal(r.buf.subarray(0, 4).toString('hex'), '504b0304');
});

test('responses export below min_cell is refused even when closed', async () => {
	const id = await createRound(srv, IIT);
	const [t] = await issueTokens(srv, id, 1);
	const r = await post(`${srv.url}/api/v1/rounds/${id}/responses`,
	    { submission_id: uuid(), token: t, answers: makeAnswers(form) });
	assert.equal(r.status, 201, r.text);
	await closeRound(srv, id);
	assertError(assert, await get(exportUrl(id, 'responses', 'csv'), admin.headers), 409, 'not_exportable',
	    'one response');
});

test('bad export queries get 400; an unknown round 404', async () => {
	const base = `${srv.url}/api/v1/admin/rounds/${round}/export`;
	for (const q of ['?what=answers&format=csv', '?what=scores&format=pdf', '?what=scores', '?format=csv', '',
	    '?what=SCORES&format=CSV', '?what=&format='])
		assertError(assert, await get(`${base}${q}`, admin.headers), 400, 'bad_request', `export${q}`);
	assertError(assert, await get(exportUrl(999999, 'scores', 'csv'), admin.headers), 404, 'not_found',
	    'export of an unknown round');
});
