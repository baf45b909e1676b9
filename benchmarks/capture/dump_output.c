/*
 * A C proxy output that writes every chunk Fluent Bit flushes to it into a file, unchanged:
 * how the cmetrics and ctraces payloads in testkit/src/main/resources/io/flb4j/testkit/captured were captured from a real
 * Fluent Bit (see capture.sh). It registers for metrics and traces (event_type 2 | 4, Fluent
 * Bit 5.0+). Files: $DUMP_DIR/<n>-<tag>.msgpack. Build: cc -O2 -shared -fPIC -I ../../native/src/main/c dump_output.c -o dump_output.so
 */
#include <stdio.h>
#include <stdlib.h>

#include "flb4j_abi.h"   /* native/src/main/c, given with -I */

static int g_n;

int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    def->type = FLB_PROXY_OUTPUT_PLUGIN;
    def->proxy = FLB_PROXY_GOLANG;
    def->flags = 0;
    def->name = "dump_output";
    def->description = "writes each flushed chunk to a file";
    def->event_type = 2 | 4;
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
    (void) ctx;
    char path[4096];
    const char *dir = getenv("DUMP_DIR");
    snprintf(path, sizeof(path), "%s/%03d-%s.msgpack", dir ? dir : ".", __atomic_add_fetch(&g_n, 1, __ATOMIC_SEQ_CST), tag);
    FILE *f = fopen(path, "wb");
    if (!f) {
        return FLB_ERROR;
    }
    fwrite(data, 1, size, f);
    fclose(f);
    return FLB_OK;
}

int FLBPluginFlush(const void *data, size_t size, char *tag) { return FLBPluginFlushCtx(NULL, data, size, tag); }
int FLBPluginExitCtx(void *ctx) { (void) ctx; return FLB_OK; }
int FLBPluginExit(void) { return FLB_OK; }
void FLBPluginUnregister(void *def) { (void) def; }
