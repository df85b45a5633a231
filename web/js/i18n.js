// SPDX-License-Identifier: ISC
// Texts of the respondent pages in Thai and English, and the language switch.
// Thai is the default. The choice is kept in memory, or in sessionStorage when
// a page asks for it (never in a cookie).

const STRINGS = {
	th: {
		'app.name': 'ระบบสำรวจ ITA',
		'lang.other': 'English',
		'skip': 'ข้ามไปยังเนื้อหา',
		'nojs': 'หน้านี้ต้องใช้ JavaScript โปรดเปิดใช้งานในเบราว์เซอร์',

		'home.title': 'การประเมินคุณธรรมและความโปร่งใส (ITA)',
		'home.lead': 'ระบบรับคำตอบแบบวัดการรับรู้ของหน่วยงาน',
		'home.staff.title': 'บุคลากรของหน่วยงาน',
		'home.staff.body': 'ตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) ด้วยรหัสเข้าตอบที่ท่านได้รับ',
		'home.staff.link': 'ตอบแบบสอบถามสำหรับบุคลากร',
		'home.public.title': 'ผู้รับบริการ',
		'home.public.body': 'ตอบแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT) ผ่านลิงก์หรือคิวอาร์โค้ดของหน่วยงาน หรือที่เครื่องตอบแบบสอบถาม ณ จุดบริการ',
		'home.public.link': 'ตอบแบบสอบถามสำหรับผู้รับบริการ',

		'privacy.title': 'ความเป็นส่วนตัวของท่าน: ระบบเก็บอะไรบ้าง',
		'privacy.1': 'ระบบเก็บเฉพาะคำตอบของท่าน โดยติดรหัสสุ่มที่ไม่ได้มาจากตัวท่าน',
		'privacy.2': 'ระบบไม่เก็บเวลาที่ตอบ ไม่เก็บหมายเลข IP และไม่เก็บข้อมูลเบราว์เซอร์หรืออุปกรณ์ของท่าน',
		'privacy.3': 'รหัสเข้าตอบถูกบันทึกเพียงว่า “ใช้แล้ว” ในตารางแยกต่างหาก ซึ่งไม่มีข้อมูลใดเชื่อมโยงไปยังคำตอบ',
		'privacy.4': 'ไม่มีผู้ใด รวมทั้งผู้ดูแลระบบ สามารถเชื่อมโยงคำตอบกับตัวบุคคลได้',
		'privacy.5': 'คะแนนแสดงเฉพาะในภาพรวมของผู้ตอบอย่างน้อย 5 คนขึ้นไปเท่านั้น',
		'privacy.6': 'หน้านี้ไม่ใช้คุกกี้ ไม่ติดตามการใช้งาน และไม่ส่งข้อมูลไปยังเว็บไซต์อื่น',

		'entry.title': 'แบบสอบถามสำหรับบุคลากร',
		'entry.lead': 'ขอบคุณที่สละเวลาตอบแบบสอบถามนี้ ความเห็นของท่านช่วยให้หน่วยงานโปร่งใสและดีขึ้น',
		'entry.round': 'หมายเลขรอบการประเมิน',
		'entry.round.hint': 'ดูได้จากลิงก์หรือเอกสารที่ท่านได้รับ',
		'entry.code': 'รหัสเข้าตอบ',
		'entry.code.hint': 'รหัส 16 ตัว เช่น 7QF9-MZD2-XWAP-4HTK ใช้ได้เพียงครั้งเดียว',
		'entry.code.fromlink': 'ใส่รหัสจากลิงก์ให้แล้ว',
		'entry.start': 'เริ่มตอบแบบสอบถาม',
		'entry.checking': 'กำลังตรวจสอบรหัส…',
		'entry.resume': 'คำตอบที่ท่านตอบไว้ในแท็บนี้ยังอยู่ครบ ใส่รหัสแล้วกดเริ่มเพื่อตอบต่อ',

		'form.intro': 'มีทั้งหมด {n} ข้อ โปรดเลือกคำตอบที่ตรงกับความเห็นของท่านมากที่สุด ข้อที่มีเครื่องหมาย * ต้องตอบ',
		'form.progress': 'ตอบแล้ว {k} จาก {n} ข้อ',
		'form.part': 'ส่วนที่ {n}: {name}',
		'form.required': '(ต้องตอบ)',
		'form.missing.one': 'กรุณาเลือกคำตอบข้อนี้',
		'form.missing.summary': 'ยังไม่ได้ตอบ {n} ข้อ โปรดตอบข้อที่ทำเครื่องหมายไว้ก่อนตรวจทาน',
		'form.review': 'ตรวจทานคำตอบ',
		'form.kept': 'คำตอบจะถูกเก็บไว้ในแท็บนี้เท่านั้นจนกว่าท่านจะส่ง',

		'review.title': 'ตรวจทานคำตอบก่อนส่ง',
		'review.lead': 'โปรดตรวจคำตอบด้านล่าง หากต้องการแก้ข้อใด กด “แก้ไข” เมื่อพร้อมแล้วกด “ส่งคำตอบ” เมื่อส่งแล้วจะแก้ไขไม่ได้',
		'review.edit': 'แก้ไข',
		'review.edit.which': 'ข้อ {n}',
		'review.none': 'ไม่ได้ตอบ',
		'review.back': 'กลับไปแก้ไขคำตอบ',
		'review.submit': 'ส่งคำตอบ',
		'review.sending': 'กำลังส่งคำตอบ…',
		'review.retry': 'ลองส่งอีกครั้ง',
		'review.reenter': 'ใส่รหัสเข้าตอบใหม่',

		'done.title': 'ขอบคุณที่ร่วมตอบแบบสอบถาม',
		'done.body': 'ระบบได้รับคำตอบของท่านเรียบร้อยแล้ว รหัสเข้าตอบของท่านถูกใช้แล้วและใช้ซ้ำไม่ได้',
		'done.privacy': 'คำตอบของท่านไม่ถูกเชื่อมโยงกับตัวท่าน ท่านสามารถปิดหน้านี้ได้',

		'err.code_format': 'รหัสเข้าตอบต้องมี 16 ตัว (ตัวอักษรภาษาอังกฤษและตัวเลข) โปรดตรวจสอบอีกครั้ง',
		'err.round_format': 'โปรดใส่หมายเลขรอบการประเมินเป็นตัวเลข',
		'err.forbidden': 'ไม่พบรหัสเข้าตอบนี้ โปรดตรวจสอบว่าพิมพ์ถูกต้อง หรือสอบถามผู้ที่มอบรหัสให้ท่าน',
		'err.token_used': 'รหัสนี้ถูกใช้ตอบแบบสอบถามไปแล้ว รหัสแต่ละรหัสใช้ได้เพียงครั้งเดียว หากท่านยังไม่เคยตอบ โปรดติดต่อผู้ที่มอบรหัสให้ท่านเพื่อขอรหัสใหม่',
		'err.not_found': 'ไม่พบรอบการประเมินนี้ โปรดตรวจสอบลิงก์หรือหมายเลขรอบอีกครั้ง',
		'err.round_closed': 'รอบการประเมินนี้ปิดรับคำตอบแล้ว ขอบคุณที่ให้ความสนใจ',
		'err.rate_limited': 'มีการส่งข้อมูลถี่เกินไป โปรดรอประมาณ {s} วินาทีแล้วลองอีกครั้ง',
		'err.network': 'ไม่สามารถติดต่อเซิร์ฟเวอร์ได้ โปรดตรวจสอบการเชื่อมต่ออินเทอร์เน็ตแล้วลองอีกครั้ง',
		'err.network.kept': 'ไม่สามารถติดต่อเซิร์ฟเวอร์ได้ โปรดตรวจสอบการเชื่อมต่ออินเทอร์เน็ตแล้วกด “ลองส่งอีกครั้ง” คำตอบของท่านยังอยู่ครบ',
		'err.bad_request': 'เซิร์ฟเวอร์อ่านข้อมูลที่ส่งไม่ได้ โปรดโหลดหน้านี้ใหม่แล้วลองอีกครั้ง คำตอบของท่านยังถูกเก็บไว้ในแท็บนี้',
		'err.invalid_answers': 'คำตอบบางข้อยังไม่ได้ตอบหรือไม่ถูกต้อง โปรดตรวจข้อที่ทำเครื่องหมายไว้',
		'err.server': 'เซิร์ฟเวอร์ขัดข้องชั่วคราว โปรดลองอีกครั้งในอีกสักครู่ คำตอบของท่านยังอยู่ครบ',
		'err.not_public': 'แบบสอบถามนี้ไม่ได้เปิดให้ตอบทางเว็บไซต์ โปรดตอบที่เครื่องตอบแบบสอบถามของหน่วยงาน',
		'err.internal_form': 'แบบสอบถามรอบนี้สำหรับบุคลากรของหน่วยงาน ซึ่งต้องใช้รหัสเข้าตอบ',
		'err.external_form': 'แบบสอบถามรอบนี้สำหรับผู้รับบริการ ไม่ต้องใช้รหัสเข้าตอบ',
		'err.external_link': 'ไปยังแบบสอบถามสำหรับผู้รับบริการ',
		'err.internal_link': 'ไปยังแบบสอบถามสำหรับบุคลากร',

		'pair.title': 'จับคู่เครื่องตอบแบบสอบถาม',
		'pair.lead': 'สำหรับเจ้าหน้าที่: ใส่รหัสเครื่อง (kiosk key) ที่ได้รับจากผู้ดูแลระบบ',
		'pair.key': 'รหัสเครื่อง',
		'pair.submit': 'จับคู่เครื่อง',
		'pair.checking': 'กำลังตรวจสอบรหัสเครื่อง…',
		'pair.forbidden': 'รหัสเครื่องนี้ไม่ถูกต้องหรือถูกยกเลิกแล้ว โปรดตรวจสอบกับผู้ดูแลระบบ',
		'pair.revoked': 'รหัสเครื่องที่จับคู่ไว้ใช้ไม่ได้แล้ว โปรดจับคู่ใหม่ คำตอบที่รอส่งยังถูกเก็บไว้',
		'pair.empty': 'โปรดใส่รหัสเครื่อง',

		'kiosk.loading': 'กำลังโหลดแบบสอบถาม…',
		'kiosk.noform': 'ยังโหลดแบบสอบถามไม่ได้ ระบบจะลองใหม่โดยอัตโนมัติ',
		'kiosk.retry': 'ลองอีกครั้ง',
		'staff.open': 'เมนูเจ้าหน้าที่',
		'staff.title': 'สำหรับเจ้าหน้าที่',
		'staff.kiosk': 'เครื่อง: {name} · รอบที่ {round}',
		'staff.pending': 'รอส่ง {n} รายการ',
		'staff.failed': 'ส่งไม่สำเร็จ {n} รายการ',
		'staff.failed.why': 'เหตุผล: {codes}',
		'staff.send': 'ส่งตอนนี้',
		'staff.retry_failed': 'ลองส่งรายการที่ไม่สำเร็จอีกครั้ง',
		'staff.unpair': 'ยกเลิกการจับคู่เครื่องนี้',
		'staff.unpair.confirm': 'ยืนยันการยกเลิกการจับคู่หรือไม่? เครื่องนี้จะไม่รับคำตอบจนกว่าจะจับคู่ใหม่ ส่วนคำตอบที่รอส่งจะยังถูกส่งต่อไป',
		'staff.unpair.yes': 'ยืนยัน ยกเลิกการจับคู่',
		'staff.unpair.no': 'ไม่ยกเลิก',
		'staff.close': 'ปิด',
		'queue.badge': 'รอส่ง {n}',
		'queue.failed': 'ส่งไม่สำเร็จ {n}',

		'eit.public.title': 'แบบสอบถามสำหรับผู้รับบริการ',
		'eit.round.lead': 'โปรดใส่หมายเลขรอบการประเมินจากลิงก์หรือโปสเตอร์ของหน่วยงาน',
		'eit.round.go': 'ไปยังแบบสอบถาม',
		'eit.start.lead': 'แบบสอบถามนี้ถามความเห็นของท่านต่อการให้บริการของหน่วยงาน มี {n} ข้อ ใช้เวลาประมาณ {m} นาที',
		'eit.privacy': 'ไม่ต้องใส่ชื่อ ระบบเก็บเฉพาะคำตอบ ไม่เก็บเวลา ไม่เก็บหมายเลข IP และไม่เก็บข้อมูลใดที่ระบุตัวท่าน',
		'eit.lang': 'ภาษา / Language',
		'eit.start': 'เริ่มตอบ',
		'eit.progress': 'ข้อ {k} จาก {n}',
		'eit.back': 'ย้อนกลับ',
		'eit.next': 'ถัดไป',
		'eit.need': 'กรุณาเลือกคำตอบ 1 ข้อ',
		'eit.finish.title': 'ตอบครบทุกข้อแล้ว',
		'eit.finish.lead': 'กด “ส่งคำตอบ” เพื่อส่ง หรือกด “ย้อนกลับ” เพื่อแก้ไขคำตอบ',
		'eit.submit': 'ส่งคำตอบ',
		'eit.sending': 'กำลังส่งคำตอบ…',
		'eit.retry': 'ลองส่งอีกครั้ง',
		'eit.thanks.title': 'ขอบคุณที่ร่วมตอบแบบสอบถาม',
		'eit.thanks.lead': 'ความเห็นของท่านช่วยให้หน่วยงานปรับปรุงการให้บริการ',
		'eit.thanks.return': 'หน้าจอจะกลับสู่หน้าแรกใน {s} วินาที',
		'eit.thanks.close': 'ท่านสามารถปิดหน้านี้ได้',
		'eit.thanks.done': 'เสร็จสิ้น',
		'eit.idle.title': 'ยังตอบอยู่หรือไม่?',
		'eit.idle.body': 'หากไม่มีการแตะหน้าจอ คำตอบจะถูกล้างใน {s} วินาที',
		'eit.idle.continue': 'ตอบต่อ',
		'eit.closed': 'ขณะนี้แบบสอบถามนี้ปิดรับคำตอบ',
	},
	en: {
		'app.name': 'ITA survey',
		'lang.other': 'ภาษาไทย',
		'skip': 'Skip to content',
		'nojs': 'This page needs JavaScript. Please turn it on in your browser.',

		'home.title': 'Integrity and Transparency Assessment (ITA)',
		'home.lead': 'Questionnaires of the agency',
		'home.staff.title': 'Staff of the agency',
		'home.staff.body': 'Answer the internal stakeholder questionnaire (IIT) with the access code you received.',
		'home.staff.link': 'Staff questionnaire',
		'home.public.title': 'Service users',
		'home.public.body': 'Answer the external stakeholder questionnaire (EIT) through the agency\'s link or QR code, or at the kiosk at the service counter.',
		'home.public.link': 'Service user questionnaire',

		'privacy.title': 'Your privacy: what is stored',
		'privacy.1': 'The server stores only your answers, under a random id that does not come from you.',
		'privacy.2': 'It does not store the time, your IP address, or anything about your browser or device.',
		'privacy.3': 'Your access code is only marked as used, in a separate table with nothing linking it to your answers.',
		'privacy.4': 'Nobody, administrators included, can link answers to a person.',
		'privacy.5': 'Scores are shown only as totals of at least 5 people.',
		'privacy.6': 'This page uses no cookies, no tracking, and sends nothing to other websites.',

		'entry.title': 'Staff questionnaire',
		'entry.lead': 'Thank you for taking the time to answer. Your views help the agency become more transparent and better.',
		'entry.round': 'Round number',
		'entry.round.hint': 'It is on the link or letter you received.',
		'entry.code': 'Access code',
		'entry.code.hint': '16 characters, for example 7QF9-MZD2-XWAP-4HTK. It works only once.',
		'entry.code.fromlink': 'The code from your link has been filled in.',
		'entry.start': 'Start the questionnaire',
		'entry.checking': 'Checking your code…',
		'entry.resume': 'The answers you gave in this tab are still here. Enter your code and press start to continue.',

		'form.intro': 'There are {n} questions. Please choose the answer closest to your view. Questions marked * must be answered.',
		'form.progress': '{k} of {n} answered',
		'form.part': 'Part {n}: {name}',
		'form.required': '(required)',
		'form.missing.one': 'Please answer this question.',
		'form.missing.summary': '{n} questions still need an answer. Please answer the marked questions before reviewing.',
		'form.review': 'Review my answers',
		'form.kept': 'Your answers stay only in this browser tab until you send them.',

		'review.title': 'Check your answers before sending',
		'review.lead': 'Please check your answers below. Press “Change” to change one. When you are ready, press “Send answers”. After sending you cannot change them.',
		'review.edit': 'Change',
		'review.edit.which': 'question {n}',
		'review.none': 'Not answered',
		'review.back': 'Back to the questions',
		'review.submit': 'Send answers',
		'review.sending': 'Sending your answers…',
		'review.retry': 'Try again',
		'review.reenter': 'Enter the code again',

		'done.title': 'Thank you for taking part',
		'done.body': 'Your answers have been received. Your access code is now used and cannot be used again.',
		'done.privacy': 'Your answers are not linked to you. You may close this page.',

		'err.code_format': 'The access code has 16 letters and digits. Please check it again.',
		'err.round_format': 'Please enter the round number in digits.',
		'err.forbidden': 'We could not find this access code. Please check that it is typed correctly, or ask the person who gave it to you.',
		'err.token_used': 'This code has already been used. Each code works only once. If you have not answered before, please ask the person who gave you the code for a new one.',
		'err.not_found': 'We could not find this survey round. Please check the link or the round number.',
		'err.round_closed': 'This survey round is closed and no longer takes answers. Thank you for your interest.',
		'err.rate_limited': 'There were too many attempts. Please wait about {s} seconds and try again.',
		'err.network': 'We could not reach the server. Please check your internet connection and try again.',
		'err.network.kept': 'We could not reach the server. Please check your internet connection and press “Try again”. Your answers are safe here.',
		'err.bad_request': 'The server could not read what was sent. Please reload this page and try again. Your answers are kept in this tab.',
		'err.invalid_answers': 'Some answers are missing or were not accepted. Please check the marked questions.',
		'err.server': 'The server has a temporary problem. Please try again in a moment. Your answers are safe here.',
		'err.not_public': 'This questionnaire is not open on the web. Please answer at the agency\'s kiosk.',
		'err.internal_form': 'This round is for the agency\'s staff and needs an access code.',
		'err.external_form': 'This round is for service users and needs no access code.',
		'err.external_link': 'Go to the service user questionnaire',
		'err.internal_link': 'Go to the staff questionnaire',

		'pair.title': 'Pair this kiosk',
		'pair.lead': 'For staff: enter the kiosk key you received from the administrator.',
		'pair.key': 'Kiosk key',
		'pair.submit': 'Pair this kiosk',
		'pair.checking': 'Checking the kiosk key…',
		'pair.forbidden': 'This kiosk key is not valid or has been revoked. Please check with the administrator.',
		'pair.revoked': 'The kiosk key no longer works. Please pair the kiosk again. Answers waiting to be sent are kept.',
		'pair.empty': 'Please enter the kiosk key.',

		'kiosk.loading': 'Loading the questionnaire…',
		'kiosk.noform': 'The questionnaire could not be loaded yet. Trying again automatically.',
		'kiosk.retry': 'Try again',
		'staff.open': 'Staff menu',
		'staff.title': 'For staff',
		'staff.kiosk': 'Kiosk: {name} · round {round}',
		'staff.pending': '{n} waiting to be sent',
		'staff.failed': '{n} could not be sent',
		'staff.failed.why': 'Reason: {codes}',
		'staff.send': 'Send now',
		'staff.retry_failed': 'Retry the failed ones',
		'staff.unpair': 'Unpair this kiosk',
		'staff.unpair.confirm': 'Unpair this kiosk? It will take no answers until it is paired again. Answers waiting to be sent will still be sent.',
		'staff.unpair.yes': 'Yes, unpair',
		'staff.unpair.no': 'No, keep it',
		'staff.close': 'Close',
		'queue.badge': '{n} to send',
		'queue.failed': '{n} failed',

		'eit.public.title': 'Service user questionnaire',
		'eit.round.lead': 'Please enter the round number from the agency\'s link or poster.',
		'eit.round.go': 'Go to the questionnaire',
		'eit.start.lead': 'This questionnaire asks about the service you received from the agency. {n} questions, about {m} minutes.',
		'eit.privacy': 'No name needed. Only your answers are stored: no time, no IP address, nothing that identifies you.',
		'eit.lang': 'ภาษา / Language',
		'eit.start': 'Start',
		'eit.progress': 'Question {k} of {n}',
		'eit.back': 'Back',
		'eit.next': 'Next',
		'eit.need': 'Please choose one answer.',
		'eit.finish.title': 'All questions answered',
		'eit.finish.lead': 'Press “Send answers” to send them, or “Back” to change an answer.',
		'eit.submit': 'Send answers',
		'eit.sending': 'Sending your answers…',
		'eit.retry': 'Try again',
		'eit.thanks.title': 'Thank you for taking part',
		'eit.thanks.lead': 'Your views help the agency improve its service.',
		'eit.thanks.return': 'Returning to the start in {s} seconds',
		'eit.thanks.close': 'You may close this page.',
		'eit.thanks.done': 'Done',
		'eit.idle.title': 'Are you still there?',
		'eit.idle.body': 'If nobody touches the screen, the answers will be cleared in {s} seconds.',
		'eit.idle.continue': 'Continue',
		'eit.closed': 'This questionnaire is closed at the moment.',
	},
};

