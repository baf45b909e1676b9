/*
 * Fluent Bit's host API for this plugin's kind, and what the running Fluent Bit offers.
 *
 * struct flb_api grew over releases (custom_* in 4.0.3) and older releases allocate the shorter
 * table, so the shim copies the fields its kind uses, once per Init, and never reads another.
 * Which release is running is told by functions the fluent-bit executable exports (it is
 * linked with ENABLE_EXPORTS in every release), or by the size of the struct it allocated for
 * FLBPluginRegister, never by reading past a struct.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shim.h"

struct host_fns g_host;

void host_bind(const struct flb_api *api)
{
    struct host_fns h = { 0 };
    h.log_print = api->log_print;
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_INPUT_PLUGIN
    h.get_property = api->input_get_property;
    h.get_cmt = api->input_get_cmt_instance;
    h.log_check = api->input_log_check;
    h.instance_name = (const char *(*)(void *)) dlsym(RTLD_DEFAULT, "flb_input_name");
#elif FLB4J_PLUGIN_TYPE == FLB_PROXY_OUTPUT_PLUGIN
    h.get_property = api->output_get_property;
    h.get_cmt = api->output_get_cmt_instance;
    h.log_check = api->output_log_check;
    h.instance_name = (const char *(*)(void *)) dlsym(RTLD_DEFAULT, "flb_output_name");
#else
    /* Only reached on 4.0.3+: Register refuses a custom plugin on older releases. */
    h.get_property = api->custom_get_property;
    h.log_check = api->custom_log_check;
    h.instance_name = (const char *(*)(void *)) dlsym(RTLD_DEFAULT, "flb_custom_name");
#endif
    g_host = h;
}

static void log_line(int level, const char *fmt, va_list ap)
{
    char msg[1024];
    int n = snprintf(msg, sizeof(msg), "[flb4j:%s] ", FLB4J_PLUGIN_NAME);
    vsnprintf(msg + n, sizeof(msg) - (size_t) n, fmt, ap);
    if (g_host.log_print) {
        g_host.log_print(level, __FILE__, __LINE__, "%s", msg);
    }
    else {
        fprintf(stderr, "%s %s\n", level == 1 ? "[error]" : level == 2 ? "[ warn]" : "[ info]", msg);
    }
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(1, fmt, ap);
    va_end(ap);
}

long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(3, fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(2, fmt, ap);
    va_end(ap);
}

/*
 * A function that first appeared in a release marks that release. Checked in the tags'
 * sources: flb_proxy_custom_cb_init (src/flb_plugin_proxy.c) is new in 4.0.3, with custom
 * proxy plugins and flb_api.custom_*; flb_input_ingress_enable (src/flb_input_ingest.c) is new
 * in 5.0.0. Both are in every later release.
 */
static int has(const char *symbol)
{
    return dlsym(RTLD_DEFAULT, symbol) != NULL;
}

/*
 * Whether the struct Fluent Bit allocated at p was asked for with `size` bytes or with the
 * `smaller` size an earlier release used: 1 for size, 0 for smaller, -1 when this process's
 * allocator cannot tell. Releases that differ by a field and by no exported function (4.2.3 and
 * 4.2.2, 5.1.1 and 5.1.0) differ in sizeof(struct flb_plugin_proxy_def), which Fluent Bit
 * allocates with malloc/calloc. The allocator rounds a request up to a size class; two probes of
 * our own tell whether its classes keep the two sizes apart (jemalloc with Fluent Bit's 8-byte
 * quantum and AddressSanitizer always do; glibc does not for 32 and 40 bytes). A jemalloc built
 * with a prefix (je_malloc) may not be the malloc this .so calls: then nothing is read.
 */
static int allocated_with(void *p, size_t size, size_t smaller)
{
    if (has("je_malloc") || has("je_malloc_usable_size")) {
        return -1;
    }
    void *a = malloc(smaller), *b = malloc(size);
    size_t ua = a ? malloc_usable_size(a) : 0, ub = b ? malloc_usable_size(b) : 0;
    free(a);
    free(b);
    if (!a || !b || ua == ub) {
        return -1;
    }
    size_t u = malloc_usable_size(p);
    return u >= ub ? 1 : u <= ua ? 0 : -1;
}

int host_config_map_fits(struct flb_plugin_proxy_def *def)
{
    return allocated_with(def, FLB_PROXY_DEF_SIZE_5_1_1, FLB_PROXY_DEF_SIZE_5_0) == 1;
}

int host_check_features(struct flb_plugin_proxy_def *def)
{
    (void) def;
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_CUSTOM_PLUGIN
    if (!has("flb_proxy_custom_cb_init")) {
        log_error("custom plugins need Fluent Bit 4.0.3 or later; this Fluent Bit is older, so the plugin "
                  "is not registered");
        return -1;
    }
#endif
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_INPUT_PLUGIN
    if ((FLB4J_EVENT_TYPE & 2) != 0 && !input_metrics_supported()) {
        log_error("inputs of metrics need cmt_decode_msgpack_create, flb_input_metrics_append and cmt_destroy, "
                  "which this Fluent Bit does not export, so the plugin is not registered");
        return -1;
    }
    if ((FLB4J_EVENT_TYPE & 4) != 0 && !input_traces_supported()) {
        log_error("inputs of traces need ctr_decode_msgpack_create, flb_input_trace_append and ctr_destroy, "
                  "which this Fluent Bit does not export, so the plugin is not registered");
        return -1;
    }
#endif
    if (FLB4J_PLUGIN_TYPE == FLB_PROXY_OUTPUT_PLUGIN && (FLB4J_EVENT_TYPE & ~1) != 0
        && !has("flb_input_ingress_enable")) {
        int with_event_type = allocated_with(def, FLB_PROXY_DEF_SIZE_5_0, FLB_PROXY_DEF_SIZE_2_2);
        if (with_event_type == -1) {
            log_error("outputs of metrics or traces need Fluent Bit 4.2.3 or later; this Fluent Bit is older than "
                      "5.0, and its memory allocator cannot tell 4.2.3 from an earlier release (flb4j reads the "
                      "size of the struct Fluent Bit allocated), so the plugin is not registered. Use Fluent Bit "
                      "5.0 or later, or 4.2.3 or later built with jemalloc as the official packages are");
            return -1;
        }
        if (with_event_type == 0) {
            log_error("outputs of metrics or traces need Fluent Bit 4.2.3 or later; this Fluent Bit is older, so "
                      "the plugin is not registered");
            return -1;
        }
    }
    return 0;
}
