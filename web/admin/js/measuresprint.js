// SPDX-License-Identifier: ISC
// /admin/measures-print.html?year=N&kind=plan|progress: the two documents
// a working group publishes as OIT evidence, in the ITA's usual shape, to
// print on A4 landscape (or save as PDF):
//   plan      o42 "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน
//             ประจำปีงบประมาณ พ.ศ. N": ลำดับ, ประเด็นที่ต้องพัฒนา/ตัวชี้วัด,
//             มาตรการ, ขั้นตอน/วิธีการดำเนินการ, ผู้รับผิดชอบ,
//             ระยะเวลาดำเนินการ, การกำกับติดตาม; the date and a line for
//             the approver's signature
//   progress  o43 "รายงานผลการดำเนินการตามมาตรการ...": the same rows with
//             status, progress and evidence, the counts per status and
//             "ดำเนินการแล้ว x จาก y มาตรการ"
// The document is Thai, as published; each heading carries its English
// beneath it.  Dates are Thai dates of the Buddhist Era.  When the OIT
// desk has evidence URLs for o42 or o43, the page says where it is
// published.

import { $, api, boot, el, fatal } from './common.js';
import { STRINGS } from './strings.js';

const STATES = ['planned', 'doing', 'done', 'dropped'];
const STATE_KEY = {
	planned: 'meas.status.planned', doing: 'meas.status.doing',
	done: 'meas.status.done', dropped: 'meas.status.dropped',
};

// A string of one language, {x} filled in: the document is Thai whatever
// the console's language, with English beside it.
function tr(lang, key, vars = {}) {
	const s = STRINGS[lang][key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
const th = (key, vars) => tr('th', key, vars);
const en = (key, vars) => tr('en', key, vars);
const both = (key, vars) => [el('span', { text: th(key, vars) }),
    el('span', { class: 'meas-en', lang: 'en', text: en(key, vars) })];

const thaiDate = (day) => {
	const d = new Date(`${day}T00:00:00`);
	return Number.isNaN(d.getTime()) ? day :
	    d.toLocaleDateString('th-TH-u-ca-buddhist', { day: 'numeric', month: 'long', year: 'numeric' });
};

function targetCell(m) {
	const name = m.target_name ? (m.target_name.th || m.target_name.en || '') : '';
	const head = m.target_kind === 'indicator' ? th('meas.target.indicator', { code: m.target, name }) :
	    `${m.target} ${name}`;
	const ind = m.target_kind === 'item' && m.indicator ?
	    th('meas.target.indicator', { code: m.indicator.code, name: m.indicator.name?.th ?? '' }) : null;
	return el('td', null, el('div', { text: head }), ind ? el('div', { class: 'small muted', text: ind }) : null);
}

function row(m, i, kind) {
	const cells = [
		el('td', { class: 'num', text: String(i + 1) }),
		targetCell(m),
		el('td', { class: 'meas-pre', text: m.what }),
		el('td', { class: 'meas-pre', text: m.how }),
		el('td', { text: m.who }),
		el('td', { class: 'nowrap' }, el('span', { text: thaiDate(m.due) }),
		    m.overdue ? el('div', { class: 'small meas-overdue', text: th('meas.overdue') }) : null),
	];
	if (kind === 'plan')
		cells.push(el('td', { text: th('meas.doc.monitor.text') }));
	else
		cells.push(el('td', { text: th(STATE_KEY[m.status]) }),
		    el('td', { class: 'meas-pre', text: m.progress }),
		    el('td', { class: 'meas-pre meas-evidence', text: m.evidence }));
	return el('tr', { 'data-measure': m.id }, cells);
}

// Where the OIT desk says o42 and o43 are published, or [].
async function publishedAt(code) {
	const r = await api('GET', `/api/v1/admin/oit/items/${code}?days=1`);
	if (!r.ok || !r.data?.item?.urls)
		return [];
	return r.data.item.urls.map((u) => u.url);
}

async function main() {
	const me = await boot('measures');
	if (!me)
		return;
	const q = new URLSearchParams(location.search);
	const year = /^2[5-7][0-9]{2}$/.test(q.get('year') ?? '') ? Number(q.get('year')) : null;
	const kind = q.get('kind') === 'progress' ? 'progress' : 'plan';
	if (!year) {
		fatal(th('meas.print.noyear'));
		return;
	}
	$('measp-back').href = `/admin/measures.html?year=${year}`;
	$('measp-print').addEventListener('click', () => window.print());
	const r = await api('GET', `/api/v1/admin/measures?year=${year}`);
	if (!r.ok) {
		$('measp-msg').textContent = r.message;
		return;
	}
	const doc = r.data;
	// The plan leaves out dropped measures; the report tells of all.
	const list = kind === 'plan' ? doc.measures.filter((m) => m.status !== 'dropped') : doc.measures;
	const titleKey = kind === 'plan' ? 'meas.doc.plan' : 'meas.doc.progress';
	$('measp-title').textContent = th(titleKey, { y: year });
	$('measp-title-en').textContent = en(titleKey, { y: year });
	document.title = th(titleKey, { y: year });
	$('measp-agency').replaceChildren(el('span', { text: doc.agency || th('meas.doc.noagency') }));
	const cols = ['meas.col.no', 'meas.col.target', 'meas.col.what', 'meas.col.how', 'meas.col.who', 'meas.col.due',
	    ...(kind === 'plan' ? ['meas.col.monitor'] : ['meas.col.status', 'meas.col.progress', 'meas.col.evidence'])];
	$('measp-head').replaceChildren(el('tr', null, cols.map((k) => el('th', { scope: 'col' }, both(k)))));
	$('measp-rows').replaceChildren(...(list.length ? list.map((m, i) => row(m, i, kind)) :
	    [el('tr', null, el('td', { colspan: String(cols.length), text: th('meas.none') }))]));
	const total = STATES.reduce((a, s) => a + doc.counts[s], 0);
	if (kind === 'progress') {
		$('measp-counts').replaceChildren(...STATES.flatMap((s, i) => [i ? ' · ' : '',
		    el('span', { 'data-state': s, text: `${th(STATE_KEY[s])} ${doc.counts[s]}` })]));
		$('measp-summary').replaceChildren(...both('meas.doc.summary', { done: doc.counts.done, n: total }));
	}
	const today = new Date();
	const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
	$('measp-date').textContent = th('meas.doc.date', { d: thaiDate(iso) });
	$('measp-sign').replaceChildren(
	    el('p', { text: th('meas.doc.sign') }),
	    el('p', { text: th('meas.doc.signname') }),
	    el('p', { text: th(kind === 'plan' ? 'meas.doc.approver' : 'meas.doc.reporter') }));
	$('measp-doc').hidden = false;
	const urls = await publishedAt(kind === 'plan' ? 'o42' : 'o43');
	if (urls.length)
		$('measp-published').textContent = th('meas.doc.published', { url: urls.join(' , ') });
	document.body.dataset.ready = '1';
}

main();
