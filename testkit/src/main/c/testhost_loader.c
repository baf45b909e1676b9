/* A plugin .so loaded as Fluent Bit's proxy loads it: dlopen RTLD_LAZY, dlsym, Register, Init. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testhost.h"

void *sym(struct plugin *p, const char *name, int required)
{
    void *s = dlsym(p->so, name);
    if (!s && required) {
        say("missing symbol %s", name);
        exit(2);
    }
    return s;
}

void load(struct plugin *p, const char *path, char **props, int count)
{
    memset(p, 0, sizeof(*p));
    p->def = new_def();
    p->so = dlopen(path, RTLD_LAZY);
    if (!p->so) {
        say("fatal dlopen %s", dlerror());
        exit(2);
    }
    int (*pre)(int) = sym(p, "FLBPluginPreRegister", 0);
    if (pre && pre(0) != 0) {
        die("pre-register refused");
    }
    int (*reg)(struct flb_plugin_proxy_def *) = sym(p, "FLBPluginRegister", 1);
    if (reg(p->def) != 0) {
        die("register refused");
    }
    say("registered name=%s type=%d proxy=%d description=%s", p->def->name, p->def->type, p->def->proxy,
        p->def->description);
    if (version_at_least("5.1.1") && p->def->config_map) {
        for (struct flb_config_map *m = p->def->config_map; m->name; m++) {
            say("config_map type=%d name=%s default=%s desc=%s", m->type, m->name,
                m->def_value ? m->def_value : "(none)", m->desc ? m->desc : "(none)");
        }
    }
    p->ins.props = props;
    p->ins.count = count;
    p->ins.kind = p->def->type;
    p->ins.alive = INSTANCE_ALIVE;
    snprintf(p->ins.name, sizeof(p->ins.name), "%s.0", p->def->name);
    p->flush_ctx = sym(p, "FLBPluginFlushCtx", 0);
    p->exit_ctx = sym(p, "FLBPluginExitCtx", 0);
    p->unregister = sym(p, "FLBPluginUnregister", 0);
}

/* Fluent Bit 5.1.1's flb_config_map_properties_check: a key the map lacks stops start-up. */
static int properties_check(struct plugin *p)
{
    if (!version_at_least("5.1.1") || !p->def->config_map) {
        return 0;
    }
    for (int k = 0; k < p->ins.count; k++) {
        const char *prop = p->ins.props[k];
        size_t len = strcspn(prop, "=");
        if (is_kept(p->ins.kind, prop, len)) {
            continue;
        }
        int found = 0;
        for (struct flb_config_map *m = p->def->config_map; m->name && !found; m++) {
            found = strlen(m->name) == len && strncasecmp(m->name, prop, len) == 0;
        }
        if (!found) {
            say("config error: %s: unknown configuration property '%.*s'", p->def->name, (int) len, prop);
            return -1;
        }
    }
    return 0;
}

int init(struct plugin *p)
{
    if (properties_check(p) != 0) {
        say("init rc=%d", -1);
        return -1;
    }
    int (*init_fn)(void *) = sym(p, "FLBPluginInit", 1);
    struct flbgo_plugin arg = { p->def->name, api, &p->ins,
                                p->def->type == FLB_PROXY_INPUT_PLUGIN ? (void *) &p->in_ctx : (void *) &p->ctx };
    int rc = init_fn(&arg);
    say("init rc=%d", rc);
    if (rc == FLB_OK && p->def->type == FLB_PROXY_OUTPUT_PLUGIN) {
        forgotten_workers_start(&p->ins);   /* flb_proxy_output_cb_init's pool */
    }
    return rc;
}

void *remote(struct plugin *p)
{
    return p->def->type == FLB_PROXY_INPUT_PLUGIN ? p->in_ctx.remote_context : p->ctx.remote_context;
}

void unload(struct plugin *p)
{
    if (p->exit_ctx) {
        say("exit rc=%d", p->exit_ctx(remote(p)));
    }
    forgotten_workers_free(&p->ins);   /* flb_output_exit: the instance is freed after its exit callback */
    if (p->unregister) {
        p->unregister(p->def);
    }
    dlclose(p->so);
    free(p->def);
}

char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        die("cannot read chunk file");
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t) n + 1);
    if (!data || fread(data, 1, (size_t) n, f) != (size_t) n) {
        die("cannot read chunk file");
    }
    fclose(f);
    *size = (size_t) n;
    return data;
}
