# ita-survey: a survey collection server for the ITA questionnaires.
# GNU make.  "make run" and "make test" are the whole set-up on a fresh
# Debian 12 machine (as root): both install what is missing first.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/ita-survey
CC	?= cc
CLANG	?= clang

PKGS	 = libmicrohttpd sqlite3 jansson libsodium xlsxwriter libqrencode
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
	   -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings -Werror
CFLAGS	?= -O2 -g
CFLAGS	+= $(WARN) -D_DEFAULT_SOURCE -D_FORTIFY_SOURCE=2 \
	   -fstack-protector-strong $(PKG_CFLAGS)
LDFLAGS	+= -Wl,-z,relro,-z,now
LDLIBS	+= $(PKG_LIBS) -lm -lpthread

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# The modules; unit tests link against these.  CMDS: the command line.
OBJS	 = log.o buf.o token.o form.o score.o db.o migrate.o auth.o \
	   config.o http.o routes.o api_public.o api_admin.o export.o \
	   limit.o sandbox.o qr.o writer.o submit.o
CMDS	 = main.o cmd_serve.o cmd_admin.o cmd_round.o cmd_forms.o
UNITS	 = test_token test_form test_score test_migrate test_buf test_ita
# libFuzzer targets, tests/fuzz/fuzz_*.c; "make fuzz" runs each this long.
FUZZ	 = fuzz_submit fuzz_form fuzz_token fuzz_csv
FUZZ_SECONDS ?= 60

BUILD	 = build
ABUILD	 = build/asan
BIN	 = $(BUILD)/ita-survey
ABIN	 = $(ABUILD)/ita-survey
FBUILD	 = build/fuzz
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# Debian packages: what building and serving needs, then what tests need.
DEPS_RUN  = build-essential pkg-config libmicrohttpd-dev libsqlite3-dev \
	    libjansson-dev libsodium-dev libxlsxwriter-dev libqrencode-dev
DEPS_TEST = curl sqlite3 valgrind clang chromium fonts-thai-tlwg \
	    procps libclang-rt-14-dev openssl zbar-tools
# What "make bench" needs besides DEPS_RUN (bench/run.sh builds the
# reference server with the same -dev packages).
DEPS_BENCH = wrk curl sqlite3

-include Makefile.local

.PHONY: all deps deps-test run test test-unit test-http test-browser \
	test-asan test-fuzz valgrind bench fuzz install uninstall clean npm

all: $(BIN)

$(BUILD) $(ABUILD) $(FBUILD) var:
	mkdir -p $@

$(BUILD)/%.o: server/%.c server/extern.h server/db.h server/http.h server/cmd.h | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(ABUILD)/%.o: server/%.c server/extern.h server/db.h server/http.h server/cmd.h | $(ABUILD)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(BIN): $(addprefix $(BUILD)/,$(OBJS) $(CMDS))
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(ABIN): $(addprefix $(ABUILD)/,$(OBJS) $(CMDS))
	$(CC) $(LDFLAGS) -fsanitize=address,undefined -o $@ $^ $(LDLIBS)

$(BUILD)/test_%: tests/unit/test_%.c tests/check.h $(addprefix $(BUILD)/,$(OBJS))
	$(CC) $(CFLAGS) -Iserver -o $@ $< $(addprefix $(BUILD)/,$(OBJS)) \
	    $(LDFLAGS) $(LDLIBS)

$(ABUILD)/test_%: tests/unit/test_%.c tests/check.h $(addprefix $(ABUILD)/,$(OBJS))
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -Iserver -o $@ $< \
	    $(addprefix $(ABUILD)/,$(OBJS)) $(LDFLAGS) \
	    -fsanitize=address,undefined $(LDLIBS)

# Fuzz targets: clang with libFuzzer for "make fuzz"; gcc with ASan and
# tests/fuzz/driver.c, which replays corpus/ and regress/, for "make test".
$(FBUILD)/%.o: server/%.c server/extern.h server/db.h server/http.h server/cmd.h | $(FBUILD)
	$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FBUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(addprefix $(FBUILD)/,$(OBJS))
	$(CLANG) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Iserver -o $@ $< \
	    $(addprefix $(FBUILD)/,$(OBJS)) $(LDFLAGS) $(LDLIBS)

# Pattern-built objects, not intermediates: keep them between runs.
.SECONDARY: $(addprefix $(FBUILD)/,$(OBJS)) $(addprefix $(ABUILD)/,$(OBJS))

$(ABUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/driver.c \
    $(addprefix $(ABUILD)/,$(OBJS))
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -Iserver -o $@ $< tests/fuzz/driver.c \
	    $(addprefix $(ABUILD)/,$(OBJS)) $(LDFLAGS) \
	    -fsanitize=address,undefined $(LDLIBS)

# Install the Debian packages that are missing, and nothing else.
deps:
	@sh tests/deps.sh $(DEPS_RUN)

deps-test: deps
	@sh tests/deps.sh $(DEPS_TEST)
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
	    sh tests/deps.sh nodejs npm

# The browser tests' npm packages (playwright-core, axe-core), locked.
npm: deps-test
	@test -d tests/browser/node_modules/playwright-core || \
	    (cd tests/browser && npm ci --no-audit --no-fund)

run: deps
	$(MAKE) all
	@mkdir -p var
	$(BIN) migrate
	$(BIN) serve

test: deps-test npm
	$(MAKE) all
	$(MAKE) test-unit
	$(MAKE) test-fuzz
	$(MAKE) test-http
	$(MAKE) test-browser
	$(MAKE) test-asan
	$(MAKE) valgrind
	@echo "make test: unit, fuzz replay, HTTP, browser, ASan+UBSan" \
	    "(unit and HTTP) and valgrind (HTTP) all passed"
	@echo "suites: 7 passed, 0 failed"

test-unit: $(addprefix $(BUILD)/,$(UNITS)) $(BIN)
	@sh tests/run-units.sh $(BUILD) $(UNITS)

test-http: $(BIN)
	@sh tests/http/run.sh $(BIN)

test-browser: $(BIN)
	cd tests/browser && node --test --test-concurrency=1

test-asan: $(addprefix $(ABUILD)/,$(UNITS)) $(ABIN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run-units.sh $(ABUILD) $(UNITS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/http/run.sh $(ABIN)

valgrind: $(BIN)
	@ITA_VALGRIND=1 sh tests/http/run.sh $(BIN)

bench: $(BIN)
	@sh tests/deps.sh $(DEPS_RUN) $(DEPS_BENCH)
	@sh bench/run.sh $(BIN)

fuzz: $(addprefix $(FBUILD)/,$(FUZZ))
	@sh tests/fuzz/run.sh $(FBUILD) $(FUZZ_SECONDS) $(FUZZ)

test-fuzz: $(addprefix $(ABUILD)/,$(FUZZ))
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/fuzz/replay.sh $(ABUILD) $(FUZZ)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/ita-survey
	cp -R forms migrations web $(DESTDIR)$(SHAREDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ita-survey
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf $(BUILD) tests/out
