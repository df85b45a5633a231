// SPDX-License-Identifier: ISC
// /admin/oit.html: the OIT evidence desk's checklist.  On top the count of
// items in each state and the open alerts; then every item of the year's
// checklist, grouped by indicator and group, with its state at a glance
// (icon, colour and word), its evidence URLs (uptime over 30 days,
// certificate days, last check, the last good copy to download), the
// working group's word (content ready, who is responsible, a note) and a
// link to its history.  Admins add and remove URLs (asked first), mark
// an item ready and edit who and the note; viewers only read, and the
// server refuses their changes anyway.

import { $, api, boot, el, t, L, say, sayT, failed, onLang, fmtTime, confirmDialog } from './common.js';
import {
	STATE_ORDER, stateBadge, stateHint, alertWord, pct, itemHref, copyHref, urlLink, formDialog,
} from './oitview.js';

// The server's bounds (bounds.h), in UTF-8 bytes.
const NOTE_MAX = 1000;
const OWNER_MAX = 200;
const URL_MAX = 2000;

const bytes = (s) => new TextEncoder().encode(s).length;
const ATTENTION = new Set(['down', 'suspect', 'unknown', 'no_url', 'not_ready']);

let me = null;
let doc = null;
let alerts = [];

// A control's visible words and, for a screen reader, what it acts on
// (its accessible name starts with what is seen, WCAG 2.5.3).
function named(text, what) {
	return [el('span', { text }), el('span', { class: 'visually-hidden', text: ` ${what}` })];
}

// ---- the summary and the alerts ----

function renderSummary() {
	$('oit-checklist').replaceChildren(
	    el('span', { text: L(doc.title) }), ' · ',
	    el('span', { id: 'oit-host', text: doc.host ? t('oitdesk.host', { host: doc.host }) : t('oitdesk.host.none') }),
	    ' · ', el('span', { id: 'oit-url-count', text: t('oitdesk.urls.count', { n: doc.urls }) }));
	$('oit-counts').replaceChildren(...STATE_ORDER.map((s) => el('li', { id: `count-${s}`, 'data-state': s },
	    stateBadge(s), ' ', el('strong', { class: 'oit-count', text: String(doc.counts[s] ?? 0) }))));
	$('oit-legend').replaceChildren(...STATE_ORDER.flatMap((s) => [el('dt', null, stateBadge(s)),
	    el('dd', { text: stateHint(s) })]));
}

function renderAlerts() {
	const list = $('oit-alert-list');
	if (alerts.length === 0) {
		list.replaceChildren(el('li', { class: 'empty', text: t('oitdesk.alerts.none') }));
		return;
	}
	list.replaceChildren(...alerts.map((a) => el('li', { class: `oit-alert oit-alert-${a.kind}`, 'data-alert': a.id },
	    el('strong', { text: alertWord(a.kind) }), ' · ',
	    el('a', { href: itemHref(a.item), text: t('oitdesk.item', { code: a.item }) }), ' · ',
	    urlLink(a.url), ' ',
	    el('span', { class: 'small muted nowrap', text: t('oitdesk.alert.since', { at: fmtTime(a.opened_at) }) }))));
}

// ---- the checklist ----

function urlEntry(item, u) {
	const meta = [t('oitdesk.uptime', { p: pct(u.uptime_30d) })];
	if (u.checked_at)
		meta.push(t('oitdesk.checked', { at: fmtTime(u.checked_at) }));
	if (typeof u.cert_days === 'number')
		meta.push(t('oitdesk.cert', { n: u.cert_days }));
	if (u.status)
		meta.push(`HTTP ${u.status}`);
	return el('li', { class: 'oit-url-entry', 'data-url': u.id },
	    el('div', null, stateBadge(u.state, { class: 'badge-sm' }), ' ', urlLink(u.url)),
	    el('div', { class: 'small muted', text: meta.join(' · ') }),
	    u.on_site === false ? el('div', { class: 'small oit-warn', text: t('oitdesk.offsite') }) : null,
	    u.error ? el('div', { class: 'small muted' }, t('oitdesk.error'), ' ', el('code', { text: u.error })) : null,
	    el('div', { class: 'btns' },
		u.has_copy ? el('a', { class: 'btn btn-sm btn-ghost', href: copyHref(u.id), download: '',
		    'data-act': 'copy' }, named(t('oitdesk.copy'), u.url)) : null,
		me.admin ? el('button', { type: 'button', class: 'btn btn-sm btn-ghost btn-danger', 'data-act': 'remove',
		    onclick: () => removeUrl(item, u) }, named(t('oitdesk.url.remove'), u.url)) : null));
}

