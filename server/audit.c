/* SPDX-License-Identifier: ISC */
/*
 * The audit log's lines: each is an action name and its facts (a JSON
 * object: round, title, count, user, role, ...), kept as they are so the
 * console can filter by them, and told in Thai and English from one
 * table of sentences here.  The English sentence is also stored in the
 * detail column, so sqlite3 and older readers see a readable line.
 *
 * Facts are what an administrator already sees; never a password, a code
 * or anything a respondent sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "audit.h"

/*
 * One sentence per action.  "{name}" is replaced by the fact "name";
 * "{~name}" too, but through words[] in Thai (a role, an export's kind).
 */
static const struct sentence {
	const char	*action;
	const char	*en;
	const char	*th;
} sentences[] = {
	{ "login", "signed in", "เข้าสู่ระบบ" },
	{ "login.fail", "failed sign-in as \"{user}\"",
	    "เข้าสู่ระบบไม่สำเร็จ ด้วยชื่อผู้ใช้ \"{user}\"" },
	{ "round.create", "created round {round} \"{title}\" "
	    "(form {form}, population {population})",
	    "สร้างรอบ {round} \"{title}\" (แบบ {form} จำนวนประชากร {population})" },
	{ "round.open", "started collecting in round {round} \"{title}\"",
	    "เริ่มเก็บคำตอบรอบ {round} \"{title}\"" },
	{ "round.close", "stopped collecting in round {round} \"{title}\"",
	    "หยุดเก็บคำตอบรอบ {round} \"{title}\"" },
	{ "round.final", "made round {round} \"{title}\" final "
	    "(raw responses exported)",
	    "รอบ {round} \"{title}\" ปิดถาวร (ส่งออกคำตอบรายคนแล้ว)" },
	{ "round.rename", "renamed round {round} from \"{old}\" to \"{title}\"",
	    "เปลี่ยนชื่อรอบ {round} จาก \"{old}\" เป็น \"{title}\"" },
	{ "round.population", "set the population of round {round} "
	    "\"{title}\" from {old} to {population}",
	    "แก้จำนวนประชากรรอบ {round} \"{title}\" จาก {old} เป็น {population}" },
	{ "round.archive", "archived round {round} \"{title}\"",
	    "เก็บรอบ {round} \"{title}\" เข้าคลัง" },
	{ "round.unarchive", "restored round {round} \"{title}\" from the "
	    "archive", "นำรอบ {round} \"{title}\" ออกจากคลัง" },
	{ "round.delete", "deleted round {round} \"{title}\" "
	    "(it had no responses)",
	    "ลบรอบ {round} \"{title}\" (ยังไม่มีคำตอบ)" },
	{ "tokens.issue", "issued {count} access codes for round {round} "
	    "\"{title}\"", "ออกรหัสเข้าตอบ {count} รหัส ให้รอบ {round} \"{title}\"" },
	{ "tokens.issue.unit", "issued {count} access codes of unit "
	    "\"{unit}\" for round {round} \"{title}\"",
	    "ออกรหัสเข้าตอบ {count} รหัส ของหน่วยงาน \"{unit}\" ให้รอบ {round} "
	    "\"{title}\"" },
	{ "tokens.void", "voided {count} access codes of round {round} "
	    "\"{title}\"",
	    "ยกเลิกรหัสเข้าตอบ {count} รหัส ของรอบ {round} \"{title}\"" },
	{ "tokens.void_unused", "voided every unused access code of round "
	    "{round} \"{title}\"",
	    "ยกเลิกรหัสเข้าตอบที่ยังไม่ใช้ทั้งหมด ของรอบ {round} \"{title}\"" },
	{ "kiosk.add", "registered kiosk {kiosk} \"{name}\" for round "
	    "{round} \"{title}\"",
	    "ลงทะเบียนคีออสก์ {kiosk} \"{name}\" ให้รอบ {round} \"{title}\"" },
	{ "kiosk.add.unit", "registered kiosk {kiosk} \"{name}\" of unit "
	    "\"{unit}\" for round {round} \"{title}\"",
	    "ลงทะเบียนคีออสก์ {kiosk} \"{name}\" ของหน่วยงาน \"{unit}\" "
	    "ให้รอบ {round} \"{title}\"" },
	{ "kiosk.change", "renamed kiosk {kiosk} to \"{name}\"",
	    "เปลี่ยนชื่อคีออสก์ {kiosk} เป็น \"{name}\"" },
	{ "kiosk.revoke", "revoked kiosk {kiosk} \"{name}\"",
	    "เพิกถอนคีออสก์ {kiosk} \"{name}\"" },
	{ "export", "exported the {~what} of round {round} \"{title}\" as "
	    "{format}",
	    "ส่งออก{~what}ของรอบ {round} \"{title}\" เป็นไฟล์ {format}" },
	{ "admin.add", "added account \"{user}\" ({~role})",
	    "เพิ่มบัญชี \"{user}\" ({~role})" },
	{ "admin.role", "changed the role of \"{user}\" to {~role}",
	    "เปลี่ยนบทบาทของ \"{user}\" เป็น{~role}" },
	{ "admin.disable", "disabled account \"{user}\"",
	    "ปิดการใช้งานบัญชี \"{user}\"" },
	{ "admin.enable", "enabled account \"{user}\"",
	    "เปิดการใช้งานบัญชี \"{user}\"" },
	{ "admin.reset", "reset the password of \"{user}\"",
	    "ตั้งรหัสผ่านใหม่ให้ \"{user}\"" },
	{ "admin.password", "changed their own password",
	    "เปลี่ยนรหัสผ่านของตนเอง" },
	{ "settings.set", "set {name} to \"{value}\"",
	    "ตั้งค่า{~name}เป็น \"{value}\"" },
	{ "oit.url.add", "added evidence URL {id} {url} to OIT item {item}",
	    "เพิ่ม URL หลักฐาน {id} {url} ให้ข้อ {item} ของ OIT" },
	{ "oit.url.remove", "stopped watching evidence URL {id} {url} of OIT "
	    "item {item} (its history is kept)",
	    "เลิกติดตาม URL หลักฐาน {id} {url} ของข้อ {item} ของ OIT "
	    "(เก็บประวัติไว้)" },
	{ "oit.item.set", "set OIT item {item}: content ready: {~ready}, "
	    "responsible \"{owner}\"",
	    "ตั้งข้อ {item} ของ OIT: เนื้อหา{~ready} ผู้รับผิดชอบ "
	    "\"{owner}\"" },
	{ "measure.add", "added measure {id} for {target} (fiscal year "
	    "{year}, due {due}, responsible \"{who}\"): \"{what}\"",
	    "เพิ่มมาตรการ {id} สำหรับ {target} (ปีงบประมาณ {year} กำหนดเสร็จ "
	    "{due} ผู้รับผิดชอบ \"{who}\"): \"{what}\"" },
	{ "measure.change", "changed measure {id} for {target} (fiscal year "
	    "{year}); its status: {~status}",
	    "แก้ไขมาตรการ {id} สำหรับ {target} (ปีงบประมาณ {year}) "
	    "สถานะ: {~status}" },
	{ "measure.delete", "deleted measure {id} for {target} (fiscal year "
	    "{year}): \"{what}\"",
	    "ลบมาตรการ {id} สำหรับ {target} (ปีงบประมาณ {year}): \"{what}\"" },
	{ "guidance.set", "wrote the agency's own guidance for indicator "
	    "{indicator}",
	    "เขียนแนวทางของหน่วยงานเองสำหรับตัวชี้วัด {indicator}" },
	{ "guidance.reset", "restored the shipped guidance for indicator "
	    "{indicator}",
	    "คืนแนวทางตั้งต้นสำหรับตัวชี้วัด {indicator}" },
};

