// SPDX-License-Identifier: ISC
// What the OIT evidence pages share (oit.js, oititem.js): each state's
// word, icon and colour (never the colour alone), the alert kinds'
// words, percentages, links to an item's history, to a kept copy and to
// an evidence URL itself, and a small modal form.

import { el, t, getLang } from './common.js';

// The item states of GET /api/v1/admin/oit, and the URL states (up,
// suspect, down, unknown), with their words and what they mean.
const STATES = {
	up: ['oitdesk.state.up', 'oitdesk.hint.up'],
	suspect: ['oitdesk.state.suspect', 'oitdesk.hint.suspect'],
	down: ['oitdesk.state.down', 'oitdesk.hint.down'],
	not_ready: ['oitdesk.state.not_ready', 'oitdesk.hint.not_ready'],
	no_url: ['oitdesk.state.no_url', 'oitdesk.hint.no_url'],
	unknown: ['oitdesk.state.unknown', 'oitdesk.hint.unknown'],
};

// In the order the summary lists them: the worst first.
export const STATE_ORDER = ['down', 'suspect', 'unknown', 'no_url', 'not_ready', 'up'];

export const stateWord = (s) => (STATES[s] ? t(STATES[s][0]) : s);
export const stateHint = (s) => (STATES[s] ? t(STATES[s][1]) : '');

// 16x16 icons: a tick (up), a cross (down), a triangle (suspect), a
// pause (not ready), an empty ring (no URL), a clock (not checked yet).
const ICONS = {
	up: 'M6.3 12.2L2.3 8.2l1.5-1.5 2.5 2.5 6-6 1.5 1.5z',
	down: 'M4.1 2.7L8 6.6l3.9-3.9 1.4 1.4L9.4 8l3.9 3.9-1.4 1.4L8 9.4l-3.9 3.9-1.4-1.4L6.6 8 2.7 4.1z',
	suspect: 'M8 1.5l7 12.5H1zM7.2 5.5h1.6v4.5H7.2zm0 5.5h1.6v1.6H7.2z',
	not_ready: 'M4 3h3v10H4zm5 0h3v10H9z',
	no_url: 'M8 2.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zm0 2a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z',
	unknown: 'M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zm0 1.6a4.9 4.9 0 1 0 0 9.8 4.9 4.9 0 0 0 0-9.8z' +
	    'M7.2 4.5h1.6v3.2l2.3 1.4-.8 1.4-3.1-1.9z',
};

export function stateIcon(state) {
	return el('svg', { class: 'icon', viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true',
	    focusable: 'false' }, el('path', { d: ICONS[state] || ICONS.unknown, 'fill-rule': 'evenodd' }));
}

// A state as a badge: its colour, its icon and its word.
export function stateBadge(state, attrs = {}) {
	return el('span', { ...attrs, class: `badge oit-state oit-${STATES[state] ? state : 'unknown'} ${attrs.class || ''}`.trim(),
	    'data-state': state }, stateIcon(state), el('span', { text: stateWord(state) }));
}

const ALERTS = { down: 'oitdesk.alert.down', cert: 'oitdesk.alert.cert', offsite: 'oitdesk.alert.offsite' };
export const alertWord = (kind) => (ALERTS[kind] ? t(ALERTS[kind]) : kind);

const CHANNELS = { mail: 'oitdesk.channel.mail', webhook: 'oitdesk.channel.webhook' };
export const channelWord = (c) => (CHANNELS[c] ? t(CHANNELS[c]) : c);
const EVENTS = { open: 'oitdesk.event.open', close: 'oitdesk.event.close' };
export const eventWord = (e) => (EVENTS[e] ? t(EVENTS[e]) : e);

// 99.5 -> "99.50 %" (Thai and English alike); null -> "–".
export function pct(v) {
	return typeof v === 'number' ? `${v.toLocaleString(getLang() === 'th' ? 'th-TH' : 'en-GB',
	    { minimumFractionDigits: 2, maximumFractionDigits: 2 })} %` : '–';
}

export const itemHref = (code) => `/admin/oit-item.html?item=${encodeURIComponent(code)}`;
export const copyHref = (id) => `/api/v1/admin/oit/urls/${Number(id)}/copy`;

// An evidence URL as a link that opens the agency's page in a new tab
// (the server takes only http and https; anything else stays text).
export function urlLink(url, attrs = {}) {
	if (!/^https?:\/\//i.test(url))
		return el('span', { ...attrs, class: `oit-url ${attrs.class || ''}`.trim(), text: url });
	return el('a', { ...attrs, class: `oit-url ${attrs.class || ''}`.trim(), href: url, target: '_blank',
	    rel: 'noopener noreferrer', text: url });
}

// formDialog({id, title, fields, ok, submit}): a modal <dialog> holding a
// form of fields [{id, label, value, hint, type}] (type 'text' or
// 'textarea').  submit(values) runs on OK and resolves to null when done
// (the dialog closes) or to a message shown inside it, the dialog staying
// open: a string, or {text, field} to mark that field as the culprit.
// Resolves true when submitted, false on cancel or Esc.  Focus starts on
// the first field and goes back to the control that opened it.
export function formDialog({ id, title, fields, ok, submit }) {
	return new Promise((resolve) => {
		const back = document.activeElement;
		const msg = el('p', { class: 'msg err', id: `${id}-msg`, role: 'alert' });
		const inputs = fields.map((f) => {
			const attrs = { id: f.id, name: f.id, autocomplete: 'off', spellcheck: 'false',
			    'aria-describedby': f.hint ? `${f.id}-hint` : null };
			const input = f.type === 'textarea' ? el('textarea', { ...attrs, rows: 3 }) :
			    el('input', { ...attrs, type: f.type || 'text', inputmode: f.inputmode || null });
			input.value = f.value ?? '';
			return input;
		});
		const no = el('button', { type: 'button', class: 'btn btn-ghost', id: `${id}-cancel`, text: t('cancel') });
		const yes = el('button', { type: 'submit', class: 'btn', id: `${id}-ok`, text: ok });
		const form = el('form', { method: 'dialog', novalidate: true },
		    fields.map((f, i) => el('div', { class: 'field' },
			el('label', { for: f.id, text: f.label }), inputs[i],
			f.hint ? el('span', { class: 'hint', id: `${f.id}-hint`, text: f.hint }) : null)),
		    msg, el('div', { class: 'btns' }, no, yes));
		const dlg = el('dialog', { class: 'confirm oit-dialog', id, 'aria-labelledby': `${id}-title` },
		    el('h2', { id: `${id}-title`, text: title }), form);
		let answer = false;
		form.addEventListener('submit', async (e) => {
			e.preventDefault();
			yes.disabled = true;
			const values = Object.fromEntries(fields.map((f, i) => [f.id, inputs[i].value]));
			const problem = await submit(values);
			yes.disabled = false;
			for (const input of inputs)
				input.removeAttribute('aria-invalid');
			if (problem) {
				const at = Math.max(0, fields.findIndex((f) => f.id === problem.field));
				msg.textContent = typeof problem === 'string' ? problem : problem.text;
				inputs[at].setAttribute('aria-invalid', 'true');
				inputs[at].focus();
				return;
			}
			answer = true;
			dlg.close();
		});
		no.addEventListener('click', () => dlg.close());
		dlg.addEventListener('close', () => {
			dlg.remove();
			if (back && back.isConnected && typeof back.focus === 'function')
				back.focus();
			resolve(answer);
		});
		document.body.append(dlg);
		dlg.showModal();
		inputs[0].focus();
	});
}
