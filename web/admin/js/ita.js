// SPDX-License-Identifier: ISC
// /admin/ita.html: the overall ITA estimate from an IIT round, an EIT
// round and the OIT score: the evidence desk's estimate (GET
// /api/v1/admin/oit/estimate, shown before anything is chosen), or a
// score the working group types in instead, which the result then marks
// as typed in.  The server does the arithmetic (GET /api/v1/admin/ita)
// with the forms' weights; this page only shows it, with the formula, the
// chart and the gap to the target, and marks it preliminary while one of
// its rounds is below its minimum sample (the rounds' scores documents
// say so).  Archived rounds are not offered: the rounds list leaves them
// out.

import { $, api, boot, el, t, L, say, sayT, onLang, fmt2 } from './common.js';
import { chartBox, chartLegend } from './chart.js';
import { gradeBox, preliminary, prelimTitle, prelimTag, icon } from './widgets.js';

let rounds = [];
let result = null;
let estimate = null;	// GET /oit/estimate, or null: none (no checklist) or not read
let prelims = [];	// [{instrument, round, title, prelim}]: the result's rounds below their minimum sample

function fillSelect(sel, instrument) {
	const keep = sel.value;
	const list = rounds.filter((r) => r.instrument === instrument && !r.archived);
	const tag = (r) => (r.minimum > 0 && r.respondents < r.minimum ? ` · ${t('prelim.tag')}` : '');
	sel.replaceChildren(...(list.length ? list.map((r) => el('option', { value: r.id,
	    text: `#${r.id} ${r.title} (${t('ita.resp', { n: r.respondents })}${tag(r)})` })) :
	    [el('option', { value: '', text: t('ita.noround', { i: instrument }) })]));
	if (keep && list.some((r) => String(r.id) === keep))
		sel.value = keep;
}

function fillSelects() {
	fillSelect($('ita-iit'), 'IIT');
	fillSelect($('ita-eit'), 'EIT');
}

// "69.225" is refused here as by the server: two decimals at most.
function parseOit(s) {
	s = s.trim().replace(',', '.');
	if (!/^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(s))
		return null;
	const v = Number(s);
	return v >= 0 && v <= 100 ? s : null;
}

// The evidence desk's estimate above the choice to type a score instead.
function renderEstimate() {
	const box = $('ita-est');
	delete $('ita-est-text').dataset.i18n;	// its words are set here
	box.classList.toggle('warn', !estimate);
	$('ita-est-rule').hidden = !estimate;
	if (!estimate) {
		$('ita-est-text').textContent = t('ita.oit.est.none');
		return;
	}
	$('ita-est-text').replaceChildren(t('ita.oit.est.now'), ' ',
	    el('strong', { id: 'ita-est-score', text: fmt2(estimate.score) }), ' (',
	    estimate.indicators.map((i) => t('ita.oit.est.ind', { c: i.code, s: fmt2(i.score) })).join(' · '), ')');
}

// The typed-in score's field shows only while the box is ticked; without
// a checklist there is nothing else to use.
function syncOverride() {
	const on = $('ita-oit-on').checked;
	$('ita-oit-field').hidden = !on;
	$('ita-oit-hint').hidden = !on;
	$('ita-oit').required = on;
	if (!on)
		$('ita-oit').removeAttribute('aria-invalid');
}