/* Fact values said in Thai ({~name}). */
static const struct word {
	const char	*en;
	const char	*th;
} words[] = {
	{ "admin", "ผู้ดูแล" },
	{ "viewer", "ผู้ดูผล" },
	{ "scores", "คะแนน" },
	{ "responses", "คำตอบรายคน" },
	{ "units", "คะแนนรายหน่วยงาน" },
	{ "agency", "ชื่อหน่วยงาน" },
	{ "yes", "พร้อมแล้ว" },
	{ "no", "ยังไม่พร้อม" },
	{ "planned", "วางแผน" },
	{ "doing", "กำลังดำเนินการ" },
	{ "done", "ดำเนินการแล้ว" },
	{ "dropped", "ยกเลิก" },
	{ "compare", "ผลเปรียบเทียบ" },
};

/*
 * Append to a line; a line that would pass AUDIT_TEXT_MAX bytes loses
 * what does not fit, whole pieces only, so never half a character.
 */
static void
put(struct buf *b, const char *s, size_t len)
{
	if (buf_append(b, s, len) == -1)
		return;		/* the line stays as it was */
}

static const char *
str(const struct buf *b)
{
	return b->p != NULL ? b->p : "";
}

static const struct sentence *
sentence_of(const char *action)
{
	size_t	i;

	for (i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
		if (strcmp(sentences[i].action, action) == 0)
			return &sentences[i];
	return NULL;
}

static const char *
word_th(const char *en)
{
	size_t	i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].en, en) == 0)
			return words[i].th;
	return en;
}

/* Append the fact called name[0..len) to b, in Thai if th and tilde. */
static void
put_fact(struct buf *b, const json_t *facts, const char *name, size_t len,
    int th)
{
	char		 key[64], num[32];
	const char	*s = "?";
	const json_t	*v;
	int		 tilde = len > 0 && name[0] == '~';

	if (tilde) {
		name++;
		len--;
	}
	if (len >= sizeof(key)) {
		put(b, "?", 1);
		return;
	}
	memcpy(key, name, len);
	key[len] = '\0';
	v = facts != NULL ? json_object_get(facts, key) : NULL;
	if (json_is_string(v))
		s = th && tilde ? word_th(json_string_value(v)) :
		    json_string_value(v);
	else if (json_is_integer(v)) {
		(void)snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		s = num;
	}
	put(b, s, strlen(s));
}

