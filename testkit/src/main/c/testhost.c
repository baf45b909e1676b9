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
 *   testhost instances SO CHUNK COUNT [key=value ...]   COUNT instances of one output
 *   testhost signals SO SECONDS SIGNALS [key=value ...] a busy input while SIGHUP/SIGCONT arrive
 *   testhost crash SO [key=value ...]                   a fault in the host's own code, JVM running
 *   testhost input-events SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]
 *       an input on a thread of its own (named flb-in-*), with an event loop running the
 *       collectors a plugin registers (flb_input_set_collector_event) and the proxy's collect
 *       every second, as a threaded input runs in Fluent Bit
 *
 * Like Fluent Bit (src/fluent-bit.c), it installs its signal handlers with signal() at start,
 * and again from its SIGHUP and SIGCONT handler; its SIGSEGV handler prints the signal and
 * aborts. FLB_VERSION=2.2|3.2|4.2|5.0|5.1.1 (default 5.1.1) gives the plugin that release's
 * struct flb_plugin_proxy_def and struct flb_api, each ending at a page the process cannot
 * touch, and exports the functions that release added (from the feature libraries beside the
 * binary): an access past a struct's end kills the test host. Keys Fluent Bit's core keeps are
 * read from <binary>.kept-<kind> and never handed to the plugin.
 *
 * Build: cc -O1 -rdynamic testhost.c -o testhost -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
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
    int kind;       /* FLB_PROXY_*_PLUGIN */
    char name[64];  /* as flb_*_name() gives it */
};

/* Keys Fluent Bit's core keeps, per kind: one per line, a trailing '*' for a prefix. */
static char kept[4][4096];

static void read_kept(const char *self)
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