async function calculate(ev) {
	ev.preventDefault();
	const msg = $('ita-msg');
	const override = $('ita-oit-on').checked;
	const oit = override ? parseOit($('ita-oit').value) : null;
	$('ita-oit').removeAttribute('aria-invalid');
	if (!$('ita-iit').value || !$('ita-eit').value) {
		sayT(msg, 'ita.err.rounds', null, 'err');
		return;
	}
	if (override && oit === null) {
		$('ita-oit').setAttribute('aria-invalid', 'true');
		sayT(msg, 'ita.err.oit', null, 'err');
		$('ita-oit').focus();
		return;
	}
	if (!override && !estimate) {
		sayT(msg, 'ita.oit.est.none', null, 'err');
		$('ita-oit-on').focus();
		return;
	}
	const q = new URLSearchParams({ iit: $('ita-iit').value, eit: $('ita-eit').value });
	if (override)
		q.set('oit', oit);
	// The rounds' scores documents say whether each met its minimum sample.
	const [r, iitDoc, eitDoc] = await Promise.all([api('GET', `/api/v1/admin/ita?${q}`),
	    api('GET', `/api/v1/admin/rounds/${q.get('iit')}/scores`),
	    api('GET', `/api/v1/admin/rounds/${q.get('eit')}/scores`)]);
	if (!r.ok) {
		say(msg, r.message);
		$('ita-result').hidden = true;
		result = null;
		return;
	}
	if (!iitDoc.ok || !eitDoc.ok) {
		say(msg, (iitDoc.ok ? eitDoc : iitDoc).message);
		$('ita-result').hidden = true;
		result = null;
		return;
	}
	say(msg, '');
	result = r.data;
	prelims = [['IIT', iitDoc.data], ['EIT', eitDoc.data]]
	    .map(([instrument, doc]) => ({ instrument, round: doc.round, title: doc.title, prelim: preliminary(doc) }))
	    .filter((p) => p.prelim);
	render();
	$('ita-result-title').focus();
}

// The banner of a preliminary overview: which rounds, each with
// "preliminary: N of M minimum".
function itaPrelimBanner() {
	return el('div', { class: 'prelim-banner', id: 'ita-prelim' },
	    el('p', { class: 'prelim-title' }, icon('warn'), el('strong', { text: t('prelim.ita.title') })),
	    el('ul', null, prelims.map((p) => el('li', { 'data-round': p.round },
		`${t('prelim.ita.round', { i: p.instrument, id: p.round, title: p.title })}: `,
		el('strong', { text: prelimTitle(p.prelim) })))),
	    el('p', { text: t('prelim.ita.body') }));
}

const typedIn = (p) => p.source === 'override';

function partName(p) {
	if (p.instrument === 'OIT')
		return t(typedIn(p) ? 'ita.oit.name.override' : 'ita.oit.name.est');
	return `${p.code}. ${L(p.name)}`;
}

// Where the result's OIT score came from, said in words beside it.
function oitSource(o) {
	const est = o.source === 'estimate';
	return el('div', { class: `note oit-source${est ? '' : ' warn'}`, id: 'ita-oit-source', 'data-source': o.source },
	    el('p', null, el('strong', { text: t(est ? 'ita.oit.src.est' : 'ita.oit.src.override') }), ': ',
		el('span', { text: fmt2(o.score) })),
	    est ? el('p', { class: 'small', text: o.indicators.map((i) => t('ita.oit.est.ind',
		{ c: i.code, s: fmt2(i.score) })).join(' · ') }) :
		el('p', { class: 'small', text: typeof o.estimate === 'number' ?
		    t('ita.oit.src.beside', { s: fmt2(o.estimate) }) : t('ita.oit.est.none') }));
}

