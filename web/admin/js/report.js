// SPDX-License-Identifier: ISC
// /admin/report.html?id=N: a round's scores laid out for paper.  The print
// rules in admin.css drop the bars and keep the charts' colours, so the
// browser's "Save as PDF" gives the committee's report.

import { $, api, boot, el, t, onLang, fmtTime, idFromURL, fatal } from './common.js';
import { scoresView, sampleStatus } from './scoresview.js';

const id = idFromURL();
let doc = null;
let printedAt = null;

function render() {
	$('rep-title').textContent = doc.title;
	document.title = `${t('report.title')} · ${doc.title}`;
	const row = (k, v) => [el('dt', { text: t(k) }), el('dd', { text: v })];
	$('rep-meta').replaceChildren(
	    ...row('report.round', `#${doc.round}`),
	    ...row('report.form', `${doc.form} (${doc.instrument})`),
	    ...row('report.state', t(doc.state === 'open' ? 'state.open' : 'state.closed')),
	    ...row('report.at', fmtTime(printedAt)));
	$('rep-sample').replaceChildren(sampleStatus(doc));
	$('rep-scores').replaceChildren(scoresView(doc, { open: true }));
	$('rep-foot').textContent = t('report.foot', { k: doc.min_cell });
	$('back').href = `/admin/round.html?id=${doc.round}`;
}

async function main() {
	const me = await boot('rounds');
	if (!me)
		return;
	if (id === null) {
		fatal(t('round.noid'));
		return;
	}
	const r = await api('GET', `/api/v1/admin/rounds/${id}/scores`);
	if (!r.ok) {
		fatal(r.status === 404 ? t('round.notfound') : r.message);
		return;
	}
	doc = r.data;
	printedAt = Math.floor(Date.now() / 1000);
	render();
	onLang(render);
	$('print-btn').addEventListener('click', () => window.print());
	document.body.dataset.ready = '1';
}

main();
