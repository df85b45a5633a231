// SPDX-License-Identifier: ISC
// Small pieces more than one page shows: the state badge, the progress
// toward the minimum sample, a grade, the scores' privacy note.

import { el, t, fmtInt } from './common.js';

// A round's state; a final round (its responses were exported) says so.
export function stateBadge(state, final = false) {
	const key = final ? 'state.final' : state === 'open' ? 'state.open' : 'state.closed';
	return el('span', { class: `badge ${state === 'open' ? 'open' : 'closed'}`, text: t(key) });
}

// Respondents against the ITA minimum sample, as a bar and as text.
export function sampleProgress(respondents, minimum) {
	const max = Math.max(minimum || 0, 1);
	const met = minimum > 0 && respondents >= minimum;
	const label = t('sample.of', { n: fmtInt(respondents), m: fmtInt(minimum) });
	return el('div', { class: `progress${met ? ' met' : ''}` },
	    el('progress', { max, value: Math.min(respondents, max), 'aria-label': label }),
	    el('span', { class: 'count', 'aria-hidden': 'true', text: `${fmtInt(respondents)} / ${fmtInt(minimum)}` }));
}

export function gradeBox(grade) {
	if (!grade)
		return el('span', { class: 'muted', text: '–' });
	return el('span', { class: `grade g-${grade}`, 'aria-label': t('scores.grade.is', { g: grade }),
	    text: grade });
}

// The privacy note of an unpublished scores document (API.md): nothing is
// shown below min_cell respondents, then figures move in steps of it.
export function unpublishedNote(doc) {
	return el('div', { class: 'note warn', id: 'not-published' },
	    el('p', null, el('strong', { text: t('scores.unpublished') })),
	    el('p', { text: t('scores.unpublished.why', { n: doc.respondents, k: doc.min_cell }) }));
}

export function stepsNote(doc) {
	return el('p', { class: 'small muted', id: 'steps-note',
	    text: t('scores.steps', { s: doc.scored, n: doc.respondents, k: doc.min_cell }) });
}

// "IIT · internal" for a round or form.
export function kindLabel(instrument, audience) {
	return el('span', { class: 'badge kind', text: `${instrument || '?'} · ${t(`aud.${audience}`)}` });
}
