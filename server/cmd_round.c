/* SPDX-License-Identifier: ISC */
/*
 * ita-survey round | tokens | kiosk | scores | export: the round's life
 * from the shell.  Output for scripts: one value a line, or JSON with
 * --json.  Secrets (codes, keys) are printed once, after they are
 * committed, and never stored in plain text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "db.h"

#define ROUND_USAGE \
	"ita-survey round create --form FORM_ID --title TEXT " \
	"[--population N] [--public]\n" \
	"       ita-survey round open ID | round close ID\n" \
	"       ita-survey round list [--json]"
#define TOKENS_USAGE "ita-survey tokens issue --round ID --count N"
#define KIOSK_USAGE "ita-survey kiosk add --round ID --name TEXT"
#define SCORES_USAGE "ita-survey scores --round ID [--json]"
#define EXPORT_USAGE "ita-survey export --round ID " \
	"--what scores|responses --format csv|json|xlsx [--out FILE]"

#define TOKENS_MAX	1000000	/* codes one command may issue */
#define TOKENS_CHUNK	10000	/* codes per transaction */

/* Open the app quietly (CLI output is for scripts).  0 or -1. */
static int
open_app(struct app *app, struct config *cfg)
{
	log_quiet(1);
	return app_open(app, cfg, APP_FORMS);
}

static int
get_round(struct app *app, int64_t id, struct round *rd)
{
	int	rc;

	db_lock(app->db);
	rc = db_round_get(app->db, id, rd);
	db_unlock(app->db);
	if (rc == 0)
		fprintf(stderr, "ita-survey: no round %lld\n", (long long)id);
	return rc == 1 ? 0 : -1;
}

static int
round_create(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	const char		*form = NULL, *title = NULL;
	const struct form	*f;
	int64_t			 pop = 0, id;
	char			*end;
	int			 i, pub = 0, rc = 1;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--form") == 0 && i + 1 < argc)
			form = argv[++i];
		else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
			title = argv[++i];
		else if (strcmp(argv[i], "--population") == 0 &&
		    i + 1 < argc) {
			errno = 0;
			pop = strtoll(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || argv[i][0] == '\0' ||
			    pop < 0 || pop > 100000000)
				return usage_error(ROUND_USAGE, "--population "
				    "must be a number from 0 to 100000000");
		} else if (strcmp(argv[i], "--public") == 0)
			pub = 1;
		else
			return usage_error(ROUND_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (form == NULL || title == NULL)
		return usage_error(ROUND_USAGE, "--form and --title are "
		    "required");
	if (title[0] == '\0' || strlen(title) > TITLE_MAX)
		return usage_error(ROUND_USAGE, "--title must be 1 to %d "
		    "bytes", TITLE_MAX);
	if (open_app(&app, cfg) == -1)
		goto out;
	if ((f = formset_get(app.forms, form)) == NULL) {
		fprintf(stderr, "ita-survey: no form \"%s\" in %s\n", form,
		    cfg->forms);
		goto out;
	}
	if (pub && f->internal) {
		fprintf(stderr, "ita-survey: --public is only for rounds of "
		    "external forms\n");
		goto out;
	}
	db_lock(app.db);
	if (db_tx_begin(app.db) == 0) {
		if (db_round_insert(app.db, f->id, title, pop, pub,
		    f->min_cell, &id) == 0 &&
		    db_audit(app.db, "cli", "round.create", title) == 0 &&
		    db_tx_commit(app.db) == 0) {
			printf("%lld\n", (long long)id);
			rc = 0;
		} else
			db_tx_rollback(app.db);
	}
	db_unlock(app.db);
out:
	app_close(&app);
	return rc;
}

static int
round_state(struct config *cfg, int argc, char **argv, int open)
{
	struct app	app;
	int64_t		id;
	int		rc = 1, r = -1;
	char		detail[48];

	if (argc != 1 || parse_id(argv[0], &id) == -1)
		return usage_error(ROUND_USAGE, "expected one round ID");
	if (open_app(&app, cfg) == -1)
		goto out;
	snprintf(detail, sizeof(detail), "round %lld", (long long)id);
	db_lock(app.db);
	if (db_tx_begin(app.db) == 0) {
		r = db_round_set_open(app.db, id, open);
		if (r == 1 && (db_audit(app.db, "cli", open ? "round.open" :
		    "round.close", detail) == -1 || db_tx_commit(app.db) == -1))
			r = -1;
		if (r != 1)
			db_tx_rollback(app.db);
	}
	db_unlock(app.db);
	if (r == 0)
		fprintf(stderr, "ita-survey: no round %lld\n", (long long)id);
	rc = r == 1 ? 0 : 1;
out:
	app_close(&app);
	return rc;
}

static int
round_list(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	struct round	*rs = NULL;
	size_t		 n = 0, i;
	int		 json = 0, rc = 1, j;
	json_t		*arr;

	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], "--json") == 0)
			json = 1;
		else
			return usage_error(ROUND_USAGE,
			    "unexpected argument \"%s\"", argv[j]);
	}
	if (open_app(&app, cfg) == -1)
		goto out;
	db_lock(app.db);
	j = db_round_list(app.db, &rs, &n);
	db_unlock(app.db);
	if (j == -1)
		goto out;
	if (json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, round_to_json(&rs[i],
			    formset_get(app.forms, rs[i].form_id)));
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	} else
		for (i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%lld\t%s\n",
			    (long long)rs[i].id, rs[i].form_id,
			    rs[i].open ? "open" : "closed",
			    (long long)rs[i].respondents, rs[i].title);
	free(rs);
	rc = 0;
