/*
 * Fluent Bit's host API for this plugin's kind, and what the running Fluent Bit offers.
 *
 * struct flb_api grew over releases (custom_* in 4.2) and older releases allocate the shorter
 * table, so the shim copies the fields its kind uses, once per Init, and never reads another.
 * Which release is running is told by functions the fluent-bit executable exports (it is
 * linked with ENABLE_EXPORTS in every release), never by reading past a struct.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>

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
    /* Only reached on 4.2+: Register refuses a custom plugin on older releases. */
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
 * sources: flb_routes_mask_get_size (src/flb_routes_mask.c) is new in 4.2.0, when custom proxy
 * plugins and flb_api.custom_* arrived; flb_input_ingress_enable (src/flb_input_ingest.c) is
 * new in 5.0.0, with flb_plugin_proxy_def.event_type. Both are in every later release.
 */
static int has(const char *symbol)
{
    return dlsym(RTLD_DEFAULT, symbol) != NULL;
}

int host_check_features(void)
{
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_CUSTOM_PLUGIN
    if (!has("flb_routes_mask_get_size")) {
        log_error("custom plugins need Fluent Bit 4.2 or later; this Fluent Bit is older, so the plugin "
                  "is not registered");
        return -1;
    }
#endif
    if ((FLB4J_EVENT_TYPE & ~1) != 0 && !has("flb_input_ingress_enable")) {
        log_error("outputs of metrics or traces need Fluent Bit 5.0 or later; this Fluent Bit is older, so "
                  "the plugin is not registered");
        return -1;
    }
    return 0;
}