function readyCell(it) {
	if (!me.admin)
		return el('span', { 'data-ready': String(it.ready), text: t(it.ready ? 'oitdesk.ready.yes' : 'oitdesk.ready.no') });
	const box = el('input', { type: 'checkbox', id: `ready-${it.code}`, 'data-act': 'ready',
	    onchange: (e) => setReady(it, e.target) });
	box.checked = it.ready;
	return el('label', { class: 'check', for: `ready-${it.code}` }, box,
	    el('span', { text: t('oitdesk.ready.label') }),
	    el('span', { class: 'visually-hidden', text: ` ${t('oitdesk.item', { code: it.code })}` }));
}

function ownerCell(it) {
	return [
	    el('div', { class: it.owner ? 'oit-owner' : 'oit-owner muted', text: it.owner || t('oitdesk.owner.none') }),
	    it.note ? el('div', { class: 'small oit-note', text: it.note }) : null,
	    me.admin ? el('button', { type: 'button', class: 'btn btn-sm btn-ghost', id: `edit-${it.code}`,
		'data-act': 'edit', onclick: () => editItem(it) },
		named(t('oitdesk.edit'), t('oitdesk.item', { code: it.code }))) : null,
	];
}

function itemRow(it) {
	return el('tr', { id: `item-${it.code}`, 'data-item': it.code, 'data-state': it.state },
	    el('td', { 'data-label': t('oitdesk.col.item') },
		el('div', { class: 'card-title' }, el('span', { class: 'mono oit-code', text: it.code }), ' ', L(it.name)),
		it.hint ? el('div', { class: 'small muted', text: L(it.hint) }) : null,
		el('a', { class: 'small', href: itemHref(it.code), 'data-act': 'history' },
		    named(t('oitdesk.history'), t('oitdesk.item', { code: it.code })))),
	    el('td', { 'data-label': t('oitdesk.col.state') }, stateBadge(it.state, { class: 'oit-item-state' }),
		el('div', { class: 'small muted', text: it.last_change ?
		    t('oitdesk.last_change', { at: fmtTime(it.last_change) }) : '' })),
	    el('td', { 'data-label': t('oitdesk.col.urls'), class: 'oit-urls-cell' },
		it.urls.length ? el('ul', { class: 'oit-urls' }, it.urls.map((u) => urlEntry(it, u))) :
		    el('p', { class: 'small muted', text: t('oitdesk.urls.none') }),
		me.admin ? el('button', { type: 'button', class: 'btn btn-sm', id: `add-${it.code}`, 'data-act': 'add',
		    onclick: () => addUrl(it) }, named(t('oitdesk.url.add'), t('oitdesk.item', { code: it.code }))) : null),
	    el('td', { 'data-label': t('oitdesk.col.ready') }, readyCell(it)),
	    el('td', { 'data-label': t('oitdesk.col.owner') }, ownerCell(it)));
}

function itemTable(items, caption) {
	return el('div', { class: 'table-wrap' }, el('table', { class: 'stack oit-items' },
	    el('caption', { class: 'visually-hidden', text: caption }),
	    el('thead', null, el('tr', null,
		['oitdesk.col.item', 'oitdesk.col.state', 'oitdesk.col.urls', 'oitdesk.col.ready', 'oitdesk.col.owner']
		    .map((k) => el('th', { scope: 'col', text: t(k) })))),
	    el('tbody', null, items.map(itemRow))));
}

function renderItems() {
	const only = $('oit-filter').value === 'attention';
	const shown = doc.items.filter((it) => !only || ATTENTION.has(it.state));
	const out = [];
	for (const ind of doc.indicators) {
		const parts = [];
		for (const g of ind.groups) {
			const items = shown.filter((it) => it.indicator === ind.code && it.group === g.code);
			if (items.length === 0)
				continue;
			parts.push(el('h4', { class: 'oit-group', text: `${g.code} ${L(g.name)}` }), itemTable(items, L(g.name)));
		}
		if (parts.length)
			out.push(el('section', { class: 'oit-ind', 'data-indicator': ind.code,
			    'aria-labelledby': `ind-${ind.code}` },
			    el('h3', { id: `ind-${ind.code}`, text: t('oitdesk.ind', { code: ind.code, name: L(ind.name) }) }),
			    parts));
	}
	$('oit-items').replaceChildren(...(out.length ? out : [el('p', { class: 'empty', text: t('oitdesk.filter.none') })]));
}

