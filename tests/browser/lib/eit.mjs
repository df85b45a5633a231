// SPDX-License-Identifier: ISC
// Drives the one-question-per-screen EIT flow (kiosk and public page).

import { screen } from './browser.mjs';

// The code of the question on screen, or null.
export function currentCode(page) {
	return page.evaluate(() => {
		const s = document.getElementById('screen-question');
		const f = s && !s.hidden && s.querySelector('fieldset');
		return f ? f.dataset.code : null;
	});
}

// Taps an answer on the question screen and waits for the next screen (a
// tap moves on by itself).
export async function tapAnswer(page, index) {
	const code = await currentCode(page);
	const opts = page.locator('#screen-question label.k-opt');
	const n = await opts.count();
	await opts.nth(index % n).click();
	await page.waitForFunction((c) => {
		const fin = document.getElementById('screen-finish');
		const f = document.querySelector('#screen-question fieldset');
		return (fin && !fin.hidden) || (f && f.dataset.code !== c);
	}, code);
}

// From the start screen, answers every question (answer i gets option
// choose(i)) and stops on the send screen. Returns how many were answered.
export async function answerAllEit(page, choose = (i) => i) {
	await page.click('#start-btn');
	await screen(page, 'screen-question');
	let i = 0;
	while (await page.locator('#screen-finish').isHidden()) {
		await tapAnswer(page, choose(i));
		i++;
		if (i > 600)
			throw new Error('the questionnaire does not end');
	}
	return i;
}

// Answers everything and sends; waits for the thank-you screen.
export async function completeEit(page, choose) {
	const n = await answerAllEit(page, choose);
	await page.click('#send-btn');
	await screen(page, 'screen-thanks');
	return n;
}
