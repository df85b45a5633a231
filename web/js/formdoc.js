// SPDX-License-Identifier: ISC
// Helpers over the form document of GET /api/v1/rounds/{id}/form.

// questions(form): every question in form order, with its place:
//   {q, item, indicator, itemNo, subNo, subCount, number}
// number is what a person sees: "3" for a single-question item, "3.2" for
// the second question of item 3.
export function questions(form) {
	const out = [];
	let itemNo = 0;
	for (const ind of form.indicators || []) {
		for (const item of ind.items || []) {
			itemNo++;
			const qs = item.questions || [];
			qs.forEach((q, i) => {
				out.push({
					q, item, indicator: ind, itemNo,
					subNo: i + 1, subCount: qs.length,
					number: qs.length > 1 ? `${itemNo}.${i + 1}` : String(itemNo),
				});
			});
		}
	}
	return out;
}

// options(form, q): the answer options of question q.
export function options(form, q) {
	const sc = form.scales && form.scales[q.scale];
	return (sc && sc.options) || [];
}

// sameText(a, b): whether two labels say the same (an item whose only
// question repeats the item's text is shown once).
export function sameText(a, b) {
	if (!a || !b)
		return false;
	return (a.th || '') === (b.th || '') && (a.en || '') === (b.en || '');
}

// Keeps only answers whose question and value the form knows.
export function cleanAnswers(form, answers) {
	const out = {};
	for (const { q } of questions(form)) {
		const v = answers && answers[q.code];
		if (v !== undefined && options(form, q).some((o) => o.value === v))
			out[q.code] = v;
	}
	return out;
}
