// SPDX-License-Identifier: ISC
// The files a working group hands its committee, read back the way the
// committee will: the XLSX through LibreOffice (soffice --headless
// --convert-to csv, every sheet), the chart and the document properties
// from the file's own parts, the CSV as a table.  The file must say what
// it is (agency, round, questionnaire and fiscal year, state, stepped
// respondents, sample status, date made), in Thai first with English
// beside it; its figures must be the scores document's; and while the
// minimum sample is not met it must say "preliminary: N of M minimum" in
// words and in style.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	startServer, createRound, closeRound, issueTokens, getForm, makeAnswers, adminLogin, respondents,
	stepped, questions, request, get, post, uuid,
} from '../lib/server.mjs';
import { readBack, cellsOf, rowOf, SOFFICE } from '../lib/xlsx.mjs';

const IIT = 'ita-2563-iit';
const AGENCY = 'กองคลัง กรมตัวอย่าง & <ฝ่ายบัญชี>';
const TITLE = 'IIT 2569 กองคลัง';
// A population of 120: 10 % is 12, so the minimum is the form's 30.
const POPULATION = 120;
const SCORES = 'คะแนน';
const RESPONSES = 'คำตอบ';

let srv, alice, round, form, codes;

const api = (p) => `${srv.url}/api/v1/admin${p}`;
const download = async (what, format) => {
	const r = await get(api(`/rounds/${round}/export?what=${what}&format=${format}`), alice.headers);
	assert.equal(r.status, 200, `${what} ${format}: ${r.text.slice(0, 300)}`);
	return r;
};
const scoresDoc = async () => (await get(api(`/rounds/${round}/scores`), alice.headers)).json;