/* The sentence tmpl with facts filled in, into b. */
static void
fill(struct buf *b, const char *tmpl, const json_t *facts, int th)
{
	const char	*p = tmpl, *open, *close;

	while ((open = strchr(p, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		put(b, p, (size_t)(open - p));
		put_fact(b, facts, open + 1, (size_t)(close - open - 1), th);
		p = close + 1;
	}
	put(b, p, strlen(p));
}

/*
 * The line of action with facts as {"th": "...", "en": "..."} (caller
 * owns).  An action without a sentence (a line of an older version)
 * shows its stored detail in both languages.
 */
json_t *
audit_text(const char *action, const json_t *facts, const char *detail)
{
	const struct sentence	*s = sentence_of(action);
	struct buf		 th, en;
	json_t			*o;

	if (json_is_null(facts))
		facts = NULL;
	if (s == NULL || (facts == NULL && detail != NULL && *detail != '\0'))
		return json_pack("{s:s, s:s}", "th", detail != NULL ? detail :
		    "", "en", detail != NULL ? detail : "");
	buf_init(&th, AUDIT_TEXT_MAX);
	buf_init(&en, AUDIT_TEXT_MAX);
	fill(&th, s->th, facts, 1);
	fill(&en, s->en, facts, 0);
	o = json_pack("{s:s, s:s}", "th", str(&th), "en", str(&en));
	buf_free(&th);
	buf_free(&en);
	return o;
}

/*
 * Write one audit line: user did action, with facts (a JSON object or
 * NULL; stolen).  The caller holds the database lock and, for an action
 * that changes something, the transaction that does it, so the line and
 * the change commit together.  0 or -1.
 */
int
audit_add(struct db *db, const char *user, const char *action,
    json_t *facts)
{
	struct buf	 en;
	const struct sentence *s;
	char		*params = NULL;
	int		 rc;

	if (facts == NULL)
		facts = json_object();
	if ((s = sentence_of(action)) == NULL)
		log_warn("%s: %s has no sentence", __func__, action);
	buf_init(&en, AUDIT_TEXT_MAX);
	fill(&en, s != NULL ? s->en : "", facts, 0);
	params = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(facts);
	if (params == NULL) {
		buf_free(&en);
		return -1;
	}
	rc = db_audit(db, user, action, str(&en), params);
	buf_free(&en);
	free(params);
	return rc;
}

/*
 * A time of the audit filter: unix seconds (digits), or a day
 * YYYY-MM-DD in the server's time zone, its first second, or with end
 * set the first second of the next day (so "to" a day includes it).
 * 0, or -1 when s is neither.
 */
int
audit_time_parse(const char *s, int end, int64_t *out)
{
	struct tm	tm;
	int		y, m, d, n = 0;
	char		*ep;
	long long	v;

	if (s[0] >= '0' && s[0] <= '9' && strchr(s, '-') == NULL) {
		v = strtoll(s, &ep, 10);
		if (*ep != '\0' || v <= 0 || v > AUDIT_TIME_MAX)
			return -1;
		*out = v;
		return 0;
	}
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + (end ? 1 : 0);
	tm.tm_isdst = -1;
	if ((*out = (int64_t)mktime(&tm)) <= 0)
		return -1;
	return 0;
}

/*
 * lines (from db_audit_list, with "text" added) as CSV for a spreadsheet:
 * a byte-order mark, a header, then one line each: id, time (UTC, ISO
 * 8601), user, action, the sentence in Thai and in English.
 */
void
audit_write_csv(FILE *out, const json_t *lines)
{
	const json_t	*l, *text;
	char		 when[32], id[32];
	size_t		 i;
	time_t		 t;
	struct tm	 tm;

	fputs("\xEF\xBB\xBF", out);
	fputs("id,time_utc,user,action,detail_th,detail_en\r\n", out);
	json_array_foreach(lines, i, l) {
		t = (time_t)json_integer_value(json_object_get(l, "at"));
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			when[0] = '\0';
		(void)snprintf(id, sizeof(id), "%lld", (long long)
		    json_integer_value(json_object_get(l, "id")));
		text = json_object_get(l, "text");
		export_csv_field(out, id, 0);
		export_csv_field(out, when, 0);
		export_csv_field(out, json_string_value(json_object_get(l,
		    "user")), 0);
		export_csv_field(out, json_string_value(json_object_get(l,
		    "action")), 0);
		export_csv_field(out, json_string_value(json_object_get(text,
		    "th")), 0);
		export_csv_field(out, json_string_value(json_object_get(text,
		    "en")), 1);
	}
}
