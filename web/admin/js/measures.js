// SPDX-License-Identifier: ISC
// /admin/measures.html: the working group's measures of a fiscal year,
// grouped by state (planned, doing, done, dropped) with their counts; an
// overdue measure says so in words, not by colour alone.  Admins add,
// edit and delete (asked first); viewers only read, and the server
// refuses their changes anyway.  measures.html?new=1&target=i9&round=3
// opens the add form with that target and round (the weak-items page
// links here).  The printable o42 and o43 documents are
// measures-print.html's.

import { $, api, boot, el, t, L, say, sayT, failed, onLang, fmtDay, confirmDialog } from './common.js';

// The server's bounds (bounds.h), in UTF-8 bytes.
const MAX = { what: 2000, how: 4000, who: 200, progress: 4000, evidence: 2000 };
const STATES = ['planned', 'doing', 'done', 'dropped'];
const STATE_KEY = {
	planned: 'meas.status.planned', doing: 'meas.status.doing',
	done: 'meas.status.done', dropped: 'meas.status.dropped',
};
const FIELD_KEY = {
	target: 'meas.f.target', fiscal_year: 'meas.f.fiscal_year', round: 'meas.f.round', what: 'meas.f.what',
	how: 'meas.f.how', who: 'meas.f.who', due: 'meas.f.due', status: 'meas.f.status',
	progress: 'meas.f.progress', evidence: 'meas.f.evidence',
};
const bytes = (s) => new TextEncoder().encode(s).length;

let me = null;
let doc = null;
let targets = null;

// The Thai fiscal year (Buddhist Era) of today: it starts on 1 October.
function fiscalYear(d = new Date()) {
	return d.getFullYear() + (d.getMonth() >= 9 ? 1 : 0) + 543;
}

function yearFromURL() {
	const v = new URLSearchParams(location.search).get('year');
	return v && /^2[5-7][0-9]{2}$/.test(v) ? Number(v) : null;
}

// The target's words: "i9 · name" ("ตัวชี้วัดที่ 3 name" for an indicator).
function targetText(m) {
	const name = m.target_name ? L(m.target_name) : '';
	if (m.target_kind === 'indicator')
		return t('meas.target.indicator', { code: m.target, name });
	return name ? `${m.target} · ${name}` : m.target;
}

function evidenceNode(s) {
	if (/^https?:\/\/\S+$/.test(s))
		return el('a', { href: s, rel: 'noopener noreferrer', target: '_blank', text: s });
	return el('span', { text: s });
}

function measureItem(m) {
	const due = [el('span', { text: t('meas.due', { d: fmtDay(m.due) }) })];
	if (m.overdue)
		due.push(' ', el('strong', { class: 'meas-overdue', text: t('meas.overdue') }));
	return el('li', { class: `meas-item${m.overdue ? ' is-overdue' : ''}`, 'data-measure': m.id },
	    el('h3', { class: 'meas-target', text: targetText(m) }),
	    el('p', { class: 'meas-what', text: m.what }),
	    el('p', { class: 'small' }, el('span', { text: t('meas.who', { who: m.who }) }), ' · ', ...due,
		m.round ? ` · ${t('meas.round', { id: m.round })}` : ''),
	    m.how ? el('div', { class: 'small meas-text' }, el('strong', { text: t('meas.how') }), ' ',
		el('span', { text: m.how })) : null,
	    m.progress ? el('div', { class: 'small meas-text' }, el('strong', { text: t('meas.progress') }), ' ',
		el('span', { text: m.progress })) : null,
	    m.evidence ? el('div', { class: 'small meas-text' }, el('strong', { text: t('meas.evidence') }), ' ',
		evidenceNode(m.evidence)) : null,
	    me.admin ? el('div', { class: 'btns' },
		el('button', { type: 'button', class: 'btn btn-sm btn-ghost', 'data-act': 'edit',
		    onclick: () => openForm(m) }, el('span', { text: t('meas.edit') }),
		    el('span', { class: 'visually-hidden', text: ` ${m.target} ${m.what}` })),
		el('button', { type: 'button', class: 'btn btn-sm btn-ghost btn-danger', 'data-act': 'delete',
		    onclick: () => remove(m) }, el('span', { text: t('meas.delete') }),
		    el('span', { class: 'visually-hidden', text: ` ${m.target} ${m.what}` }))) : null);
}