out:
	app_close(&app);
	return rc;
}

/* ita-survey round create|open|close|list */
int
cmd_round(struct config *cfg, int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		printf("usage: %s\n\ncreate prints the new round's id; a "
		    "round starts closed.  --population is\nthe head-count "
		    "the minimum sample is computed from.  --public lets "
		    "anyone\nanswer an external (EIT) round, rate-limited "
		    "per address.\nlist prints id, form, state, respondents "
		    "and title, tab-separated.\n", ROUND_USAGE);
		return 0;
	}
	if (argc == 0)
		return usage_error(ROUND_USAGE, "expected a subcommand");
	if (strcmp(argv[0], "create") == 0)
		return round_create(cfg, argc - 1, argv + 1);
	if (strcmp(argv[0], "open") == 0)
		return round_state(cfg, argc - 1, argv + 1, 1);
	if (strcmp(argv[0], "close") == 0)
		return round_state(cfg, argc - 1, argv + 1, 0);
	if (strcmp(argv[0], "list") == 0)
		return round_list(cfg, argc - 1, argv + 1);
	return usage_error(ROUND_USAGE, "unknown subcommand \"%s\"",
	    argv[0]);
}

/*
 * Issue count codes for round in transactions of TOKENS_CHUNK, printing
 * each chunk only after it is committed.  0 or -1.
 */
static int
issue(struct app *app, int64_t round, int64_t count)
{
	char		(*toks)[TOKEN_TEXT_MAX];
	char		 canon[TOKEN_CHARS + 1], detail[64];
	unsigned char	 h[HASH_BYTES];
	int64_t		 done = 0, n, i;
	int		 rc = -1;

	toks = xcalloc(TOKENS_CHUNK, sizeof(*toks));
	db_lock(app->db);
	while (done < count) {
		n = count - done < TOKENS_CHUNK ? count - done : TOKENS_CHUNK;
		if (db_tx_begin(app->db) == -1)
			goto out;
		for (i = 0; i < n; i++) {
			token_new(toks[i], sizeof(toks[i]), TOKEN_BYTES);
			if (token_parse(toks[i], canon, sizeof(canon),
			    TOKEN_CHARS) == -1)
				break;
			token_hash(app->secret, TOKEN_ACCESS, round, canon, h);
			if (db_token_insert(app->db, round, h) == -1)
				break;
		}
		snprintf(detail, sizeof(detail), "round %lld: %lld codes",
		    (long long)round, (long long)n);
		if (i < n || db_round_add_tokens(app->db, round, n) == -1 ||
		    db_audit(app->db, "cli", "tokens.issue", detail) == -1 ||
		    db_tx_commit(app->db) == -1) {
			db_tx_rollback(app->db);
			goto out;
		}
		for (i = 0; i < n; i++)
			puts(toks[i]);
		done += n;
	}
	rc = fflush(stdout) == EOF ? -1 : 0;
out:
	db_unlock(app->db);
	sodium_memzero(toks, TOKENS_CHUNK * sizeof(*toks));
	sodium_memzero(canon, sizeof(canon));
	free(toks);
	return rc;
}

