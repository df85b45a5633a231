/* SPDX-License-Identifier: ISC */
/* The audit log's sentences (audit.c): facts filled in, Thai words,
 * older lines, bounds, and the filter's times. */
#include <string.h>

#include "extern.h"
#include "db.h"
#include "audit.h"
#include "../check.h"

static int
says(const char *action, json_t *facts, const char *detail,
    const char *th, const char *en)
{
	json_t	*o = audit_text(action, facts, detail);
	int	 ok = o != NULL &&
	    strcmp(json_string_value(json_object_get(o, "th")), th) == 0 &&
	    strcmp(json_string_value(json_object_get(o, "en")), en) == 0;

	if (!ok)
		fprintf(stderr, "%s: got %s\n", action,
		    json_dumps(o, JSON_COMPACT));
	json_decref(o);
	json_decref(facts);
	return ok;
}

int
main(void)
{
	char	 big[TITLE_MAX + 1];
	json_t	*o, *facts;
	int64_t	 t;
	size_t	 len;

	CHECK(says("tokens.issue", json_pack("{s:I, s:s, s:I}", "round", 7,
	    "title", "IIT 2569", "count", 12), NULL,
	    "ออกรหัสเข้าตอบ 12 รหัส ให้รอบ 7 \"IIT 2569\"",
	    "issued 12 access codes for round 7 \"IIT 2569\""));
	/* A role or an export's kind is a word said in Thai. */
	CHECK(says("admin.add", json_pack("{s:s, s:s}", "user", "bob", "role",
	    "viewer"), NULL, "เพิ่มบัญชี \"bob\" (ผู้ดูผล)",
	    "added account \"bob\" (viewer)"));
	CHECK(says("export", json_pack("{s:I, s:s, s:s, s:s}", "round", 3,
	    "title", "t", "what", "responses", "format", "xlsx"), NULL,
	    "ส่งออกคำตอบรายคนของรอบ 3 \"t\" เป็นไฟล์ xlsx",
	    "exported the responses of round 3 \"t\" as xlsx"));
	/* A missing fact is a '?', never a crash. */
	CHECK(says("round.open", json_object(), NULL,
	    "เริ่มเก็บคำตอบรอบ ? \"?\"", "started collecting in round ? \"?\""));
	/* Lines of older versions: their detail, in both languages. */
	CHECK(says("round.open", NULL, "round 7: IIT", "round 7: IIT",
	    "round 7: IIT"));
	CHECK(says("login", json_null(), "", "เข้าสู่ระบบ", "signed in"));
	CHECK(says("some.future", json_object(), "as written", "as written",
	    "as written"));
	/* A long title stays within AUDIT_TEXT_MAX, cut between pieces. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	facts = json_pack("{s:I, s:s, s:s}", "round", 1, "title", big, "old",
	    big);
	o = audit_text("round.rename", facts, NULL);
	len = strlen(json_string_value(json_object_get(o, "en")));
	CHECK(len > 2 * TITLE_MAX && len <= AUDIT_TEXT_MAX);
	json_decref(o);
	json_decref(facts);

	/* Filter times: seconds, days, and what is neither. */
	CHECK(audit_time_parse("1700000000", 0, &t) == 0 && t == 1700000000);
	CHECK(audit_time_parse("2026-12-02", 0, &t) == 0);
	{
		int64_t	 end;

		CHECK(audit_time_parse("2026-12-02", 1, &end) == 0);
		CHECK(end - t >= 23 * 3600 && end - t <= 25 * 3600);
	}
	CHECK(audit_time_parse("2026-13-02", 0, &t) == -1);
	CHECK(audit_time_parse("2026-12-2", 0, &t) == -1);
	CHECK(audit_time_parse("2026-12-02x", 0, &t) == -1);
	CHECK(audit_time_parse("0", 0, &t) == -1);
	CHECK(audit_time_parse("99999999999999", 0, &t) == -1);
	CHECK(audit_time_parse("12abc", 0, &t) == -1);
	CHECK(audit_time_parse("", 0, &t) == -1);
	return check_done("test_audit");
}
