/*
 * flb4j test host: loads a plugin .so the way Fluent Bit's proxy does (dlopen RTLD_LAZY,
 * dlsym, the registration and init structs of flb4j_abi.h) and drives it. Flushes run as
 * Fluent Bit runs them: in coroutines on 64 KiB stacks, on threads that each run an event loop
 * with custom events, several at once (testhost_engine.c). Everything it sees is printed one
 * line at a time for the Java tests to read; testhost.h lists the files and what each emulates.
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
 * Environment: FLB_VERSION (the emulated release, testhost_api.c); TESTHOST_CORO=plain|valgrind|none
 * (struct flb_coro with or without its first field, or no coroutine at all), TESTHOST_INFLIGHT
 * (flushes in flight per thread) and TESTHOST_FLUSH_GAP_MS (pause between flush starts),
 * testhost_engine.c; TESTHOST_LINGER_MS (sleep after the command), TESTHOST_THREAD_NAMES=1 (then
 * print "thread NAME" for each of the process's threads).
 *
 * Build: cc -O1 -rdynamic *.c -o testhost -ldl -lpthread   (testhost_features.c apart)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testhost.h"

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

void say(const char *fmt, ...)
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

void die(const char *what)
{
    say("fatal %s", what);
    exit(2);
}

long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int cmd_register(char **argv, int argc)
{
    (void) argc;
    struct plugin p;
    load(&p, argv[0], NULL, 0);
    if (p.unregister) {
        p.unregister(p.def);
    }
    dlclose(p.so);
    return 0;
}

/* "thread NAME" for each thread of this process, as /proc names it (15 characters at most). */
static void say_thread_names(void)
{
    DIR *tasks = opendir("/proc/self/task");
    for (struct dirent *t = tasks ? readdir(tasks) : NULL; t; t = readdir(tasks)) {
        if (t->d_name[0] == '.') {
            continue;
        }
        char path[300], name[32] = "";
        snprintf(path, sizeof(path), "/proc/self/task/%s/comm", t->d_name);
        FILE *f = fopen(path, "r");
        if (f && fgets(name, sizeof(name), f)) {
            name[strcspn(name, "\n")] = '\0';
            say("thread %s", name);
        }
        if (f) {
            fclose(f);
        }
    }
    if (tasks) {
        closedir(tasks);
    }
}

static const struct {
    const char *name;
    int (*run)(char **argv, int argc);
} commands[] = {
    { "register", cmd_register }, { "init", cmd_init }, { "output", cmd_output }, { "input", cmd_input },
    { "reload", cmd_reload }, { "two", cmd_two }, { "instances", cmd_instances }, { "signals", cmd_signals },
    { "crash", cmd_crash }, { "input-events", cmd_input_events },
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    host_signal_init();
    read_kept(argv[0]);
    emulate_version(argv[0]);
    if (argc < 3) {
        die("usage: testhost register|init|output|input|reload|two|instances|signals|crash|input-events SO ...");
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].run(argv + 2, argc - 2);
            const char *linger = getenv("TESTHOST_LINGER_MS");   /* threads of the plugin's own go on meanwhile */
            if (linger) {
                long ms = atol(linger);
                struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
                while (nanosleep(&ts, &ts) != 0) {
                }
            }
            if (getenv("TESTHOST_THREAD_NAMES")) {
                say_thread_names();
            }
            return rc;
        }
    }
    die("unknown command");
}