function render() {
	renderSummary();
	renderAlerts();
	renderItems();
}

// Loads the checklist and the open alerts; false when it could not.
async function load() {
	const [r, ra] = await Promise.all([api('GET', '/api/v1/admin/oit'),
	    api('GET', '/api/v1/admin/oit/alerts?open=1')]);
	if (!r.ok) {
		failed($('oit-msg'), r);
		return false;
	}
	doc = r.data;
	alerts = ra.ok ? ra.data.alerts : [];
	render();
	return true;
}

// After a change: the page again, the message, and focus back where the
// person was (the row was drawn anew).
async function reloadThen(focusId, msgKey, vars) {
	await load();
	if (msgKey)
		sayT($('oit-msg'), msgKey, vars);
	const f = focusId && $(focusId);
	if (f)
		f.focus();
}

// ---- changes (admins) ----

async function setReady(it, box) {
	box.disabled = true;
	const r = await api('PATCH', `/api/v1/admin/oit/items/${encodeURIComponent(it.code)}`, { ready: box.checked });
	box.disabled = false;
	if (!r.ok) {
		box.checked = !box.checked;
		failed($('oit-msg'), r);
		return;
	}
	await reloadThen(`ready-${it.code}`, r.data.ready ? 'oitdesk.ready.saved.yes' : 'oitdesk.ready.saved.no',
	    { code: it.code });
}

function addUrl(it) {
	return formDialog({
		id: 'oit-add',
		title: t('oitdesk.url.add.title', { code: it.code }),
		ok: t('oitdesk.url.add.ok'),
		fields: [{ id: 'oit-add-url', label: t('oitdesk.url.label'), hint: t('oitdesk.url.hint'), type: 'url',
		    inputmode: 'url' }],
		submit: async (v) => {
			const url = v['oit-add-url'].trim();
			if (!url)
				return t('oitdesk.url.empty');
			if (!/^https?:\/\/[^\s/]/i.test(url) || bytes(url) > URL_MAX)
				return t('oitdesk.url.bad', { n: URL_MAX });
			const r = await api('POST', '/api/v1/admin/oit/urls', { item: it.code, url });
			return r.ok ? null : r.message;
		},
	}).then((done) => done && reloadThen(`add-${it.code}`, 'oitdesk.url.added', { code: it.code }));
}

async function removeUrl(it, u) {
	const yes = await confirmDialog({ id: 'oit-remove', title: t('oitdesk.url.remove.title'),
	    body: [u.url, t('oitdesk.url.remove.body')], ok: t('oitdesk.url.remove'), danger: true });
	if (!yes)
		return;
	const r = await api('DELETE', `/api/v1/admin/oit/urls/${Number(u.id)}`);
	if (!r.ok) {
		failed($('oit-msg'), r);
		return;
	}
	await reloadThen(`add-${it.code}`, 'oitdesk.url.removed', { code: it.code });
}

function editItem(it) {
	return formDialog({
		id: 'oit-edit',
		title: t('oitdesk.edit.title', { code: it.code }),
		ok: t('save'),
		fields: [
			{ id: 'oit-edit-owner', label: t('oitdesk.owner'), value: it.owner,
			    hint: t('oitdesk.owner.hint', { n: OWNER_MAX }) },
			{ id: 'oit-edit-note', label: t('oitdesk.note'), value: it.note, hint: t('oitdesk.note.hint', { n: NOTE_MAX }) },
		],
		submit: async (v) => {
			const owner = v['oit-edit-owner'].trim();
			const note = v['oit-edit-note'].trim();
			if (bytes(owner) > OWNER_MAX)
				return { text: t('oitdesk.long', { n: OWNER_MAX }), field: 'oit-edit-owner' };
			if (bytes(note) > NOTE_MAX)
				return { text: t('oitdesk.long', { n: NOTE_MAX }), field: 'oit-edit-note' };
			const r = await api('PATCH', `/api/v1/admin/oit/items/${encodeURIComponent(it.code)}`, { owner, note });
			return r.ok ? null : r.message;
		},
	}).then((done) => done && reloadThen(`edit-${it.code}`, 'oitdesk.saved', { code: it.code }));
}

async function main() {
	me = await boot('oit');
	if (!me)
		return;
	$('refresh').addEventListener('click', async () => {
		say($('oit-msg'), '');
		await load();
	});
	$('oit-filter').addEventListener('change', () => renderItems());
	onLang(() => {
		if (doc)
			render();
	});
	await load();
	document.body.dataset.ready = '1';
}

main();
