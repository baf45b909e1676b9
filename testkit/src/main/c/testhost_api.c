/*
 * The host API Fluent Bit gives plugins (struct flb_api), the keys its core keeps, and the
 * emulated release: FLB_VERSION=2.2|3.2|4.0.3|4.2|4.2.3|5.0|5.1.0|5.1.1 (default 5.1.1) gives the
 * plugin that release's struct flb_plugin_proxy_def (from malloc, its size as the release asks;
 * AddressSanitizer catches a write past it) and struct flb_api (ending at a page the process
 * cannot touch), and exports the functions that release added (from the feature libraries
 * beside the binary). From 5.1.1 a config_map the plugin registers is listed and checked as
 * Fluent Bit checks it. Keys Fluent Bit's core keeps
 * are read from <binary>.kept-<kind> and never handed to the plugin.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testhost.h"
/* Keys Fluent Bit's core keeps, per kind: one per line, a trailing '*' for a prefix. */
static char kept[4][4096];

void read_kept(const char *self)
{
    const char *kinds[4] = { NULL, "input", "output", "custom" };
    for (int k = 1; k <= 3; k++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s.kept-%s", self, kinds[k]);
        FILE *f = fopen(path, "r");
        if (f) {
            size_t n = fread(kept[k], 1, sizeof(kept[k]) - 1, f);
            kept[k][n] = '\0';
            fclose(f);
        }
    }
}

int is_kept(int kind, const char *key, size_t n)
{
    const char *list = kind >= 1 && kind <= 3 ? kept[kind] : "";
    for (const char *line = list; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
        size_t len = strcspn(line, "\n");
        if (len > 0 && line[len - 1] == '*' ? strncasecmp(line, key, len - 1) == 0
                                            : len == n && strncasecmp(line, key, n) == 0) {
            return 1;
        }
    }
    return 0;
}

static char *get_property(char *key, void *ins)
{
    struct instance *i = ins;
    size_t n = strlen(key);
    if (is_kept(i->kind, key, n)) {
        return NULL;
    }
    for (int k = 0; k < i->count; k++) {
        if (strncasecmp(i->props[k], key, n) == 0 && i->props[k][n] == '=') {
            return i->props[k] + n + 1;
        }
    }
    return NULL;
}

static void *get_cmt(void *ins)
{
    return ins;
}

static void log_print(int level, const char *file, int line, const char *fmt, ...)
{
    (void) file;
    (void) line;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    say("log %d %s", level, msg);
}

static int log_check(void *ins, int level)
{
    (void) ins;
    return level <= 4;
}

static const struct flb_api full_api = {
    get_property, get_property, get_cmt, get_cmt, log_print, log_check, log_check, get_property, log_check
};

/* The emulated release, and structs of its length that end where a PROT_NONE page starts. */
static const char *fb_version = "5.1.1";
struct flb_api *api;

void *guarded(size_t size, int fill)
{
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t) page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || mprotect(p + page, (size_t) page, PROT_NONE) != 0) {
        fprintf(stderr, "fatal mmap\n");
        exit(2);
    }
    memset(p + page - size, fill, size);
    return p + page - size;
}

void unguard(void *p, size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    munmap((char *) p + size - page, (size_t) page * 2);
}

int version_at_least(const char *v)
{
    int a[3] = { 0 }, b[3] = { 0 };
    sscanf(fb_version, "%d.%d.%d", &a[0], &a[1], &a[2]);
    sscanf(v, "%d.%d.%d", &b[0], &b[1], &b[2]);
    for (int i = 0; i < 3; i++) {
        if (a[i] != b[i]) {
            return a[i] > b[i];
        }
    }
    return 1;
}

/*
 * The def as flb_plugin_proxy_create allocates it: from malloc, since the shim asks the
 * allocator its size (AddressSanitizer catches a write past it). 40 bytes, zeroed, from 4.2.3
 * (event_type, flb_calloc); 48 from 5.1.1 (config_map); before 4.2.3, 32 bytes from flb_malloc,
 * not zeroed.
 */
struct flb_plugin_proxy_def *new_def(void)
{
    if (version_at_least("5.1.1")) {
        return calloc(1, FLB_PROXY_DEF_SIZE_5_1_1);
    }
    if (version_at_least("4.2.3")) {
        return calloc(1, FLB_PROXY_DEF_SIZE_5_0);
    }
    void *def = malloc(FLB_PROXY_DEF_SIZE_2_2);
    memset(def, 0xa5, FLB_PROXY_DEF_SIZE_2_2);
    return def;
}

void emulate_version(const char *self)
{
    const char *v = getenv("FLB_VERSION");
    if (v && v[0]) {
        fb_version = v;
    }
    size_t size = version_at_least("4.0.3") ? FLB_API_SIZE_4_2 : FLB_API_SIZE_2_2;
    api = guarded(size, 0);
    memcpy(api, &full_api, size);
    const char *features[3][2] = { { "4.0.3", "features-4.0.3.so" }, { "4.2", "features-4.2.so" },
                                   { "5.0", "features-5.0.so" } };
    for (int i = 0; i < 3; i++) {
        if (version_at_least(features[i][0])) {
            char path[4096];
            snprintf(path, sizeof(path), "%s.%s", self, features[i][1]);
            if (!dlopen(path, RTLD_NOW | RTLD_GLOBAL)) {
                fprintf(stderr, "fatal %s\n", dlerror());
                exit(2);
            }
        }
    }
}

const char *flb_input_name(void *ins)
{
    return ((struct instance *) ins)->name;
}

const char *flb_output_name(void *ins)
{
    return ((struct instance *) ins)->name;
}

const char *flb_custom_name(void *ins)
{
    return ((struct instance *) ins)->name;
}

