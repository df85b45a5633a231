/* SPDX-License-Identifier: ISC */
/* One line of typed text: titles and names (text_ok). */
#include <string.h>

#include "extern.h"
#include "../check.h"

int
main(void)
{
	char	big[300];

	CHECK(text_ok("IIT 2569", 200));
	CHECK(text_ok("ITA 2569 กองคลัง", 200));
	CHECK(text_ok("a", 1));
	CHECK(text_ok("emoji \xf0\x9f\x98\x80", 200));
	/* Empty and too long. */
	CHECK(!text_ok("", 200));
	CHECK(!text_ok("ab", 1));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(text_ok(big, sizeof(big) - 1));
	CHECK(!text_ok(big, sizeof(big) - 2));
	/* Control characters: C0, DEL, C1, line separators. */
	CHECK(!text_ok("round\nforged\t1", 200));
	CHECK(!text_ok("tab\there", 200));
	CHECK(!text_ok("cr\r", 200));
	CHECK(!text_ok("esc \x1b[2J", 200));
	CHECK(!text_ok("del \x7f", 200));
	CHECK(!text_ok("c1 \xc2\x85", 200));
	CHECK(!text_ok("c1 \xc2\x9b", 200));
	CHECK(!text_ok("ls \xe2\x80\xa8", 200));
	CHECK(text_ok("nbsp \xc2\xa0", 200));
	/* Invalid UTF-8: stray continuation, overlong, surrogate, too big,
	 * truncated. */
	CHECK(!text_ok("\x80", 200));
	CHECK(!text_ok("\xc0\xaf", 200));
	CHECK(!text_ok("\xed\xa0\x80", 200));
	CHECK(!text_ok("\xf4\x90\x80\x80", 200));
	CHECK(!text_ok("\xe0\xb8", 200));
	CHECK(!text_ok("\xff", 200));

	/* --public-url: scheme, host, port; one trailing slash dropped. */
	CHECK(text_base_url("https://survey.example.go.th") == 28);
	CHECK(text_base_url("https://survey.example.go.th/") == 28);
	CHECK(text_base_url("http://10.0.0.5:8080") == 20);
	CHECK(text_base_url("https://[2001:db8::1]:8443/") == 26);
	CHECK(text_base_url("ftp://x") == 0);
	CHECK(text_base_url("https://") == 0);
	CHECK(text_base_url("https://x/path") == 0);
	CHECK(text_base_url("https://x//") == 0);
	CHECK(text_base_url("https://a b") == 0);
	CHECK(text_base_url("https://x:") == 0);
	CHECK(text_base_url("https://x:123456") == 0);
	CHECK(text_base_url("https://x?q") == 0);
	CHECK(text_base_url("https://x#f") == 0);
	CHECK(text_base_url("https://user@x") == 0);
	CHECK(text_base_url("https://-x") == 0);
	CHECK(text_base_url("https://[]") == 0);
	CHECK(text_base_url("HTTPS://x") == 0);
	CHECK(text_base_url("https://x:65535") == 15);
	CHECK(text_base_url("https://x:65536") == 0);
	CHECK(text_base_url("https://x:0") == 0);
	CHECK(text_base_url("https://x:080") == 0);
	CHECK(text_base_url("https://a..b") == 0);
	CHECK(text_base_url("https://a.b.") == 0);
	CHECK(text_base_url("https://a.-b") == 0);
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "https://", 8);
	CHECK(text_base_url(big) == 0);
	big[PUBLIC_URL_MAX] = '\0';
	CHECK(text_base_url(big) == PUBLIC_URL_MAX);
	return check_done("test_text");
}
