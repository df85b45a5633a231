// SPDX-License-Identifier: ISC
// /admin/oit-item.html?item=o5[&days=30]: one OIT item's history: its
// state now and the working group's word, its alerts (open and closed,
// with the notices sent), and for each evidence URL it ever had (removed
// ones too: the proof outlives the URL) the check log (one line per
// change of state) and the days of the period with their uptime.  Read
// only, for admins and viewers alike.

import { $, api, boot, el, t, L, fmtTime, fmtDay, fmtInt, failed, onLang } from './common.js';
import { stateBadge, alertWord, channelWord, eventWord, pct, copyHref, urlLink } from './oitview.js';

const DAYS = [7, 30, 90, 366];
const CODE_RE = /^[a-z0-9.-]{1,16}$/;

let doc = null;

const dash = (v) => (v === null || v === undefined || v === '' ? '–' : String(v));

function kv(labelKey, ...value) {
	return [el('dt', { text: t(labelKey) }), el('dd', null, ...value)];
}

function renderNow() {
	const it = doc.item;
	document.title = `${it.code} ${L(it.name)} · ${t('oititem.title')}`;
	$('oititem-title').replaceChildren(el('span', { class: 'mono', text: it.code }), ' ', L(it.name));
	$('oititem-hint').textContent = it.hint ? L(it.hint) : '';
	$('oititem-now').replaceChildren(...[
	    kv('oitdesk.col.state', stateBadge(it.state, { id: 'oititem-state' })),
	    kv('oitdesk.col.ready', el('span', { id: 'oititem-ready', text: t(it.ready ? 'oitdesk.ready.yes' : 'oitdesk.ready.no') })),
	    kv('oitdesk.owner', el('span', { text: it.owner || t('oitdesk.owner.none') })),
	    kv('oitdesk.note', el('span', { text: dash(it.note) })),
	    kv('oititem.updated', el('span', { text: it.updated_at ?
		t('oititem.updated.by', { at: fmtTime(it.updated_at), user: it.updated_by }) : '–' })),
	    kv('oitdesk.last_change.label', el('span', { text: it.last_change ? fmtTime(it.last_change) : '–' }))].flat());
}

function noticesText(a) {
	return a.notices.map((n) => `${eventWord(n.event)} · ${channelWord(n.channel)}: ${n.sent_at ?
	    t('oititem.notice.sent', { at: fmtTime(n.sent_at) }) :
	    t('oititem.notice.pending', { n: n.attempts })}${n.error ? ` (${n.error})` : ''}`);
}

function renderAlerts() {
	if (doc.alerts.length === 0) {
		$('oititem-alerts').replaceChildren(el('p', { class: 'empty', text: t('oititem.alerts.none') }));
		return;
	}
	$('oititem-alerts').replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'stack', id: 'oititem-alert-table' },
	    el('caption', { class: 'visually-hidden', text: t('oititem.alerts') }),
	    el('thead', null, el('tr', null, ['oititem.col.kind', 'oititem.col.url', 'oititem.col.opened',
		'oititem.col.closed', 'oititem.col.notices'].map((k) => el('th', { scope: 'col', text: t(k) })))),
	    el('tbody', null, doc.alerts.map((a) => el('tr', { 'data-alert': a.id },
		el('td', { 'data-label': t('oititem.col.kind') }, el('strong', { text: alertWord(a.kind) })),
		el('td', { 'data-label': t('oititem.col.url') }, urlLink(a.url)),
		el('td', { 'data-label': t('oititem.col.opened'), text: fmtTime(a.opened_at) }),
		el('td', { 'data-label': t('oititem.col.closed'),
		    text: a.closed_at ? fmtTime(a.closed_at) : t('oititem.open') }),
		el('td', { 'data-label': t('oititem.col.notices') }, a.notices.length ?
		    noticesText(a).map((s) => el('div', { class: 'small', text: s })) : '–')))))));
}

function logTable(u) {
	if (u.log.length === 0)
		return el('p', { class: 'empty', text: t('oititem.log.none') });
	const cols = ['oititem.col.at', 'oitdesk.col.state', 'oititem.col.status', 'oititem.col.final',
	    'oititem.col.ttfb', 'oititem.col.size', 'oititem.col.cert', 'oititem.col.error'];
	return el('div', { class: 'table-wrap' }, el('table', { class: 'stack oit-log', 'data-log': u.id },
	    el('caption', { text: t('oititem.log') }),
	    el('thead', null, el('tr', null, cols.map((k) => el('th', { scope: 'col', text: t(k) })))),
	    el('tbody', null, u.log.map((l) => el('tr', { 'data-state': l.state },
		el('td', { 'data-label': t(cols[0]), class: 'nowrap', text: fmtTime(l.at) }),
		el('td', { 'data-label': t(cols[1]) }, stateBadge(l.state, { class: 'badge-sm' })),
		el('td', { 'data-label': t(cols[2]), class: 'num', text: l.status ? String(l.status) : '–' }),
		el('td', { 'data-label': t(cols[3]) }, l.final_url ? el('span', { class: 'oit-url', text: l.final_url }) : '–',
		    l.on_site === false ? el('div', { class: 'small oit-warn', text: t('oitdesk.offsite') }) : null),
		el('td', { 'data-label': t(cols[4]), class: 'num', text: typeof l.ttfb_ms === 'number' ? fmtInt(l.ttfb_ms) : '–' }),
		el('td', { 'data-label': t(cols[5]), class: 'num', text: typeof l.size === 'number' ? fmtInt(l.size) : '–' }),
		el('td', { 'data-label': t(cols[6]), class: 'num', text: dash(l.cert_days) }),
		el('td', { 'data-label': t(cols[7]) }, l.error ? el('code', { text: l.error }) : '–'))))));
}