export const LANGS = ['th', 'en'];
const STORE_KEY = 'ita-lang';

let lang = 'th';
let persist = false;
const listeners = [];

// initLang({persist}) picks the language: the stored one when persist is
// true (sessionStorage), else Thai.
export function initLang(opts = {}) {
	persist = !!opts.persist;
	let l = 'th';
	if (persist) {
		try {
			const s = sessionStorage.getItem(STORE_KEY);
			if (LANGS.includes(s))
				l = s;
		} catch (e) { /* storage may be disabled */ }
	}
	setLang(l);
}

export function getLang() {
	return lang;
}

export function setLang(l) {
	if (!LANGS.includes(l))
		l = 'th';
	lang = l;
	if (persist) {
		try { sessionStorage.setItem(STORE_KEY, l); } catch (e) { /* ignore */ }
	}
	document.documentElement.lang = l;
	apply(document);
	for (const fn of listeners)
		fn(l);
}

export function onLangChange(fn) {
	listeners.push(fn);
}

// t(key, vars): the text of key in the current language, {name} replaced.
export function t(key, vars) {
	let s = STRINGS[lang][key];
	if (s === undefined)
		s = STRINGS.th[key];
	if (s === undefined)
		return key;
	if (vars)
		s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
	return s;
}

// pick(label): a form label {th, en} in the current language.
export function pick(label) {
	if (label == null)
		return '';
	if (typeof label === 'string')
		return label;
	return label[lang] || label.th || label.en || '';
}

// apply(root): fills every [data-i18n] element's text and every
// [data-i18n-ATTR] attribute from the current language.
export function apply(root) {
	for (const el of root.querySelectorAll('[data-i18n]'))
		el.textContent = t(el.dataset.i18n);
	for (const attr of ['aria-label', 'placeholder', 'title']) {
		const ds = 'i18n' + attr.replace(/(^|-)(\w)/g, (m, d, c) => c.toUpperCase());
		for (const el of root.querySelectorAll(`[data-i18n-${attr}]`))
			el.setAttribute(attr, t(el.dataset[ds]));
	}
	// The switch button names the other language, in that language.
	for (const el of root.querySelectorAll('[data-lang-toggle]')) {
		const other = lang === 'th' ? 'en' : 'th';
		el.textContent = STRINGS[lang]['lang.other'];
		el.setAttribute('lang', other);
	}
}
