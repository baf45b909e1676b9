/*
 * flb4j test host: loads a plugin .so the way Fluent Bit's proxy does (dlopen RTLD_LAZY,
 * dlsym, the registration and init structs of flb4j_abi.h) and drives it. Flushes run on
 * coroutine-like 64 KiB ucontext stacks from several threads at once, as in Fluent Bit.
 * Everything it sees is printed one line at a time for the Java tests to read.
 *
 *   testhost register SO
 *   testhost init SO [key=value ...]
 *   testhost output SO CHUNK FLUSHES THREADS [key=value ...]
 *   testhost input SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]
 *   testhost reload SO CHUNK TIMES [key=value ...]
 *   testhost two SO_A SO_B CHUNK [key=value ...]
 *
 * Build: cc -O1 -rdynamic testhost.c -o testhost -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "flb4j_abi.h"

#define COROUTINE_STACK (64 * 1024)

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&out_lock);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
}

static void die(const char *what)
{
    say("fatal %s", what);
    exit(2);
}

/* ---- the host API Fluent Bit gives plugins ----------------------------------------- */

struct instance {
    char **props;   /* key=value */
    int count;
};

static char *get_property(char *key, void *ins)
{
    struct instance *i = ins;
    size_t n = strlen(key);
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

static struct flb_api api = {
    get_property, get_property, get_cmt, get_cmt, log_print, log_check, log_check, get_property, log_check
};

/* ---- cmetrics stand-ins, exported from this executable as fluent-bit does ----------- */

#define MAX_METRICS 256
struct metric {
    char name[256];
    double value;
};
static struct metric metrics[MAX_METRICS];
static int metric_count;
static pthread_mutex_t metric_lock = PTHREAD_MUTEX_INITIALIZER;

static void *metric_create(const char *ns, const char *sub, const char *name, int labels)
{
    pthread_mutex_lock(&metric_lock);
    struct metric *m = metric_count < MAX_METRICS ? &metrics[metric_count++] : NULL;
    if (m) {
        snprintf(m->name, sizeof(m->name), "%s_%s_%s", ns, sub, name);
    }
    pthread_mutex_unlock(&metric_lock);
    say("metric create %s labels=%d", m ? m->name : "?", labels);
    return m;
}

static int metric_update(void *p, double v, int set)
{
    struct metric *m = p;
    pthread_mutex_lock(&metric_lock);
    m->value = set ? v : m->value + v;
    pthread_mutex_unlock(&metric_lock);
    return 0;
}

void *cmt_counter_create(void *cmt, char *ns, char *sub, char *name, char *help, int n, char **keys)
{
    (void) cmt; (void) help; (void) keys;
    return metric_create(ns, sub, name, n);
}

void *cmt_gauge_create(void *cmt, char *ns, char *sub, char *name, char *help, int n, char **keys)
{
    (void) cmt; (void) help; (void) keys;
    return metric_create(ns, sub, name, n);
}

int cmt_counter_add(void *c, uint64_t ts, double v, int n, char **labels)
{
    (void) ts; (void) n; (void) labels;
    return metric_update(c, v, 0);
}

int cmt_gauge_set(void *g, uint64_t ts, double v, int n, char **labels)
{
    (void) ts; (void) n; (void) labels;
    return metric_update(g, v, 1);
}

int cmt_gauge_add(void *g, uint64_t ts, double v, int n, char **labels)
{
    (void) ts; (void) n; (void) labels;
    return metric_update(g, v, 0);
}

uint64_t cfl_time_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static void print_metrics(void)
{
    pthread_mutex_lock(&metric_lock);
    for (int i = 0; i < metric_count; i++) {
        say("metric %s %.0f", metrics[i].name, metrics[i].value);
    }
    pthread_mutex_unlock(&metric_lock);
}

/* ---- a loaded plugin --------------------------------------------------------------- */

struct plugin {
    void *so;
    struct flb_plugin_proxy_def def;
    struct instance ins;
    struct flb_plugin_proxy_context ctx;
    struct flb_plugin_input_proxy_context in_ctx;
    int (*flush_ctx)(void *, const void *, size_t, char *);
    int (*exit_ctx)(void *);
    void (*unregister)(struct flb_plugin_proxy_def *);
};

static void *sym(struct plugin *p, const char *name, int required)
{
    void *s = dlsym(p->so, name);
    if (!s && required) {
        say("missing symbol %s", name);
        exit(2);
    }
    return s;
}

static void load(struct plugin *p, const char *path, char **props, int count)
{
    memset(p, 0, sizeof(*p));
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
    if (reg(&p->def) != 0) {
        die("register refused");
    }
    say("registered name=%s type=%d proxy=%d event_type=%d description=%s", p->def.name, p->def.type,
        p->def.proxy, p->def.event_type, p->def.description);
    p->ins.props = props;
    p->ins.count = count;
    p->flush_ctx = sym(p, "FLBPluginFlushCtx", 0);
    p->exit_ctx = sym(p, "FLBPluginExitCtx", 0);
    p->unregister = sym(p, "FLBPluginUnregister", 0);
}

static int init(struct plugin *p)
{
    int (*init_fn)(void *) = sym(p, "FLBPluginInit", 1);
    struct flbgo_plugin arg = { p->def.name, &api, &p->ins,
                                p->def.type == FLB_PROXY_INPUT_PLUGIN ? (void *) &p->in_ctx : (void *) &p->ctx };
    int rc = init_fn(&arg);
    say("init rc=%d", rc);
    return rc;
}

static void *remote(struct plugin *p)
{
    return p->def.type == FLB_PROXY_INPUT_PLUGIN ? p->in_ctx.remote_context : p->ctx.remote_context;
}

static void unload(struct plugin *p)
{
    if (p->exit_ctx) {
        say("exit rc=%d", p->exit_ctx(remote(p)));
    }
    if (p->unregister) {
        p->unregister(&p->def);
    }
    dlclose(p->so);
}

/* ---- flushes from coroutine stacks ------------------------------------------------- */

static char *read_file(const char *path, size_t *size)
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

struct flusher {
    struct plugin *p;
    const char *chunk;
    size_t size;
    int flushes;
    int codes[3];
    ucontext_t caller;
    ucontext_t coroutine;
    int rc;
};

static __thread struct flusher *current;

static void coroutine_body(void)
{
    struct flusher *f = current;
    char tag[] = "test.tag";
    f->rc = f->p->flush_ctx(remote(f->p), f->chunk, f->size, tag);
    swapcontext(&f->coroutine, &f->caller);
}

static void *flush_thread(void *arg)
{
    struct flusher *f = arg;
    char *stack = malloc(COROUTINE_STACK);
    for (int i = 0; i < f->flushes; i++) {
        getcontext(&f->coroutine);
        f->coroutine.uc_stack.ss_sp = stack;
        f->coroutine.uc_stack.ss_size = COROUTINE_STACK;
        f->coroutine.uc_link = NULL;
        makecontext(&f->coroutine, coroutine_body, 0);
        current = f;
        swapcontext(&f->caller, &f->coroutine);
        f->codes[f->rc >= 0 && f->rc <= 2 ? f->rc : 0]++;
    }
    free(stack);
    return NULL;
}

static void flush_many(struct plugin *p, const char *chunk, size_t size, int flushes, int threads)
{
    if (!p->flush_ctx) {
        die("no FLBPluginFlushCtx");
    }
    struct flusher f[64];
    pthread_t t[64];
    threads = threads > 64 ? 64 : threads;
    for (int i = 0; i < threads; i++) {
        memset(&f[i], 0, sizeof(f[i]));
        f[i].p = p;
        f[i].chunk = chunk;
        f[i].size = size;
        f[i].flushes = flushes;
        pthread_create(&t[i], NULL, flush_thread, &f[i]);
    }
    int ok = 0, retry = 0, error = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        ok += f[i].codes[FLB_OK];
        retry += f[i].codes[FLB_RETRY];
        error += f[i].codes[FLB_ERROR];
    }
    say("flush ok=%d retry=%d error=%d", ok, retry, error);
}