/* ita-survey tokens issue --round ID --count N */
int
cmd_tokens(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	struct round		 rd;
	const struct form	*f;
	int64_t			 round = 0, count = 0;
	int			 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nPrints N new one-time access codes "
		    "(1 to %d), one a line, like\n7QF9-MZD2-XWAP-4HTK.  Only "
		    "a keyed hash of each is stored: they are never\nshown "
		    "again.  Only for rounds of internal forms.\n",
		    TOKENS_USAGE, TOKENS_MAX);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "issue") != 0)
		return usage_error(TOKENS_USAGE, "expected \"issue\"");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(TOKENS_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &count) == -1 ||
			    count > TOKENS_MAX)
				return usage_error(TOKENS_USAGE, "--count must "
				    "be 1 to %d", TOKENS_MAX);
		} else
			return usage_error(TOKENS_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || count == 0)
		return usage_error(TOKENS_USAGE, "--round and --count are "
		    "required");
	if (open_app(&app, cfg) == -1 || get_round(&app, round, &rd) == -1)
		goto out;
	if ((f = formset_get(app.forms, rd.form_id)) == NULL ||
	    !f->internal) {
		fprintf(stderr, "ita-survey: round %lld is not a round of an "
		    "internal form; it takes no access codes\n",
		    (long long)round);
		goto out;
	}
	rc = issue(&app, round, count) == 0 ? 0 : 1;
out:
	app_close(&app);
	return rc;
}

/* ita-survey kiosk add --round ID --name TEXT */
int
cmd_kiosk(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	struct round		 rd;
	const struct form	*f;
	const char		*name = NULL;
	char			 key[TOKEN_TEXT_MAX], canon[KIOSK_CHARS + 1];
	unsigned char		 h[HASH_BYTES];
	int64_t			 round = 0, id;
	int			 i, rc = 1;
	size_t			 k;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nRegisters a kiosk (a tablet at a "
		    "service counter) for an external round\nand prints its "
		    "key alone on a line; it is shown once.  Open /kiosk/ "
		    "on the\ntablet and enter the key to pair it.\n",
		    KIOSK_USAGE);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "add") != 0)
		return usage_error(KIOSK_USAGE, "expected \"add\"");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(KIOSK_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else
			return usage_error(KIOSK_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || name == NULL)
		return usage_error(KIOSK_USAGE, "--round and --name are "
		    "required");
	if (name[0] == '\0' || strlen(name) > NAME_MAX_LEN)
		return usage_error(KIOSK_USAGE, "--name must be 1 to %d bytes",
		    NAME_MAX_LEN);
	for (k = 0; name[k] != '\0'; k++)
		if ((unsigned char)name[k] < 0x20)
			return usage_error(KIOSK_USAGE, "--name must not hold "
			    "control characters");
	if (open_app(&app, cfg) == -1 || get_round(&app, round, &rd) == -1)
		goto out;
	if ((f = formset_get(app.forms, rd.form_id)) == NULL || f->internal) {
		fprintf(stderr, "ita-survey: round %lld is not a round of an "
		    "external form; kiosks are for those\n", (long long)round);
		goto out;
	}
	token_new(key, sizeof(key), KIOSK_BYTES);
	if (token_parse(key, canon, sizeof(canon), KIOSK_CHARS) == -1)
		goto out;
	token_hash(app.secret, TOKEN_KIOSK, 0, canon, h);
	db_lock(app.db);
	if (db_tx_begin(app.db) == 0) {
		if (db_kiosk_insert(app.db, round, name, h, &id) == 0 &&
		    db_audit(app.db, "cli", "kiosk.add", name) == 0 &&
		    db_tx_commit(app.db) == 0) {
			puts(key);
			rc = 0;
		} else
			db_tx_rollback(app.db);
	}
	db_unlock(app.db);
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(canon, sizeof(canon));
	app_close(&app);
	return rc;
}

