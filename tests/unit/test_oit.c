/* SPDX-License-Identifier: ISC */
/*
 * The OIT desk's pure rules: which addresses the watcher may reach
 * (fetch.c), which URLs may be watched and which are on the main site,
 * the settings' rules (oitconf.c), and the checklist file's (checklist.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "extern.h"
#include "oit.h"
#include "../check.h"

static struct app	app;

/* Whether the watcher may connect to the address text a. */
static int
may(const char *a)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, a, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return oit_addr_allowed(&app, (struct sockaddr *)&sin);
	}
	if (inet_pton(AF_INET6, a, &sin6.sin6_addr) != 1)
		return -1;
	sin6.sin6_family = AF_INET6;
	return oit_addr_allowed(&app, (struct sockaddr *)&sin6);
}

static int
setting_ok(const char *name, const char *value)
{
	int	ok = -1;

	if (!oit_setting_check(name, value, &ok))
		return -1;
	return ok;
}

/* checklist_load() of text written to a file named name. */
static int
load(const char *name, const char *text)
{
	struct checklist	*cl = NULL;
	char			 dir[] = "/tmp/ita-test-oit-XXXXXX", path[128];
	FILE			*f;
	int			 rc;

	if (mkdtemp(dir) == NULL)
		return -2;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -2;
	fputs(text, f);
	fclose(f);
	rc = checklist_load(path, &cl, NULL);
	if (rc == 0 && (cl == NULL || cl->nitems == 0))
		rc = -3;
	checklist_free(cl);
	unlink(path);
	rmdir(dir);
	return rc;
}

#define GOOD_HEAD "{\"id\": \"oit-2570\", \"fiscal_year\": 2570, " \
	"\"title\": {\"th\": \"ก\", \"en\": \"T\"}, \"indicators\": [" \
	"{\"code\": \"9\", \"name\": {\"th\": \"ก\", \"en\": \"N\"}, " \
	"\"weight\": 20, \"groups\": [{\"code\": \"9.1\", \"name\": " \
	"{\"th\": \"ก\", \"en\": \"G\"}, \"items\": ["
#define ITEM(c)	"{\"code\": \"" c "\", \"name\": {\"th\": \"ก\", " \
	"\"en\": \"I\"}}"
#define GOOD_TAIL "]}]}]}"

