/*
 * A C proxy output for the end-to-end comparison: through the same ABI as a flb4j output, each
 * flush walks every event of the chunk and every value of its record (map keys, strings,
 * numbers, nested maps and arrays), the work a flb4j output does when it decodes each record
 * to a Map, without building anything. It counts events and string bytes and logs them at exit
 * (the value counts are approximate if Fluent Bit flushes on several threads at once).
 * Build: cc -O2 -shared -fPIC -I ../../native/src/main/c c_output.c -o c_output.so
 * For the stall benchmark, -DNAME='"c_sleep"' -DSLEEP_MS=500 makes a C output whose flush first
 * sleeps on Fluent Bit's thread, as any proxy output that waits does without flb4j's yield.
 */
#ifndef NAME
#define NAME "c_output"
#endif
#ifndef SLEEP_MS
#define SLEEP_MS 0
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "flb4j_abi.h"   /* native/src/main/c, given with -I */

static uint64_t g_events, g_string_bytes, g_values;
static const unsigned char *g_end;

static uint32_t be16(const unsigned char *p) { return (uint32_t) p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) { return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3]; }

/* Visits one value and returns the byte after it, or NULL when the chunk is malformed. */
static const unsigned char *walk(const unsigned char *p)
{
    if (!p || p >= g_end) {
        return NULL;
    }
    unsigned c = *p++;
    uint32_t n = 0;
    g_values++;
    if (c <= 0x7f || c >= 0xe0) return p;                       /* fixint */
    if ((c & 0xe0) == 0xa0) { n = c & 0x1f; goto str; }
    if ((c & 0xf0) == 0x90) { n = c & 0x0f; goto array; }
    if ((c & 0xf0) == 0x80) { n = c & 0x0f; goto map; }
    switch (c) {
    case 0xc0: case 0xc2: case 0xc3: return p;
    case 0xcc: case 0xd0: return p + 1;
    case 0xcd: case 0xd1: return p + 2;
    case 0xca: case 0xce: case 0xd2: return p + 4;
    case 0xcb: case 0xcf: case 0xd3: return p + 8;
    case 0xd9: n = p[0]; p += 1; goto str;
    case 0xda: n = be16(p); p += 2; goto str;
    case 0xdb: n = be32(p); p += 4; goto str;
    case 0xc4: n = p[0]; return p + 1 + n;
    case 0xc5: n = be16(p); return p + 2 + n;
    case 0xc6: n = be32(p); return p + 4 + n;
    case 0xd4: return p + 2;
    case 0xd5: return p + 3;
    case 0xd6: return p + 5;
    case 0xd7: return p + 9;
    case 0xd8: return p + 17;
    case 0xc7: return p + 2 + p[0];
    case 0xc8: return p + 3 + be16(p);
    case 0xc9: return p + 5 + be32(p);
    case 0xdc: n = be16(p); p += 2; goto array;
    case 0xdd: n = be32(p); p += 4; goto array;
    case 0xde: n = be16(p); p += 2; goto map;
    case 0xdf: n = be32(p); p += 4; goto map;
    default: return NULL;
    }
str:
    g_string_bytes += n;
    return p + n <= g_end ? p + n : NULL;
array:
    for (uint32_t i = 0; i < n && p; i++) p = walk(p);
    return p;
map:
    for (uint32_t i = 0; i < 2 * n && p; i++) p = walk(p);
    return p;
}

int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    def->type = FLB_PROXY_OUTPUT_PLUGIN;
    def->proxy = FLB_PROXY_GOLANG;
    def->flags = 0;
    def->name = NAME;
    def->description = "C baseline output: walks every value";
    return 0;
}

int FLBPluginInit(void *plugin)
{
    struct flbgo_plugin *p = plugin;
    if (p->context) {
        ((struct flb_plugin_proxy_context *) p->context)->remote_context = (void *) 1;
    }
    return FLB_OK;
}

int FLBPluginFlushCtx(void *ctx, const void *data, size_t size, char *tag)
{
    (void) ctx; (void) tag;
    if (SLEEP_MS > 0) {
        usleep(SLEEP_MS * 1000);
    }
    const unsigned char *p = data;
    uint64_t events = 0;
    g_end = p + size;
    while (p && p < g_end) {
        p = walk(p);   /* one event: [[time, metadata], record] */
        events++;
    }
    __atomic_add_fetch(&g_events, events, __ATOMIC_RELAXED);
    return p ? FLB_OK : FLB_ERROR;
}

int FLBPluginFlush(const void *data, size_t size, char *tag) { return FLBPluginFlushCtx(NULL, data, size, tag); }

int FLBPluginExitCtx(void *ctx)
{
    (void) ctx;
    fprintf(stderr, NAME ": %llu events, %llu values, %llu string bytes\n", (unsigned long long) g_events,
            (unsigned long long) g_values, (unsigned long long) g_string_bytes);
    return FLB_OK;
}

int FLBPluginExit(void) { return FLB_OK; }
void FLBPluginUnregister(void *def) { (void) def; }