function render() {
	if (!result)
		return;
	const d = result;
	const gap = d.score - d.target;
	const weighted = (p) => (p.score * p.weight) / 100;
	const sums = d.indicators.map((p) => `${fmt2(p.score)} × ${p.weight}`).join(' + ');
	// The overview is preliminary as long as one of its rounds is; the
	// first such round's figures tag the score and the grade.
	const prelim = prelims.length ? prelims[0].prelim : null;
	$('ita-result').hidden = false;
	$('ita-body').replaceChildren(
	    prelim ? itaPrelimBanner() : null,
	    el('div', { class: `kpis${prelim ? ' prelim' : ''}` },
		el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('ita.overall') }),
		    el('span', { class: 'value', id: 'ita-score', text: fmt2(d.score) }),
		    prelim ? prelimTag(prelim) : null),
		el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.grade') }),
		    el('span', { id: 'ita-grade' }, gradeBox(d.grade, prelim)),
		    prelim ? prelimTag(prelim) : null),
		el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.target') }),
		    el('span', { class: 'value small', text: String(d.target) })),
		el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.vs') }),
		    el('span', { class: d.meets_target ? 'meets' : 'below', id: 'ita-meets',
			text: d.meets_target ? t('scores.meets', { d: fmt2(gap) }) : t('scores.below', { d: fmt2(-gap) }) }))),
	    el('p', { class: 'small' }, t('ita.from', {
		iit: `#${d.iit.round} ${d.iit.title}`, is: fmt2(d.iit.score),
		eit: `#${d.eit.round} ${d.eit.title}`, es: fmt2(d.eit.score) })),
	    oitSource(d.oit),
	    chartBox({ id: 'ita-chart', title: t('ita.chart', { v: d.target }),
		target: d.target, note: prelim ? t('prelim.tag') : null,
		bars: d.indicators.map((p) => ({ label: p.instrument === 'OIT' ?
		    t(typedIn(p) ? 'ita.oit.short.override' : 'ita.oit.short.est') : partName(p),
		    value: p.score, kind: p.instrument === 'OIT' ? 'oit' : null })) }),
	    chartLegend(true),
	    el('div', { class: 'table-wrap' }, el('table', { id: 'ita-table', class: 'stack kv' },
		el('caption', { text: t('ita.table') }),
		el('thead', null, el('tr', null,
		    el('th', { scope: 'col', text: t('ita.col.part') }),
		    el('th', { scope: 'col', text: t('ita.col.instrument') }),
		    el('th', { scope: 'col', class: 'num', text: t('scores.col.score') }),
		    el('th', { scope: 'col', class: 'num', text: t('scores.col.weight') }),
		    el('th', { scope: 'col', class: 'num', text: t('ita.col.points') }))),
		el('tbody', null, d.indicators.map((p) => el('tr', null,
		    el('th', { scope: 'row', class: 'card-title', text: partName(p) }),
		    el('td', { 'data-label': t('ita.col.instrument'), text: p.instrument }),
		    el('td', { class: 'num', 'data-label': t('scores.col.score'), text: fmt2(p.score) }),
		    el('td', { class: 'num', 'data-label': t('scores.col.weight'), text: String(p.weight) }),
		    el('td', { class: 'num', 'data-label': t('ita.col.points'), text: weighted(p).toFixed(4) })))),
		el('tfoot', null, el('tr', null,
		    el('th', { scope: 'row', colspan: 3, class: 'card-title', text: t('ita.total') }),
		    el('td', { class: 'num', 'data-label': t('scores.col.weight'),
			text: String(d.indicators.reduce((s, p) => s + p.weight, 0)) }),
		    el('td', { class: 'num', 'data-label': t('ita.overall'), text: fmt2(d.score) }))))),
	    el('div', { class: 'note' },
		el('p', null, el('strong', { text: t('ita.formula') })),
		el('p', { class: 'formula', text: `ITA = (${sums}) / 100 = ${fmt2(d.score)}` }),
		el('p', { class: 'small', text: t('ita.formula.why', { w: d.oit.weight }) })));
}

async function main() {
	const me = await boot('ita');
	if (!me)
		return;
	const r = await api('GET', '/api/v1/admin/rounds');
	if (r.ok)
		rounds = r.data.rounds.slice().sort((a, b) => b.id - a.id);
	fillSelects();
	const e = await api('GET', '/api/v1/admin/oit/estimate');
	estimate = e.ok ? e.data : null;
	renderEstimate();
	if (!estimate)
		$('ita-oit-on').checked = true;
	syncOverride();
	$('ita-oit-on').addEventListener('change', syncOverride);
	$('ita-form').addEventListener('submit', calculate);
	$('ita-print').addEventListener('click', () => window.print());
	onLang(() => { fillSelects(); renderEstimate(); render(); });
	document.body.dataset.ready = '1';
}

main();
