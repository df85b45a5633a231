// SPDX-License-Identifier: ISC
// Small pieces more than one page shows: the state badge and buttons and
// their confirmation, the progress toward the minimum sample, a grade, the
// preliminary marking of scores below the minimum sample, the scores'
// privacy note.

import { el, t, fmtInt, confirmDialog } from './common.js';

// A round's state as one word: 'final' (its responses were exported: it
// can never open again), 'open' (collecting) or 'closed'.
export function roundState(state, final = false) {
	return final ? 'final' : state === 'open' ? 'open' : 'closed';
}

// 16x16 icons, so that a state or an action never reads by colour alone:
// the states are a dot (collecting), a ring (closed) and a padlock (final);
// the actions a triangle (start) and a square (stop).
const ICONS = {
	open: 'M8 3a5 5 0 1 1 0 10A5 5 0 0 1 8 3z',
	closed: 'M8 2.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zm0 2a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z',
	final: 'M3.5 7h9v7h-9zM5 7V5a3 3 0 0 1 6 0v2H9.5V5a1.5 1.5 0 0 0-3 0v2z',
	start: 'M4 2.5v11l9.5-5.5z',
	stop: 'M3.5 3.5h9v9h-9z',
	warn: 'M8 1.5l7 12.5H1zM7.2 5.5h1.6v4.5H7.2zm0 5.5h1.6v1.6H7.2z',
};

export function icon(name) {
	return el('svg', { class: `icon icon-${name}`, viewBox: '0 0 16 16', width: 16, height: 16,
	    'aria-hidden': 'true', focusable: 'false' }, el('path', { d: ICONS[name], 'fill-rule': 'evenodd' }));
}

// A round's state as a badge: its own colour, icon and word (state.*),
// never the words of the buttons that change it (round.open/close).
export function stateBadge(state, final = false) {
	const s = roundState(state, final);
	return el('span', { class: `badge state state-${s}`, 'data-state': s }, icon(s),
	    el('span', { text: t(s === 'final' ? 'state.final' : s === 'open' ? 'state.open' : 'state.closed') }));
}

// The badge and what the state means for respondents, in one line.
export function stateLine(state, final = false) {
	const s = roundState(state, final);
	return [stateBadge(state, final), ' ', el('span', { class: 'state-hint',
	    text: t(s === 'final' ? 'state.final.hint' : s === 'open' ? 'state.open.hint' : 'state.closed.hint') })];
}

// The button that opens (action 'open') or closes a round, with its icon.
export function stateButton(action, attrs) {
	const open = action === 'open';
	return el('button', { type: 'button', ...attrs,
	    class: `btn state-btn ${attrs.class || ''}`.trim(),
	    'data-action': action }, icon(open ? 'start' : 'stop'),
	    el('span', { text: t(open ? 'round.open' : 'round.close') }));
}

// Asks before a round is opened or closed, saying what will happen; true
// when confirmed.
export function confirmState(action, title) {
	const open = action === 'open';
	return confirmDialog({
		id: 'state-confirm',
		title: t(open ? 'round.open.confirm.title' : 'round.close.confirm.title', { title }),
		body: t(open ? 'round.open.confirm.body' : 'round.close.confirm.body'),
		ok: t(open ? 'round.open' : 'round.close'),
		cancel: t('round.confirm.back'),
		danger: !open,
	});
}

// The preliminary state of a published scores document (API.md): while
// the minimum sample is not met (sample.met false), every score and grade
// says so.  null when the sample is met or nothing is published; else
// {n: the published respondents, m: sample.minimum, population}.
export function preliminary(doc) {
	if (!doc || !doc.published || !doc.sample || doc.sample.met !== false)
		return null;
	return { n: doc.sample.respondents, m: doc.sample.minimum, population: doc.sample.population };
}

// Why the minimum is what it is: no population given (the form's floor
// applies), a population the minimum covers whole, or the rule's result.
function prelimRule(p) {
	if (p.population === null || p.population === undefined)
		return t('prelim.nopop', { m: fmtInt(p.m) });
	if (p.m >= p.population)
		return t('prelim.all', { p: fmtInt(p.population) });
	return t('prelim.rule', { m: fmtInt(p.m), p: fmtInt(p.population) });
}

// "Preliminary: N of M minimum", as words.
export function prelimTitle(p) {
	return t('prelim.title', { n: fmtInt(p.n), m: fmtInt(p.m) });
}

// The banner over preliminary scores: in words and in style, on screen
// and on paper.
export function prelimBanner(p, id = 'prelim-banner') {
	return el('div', { class: 'prelim-banner', id },
	    el('p', { class: 'prelim-title' }, icon('warn'), el('strong', { text: prelimTitle(p) })),
	    el('p', { text: t('prelim.body', { m: fmtInt(p.m) }) }),
	    el('p', { class: 'small', text: prelimRule(p) }));
}

// The small "Preliminary" tag beside a score or a grade.
export function prelimTag(p) {
	return el('span', { class: 'prelim-tag', title: prelimTitle(p), text: t('prelim.tag') });
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

// A grade; a preliminary one (prelim from preliminary()) is drawn smaller
// and grey, and its label says it is preliminary.
export function gradeBox(grade, prelim = null) {
	if (!grade)
		return el('span', { class: 'muted', text: '–' });
	const label = t('scores.grade.is', { g: grade });
	return el('span', { class: `grade g-${grade}${prelim ? ' prelim' : ''}`,
	    'aria-label': prelim ? `${label} (${prelimTitle(prelim)})` : label, text: grade });
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
