// SPDX-License-Identifier: ISC
// SVG charts drawn in the browser, so nothing comes from another host and
// they print sharp: a horizontal bar chart of scores against the target
// line (a phone gets a compact layout; no value label ever crosses the
// target line), and the small stacked bar of one question's answers.
// Colours are CSS classes (admin.css); every chart has a text equivalent.

import { el, t, fmt2 } from './common.js';

// Two layouts.  Wide: the labels left of the bars.  Compact (a phone):
// each label above its bar, and the bars the whole width, so that the
// chart fits 360 px without scrolling and without shrinking its text.
const WIDE = { row: 34, labelW: 270, plotW: 470, right: 60, top: 26, bottom: 28, clip: 38 };
const COMPACT = { row: 46, labelW: 4, plotW: 296, right: 60, top: 26, bottom: 28, clip: 44 };
const NARROW = '(max-width: 640px)';

const VALUE_PX = 8;	// width of one character of a value label (13 px bold digits), rounded up
const GAP = 6;		// px between a bar's end, its value label and the target line

// Cuts a label to about n characters; the full text goes in <title>.
function clip(s, n) {
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// Where a bar's value label goes: after the bar, unless it would cross
// the target line; then inside the bar's end when the bar has room, else
// just past the target line.  Returns {x, anchor, inside}.
export function valuePlace(barEnd, barStart, targetX, text) {
	const w = text.length * VALUE_PX;
	const after = { x: barEnd + GAP, anchor: 'start', inside: false };
	if (typeof targetX !== 'number' || targetX < after.x - GAP / 2 || targetX > after.x + w + GAP / 2)
		return after;
	if (barEnd - barStart >= w + 2 * GAP)
		return { x: barEnd - GAP, anchor: 'end', inside: true };
	return { x: targetX + GAP, anchor: 'start', inside: false };
}

// barChart({bars: [{label, value, kind}], target, title, id, note,
// compact}): kind "oit" for a bar drawn apart from the met/not-met
// colours; value null: no bar.  note: a line above the plot (the
// preliminary marking), so that the chart says it even when copied alone.
export function barChart({ bars, target, title, id, note = null, compact = false }) {
	const L = compact ? COMPACT : WIDE;
	const top = L.top + (note ? 18 : 0);	// the note has a line of its own
	const w = L.labelW + L.plotW + L.right;
	const h = top + bars.length * L.row + L.bottom;
	const x = (v) => L.labelW + (Math.max(0, Math.min(100, v)) / 100) * L.plotW;
	const targetX = typeof target === 'number' ? x(target) : null;
	const titleId = `${id}-title`;
	const svg = el('svg', { class: `chart${compact ? ' compact' : ''}`, id, viewBox: `0 0 ${w} ${h}`, role: 'img',
	    'aria-labelledby': titleId, preserveAspectRatio: 'xMinYMin meet' });
	svg.append(el('title', { id: titleId, text: note ? `${title} (${note})` : title }));
	const grid = el('g');
	for (const v of [0, 25, 50, 75, 100]) {
		grid.append(el('line', { class: v === 0 ? 'axis' : 'grid', x1: x(v), x2: x(v),
		    y1: top - 4, y2: top + bars.length * L.row }));
		grid.append(el('text', { class: 'tick', x: x(v), y: h - 8, 'text-anchor': v === 0 && compact ? 'start' : 'middle',
		    text: String(v) }));
	}
	svg.append(grid);
	bars.forEach((b, i) => {
		const y = top + i * L.row;
		// The bar's band: below its label when compact, else the whole row.
		const by = compact ? y + 20 : y + 6;
		const bh = compact ? L.row - 26 : L.row - 12;
		const mid = by + bh / 2 + 5;
		const g = el('g', { class: 'bar' });
		g.append(el('text', { class: 'lab', x: compact ? L.labelW : L.labelW - 10, y: compact ? y + 15 : mid,
		    'text-anchor': compact ? 'start' : 'end', text: clip(b.label, L.clip) }, el('title', { text: b.label })));
		if (typeof b.value === 'number') {
			const cls = b.kind === 'oit' ? 'bar-oit' :
			    (b.value >= target ? 'bar-ok' : 'bar-low');
			const end = x(b.value);
			g.append(el('rect', { class: cls, x: L.labelW, y: by,
			    width: Math.max(1, end - L.labelW), height: bh, rx: 2 }));
			const text = fmt2(b.value);
			const at = valuePlace(end, L.labelW, targetX, text);
			g.append(el('text', { class: at.inside ? `val val-in val-in-${cls}` : 'val', x: at.x, y: mid,
			    'text-anchor': at.anchor, text }));
		} else {
			g.append(el('text', { class: 'tick', x: L.labelW + 6, y: mid,
			    text: t('chart.none') }));
		}
		svg.append(g);
	});
	if (typeof target === 'number') {
		svg.append(el('line', { class: 'target', x1: targetX, x2: targetX,
		    y1: top - 8, y2: top + bars.length * L.row + 2 }));
		svg.append(el('text', { class: 'target-lab', x: targetX, y: top - 11,
		    'text-anchor': compact ? 'end' : 'middle', text: t('chart.target', { v: target }) }));
	}
	if (note)
		svg.append(el('text', { class: 'chart-note', x: 0, y: 14, text: note }));
	return svg;
}

// The chart in its wrapper, drawn in the layout that fits the screen and
// drawn again when the screen crosses the phone width (a phone turned on
// its side).  The listener goes with the chart once the page drops it.
export function chartBox(opts) {
	const box = el('div', { class: 'chart-wrap' });
	const mq = typeof window.matchMedia === 'function' ? window.matchMedia(NARROW) : null;
	const draw = () => box.replaceChildren(barChart({ ...opts, compact: Boolean(mq && mq.matches) }));
	draw();
	if (mq) {
		const change = () => {
			if (box.isConnected)
				draw();
			else
				mq.removeEventListener('change', change);
		};
		mq.addEventListener('change', change);
	}
	return box;
}

// The legend under a score chart.
export function chartLegend(withOit = false) {
	const item = (cls, key) => el('li', null, el('span', { class: `sw ${cls}`, 'aria-hidden': 'true' }),
	    t(key));
	return el('ul', { class: 'legend' },
	    item('sw-ok', 'chart.meets'), item('sw-low', 'chart.below'),
	    withOit ? item('sw-oit', 'chart.oit') : null, item('sw-target', 'chart.targetline'));
}

// stackBar(options, counts): one question's answers as a 180x16 stacked
// bar, options in scale order; the label lists each option's count.
export function stackBar(options, counts) {
	const W = 180, H = 16;
	const total = options.reduce((s, o) => s + (counts[o] || 0), 0);
	const parts = options.map((o) => `${optionLabel(o)}: ${counts[o] || 0}`);
	const svg = el('svg', { class: `dist${options.length === 2 ? ' two' : ''}`, width: W, height: H,
	    viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': parts.join(', ') });
	let x = 0;
	options.forEach((o, i) => {
		const c = counts[o] || 0;
		if (total === 0 || c === 0)
			return;
		const w = (c / total) * W;
		svg.append(el('rect', { class: `o${Math.min(i, 5)}`, x, y: 0, width: w, height: H },
		    el('title', { text: `${optionLabel(o)}: ${c}` })));
		x += w;
	});
	svg.append(el('rect', { class: 'frame', x: 0.5, y: 0.5, width: W - 1, height: H - 1 }));
	return svg;
}

// The ITA answer values are part of the API contract (ITA.md); others
// show as they are.
export function optionLabel(v) {
	const key = `opt.${v}`;
	const s = t(key);
	return s === key ? v : s;
}

// The legend of answer colours for the L4 and YN scales.
export function answerLegend() {
	const item = (cls, v) => el('li', null, el('span', { class: `sw ${cls}`, 'aria-hidden': 'true' }),
	    optionLabel(v));
	return el('ul', { class: 'legend', 'aria-label': t('scores.answers') },
	    el('li', null, el('strong', { text: t('scores.answers') })),
	    item('sw-0', '1'), item('sw-1', '2'), item('sw-2', '3'), item('sw-3', '4'),
	    item('sw-yes', 'yes'), item('sw-no', 'no'));
}