async function answer(n) {
	for (const token of codes.splice(0, n)) {
		const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`, { submission_id: uuid(), token,
		    answers: makeAnswers(form, (q, values, i) => values[(i + codes.length) % values.length]) });
		assert.equal(r.status, 201, r.text);
	}
}

// Today and yesterday in local time as YYYY-MM-DD (a test may cross midnight).
function days() {
	const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-` +
	    `${String(d.getDate()).padStart(2, '0')}`;
	const now = new Date();
	return [iso(now), iso(new Date(now.getTime() - 86400000))];
}

// The style of cell ref (e.g. "B11") of a sheet part: {italic, fill}
// (fill as the ARGB of a solid fill, or null), from xl/styles.xml.
function styleOf(parts, sheet, ref) {
	const xml = parts.get(sheet).toString('utf8');
	const m = new RegExp(`<c r="${ref}"(?: [^>]*)? s="(\\d+)"`).exec(xml) ??
	    new RegExp(`<c r="${ref}" s="(\\d+)"`).exec(xml);
	if (!m)
		return { italic: false, fill: null };
	const styles = parts.get('xl/styles.xml').toString('utf8');
	const section = (name) => (new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`).exec(styles) ?? [])[1] ?? '';
	const xf = [...section('cellXfs').matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)][Number(m[1])][0];
	const font = [...section('fonts').matchAll(/<font>[\s\S]*?<\/font>|<font\/>/g)][Number(/fontId="(\d+)"/.exec(xf)[1])][0];
	const fill = [...section('fills').matchAll(/<fill>[\s\S]*?<\/fill>/g)][Number(/fillId="(\d+)"/.exec(xf)[1])][0];
	return { italic: /<i\/>/.test(font), fill: /patternType="solid"/.test(fill) ?
	    /<fgColor rgb="([0-9A-F]+)"/.exec(fill)?.[1] ?? null : null };
}

// The 1-based row number of the first row of rows whose first cell is label.
const rowNumber = (rows, label) => rows.findIndex((r) => r[0] === label) + 1;

before(async () => {
	const v = spawnSync(SOFFICE, ['--version'], { encoding: 'utf8' });
	if (v.error || v.status !== 0)
		throw new Error(`${SOFFICE} is missing: install libreoffice-calc-nogui (make deps-test)`);
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	const r = await request(api('/settings'), { method: 'PUT', body: { agency: AGENCY }, headers: alice.headers });
	assert.equal(r.status, 200, r.text);
	round = await createRound(srv, IIT, { title: TITLE, population: POPULATION });
	codes = await issueTokens(srv, round, 32);
	form = await getForm(srv, round);
	await answer(5);
});

after(async () => {
	await srv?.stop();
});

describe('at 5 of 30 respondents: preliminary', () => {
	let doc, book, rows;

	before(async () => {
		doc = await scoresDoc();
		assert.equal(doc.sample.minimum, 30);
		assert.equal(doc.respondents, 5);
		assert.equal(doc.preliminary, true, 'the scores document says preliminary');
		book = await readBack((await download('scores', 'xlsx')).buf);
		rows = book.sheets[SCORES];
	});

	test('one sheet, named in Thai', () => {
		assert.deepEqual(book.names, [SCORES]);
	});

	test('the title block says what the file is, Thai labels first', () => {
		const cells = cellsOf(rows);
		assert.ok(rows[0][0].startsWith(TITLE), `heading ${rows[0][0]}`);
		assert.deepEqual(rowOf(rows, 'หน่วยงาน / Agency').slice(0, 2), ['หน่วยงาน / Agency', AGENCY]);
		assert.deepEqual(rowOf(rows, 'รอบการสำรวจ / Round').slice(0, 3),
		    ['รอบการสำรวจ / Round', TITLE, `รอบที่ ${round} / round ${round}`]);
		assert.deepEqual(rowOf(rows, 'แบบวัด / Questionnaire').slice(1, 3), [form.title.th, form.title.en]);
		// The fiscal year comes from the form (its id), not from the code.
		assert.deepEqual(rowOf(rows, "ปีงบประมาณของแบบวัด / Questionnaire's fiscal year").slice(1, 3),
		    ['พ.ศ. 2563', '2020 (B.E. 2563)']);
		assert.deepEqual(rowOf(rows, 'สถานะรอบ / Round state').slice(1, 3), ['เปิดรับคำตอบอยู่', 'open for responses']);
		assert.deepEqual(rowOf(rows, 'ผู้ตอบ / Respondents').slice(1, 3), ['5', 'นับเป็นขั้นละ 5 คน / counted in steps of 5']);
		assert.deepEqual(rowOf(rows, 'ขนาดตัวอย่างขั้นต่ำ / Minimum sample').slice(1, 3),
		    ['30', 'จากประชากร 120 คน / of a population of 120']);
		const made = rowOf(rows, 'วันที่จัดทำ / Date made');
		assert.ok(days().includes(made[2]), `date made ${made[2]}`);
		assert.match(made[1], /^\d{1,2} \S+ 25\d\d$/, 'a Thai date in the Buddhist era');
		for (const label of ['ตัวชี้วัด / Indicator', 'คะแนน / Score', 'เป้าหมาย / Target', 'ระดับผล / Grade',
		    'คะแนนรวม / Overall score'])
			assert.ok(cells.includes(label), label);
	});

	test('preliminary: 5 of 30 minimum, in words (Thai and English) and in style', () => {
		const cells = cellsOf(rows);
		assert.ok(cells.some((c) => c.includes('ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน')), 'Thai words');
		assert.ok(cells.some((c) => c.includes('preliminary: 5 of 30 minimum')), 'English words');
		assert.ok(!cells.some((c) => c.includes('minimum sample met')));
		const sample = rowOf(rows, 'สถานะกลุ่มตัวอย่าง / Sample');
		assert.deepEqual(sample.slice(1, 3), ['ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน', 'preliminary: 5 of 30 minimum']);
		const grade = rowOf(rows, 'ระดับผล / Grade')[3];
		assert.ok(grade.startsWith(`${doc.grade} `), `grade cell ${grade}`);
		assert.match(grade, /ผลเบื้องต้น: ผู้ตอบ 5 จากขั้นต่ำ 30 คน/);
		assert.match(grade, /preliminary: 5 of 30 minimum/);
		const sheet = 'xl/worksheets/sheet1.xml';
		const plain = styleOf(book.parts, sheet, `B${rowNumber(rows, 'หน่วยงาน / Agency')}`);
		assert.equal(plain.italic, false);
		assert.equal(plain.fill, null);
		for (const ref of [`B${rowNumber(rows, 'สถานะกลุ่มตัวอย่าง / Sample')}`,
		    `D${rowNumber(rows, 'ระดับผล / Grade')}`, `D${rowNumber(rows, 'คะแนนรวม / Overall score')}`]) {
			const st = styleOf(book.parts, sheet, ref);
			assert.equal(st.italic, true, `${ref} in italics`);
			assert.notEqual(st.fill, null, `${ref} filled`);
		}
		const chart = book.parts.get('xl/charts/chart1.xml').toString('utf8');
		assert.match(chart, /<a:t>[^<]*ผลเบื้องต้น \/ preliminary[^<]*<\/a:t>/, 'the chart title says so');
	});

	test('the indicators and the overall figures are the scores document\'s', () => {
		const head = rows.findIndex((r) => r[1] === 'ตัวชี้วัด / Indicator');
		assert.ok(head > 0);
		assert.deepEqual(rows[head].slice(0, 5), ['รหัส / Code', 'ตัวชี้วัด / Indicator',
		    'ชื่อภาษาอังกฤษ / Name in English', 'คะแนน / Score', 'เป้าหมาย / Target']);
		doc.indicators.forEach((ind, i) => {
			const r = rows[head + 1 + i];
			assert.deepEqual(r.slice(0, 3), [ind.code, ind.name.th, ind.name.en]);
			assert.equal(Number(r[3]), ind.score, `indicator ${ind.code}`);
			assert.equal(Number(r[4]), doc.target);
		});
		assert.equal(Number(rowOf(rows, 'คะแนนรวม / Overall score')[3]), doc.score);
		assert.equal(Number(rowOf(rows, 'เป้าหมาย / Target')[3]), doc.target);
		assert.equal(Number(rowOf(rows, 'คำตอบที่นำมาคิดคะแนน / Responses scored')[3]), doc.scored);
	});

	test('the chart: columns of scores over the indicator names, the target a line', () => {
		const chart = book.parts.get('xl/charts/chart1.xml').toString('utf8');
		const bar = /<c:barChart>([\s\S]*?)<\/c:barChart>/.exec(chart)?.[1];
		const line = /<c:lineChart>([\s\S]*?)<\/c:lineChart>/.exec(chart)?.[1];
		assert.ok(bar, 'a column series');
		assert.ok(line, 'a line series');
		assert.ok(!/<c:barChart>[\s\S]*<c:barChart>/.test(chart), 'the target is not a second set of bars');
		const ref = (xml, tag) => /'(.+)'!\$([A-Z])\$(\d+):\$([A-Z])\$(\d+)/.exec(
		    new RegExp(`<c:${tag}>[\\s\\S]*?<c:f>([^<]*)</c:f>`).exec(xml)[1]);
		const head = rows.findIndex((r) => r[1] === 'ตัวชี้วัด / Indicator');
		for (const [xml, col, want] of [[bar, 'D', doc.indicators.map((i) => i.score)],
		    [line, 'E', doc.indicators.map(() => doc.target)]]) {
			const cat = ref(xml, 'cat');
			assert.equal(cat[1], SCORES);
			assert.equal(cat[2], 'B', 'categories: the Thai names');
			assert.equal(Number(cat[3]), head + 2);
			assert.equal(Number(cat[5]), head + 1 + doc.indicators.length);
			const names = rows.slice(Number(cat[3]) - 1, Number(cat[5])).map((r) => r[1]);
			assert.deepEqual(names, doc.indicators.map((i) => i.name.th));
			const val = ref(xml, 'val');
			assert.equal(val[2], col);
			const c = col.charCodeAt(0) - 'A'.charCodeAt(0);
			assert.deepEqual(rows.slice(Number(val[3]) - 1, Number(val[5])).map((r) => Number(r[c])), want);
		}
		assert.match(chart, new RegExp(`<a:t>[^<]*${TITLE}[^<]*</a:t>`), 'the title names the round');
		assert.match(chart, /<a:t>คะแนนรายตัวชี้วัด \/ Indicator scores/, 'in Thai and English');
		assert.match(line, /<c:v>เป้าหมาย 85 \/ Target 85<\/c:v>/);
	});

	test('the document properties carry the same facts', () => {
		const core = book.parts.get('docProps/core.xml').toString('utf8');
		const app = book.parts.get('docProps/app.xml').toString('utf8');
		assert.match(core, new RegExp(`<dc:title>${TITLE}: คะแนน / scores</dc:title>`));
		assert.ok(core.includes(`<dc:subject>${form.title.th} / ${form.title.en}</dc:subject>`.replace(/&/g, '&amp;')));
		assert.match(core, /preliminary: 5 of 30 minimum/);
		assert.match(core, /<cp:contentStatus>ผลเบื้องต้น \/ preliminary<\/cp:contentStatus>/);
		assert.match(core, new RegExp(`round ${round}`));
		assert.ok(app.includes('<Company>กองคลัง กรมตัวอย่าง &amp; &lt;ฝ่ายบัญชี&gt;</Company>'), app);
	});

	test('the CSV: one meaning per column, the grade in its column, preliminary on every row', async () => {
		const text = (await download('scores', 'csv')).text.replace(/^\uFEFF/, '');
		const lines = text.split('\r\n');
		assert.equal(lines.pop(), '');
		assert.equal(lines[0], 'level,code,name_th,name_en,score,grade,n,preliminary');
		const { parseCsv } = await import('../lib/xlsx.mjs');
		const table = parseCsv(lines.join('\n'));
		const [header, ...rs] = table;
		for (const r of rs)
			assert.equal(r.length, header.length, JSON.stringify(r));
		const col = Object.fromEntries(header.map((h, i) => [h, i]));
		const inst = rs[0];
		assert.deepEqual([inst[col.level], inst[col.code], inst[col.name_th], inst[col.name_en]],
		    ['instrument', IIT, form.title.th, form.title.en]);
		assert.equal(inst[col.score], doc.score.toFixed(2));
		assert.equal(inst[col.grade], doc.grade, 'the grade in the grade column');
		assert.equal(inst[col.n], String(doc.scored));
		// Only the instrument has a grade; every row is preliminary.
		assert.deepEqual(rs.slice(1).map((r) => r[col.grade]).filter(Boolean), []);
		assert.deepEqual([...new Set(rs.map((r) => r[col.preliminary]))], ['true']);
		// Every indicator, item and question once, in order, with its figures.
		const want = [];
		for (const ind of doc.indicators) {
			want.push(['indicator', ind.code, ind.name.th, ind.name.en, ind.score.toFixed(2), '']);
			for (const it of ind.items) {
				want.push(['item', it.code, it.text.th, it.text.en, it.score.toFixed(2), '']);
				for (const q of it.questions)
					want.push(['question', q.code, q.text.th, q.text.en, q.score.toFixed(2), String(q.n)]);
			}
		}
		assert.deepEqual(rs.slice(1).map((r) => [r[col.level], r[col.code], r[col.name_th], r[col.name_en],
		    r[col.score], r[col.n]]), want);
		assert.ok(new Set(rs.map((r) => r[col.level])).size === 4);
	});
});

describe('at 30 of 30: the minimum sample met', () => {
	let doc, book, rows;

	before(async () => {
		await answer(25);
		assert.equal(stepped(await respondents(srv, round), 5), 30);
		doc = await scoresDoc();
		assert.equal(doc.preliminary, false);
		assert.equal(doc.sample.met, true);
		book = await readBack((await download('scores', 'xlsx')).buf);
		rows = book.sheets[SCORES];
	});

	test('"minimum sample met", no preliminary wording or style anywhere', () => {
		const cells = cellsOf(rows);
		assert.deepEqual(rowOf(rows, 'สถานะกลุ่มตัวอย่าง / Sample').slice(1, 3),
		    ['ครบขนาดตัวอย่างขั้นต่ำแล้ว (ผู้ตอบ 30 จากขั้นต่ำ 30 คน)', 'minimum sample met (30 of 30 minimum)']);
		assert.ok(!cells.some((c) => /preliminary|ผลเบื้องต้น/.test(c)), 'no preliminary wording');
		assert.equal(rowOf(rows, 'ระดับผล / Grade')[3], doc.grade, 'the grade alone');
		assert.equal(Number(rowOf(rows, 'คะแนนรวม / Overall score')[3]), doc.score);
		const st = styleOf(book.parts, 'xl/worksheets/sheet1.xml', `D${rowNumber(rows, 'ระดับผล / Grade')}`);
		assert.equal(st.italic, false);
		assert.equal(st.fill, null);
		const chart = book.parts.get('xl/charts/chart1.xml').toString('utf8');
		assert.ok(!/preliminary/.test(chart));
		const core = book.parts.get('docProps/core.xml').toString('utf8');
		assert.match(core, /minimum sample met/);
	});

	test('the CSV says preliminary false on every row', async () => {
		const lines = (await download('scores', 'csv')).text.trimEnd().split('\r\n').slice(1);
		assert.ok(lines.length > 10);
		for (const l of lines)
			assert.ok(l.endsWith(',false'), l);
		assert.ok(lines[0].startsWith(`instrument,${IIT},`));
		assert.ok(lines[0].endsWith(`,${doc.score.toFixed(2)},${doc.grade},30,false`), lines[0]);
	});

	test('the responses XLSX: question text under the codes, one row per response, the round final', async () => {
		await closeRound(srv, round);
		const buf = (await download('responses', 'xlsx')).buf;
		const x = await readBack(buf);
		assert.deepEqual(x.names, [SCORES, RESPONSES]);
		const qs = questions(form);
		const rs = x.sheets[RESPONSES];
		assert.deepEqual(rs[0], qs.map((q) => q.code), 'the codes row');
		assert.deepEqual(rs[1], qs.map((q) => q.text.th), 'the Thai question text row');
		const answers = rs.slice(2).filter((r) => r.some((c) => c !== ''));
		assert.equal(answers.length, await respondents(srv, round));
		for (const r of answers)
			r.forEach((v, i) => assert.ok(form.scales[qs[i].scale].options.some((o) => o.value === v),
			    `${qs[i].code}: ${v}`));
		// Whole-number answers (1 to 4) are numbers, yes and no text.
		const part = 'xl/worksheets/sheet2.xml';
		const cells = [...x.parts.get(part).toString('utf8').matchAll(
		    /<c r="[A-Z]+(\d+)"[^>]*>(?:<v>([^<]*)<\/v>|<is><t>([^<]*)<\/t><\/is>)<\/c>/g)]
		    .filter((m) => Number(m[1]) > 2);
		assert.equal(cells.length, answers.length * qs.length);
		assert.ok(cells.some((m) => m[2] !== undefined) && cells.some((m) => m[3] !== undefined));
		for (const m of cells)
			assert.ok(m[2] !== undefined ? /^[1-4]$/.test(m[2]) : /^(yes|no)$/.test(m[3]), m[0]);
		// Its parts deflated fast (the general purpose flags of zip entries
		// deflated at level 2: bit 2 set, bit 1 clear), not at zlib's 6.
		let dir = -1;
		for (let i = buf.length - 22; i >= 0 && dir < 0; i--)
			if (buf.readUInt32LE(i) === 0x02014b50 && buf.toString('utf8', i + 46,
			    i + 46 + buf.readUInt16LE(i + 28)) === part)
				dir = i;
		assert.ok(dir >= 0, 'the sheet in the central directory');
		assert.equal(buf.readUInt16LE(dir + 10), 8, 'deflated');
		assert.equal(buf.readUInt16LE(dir + 8) & 6, 4, 'at a fast level');
		const top = x.sheets[SCORES];
		assert.deepEqual(rowOf(top, 'สถานะรอบ / Round state').slice(1, 3),
		    ['ปิดถาวร (ส่งออกคำตอบรายบุคคลแล้ว)', 'final (responses exported)']);
		assert.deepEqual(rowOf(top, 'หน่วยงาน / Agency').slice(0, 2), ['หน่วยงาน / Agency', AGENCY]);
		const core = x.parts.get('docProps/core.xml').toString('utf8');
		assert.match(core, new RegExp(`<dc:title>${TITLE}: คำตอบรายบุคคลและคะแนน / responses and scores</dc:title>`));
	});
});

describe('without an agency name', () => {
	test('the file says the name is not set, and has no company property', async () => {
		const r = await request(api('/settings'), { method: 'PUT', body: { agency: '' }, headers: alice.headers });
		assert.equal(r.status, 200, r.text);
		const book = await readBack((await download('scores', 'xlsx')).buf);
		assert.deepEqual(rowOf(book.sheets[SCORES], 'หน่วยงาน / Agency').slice(1, 3),
		    ['(ยังไม่ได้ตั้งชื่อหน่วยงาน)', '(agency name not set)']);
		assert.ok(!book.parts.get('docProps/app.xml').toString('utf8').includes('<Company>ก'));
	});
});