int
main(void)
{
	char	buf[ERR_MESSAGE_MAX], host[256], why[64];

	/* Addresses: public yes; loopback, private, metadata... no. */
	CHECK(may("203.0.113.9") == 1);		/* documentation, routable */
	CHECK(may("8.8.8.8") == 1);
	CHECK(may("127.0.0.1") == 0);
	CHECK(may("127.9.9.9") == 0);
	CHECK(may("10.1.2.3") == 0);
	CHECK(may("172.16.0.1") == 0);
	CHECK(may("172.31.255.255") == 0);
	CHECK(may("172.32.0.1") == 1);
	CHECK(may("192.168.1.1") == 0);
	CHECK(may("169.254.169.254") == 0);	/* cloud metadata */
	CHECK(may("100.64.0.1") == 0);
	CHECK(may("0.0.0.0") == 0);
	CHECK(may("224.0.0.1") == 0);
	CHECK(may("255.255.255.255") == 0);
	CHECK(may("2001:4860:4860::8888") == 1);
	CHECK(may("::1") == 0);
	CHECK(may("::") == 0);
	CHECK(may("fe80::1") == 0);
	CHECK(may("fd00:ec2::254") == 0);	/* IPv6 metadata */
	CHECK(may("ff02::1") == 0);
	CHECK(may("::ffff:127.0.0.1") == 0);	/* mapped */
	CHECK(may("::ffff:8.8.8.8") == 1);
	CHECK(may("64:ff9b::a9fe:a9fe") == 0);	/* NAT64 of metadata */
	CHECK(oit_addr_allowed(&app, NULL) == 0);

	/* --oit-allow-private: all, or only its networks. */
	app.oit_allow_all = 1;
	CHECK(may("127.0.0.1") == 1 && may("10.1.2.3") == 1);
	app.oit_allow_all = 0;
	CHECK(proxy_parse("127.0.0.1/32,10.1.0.0/16", &app.oit_allow, why,
	    sizeof(why)) == 0);
	CHECK(may("127.0.0.1") == 1);
	CHECK(may("127.0.0.2") == 0);
	CHECK(may("10.1.200.3") == 1);
	CHECK(may("10.2.0.1") == 0);
	CHECK(may("8.8.8.8") == 1);
	proxy_free(app.oit_allow);
	app.oit_allow = NULL;

	/* The shape of an evidence URL. */
	CHECK(oit_url_shape("https://www.agency.go.th/oit/o1.pdf") == ERR_OK);
	CHECK(oit_url_shape("http://agency.go.th") == ERR_OK);
	CHECK(oit_url_shape("ftp://agency.go.th/x") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("file:///etc/passwd") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("javascript:alert(1)") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("https://user:pw@agency.go.th/") ==
	    ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("https://user@agency.go.th/") ==
	    ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("https:///x") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("https://agency.go.th/a b") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("https://agency.go.th/\n") == ERR_OIT_BAD_URL);
	CHECK(oit_url_shape("") == ERR_OIT_BAD_URL);
	CHECK(oit_url_host("https://WWW.Agency.GO.th:8443/x", host,
	    sizeof(host)) == 0 && strcmp(host, "www.agency.go.th") == 0);
	CHECK(oit_url_host("http://[::1]:80/", host, sizeof(host)) == 0 &&
	    strcmp(host, "::1") == 0);
	/* Loopback by name or number is refused at entry, by default. */
	CHECK(oit_url_check(&app, "http://127.0.0.1/") ==
	    ERR_OIT_URL_PRIVATE);
	CHECK(oit_url_check(&app, "http://localhost/") ==
	    ERR_OIT_URL_PRIVATE);
	CHECK(oit_url_check(&app, "http://[::1]/") == ERR_OIT_URL_PRIVATE);
	CHECK(oit_url_check(&app, "http://169.254.169.254/latest/") ==
	    ERR_OIT_URL_PRIVATE);
	CHECK(oit_url_check(&app, "http://203.0.113.9/") == ERR_OK);

	/* On the main site: the host or a name under it. */
	CHECK(oit_on_site("https://agency.go.th/x", "agency.go.th"));
	CHECK(oit_on_site("https://www.AGENCY.go.th/x", "agency.go.th"));
	CHECK(!oit_on_site("https://evilagency.go.th/x", "agency.go.th"));
	CHECK(!oit_on_site("https://agency.go.th.evil.com/", "agency.go.th"));
	CHECK(!oit_on_site("https://drive.google.com/x", "agency.go.th"));
	CHECK(oit_on_site("https://drive.google.com/x", ""));

	/* Settings. */
	CHECK(setting_ok("agency", "x") == -1);		/* not the desk's */
	CHECK(setting_ok("oit.interval", "900") == 1);
	CHECK(setting_ok("oit.interval", "0") == 0);
	CHECK(setting_ok("oit.interval", "86401") == 0);
	CHECK(setting_ok("oit.interval", "-5") == 0);
	CHECK(setting_ok("oit.interval", "9e2") == 0);
	CHECK(setting_ok("oit.interval", "") == 1);	/* the default */
	CHECK(setting_ok("oit.host", "www.agency.go.th") == 1);
	CHECK(setting_ok("oit.host", "agency..go.th") == 0);
	CHECK(setting_ok("oit.host", "https://agency.go.th") == 0);
	CHECK(setting_ok("oit.strict_from", "2027-01-15") == 1);
	CHECK(setting_ok("oit.strict_from", "2027-13-01") == 0);
	CHECK(setting_ok("oit.strict_from", "1800000000") == 0);
	CHECK(setting_ok("oit.mail_to", "a@b.go.th, c@d.go.th") == 1);
	CHECK(setting_ok("oit.mail_to", "a@b.go.th,") == 0);
	CHECK(setting_ok("oit.mail_to", "a b@c") == 0);
	CHECK(setting_ok("oit.mail_to", "<a@b>") == 0);
	CHECK(setting_ok("oit.mail_from", "a@b@c") == 0);
	CHECK(setting_ok("oit.smtp_url", "smtp://mail.agency.go.th:25") == 1);
	CHECK(setting_ok("oit.smtp_url", "smtp://u:p@mail") == 0);
	CHECK(setting_ok("oit.smtp_url", "http://mail") == 0);
	CHECK(setting_ok("oit.webhook", "https://chat.example/hook") == 1);
	CHECK(setting_ok("oit.webhook", "gopher://x") == 0);
	CHECK(setting_ok("oit.checklist", "oit-2563") == 1);
	CHECK(setting_ok("oit.checklist", "../x") == 0);
	CHECK(oit_setting_rule("oit.fails", buf, sizeof(buf)) != NULL &&
	    strstr(buf, "from 1 to 100") != NULL);
	CHECK(oit_setting_rule("agency", buf, sizeof(buf)) == NULL);

	/* The schedule: the window's interval inside it, when stricter. */
	{
		struct oit_conf	c;

		memset(&c, 0, sizeof(c));
		c.interval = 900;
		c.strict_interval = 300;
		CHECK(oit_conf_interval(&c, 1000) == 900);	/* no window */
		c.strict_from = 2000;
		c.strict_to = 3000;
		CHECK(oit_conf_interval(&c, 1999) == 900);
		CHECK(oit_conf_interval(&c, 2000) == 300);
		CHECK(oit_conf_interval(&c, 2999) == 300);
		CHECK(oit_conf_interval(&c, 3000) == 900);
		c.strict_to = 0;				/* open-ended */
		CHECK(oit_conf_interval(&c, 99999) == 300);
		c.strict_interval = 1800;			/* not stricter */
		CHECK(oit_conf_interval(&c, 2500) == 900);
	}

	/* States. */
	{
		enum oit_state	s;

		CHECK(oit_state_parse("suspect", &s) == 0 &&
		    s == OIT_SUSPECT);
		CHECK(oit_state_parse("sideways", &s) == -1);
		CHECK(strcmp(oit_state_name(OIT_DOWN), "down") == 0);
	}

	/* Checklist files. */
	CHECK(load("oit-2570.json", GOOD_HEAD ITEM("o1") "," ITEM("o2")
	    GOOD_TAIL) == 0);
	CHECK(load("oit-2571.json", GOOD_HEAD ITEM("o1") GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", GOOD_HEAD ITEM("o1") "," ITEM("o1")
	    GOOD_TAIL) == -1);			/* duplicate item */
	CHECK(load("oit-2570.json", GOOD_HEAD ITEM("x1") GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", GOOD_HEAD ITEM("o") GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", GOOD_HEAD "{\"code\": \"o1\", \"name\": "
	    "{\"th\": \"\", \"en\": \"I\"}}" GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", GOOD_HEAD "{\"code\": \"o1\", \"name\": "
	    "{\"th\": \"a\\nb\", \"en\": \"I\"}}" GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", GOOD_HEAD "{\"code\": \"o1\", \"name\": "
	    "{\"th\": \"a\", \"en\": \"I\"}, \"colour\": 1}" GOOD_TAIL) == -1);
	CHECK(load("oit-2570.json", "{\"id\": \"oit-2570\"}") == -1);
	CHECK(load("oit-2570.json", "[1, 2") == -1);
	CHECK(checklist_name("oit-2563.json"));
	CHECK(!checklist_name("ita-2563-iit.json"));
	CHECK(!checklist_name("oit-.json"));
	return check_done("test_oit");
}
