/* A plugin .so loaded as Fluent Bit's proxy loads it: dlopen RTLD_LAZY, dlsym, Register, Init. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    p->ins.props = props;
    p->ins.count = count;
    p->ins.kind = p->def->type;
    snprintf(p->ins.name, sizeof(p->ins.name), "%s.0", p->def->name);
    p->flush_ctx = sym(p, "FLBPluginFlushCtx", 0);
    p->exit_ctx = sym(p, "FLBPluginExitCtx", 0);
    p->unregister = sym(p, "FLBPluginUnregister", 0);
}

int init(struct plugin *p)
{
    int (*init_fn)(void *) = sym(p, "FLBPluginInit", 1);
    struct flbgo_plugin arg = { p->def->name, api, &p->ins,
                                p->def->type == FLB_PROXY_INPUT_PLUGIN ? (void *) &p->in_ctx : (void *) &p->ctx };
    int rc = init_fn(&arg);
    say("init rc=%d", rc);
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
    if (p->unregister) {
        p->unregister(p->def);
    }
    dlclose(p->so);
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