function render() {
	if (!doc)
		return;
	const n = STATES.reduce((a, s) => a + doc.counts[s], 0);
	$('meas-summary').textContent = t('meas.summary', { n, done: doc.counts.done, y: doc.year });
	$('meas-groups').replaceChildren(...STATES.map((s) => {
		const list = doc.measures.filter((m) => m.status === s);
		return el('section', { class: 'card meas-group', id: `meas-group-${s}`, 'data-state': s,
		    'aria-labelledby': `meas-group-${s}-title` },
		    el('h2', { id: `meas-group-${s}-title` }, el('span', { text: t(STATE_KEY[s]) }), ' ',
			el('span', { class: 'meas-count', text: `(${doc.counts[s]})` })),
		    list.length ? el('ul', { class: 'meas-list' }, list.map(measureItem)) :
			el('p', { class: 'small muted', text: t('meas.none') }));
	}));
	const y = doc.year;
	$('meas-print-plan').href = `/admin/measures-print.html?year=${y}&kind=plan`;
	$('meas-print-progress').href = `/admin/measures-print.html?year=${y}&kind=progress`;
	$('meas-csv').href = `/api/v1/admin/measures/export?year=${y}&format=csv`;
}

async function load(year) {
	const r = await api('GET', `/api/v1/admin/measures?year=${year}`);
	if (!r.ok) {
		failed($('meas-msg'), r);
		return false;
	}
	doc = r.data;
	render();
	return true;
}

function fillYears(chosen) {
	const now = fiscalYear();
	const years = new Set([now - 2, now - 1, now, now + 1, chosen]);
	$('meas-year').replaceChildren(...[...years].sort((a, b) => b - a).map((y) =>
	    el('option', { value: String(y), text: t('meas.year.option', { y }), selected: y === chosen })));
}

// The picker's options: per instrument, its indicators and their items.
function targetOptions(current) {
	const groups = (targets?.instruments ?? []).map((ins) => el('optgroup',
	    { label: `${ins.instrument} · ${L(ins.title) || ins.id}` },
	    ins.indicators.flatMap((ind) => [
		el('option', { value: ind.code, text: t('meas.target.indicator', { code: ind.code, name: L(ind.name) }) }),
		...ind.items.map((it) => el('option', { value: it.code, text: `\u2003${it.code} · ${L(it.name)}` })),
	    ])));
	const known = new Set((targets?.instruments ?? []).flatMap((ins) =>
	    ins.indicators.flatMap((ind) => [ind.code, ...ind.items.map((it) => it.code)])));
	const first = el('option', { value: '', text: t('meas.f.target.choose') });
	const extra = current && !known.has(current) ? [el('option', { value: current, text: current })] : [];
	return [first, ...extra, ...groups];
}