/* Print the scores document as a short table for people. */
static void
scores_text(json_t *doc)
{
	json_t	*ind, *v;
	size_t	 i;

	printf("round %lld  %s  respondents %lld  scored %lld\n",
	    (long long)json_integer_value(json_object_get(doc, "round")),
	    json_string_value(json_object_get(doc, "form")),
	    (long long)json_integer_value(json_object_get(doc,
	    "respondents")),
	    (long long)json_integer_value(json_object_get(doc, "scored")));
	if (!json_is_true(json_object_get(doc, "published"))) {
		printf("not published: fewer than %lld respondents\n",
		    (long long)json_integer_value(json_object_get(doc,
		    "min_cell")));
		return;
	}
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		v = json_object_get(ind, "score");
		if (json_is_number(v))
			printf("%-4s %7.2f  %s\n", json_string_value(
			    json_object_get(ind, "code")), json_number_value(v),
			    json_string_value(json_object_get(json_object_get(
			    ind, "name"), "en")));
		else
			printf("%-4s %7s  %s\n", json_string_value(
			    json_object_get(ind, "code")), "-",
			    json_string_value(json_object_get(json_object_get(
			    ind, "name"), "en")));
	}
	v = json_object_get(doc, "score");
	if (json_is_number(v))
		printf("score %.2f  grade %s  target %g\n",
		    json_number_value(v), json_string_value(json_object_get(doc,
		    "grade")), json_number_value(json_object_get(doc,
		    "target")));
}

/* ita-survey scores --round ID [--json] */
int
cmd_scores(struct config *cfg, int argc, char **argv)
{
	struct app	 app;
	json_t		*doc = NULL;
	int64_t		 round = 0;
	int		 i, json = 0, rc = 1, status;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nPrints the round's scores; with --json "
		    "the same document as\nGET /api/v1/admin/rounds/ID/scores."
		    "  Figures are published only from\nmin_cell respondents "
		    "on, and move only in steps of min_cell.\n",
		    SCORES_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(SCORES_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return usage_error(SCORES_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0)
		return usage_error(SCORES_USAGE, "--round is required");
	if (open_app(&app, cfg) == -1)
		goto out;
	if ((doc = scores_for_round(&app, round, &status)) == NULL) {
		if (status == 404)
			fprintf(stderr, "ita-survey: no round %lld\n",
			    (long long)round);
		goto out;
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10));
		putchar('\n');
	} else
		scores_text(doc);
	rc = 0;
out:
	json_decref(doc);
	app_close(&app);
	return rc;
}

/* ita-survey export --round ID --what W --format F [--out FILE] */
int
cmd_export(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	enum export_what	 what;
	enum export_format	 fmt;
	const char		*w = NULL, *f = NULL, *outp = NULL;
	char			*tmp = NULL;
	FILE			*out = stdout;
	int64_t			 round = 0;
	int			 i, rc = 1, r;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nWrites the round's scores or its "
		    "anonymised responses to FILE (replaced\nonly when "
		    "complete) or standard output.  CSV is UTF-8 with a BOM "
		    "so Excel\nreads Thai.  Responses come in random order, "
		    "never arrival order, and only\nonce the round is closed "
		    "with at least min_cell respondents.\n", EXPORT_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(EXPORT_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--what") == 0 && i + 1 < argc)
			w = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			f = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			outp = argv[++i];
		else
			return usage_error(EXPORT_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || export_parse(w, f, &what, &fmt) == -1)
		return usage_error(EXPORT_USAGE, "--round, --what and "
		    "--format are required");
	if (open_app(&app, cfg) == -1)
		goto out;
	if (outp != NULL) {
		tmp = xasprintf("%s.tmp", outp);
		if ((out = fopen(tmp, "wb")) == NULL) {
			fprintf(stderr, "ita-survey: %s: %s\n", tmp,
			    strerror(errno));
			goto out;
		}
	}
	r = export_write(&app, round, what, fmt, out);
	if (r == 404)
		fprintf(stderr, "ita-survey: no round %lld\n", (long long)round);
	else if (r == 409)
		fprintf(stderr, "ita-survey: responses can be exported once "
		    "the round is closed and has at least min_cell "
		    "respondents\n");
	if (outp != NULL) {
		if (fclose(out) != 0)
			r = -1;
		out = NULL;
		if (r == 0 && rename(tmp, outp) == -1) {
			fprintf(stderr, "ita-survey: %s: %s\n", outp,
			    strerror(errno));
			r = -1;
		}
		if (r != 0)
			unlink(tmp);
	}
	if (r == 0) {
		db_lock(app.db);
		if (db_audit(app.db, "cli", "export", what == EXPORT_SCORES ?
		    "scores" : "responses") == -1)
			r = -1;
		db_unlock(app.db);
	}
	rc = r == 0 ? 0 : 1;
out:
	free(tmp);
	app_close(&app);
	return rc;
}