function dailyTable(u) {
	if (u.daily.length === 0)
		return el('p', { class: 'empty', text: t('oititem.daily.none') });
	const cols = ['oititem.col.day', 'oititem.col.checks', 'oititem.col.up', 'oititem.col.suspect',
	    'oititem.col.down', 'oititem.col.uptime'];
	return el('div', { class: 'table-wrap' }, el('table', { class: 'stack kv oit-daily', 'data-daily': u.id },
	    el('caption', { text: t('oititem.daily') }),
	    el('thead', null, el('tr', null, cols.map((k, i) => el('th', { scope: 'col', class: i ? 'num' : null,
		text: t(k) })))),
	    el('tbody', null, u.daily.map((d) => el('tr', { 'data-day': d.day },
		el('td', { 'data-label': t(cols[0]), class: 'nowrap', text: fmtDay(d.day) }),
		el('td', { 'data-label': t(cols[1]), class: 'num', text: fmtInt(d.checks) }),
		el('td', { 'data-label': t(cols[2]), class: 'num', text: fmtInt(d.up) }),
		el('td', { 'data-label': t(cols[3]), class: 'num', text: fmtInt(d.suspect) }),
		el('td', { 'data-label': t(cols[4]), class: 'num', text: fmtInt(d.down) }),
		el('td', { 'data-label': t(cols[5]), class: 'num', text: pct(d.uptime) }))))));
}

function urlCard(u) {
	const meta = [t('oititem.added', { at: fmtTime(u.added_at), user: u.added_by }),
	    t('oitdesk.uptime', { p: pct(u.uptime_30d) })];
	if (typeof u.cert_days === 'number')
		meta.push(t('oitdesk.cert', { n: u.cert_days }));
	return el('section', { class: 'card oit-url-card', 'data-url': u.id, 'aria-labelledby': `url-${u.id}` },
	    el('h3', { id: `url-${u.id}`, class: 'oit-url-head' }, urlLink(u.url)),
	    el('p', null, stateBadge(u.state), ' ',
		u.removed_at ? el('span', { class: 'badge closed', text: t('oititem.removed', { at: fmtTime(u.removed_at) }) }) :
		    null),
	    el('p', { class: 'small muted', text: meta.join(' · ') }),
	    u.has_copy ? el('p', null, el('a', { class: 'btn btn-sm btn-ghost', href: copyHref(u.id), download: '',
		'data-act': 'copy' }, el('span', { text: t('oitdesk.copy') }),
		el('span', { class: 'visually-hidden', text: ` ${u.url}` })),
		' ', el('span', { class: 'small muted', text: t('oititem.copy.at', { at: fmtTime(u.copy_fetched_at) }) })) :
		null,
	    logTable(u), dailyTable(u));
}

function render() {
	renderNow();
	renderAlerts();
	$('oititem-urls').replaceChildren(...(doc.urls.length ? doc.urls.map(urlCard) :
	    [el('p', { class: 'card empty', text: t('oitdesk.urls.none') })]));
}

async function load(code, days) {
	const r = await api('GET', `/api/v1/admin/oit/items/${encodeURIComponent(code)}?days=${days}`);
	if (!r.ok) {
		failed($('oititem-msg'), r);
		return;
	}
	doc = r.data;
	render();
}

async function main() {
	const me = await boot('oit');
	if (!me)
		return;
	const q = new URLSearchParams(location.search);
	const code = q.get('item') || '';
	const days = DAYS.includes(Number(q.get('days'))) ? Number(q.get('days')) : 30;
	const sel = $('oititem-days');
	const labels = () => {
		for (const o of sel.options)
			o.textContent = t('oititem.days.n', { n: o.value });
	};
	labels();
	sel.value = String(days);
	sel.addEventListener('change', () => {
		const u = new URL(location.href);
		u.searchParams.set('days', sel.value);
		history.replaceState(null, '', u);
		load(code, Number(sel.value));
	});
	$('oititem-period').addEventListener('submit', (e) => e.preventDefault());
	onLang(() => {
		labels();
		if (doc)
			render();
	});
	if (!CODE_RE.test(code))
		failed($('oititem-msg'), { message: t('err.unknown_item') });
	else
		await load(code, days);
	document.body.dataset.ready = '1';
}

main();