// The add and edit form as a modal dialog; resolves once it closes.
function openForm(m, prefill = {}) {
	return new Promise((resolve) => {
		const back = document.activeElement;
		const id = 'meas-form';
		const v = m ?? { fiscal_year: doc.year, status: 'planned', ...prefill };
		const field = (name, input, hint) => el('div', { class: 'field', 'data-field': name },
		    el('label', { for: `mf-${name}`, text: t(FIELD_KEY[name]) }), input,
		    hint ? el('span', { class: 'hint', id: `mf-${name}-hint`, text: hint }) : null);
		const text = (name, type = 'text') => {
			const i = type === 'textarea' ? el('textarea', { id: `mf-${name}`, name, rows: 3 }) :
			    el('input', { id: `mf-${name}`, name, type, autocomplete: 'off' });
			i.value = v[name] ?? '';
			return i;
		};
		const target = el('select', { id: 'mf-target', name: 'target', required: true }, targetOptions(v.target));
		target.value = v.target ?? '';
		const status = el('select', { id: 'mf-status', name: 'status' },
		    STATES.map((s) => el('option', { value: s, text: t(STATE_KEY[s]) })));
		status.value = v.status ?? 'planned';
		const round = el('input', { id: 'mf-round', name: 'round', type: 'text', inputmode: 'numeric',
		    autocomplete: 'off', 'aria-describedby': 'mf-round-hint' });
		round.value = v.round ? String(v.round) : '';
		const year = el('input', { id: 'mf-fiscal_year', name: 'fiscal_year', type: 'text', inputmode: 'numeric',
		    autocomplete: 'off' });
		year.value = String(v.fiscal_year ?? doc.year);
		const inputs = {
			target, fiscal_year: year, round, what: text('what'), how: text('how', 'textarea'),
			who: text('who'), due: text('due', 'date'), status, progress: text('progress', 'textarea'),
			evidence: text('evidence'),
		};
		inputs.evidence.setAttribute('aria-describedby', 'mf-evidence-hint');
		const msg = el('p', { class: 'msg err', id: `${id}-msg`, role: 'alert' });
		const no = el('button', { type: 'button', class: 'btn btn-ghost', id: `${id}-cancel`, text: t('cancel') });
		const yes = el('button', { type: 'submit', class: 'btn', id: `${id}-ok`, text: t('save') });
		const form = el('form', { method: 'dialog', novalidate: true },
		    field('target', target), field('fiscal_year', year),
		    field('round', round, t('meas.f.round.hint')), field('what', inputs.what), field('how', inputs.how),
		    field('who', inputs.who), field('due', inputs.due), field('status', status),
		    field('progress', inputs.progress), field('evidence', inputs.evidence, t('meas.f.evidence.hint')),
		    msg, el('div', { class: 'btns' }, no, yes));
		const dlg = el('dialog', { class: 'confirm meas-dialog', id, 'aria-labelledby': `${id}-title` },
		    el('h2', { id: `${id}-title`, text: t(m ? 'meas.form.edit' : 'meas.form.add') }), form);
		let saved = null;

		// The field named first in a refusal: marked, its reason said.
		const show = (fields, fallback) => {
			for (const i of Object.values(inputs))
				i.removeAttribute('aria-invalid');
			const names = Object.keys(fields ?? {}).filter((k) => inputs[k]);
			for (const k of names)
				inputs[k].setAttribute('aria-invalid', 'true');
			msg.textContent = names.length ? names.map((k) => `${t(FIELD_KEY[k])}: ${fields[k]}`).join(' · ') :
			    fallback;
			(names.length ? inputs[names[0]] : yes).focus();
		};
		form.addEventListener('submit', async (e) => {
			e.preventDefault();
			const body = {};
			for (const k of ['target', 'what', 'how', 'who', 'due', 'status', 'progress', 'evidence'])
				body[k] = inputs[k].value.trim();
			const local = {};
			for (const k of ['what', 'how', 'who', 'progress', 'evidence'])
				if (bytes(body[k]) > MAX[k])
					local[k] = t('meas.toolong', { n: MAX[k] });
			if (Object.keys(local).length) {
				show(local);
				return;
			}
			body.round = round.value.trim() === '' ? null : Number(round.value.trim());
			body.fiscal_year = Number(year.value.trim());
			if (m) {
				// Only what changed: the PATCH is partial.
				for (const k of Object.keys(body))
					if ((body[k] ?? null) === (m[k] ?? null))
						delete body[k];
				if (Object.keys(body).length === 0) {
					dlg.close();
					return;
				}
			}
			yes.disabled = true;
			const r = m ? await api('PATCH', `/api/v1/admin/measures/${m.id}`, body) :
			    await api('POST', '/api/v1/admin/measures', body);
			yes.disabled = false;
			if (!r.ok) {
				show(r.fields, r.message);
				return;
			}
			saved = r.data;
			dlg.close();
		});
		no.addEventListener('click', () => dlg.close());
		dlg.addEventListener('close', () => {
			dlg.remove();
			if (back && back.isConnected && typeof back.focus === 'function')
				back.focus();
			resolve(saved);
		});
		document.body.append(dlg);
		dlg.showModal();
		(m ? inputs.what : target.value ? inputs.what : target).focus();
	}).then(async (saved) => {
		if (!saved)
			return;
		if (saved.fiscal_year !== doc.year) {
			fillYears(saved.fiscal_year);
			$('meas-year').value = String(saved.fiscal_year);
		}
		await load(saved.fiscal_year);
		sayT($('meas-msg'), m ? 'meas.saved' : 'meas.added', { id: saved.id });
	});
}

async function remove(m) {
	const ok = await confirmDialog({ title: t('meas.delete.title'), body: [targetText(m), m.what, t('meas.delete.body')],
	    ok: t('meas.delete'), danger: true, id: 'meas-delete' });
	if (!ok)
		return;
	const r = await api('DELETE', `/api/v1/admin/measures/${m.id}`);
	if (!r.ok) {
		failed($('meas-msg'), r);
		return;
	}
	await load(doc.year);
	sayT($('meas-msg'), 'meas.deleted', { id: m.id });
}

async function main() {
	me = await boot('measures');
	if (!me)
		return;
	const year = yearFromURL() ?? fiscalYear();
	fillYears(year);
	const [tr] = await Promise.all([api('GET', '/api/v1/admin/measures/targets'), load(year)]);
	if (tr.ok)
		targets = tr.data;
	else
		say($('meas-msg'), tr.message);
	$('meas-year').addEventListener('change', () => load(Number($('meas-year').value)));
	if (me.admin) {
		$('meas-add').hidden = false;
		$('meas-add').addEventListener('click', () => openForm(null));
	}
	onLang(() => {
		fillYears(doc ? doc.year : year);
		render();
	});
	document.body.dataset.ready = '1';
	const q = new URLSearchParams(location.search);
	if (q.get('new') === '1' && me.admin && doc) {
		const pre = {};
		if (q.get('target'))
			pre.target = q.get('target').slice(0, 16);
		if (/^[1-9][0-9]{0,9}$/.test(q.get('round') ?? ''))
			pre.round = Number(q.get('round'));
		openForm(null, pre);
	}
}

main();