/* ---- commands ---------------------------------------------------------------------- */

static int cmd_output(char **argv, int argc)
{
    if (argc < 4) {
        die("usage: output SO CHUNK FLUSHES THREADS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 4, argc - 4);
    if (init(&p) != FLB_OK) {
        unload(&p);
        return 1;
    }
    int (*pre_run)(int) = sym(&p, "FLBPluginOutputPreRun", 0);
    if (pre_run) {
        pre_run(0);
    }
    size_t size;
    char *chunk = read_file(argv[1], &size);
    flush_many(&p, chunk, size, atoi(argv[2]), atoi(argv[3]));
    void (*pre_exit)(int) = sym(&p, "FLBPluginOutputPreExit", 0);
    if (pre_exit) {
        pre_exit(0);
    }
    print_metrics();
    unload(&p);
    free(chunk);
    say("done");
    return 0;
}

static int cmd_input(char **argv, int argc)
{
    if (argc < 4) {
        die("usage: input SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 4, argc - 4);
    if (init(&p) != FLB_OK) {
        unload(&p);
        return 1;
    }
    int (*pre_run)(int) = sym(&p, "FLBPluginInputPreRun", 1);
    int (*collect)(void *, void **, size_t *) = sym(&p, "FLBPluginInputCallbackCtx", 1);
    int (*cleanup)(void *, void *) = sym(&p, "FLBPluginInputCleanupCallbackCtx", 1);
    void (*pause_fn)(void) = sym(&p, "FLBPluginInputPause", 1);
    void (*resume_fn)(void) = sym(&p, "FLBPluginInputResume", 1);
    pre_run(0);
    FILE *out = fopen(argv[1], "wb");
    long min_bytes = atol(argv[2]);
    long timeout_ms = atol(argv[3]);
    long total = 0, calls = 0, paused_bytes = 0;
    int paused_once = 0;
    for (long waited = 0; total < min_bytes && waited < timeout_ms; waited += 20) {
        void *data = NULL;
        size_t len = 0;
        int rc = collect(remote(&p), &data, &len);
        calls++;
        if (rc != FLB_OK) {
            say("collect rc=%d", rc);
        }
        if (len > 0) {
            fwrite(data, 1, len, out);
            total += (long) len;
        }
        cleanup(remote(&p), data);
        if (len > 0 && !paused_once) {
            /* Backpressure: while paused, nothing may come out. */
            paused_once = 1;
            pause_fn();
            usleep(100 * 1000);
            for (int i = 0; i < 3; i++) {
                void *d = NULL;
                size_t l = 0;
                collect(remote(&p), &d, &l);
                paused_bytes += (long) l;
                if (l > 0) {
                    fwrite(d, 1, l, out);
                    total += (long) l;
                }
                cleanup(remote(&p), d);
            }
            resume_fn();
        }
        usleep(20 * 1000);
    }
    fclose(out);
    say("collected bytes=%ld calls=%ld paused_bytes=%ld", total, calls, paused_bytes);
    void (*pre_exit)(int) = sym(&p, "FLBPluginInputPreExit", 0);
    if (pre_exit) {
        pre_exit(0);
    }
    /* Inputs have no ExitCtx in Fluent Bit: Exit() ends every instance. */
    int (*exit_fn)(void) = sym(&p, "FLBPluginExit", 1);
    say("exit rc=%d", exit_fn());
    p.exit_ctx = NULL;
    print_metrics();
    unload(&p);
    say("done");
    return 0;
}

static int cmd_init(char **argv, int argc)
{
    struct plugin p;
    load(&p, argv[0], argv + 1, argc - 1);
    int rc = init(&p);
    if (rc != FLB_OK) {
        p.exit_ctx = NULL;
    }
    unload(&p);
    say("done");
    return rc == FLB_OK ? 0 : 1;
}

static int cmd_reload(char **argv, int argc)
{
    if (argc < 3) {
        die("usage: reload SO CHUNK TIMES [key=value ...]");
    }
    size_t size;
    char *chunk = read_file(argv[1], &size);
    int times = atoi(argv[2]), ok = 0;
    for (int i = 0; i < times; i++) {
        struct plugin p;
        load(&p, argv[0], argv + 3, argc - 3);
        if (init(&p) == FLB_OK) {
            flush_many(&p, chunk, size, 1, 1);
            ok++;
        }
        unload(&p);
    }
    free(chunk);
    print_metrics();
    say("reload ok=%d", ok);
    return ok == times ? 0 : 1;
}

static int cmd_two(char **argv, int argc)
{
    if (argc < 3) {
        die("usage: two SO_A SO_B CHUNK [key=value ...]");
    }
    size_t size;
    char *chunk = read_file(argv[2], &size);
    struct plugin a, b;
    load(&a, argv[0], argv + 3, argc - 3);
    load(&b, argv[1], argv + 3, argc - 3);
    if (init(&a) != FLB_OK || init(&b) != FLB_OK) {
        die("init failed");
    }
    flush_many(&a, chunk, size, 100, 2);
    flush_many(&b, chunk, size, 100, 2);
    print_metrics();
    unload(&a);
    unload(&b);
    free(chunk);
    say("done");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3) {
        die("usage: testhost register|init|output|input|reload|two SO ...");
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "register") == 0) {
        struct plugin p;
        load(&p, argv[2], NULL, 0);
        if (p.unregister) {
            p.unregister(&p.def);
        }
        dlclose(p.so);
        return 0;
    }
    if (strcmp(cmd, "init") == 0) {
        return cmd_init(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "output") == 0) {
        return cmd_output(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "input") == 0) {
        return cmd_input(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "reload") == 0) {
        return cmd_reload(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "two") == 0) {
        return cmd_two(argv + 2, argc - 2);
    }
    die("unknown command");
    return 2;
}