static int is_kept(int kind, const char *key)
{
    const char *list = kind >= 1 && kind <= 3 ? kept[kind] : "";
    size_t n = strlen(key);
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
    if (is_kept(i->kind, key)) {
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
static struct flb_api *api;

static void *guarded(size_t size, int fill)
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

static int version_at_least(const char *v)
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

static struct flb_plugin_proxy_def *new_def(void)
{
    /* Before 5.0 the struct comes from flb_malloc: not zeroed. */
    if (version_at_least("5.1.1")) {
        return guarded(FLB_PROXY_DEF_SIZE_5_1_1, 0);
    }
    return version_at_least("5.0") ? guarded(FLB_PROXY_DEF_SIZE_5_0, 0) : guarded(FLB_PROXY_DEF_SIZE_2_2, 0xa5);
}

static void emulate_version(const char *self)
{
    const char *v = getenv("FLB_VERSION");
    if (v && v[0]) {
        fb_version = v;
    }
    size_t size = version_at_least("4.2") ? FLB_API_SIZE_4_2 : FLB_API_SIZE_2_2;
    api = guarded(size, 0);
    memcpy(api, &full_api, size);
    const char *features[2][2] = { { "4.2", "features-4.2.so" }, { "5.0", "features-5.0.so" } };
    for (int i = 0; i < 2; i++) {
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

/* ---- cmetrics stand-ins, exported from this executable as fluent-bit does ----------- */

/* One series per metric and label values, printed as: metric NAME{k=v,...} VALUE */
#define MAX_SERIES 512
struct series {
    void *metric;
    char name[200];
    char labels[400];
    double value;
};
struct metric {
    char name[200];
    int label_count;
    char *label_keys[8];
};
static struct series series[MAX_SERIES];
static int series_count;
static pthread_mutex_t metric_lock = PTHREAD_MUTEX_INITIALIZER;

static void *metric_create(const char *ns, const char *sub, const char *name, int n, char **keys)
{
    struct metric *m = calloc(1, sizeof(*m));
    snprintf(m->name, sizeof(m->name), "%s_%s_%s", ns, sub, name);
    m->label_count = n < 8 ? n : 8;
    for (int i = 0; i < m->label_count; i++) {
        m->label_keys[i] = strdup(keys[i]);
    }
    say("metric create %s labels=%d", m->name, n);
    return m;
}

static int metric_update(void *p, double v, int set, int n, char **values)
{
    struct metric *m = p;
    char labels[400] = "";
    size_t used = 0;
    for (int i = 0; i < n && i < m->label_count; i++) {
        used += (size_t) snprintf(labels + used, used < sizeof(labels) ? sizeof(labels) - used : 0, "%s%s=%s",
                                  i ? "," : "", m->label_keys[i], values[i]);
    }
    pthread_mutex_lock(&metric_lock);
    struct series *s = NULL;
    for (int i = 0; i < series_count && !s; i++) {
        if (series[i].metric == p && strcmp(series[i].labels, labels) == 0) {
            s = &series[i];
        }
    }
    if (!s && series_count < MAX_SERIES) {
        s = &series[series_count++];
        s->metric = p;
        snprintf(s->name, sizeof(s->name), "%s", m->name);
        snprintf(s->labels, sizeof(s->labels), "%s", labels);
    }
    if (s) {
        s->value = set ? v : s->value + v;
    }
    pthread_mutex_unlock(&metric_lock);
    return 0;
}

void *cmt_counter_create(void *cmt, char *ns, char *sub, char *name, char *help, int n, char **keys)
{
    (void) cmt; (void) help;
    return metric_create(ns, sub, name, n, keys);
}

void *cmt_gauge_create(void *cmt, char *ns, char *sub, char *name, char *help, int n, char **keys)
{
    (void) cmt; (void) help;
    return metric_create(ns, sub, name, n, keys);
}

int cmt_counter_add(void *c, uint64_t ts, double v, int n, char **labels)
{
    (void) ts;
    return metric_update(c, v, 0, n, labels);
}

int cmt_gauge_set(void *g, uint64_t ts, double v, int n, char **labels)
{
    (void) ts;
    return metric_update(g, v, 1, n, labels);
}

int cmt_gauge_add(void *g, uint64_t ts, double v, int n, char **labels)
{
    (void) ts;
    return metric_update(g, v, 0, n, labels);
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
    for (int i = 0; i < series_count; i++) {
        say("metric %s{%s} %.0f", series[i].name, series[i].labels, series[i].value);
    }
    pthread_mutex_unlock(&metric_lock);
}

/* ---- a loaded plugin --------------------------------------------------------------- */

struct plugin {
    void *so;
    struct flb_plugin_proxy_def *def;
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

static int init(struct plugin *p)
{
    int (*init_fn)(void *) = sym(p, "FLBPluginInit", 1);
    struct flbgo_plugin arg = { p->def->name, api, &p->ins,
                                p->def->type == FLB_PROXY_INPUT_PLUGIN ? (void *) &p->in_ctx : (void *) &p->ctx };
    int rc = init_fn(&arg);
    say("init rc=%d", rc);
    return rc;
}

static void *remote(struct plugin *p)
{
    return p->def->type == FLB_PROXY_INPUT_PLUGIN ? p->in_ctx.remote_context : p->ctx.remote_context;
}

static void unload(struct plugin *p)
{
    if (p->exit_ctx) {
        say("exit rc=%d", p->exit_ctx(remote(p)));
    }
    if (p->unregister) {
        p->unregister(p->def);
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
        long pages = 0, resident = 0;
        FILE *statm = fopen("/proc/self/statm", "r");
        if (statm && fscanf(statm, "%ld %ld", &pages, &resident) == 2) {
            say("reload %d rss_kb=%ld", i + 1, resident * (sysconf(_SC_PAGESIZE) / 1024));
        }
        if (statm) {
            fclose(statm);
        }
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

/* ---- a threaded input's event loop: the collector functions Fluent Bit exports -------- */

#define MAX_COLLECTORS 8
struct collector {
    int fd;
    int paused;
    int deleted;
    int (*cb)(void *, void *, void *);
    void *ins;
};
static struct collector collectors[MAX_COLLECTORS];
static int collector_count;
static pthread_t input_thread;
static FILE *appended_out;
static long appended_bytes, appended_calls;

int flb_input_set_collector_event(void *ins, int (*cb)(void *, void *, void *), int fd, void *config)
{
    (void) config;
    if (collector_count >= MAX_COLLECTORS || !pthread_equal(pthread_self(), input_thread)) {
        return -1;
    }
    collectors[collector_count] = (struct collector) { fd, 0, 0, cb, ins };
    return collector_count++;
}

static int collector_state(int id, void *ins, int paused, int deleted)
{
    if (id < 0 || id >= collector_count || collectors[id].ins != ins) {
        return -1;
    }
    if (!pthread_equal(pthread_self(), input_thread)) {
        say("fatal collector changed off the input thread");
        exit(2);
    }
    if (deleted && fcntl(collectors[id].fd, F_GETFD) == -1) {
        say("fatal collector deleted after its fd was closed");
        exit(2);
    }
    collectors[id].paused = paused;
    collectors[id].deleted |= deleted;
    return 0;
}

int flb_input_collector_pause(int id, void *ins) { return collector_state(id, ins, 1, 0); }
int flb_input_collector_resume(int id, void *ins) { return collector_state(id, ins, 0, 0); }
int flb_input_collector_delete(int id, void *ins) { return collector_state(id, ins, 1, 1); }

int flb_input_log_append(void *ins, const char *tag, size_t tag_len, const void *buf, size_t size)
{
    (void) ins; (void) tag; (void) tag_len;
    if (!pthread_equal(pthread_self(), input_thread)) {
        say("fatal append off the input thread");
        exit(2);
    }
    fwrite(buf, 1, size, appended_out);
    appended_bytes += (long) size;
    appended_calls++;
    return 0;
}

/* Runs every ready collector once, waiting up to wait_ms. */
static void run_collectors(int wait_ms)
{
    struct pollfd fds[MAX_COLLECTORS];
    int ids[MAX_COLLECTORS], n = 0;
    for (int i = 0; i < collector_count; i++) {
        if (!collectors[i].paused && !collectors[i].deleted) {
            fds[n] = (struct pollfd) { collectors[i].fd, POLLIN, 0 };
            ids[n++] = i;
        }
    }
    if (n == 0) {
        usleep((useconds_t) wait_ms * 1000);
        return;
    }
    if (poll(fds, (nfds_t) n, wait_ms) > 0) {
        for (int k = 0; k < n; k++) {
            if (fds[k].revents & POLLIN) {
                struct collector *c = &collectors[ids[k]];
                c->cb(c->ins, NULL, NULL);
            }
        }
    }
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct input_run {
    struct plugin *p;
    long min_bytes, timeout_ms;
    int rc;
};

static void *input_thread_body(void *arg)
{
    struct input_run *r = arg;
    struct plugin *p = r->p;
    pthread_setname_np(pthread_self(), "flb-in-test.0");
    if (init(p) != FLB_OK) {
        r->rc = 1;
        return NULL;
    }
    ((int (*)(int)) sym(p, "FLBPluginInputPreRun", 1))(0);
    int (*collect)(void *, void **, size_t *) = sym(p, "FLBPluginInputCallbackCtx", 1);
    int (*cleanup)(void *, void *) = sym(p, "FLBPluginInputCleanupCallbackCtx", 1);
    long start = now_ms(), last_collect = start, collected = 0, paused_appends = -1;
    int paused_once = 0;
    while (appended_bytes + collected < r->min_bytes && now_ms() - start < r->timeout_ms) {
        run_collectors(20);
        if (now_ms() - last_collect >= 1000) {   /* the proxy's own 1-second collector */
            void *data = NULL;
            size_t len = 0;
            collect(remote(p), &data, &len);
            if (len > 0) {
                fwrite(data, 1, len, appended_out);
                collected += (long) len;
            }
            cleanup(remote(p), data);
            last_collect = now_ms();
        }
        if (appended_bytes > 0 && !paused_once) {
            /* Backpressure, on the input thread as Fluent Bit does it: nothing may be appended. */
            paused_once = 1;
            ((void (*)(void)) sym(p, "FLBPluginInputPause", 1))();
            long before = appended_calls;
            for (int i = 0; i < 10; i++) {
                run_collectors(10);
            }
            paused_appends = appended_calls - before;
            ((void (*)(void)) sym(p, "FLBPluginInputResume", 1))();
        }
    }
    say("appended bytes=%ld calls=%ld collected_bytes=%ld appends_while_paused=%ld", appended_bytes, appended_calls,
        collected, paused_appends);
    ((void (*)(int)) sym(p, "FLBPluginInputPreExit", 1))(0);
    say("exit rc=%d", ((int (*)(void)) sym(p, "FLBPluginExit", 1))());
    return NULL;
}

static int cmd_input_events(char **argv, int argc)
{
    if (argc < 4) {
        die("usage: input-events SO OUT_FILE MIN_BYTES TIMEOUT_MS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 4, argc - 4);
    appended_out = fopen(argv[1], "wb");
    struct input_run r = { &p, atol(argv[2]), atol(argv[3]), 0 };
    pthread_create(&input_thread, NULL, input_thread_body, &r);
    pthread_join(input_thread, NULL);
    fclose(appended_out);
    p.exit_ctx = NULL;
    print_metrics();
    unload(&p);
    say("done");
    return r.rc;
}

/* ---- signals, handled as Fluent Bit handles them (src/fluent-bit.c) ------------------ */

static void host_signal_init(void);

static void host_signal_handler(int sig)
{
    const char *name = sig == SIGHUP ? "SIGHUP" : sig == SIGCONT ? "SIGCONT" : sig == SIGSEGV ? "SIGSEGV" : "SIGFPE";
    char line[64];
    int n = snprintf(line, sizeof(line), "caught signal (%s)\n", name);
    if (write(STDOUT_FILENO, line, (size_t) n) < 0) {
        _exit(3);
    }
    host_signal_init();
    if (sig == SIGSEGV || sig == SIGFPE) {
        abort();
    }
}

static void host_signal_init(void)
{
    signal(SIGHUP, host_signal_handler);
    signal(SIGCONT, host_signal_handler);
    signal(SIGSEGV, host_signal_handler);
    signal(SIGFPE, host_signal_handler);
}

struct busy_input {
    struct plugin *p;
    int (*collect)(void *, void **, size_t *);
    int (*cleanup)(void *, void *);
    volatile int stop;
    long bytes;
};

static void *collect_loop(void *arg)
{
    struct busy_input *b = arg;
    while (!b->stop) {
        void *data = NULL;
        size_t len = 0;
        b->collect(remote(b->p), &data, &len);
        b->bytes += (long) len;
        b->cleanup(remote(b->p), data);
        usleep(10 * 1000);
    }
    return NULL;
}

/* A busy input collected every 10 ms while SIGHUP and SIGCONT arrive, alternately. */
static int cmd_signals(char **argv, int argc)
{
    if (argc < 3) {
        die("usage: signals SO SECONDS SIGNALS [key=value ...]");
    }
    struct plugin p;
    load(&p, argv[0], argv + 3, argc - 3);
    if (init(&p) != FLB_OK) {
        die("init failed");
    }
    struct busy_input b = { &p, sym(&p, "FLBPluginInputCallbackCtx", 1), sym(&p, "FLBPluginInputCleanupCallbackCtx", 1),
                            0, 0 };
    ((int (*)(int)) sym(&p, "FLBPluginInputPreRun", 1))(0);
    pthread_t t;
    pthread_create(&t, NULL, collect_loop, &b);
    int seconds = atoi(argv[1]), signals = atoi(argv[2]);
    long gap_us = signals > 0 ? (long) seconds * 1000000 / signals : 0;
    for (int i = 0; i < signals; i++) {
        usleep((useconds_t) gap_us);
        kill(getpid(), i % 2 ? SIGCONT : SIGHUP);
    }
    usleep(500 * 1000);
    /* What a JVM fault would reach now: the host's handler (the JVM's was replaced) or another. */
    struct sigaction segv;
    sigaction(SIGSEGV, NULL, &segv);
    say("segv handler after signals: %s", segv.sa_handler == host_signal_handler ? "host" : "not the host's");
    b.stop = 1;
    pthread_join(t, NULL);
    say("signals sent=%d collected bytes=%ld", signals, b.bytes);
    ((void (*)(int)) sym(&p, "FLBPluginInputPreExit", 1))(0);
    say("exit rc=%d", ((int (*)(void)) sym(&p, "FLBPluginExit", 1))());
    p.exit_ctx = NULL;
    unload(&p);
    say("done");
    return 0;
}

/* A fault in the host's own code while the JVM runs: it must reach the host's handler. */
static int cmd_crash(char **argv, int argc)
{
    struct plugin p;
    load(&p, argv[0], argv + 1, argc - 1);
    if (init(&p) != FLB_OK) {
        die("init failed");
    }
    kill(getpid(), SIGHUP);
    usleep(100 * 1000);
    say("crashing");
    *(volatile int *) (intptr_t) 8 = 1;
    say("survived a fault");
    return 1;
}

/* COUNT instances of one output, each flushing the chunk once. */
static int cmd_instances(char **argv, int argc)
{
    if (argc < 3) {
        die("usage: instances SO CHUNK COUNT [key=value ...]");
    }
    size_t size;
    char *chunk = read_file(argv[1], &size);
    int count = atoi(argv[2]);
    struct plugin p[8];
    count = count > 8 ? 8 : count;
    for (int i = 0; i < count; i++) {
        load(&p[i], argv[0], argv + 3, argc - 3);
        snprintf(p[i].ins.name, sizeof(p[i].ins.name), "%s.%d", p[i].def->name, i);
        if (init(&p[i]) != FLB_OK) {
            die("init failed");
        }
    }
    for (int i = 0; i < count; i++) {
        flush_many(&p[i], chunk, size, 1, 1);
    }
    print_metrics();
    /* As Fluent Bit: every instance exits, then the plugin is unregistered once. */
    for (int i = 0; i < count; i++) {
        say("exit rc=%d", p[i].exit_ctx(remote(&p[i])));
    }
    p[0].unregister(p[0].def);
    for (int i = 0; i < count; i++) {
        dlclose(p[i].so);
    }
    free(chunk);
    say("done");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    host_signal_init();
    read_kept(argv[0]);
    emulate_version(argv[0]);
    if (argc < 3) {
        die("usage: testhost register|init|output|input|reload|two|instances|signals|crash SO ...");
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "register") == 0) {
        struct plugin p;
        load(&p, argv[2], NULL, 0);
        if (p.unregister) {
            p.unregister(p.def);
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
    if (strcmp(cmd, "instances") == 0) {
        return cmd_instances(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "signals") == 0) {
        return cmd_signals(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "crash") == 0) {
        return cmd_crash(argv + 2, argc - 2);
    }
    if (strcmp(cmd, "input-events") == 0) {
        return cmd_input_events(argv + 2, argc - 2);
    }
    die("unknown command");
    return 2;
}
