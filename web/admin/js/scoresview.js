// SPDX-License-Identifier: ISC
// One round's scores document (API.md) as the console shows it and the
// report prints it: the headline figures, the chart against the target,
// the indicator table, and each item's and question's score with the
// answers per option.  Below min_cell respondents: only the note why;
// below the minimum sample: all of it, marked preliminary.

import { el, t, L, fmt2, fmtInt } from './common.js';
import { chartBox, chartLegend, stackBar, answerLegend } from './chart.js';
import { gradeBox, unpublishedNote, stepsNote, sampleProgress, preliminary, prelimBanner, prelimTag,
    prelimTitle } from './widgets.js';

export function sampleStatus(doc) {
	const s = doc.sample;
	return el('div', { class: 'kpis', id: 'sample-status' },
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('sample.respondents') }),
		el('span', { class: 'value', id: 'respondents', text: fmtInt(s.respondents) })),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('sample.minimum') }),
		el('span', { class: 'value', text: fmtInt(s.minimum) })),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('sample.population') }),
		el('span', { class: 'value', text: s.population === null ? '–' : fmtInt(s.population) })),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('sample.progress') }),
		sampleProgress(s.respondents, s.minimum),
		el('span', { class: s.met ? 'meets small' : 'below small',
		    text: s.met ? t('sample.met') : t('sample.short', { n: fmtInt(s.minimum - s.respondents) }) })));
}

// The score and the grade; preliminary ones (prelim) are grey and tagged.
function headline(doc, prelim) {
	const gap = doc.score - doc.target;
	return el('div', { class: `kpis${prelim ? ' prelim' : ''}`, id: 'headline' },
	    el('div', { class: 'kpi' },
		el('span', { class: 'label', text: t('scores.instrument', { i: doc.instrument }) }),
		el('span', { class: 'value', id: 'instrument-score', text: fmt2(doc.score) }),
		prelim ? prelimTag(prelim) : null),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.grade') }),
		el('span', { id: 'grade' }, gradeBox(doc.grade, prelim)),
		prelim ? prelimTag(prelim) : null),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.target') }),
		el('span', { class: 'value small', text: String(doc.target) })),
	    el('div', { class: 'kpi' }, el('span', { class: 'label', text: t('scores.vs') }),
		el('span', { class: doc.meets_target ? 'meets' : 'below', id: 'meets',
		    text: doc.meets_target ? t('scores.meets', { d: fmt2(gap) }) :
			t('scores.below', { d: fmt2(-gap) }) })));
}

function indicatorTable(doc, prelim) {
	return el('div', { class: 'table-wrap' }, el('table', { id: 'indicator-table' },
	    el('caption', null, t('scores.indicators'), prelim ? [' ', prelimTag(prelim)] : null),
	    el('thead', null, el('tr', null,
		el('th', { scope: 'col', text: t('scores.col.indicator') }),
		el('th', { scope: 'col', class: 'num', text: t('scores.col.weight') }),
		el('th', { scope: 'col', class: 'num', text: t('scores.col.score') }),
		el('th', { scope: 'col', text: t('scores.col.target') }))),
	    el('tbody', null, doc.indicators.map((ind) => el('tr', null,
		el('th', { scope: 'row' }, `${ind.code}. ${L(ind.name)}`),
		el('td', { class: 'num', 'data-label': t('scores.col.weight'), text: String(ind.weight) }),
		el('td', { class: 'num', 'data-label': t('scores.col.score'), text: fmt2(ind.score) }),
		el('td', { 'data-label': t('scores.col.target'),
		    class: typeof ind.score === 'number' && ind.score >= doc.target ? 'meets' : 'below',
		    text: typeof ind.score !== 'number' ? '–' :
			(ind.score >= doc.target ? t('scores.yes') : t('scores.no')) }))))));
}

function questionRow(q) {
	const opts = Object.keys(q.counts || {});
	return el('tr', { 'data-q': q.code },
	    el('td', { class: 'mono', text: q.code }),
	    el('td', { class: 'q-text' }, L(q.text),
		q.reverse ? el('span', { class: 'rev', text: ` ${t('scores.reverse')}` }) : null),
	    el('td', { class: 'num', 'data-label': t('scores.col.score'), text: fmt2(q.score) }),
	    el('td', { class: 'num', 'data-label': t('scores.col.n'), text: fmtInt(q.n) }),
	    el('td', { 'data-label': t('scores.col.answers') }, q.counts ? stackBar(opts, q.counts) : null,
		q.counts ? el('span', { class: 'small muted', text: opts.map((o) => q.counts[o]).join(' · ') }) : null));
}

function itemsTable(ind) {
	const rows = [];
	for (const it of ind.items) {
		const single = it.questions.length === 1 && it.questions[0].code === it.code;
		if (single) {
			rows.push(questionRow(it.questions[0]));
			rows[rows.length - 1].classList.add('single');
			continue;
		}
		rows.push(el('tr', { class: 'item-row' },
		    el('td', { class: 'mono', text: it.code }),
		    el('td', { colspan: 3, text: L(it.text) }),
		    el('td', { class: 'num', text: `${t('scores.item')} ${fmt2(it.score)}` })));
		for (const q of it.questions)
			rows.push(questionRow(q));
	}
	return el('div', { class: 'table-wrap' }, el('table', { class: 'items stack' },
	    el('thead', null, el('tr', null,
		el('th', { scope: 'col', text: t('scores.col.code') }),
		el('th', { scope: 'col', text: t('scores.col.question') }),
		el('th', { scope: 'col', class: 'num', text: t('scores.col.score') }),
		el('th', { scope: 'col', class: 'num', text: t('scores.col.n') }),
		el('th', { scope: 'col', text: t('scores.col.answers') }))),
	    el('tbody', null, rows)));
}

// scoresView(doc, {open, banner}): open: every indicator's details open
// (print).  While the minimum sample is not met the figures are
// preliminary: a banner says so in words (unless banner is false: the
// report shows it in its head), and the score, the grade, the chart and
// the indicator table carry the mark.
export function scoresView(doc, { open = false, banner = true } = {}) {
	const frag = el('div', { class: 'scores-view' });
	if (!doc.published) {
		frag.append(unpublishedNote(doc));
		return frag;
	}
	const prelim = preliminary(doc);
	if (prelim && banner)
		frag.append(prelimBanner(prelim));
	frag.append(headline(doc, prelim), stepsNote(doc));
	frag.append(el('h3', { text: t('scores.chart') }));
	frag.append(chartBox({
		id: 'score-chart',
		title: t('scores.chart.title', { i: doc.instrument, v: doc.target }),
		note: prelim ? prelimTitle(prelim) : null,
		target: doc.target,
		bars: doc.indicators.map((ind) => ({ label: `${ind.code}. ${L(ind.name)}`, value: ind.score })),
	}), chartLegend());
	frag.append(indicatorTable(doc, prelim));
	frag.append(el('h3', { class: 'items-title', text: t('scores.items') }), answerLegend());
	for (const ind of doc.indicators)
		frag.append(el('details', { class: 'ind', open },
		    el('summary', null, el('span', { text: `${ind.code}. ${L(ind.name)}` }),
			el('span', { text: `${t('scores.col.score')} ${fmt2(ind.score)}` })),
		    itemsTable(ind)));
	return frag;
}
