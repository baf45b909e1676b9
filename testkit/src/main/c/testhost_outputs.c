/* The output commands: flushes from coroutines on event loops (engine.c), reloads, instances. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testhost.h"

int cmd_output(char **argv, int argc)
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
        pre_run(getenv("TESTHOST_HOT_RELOAD") != NULL);   /* Fluent Bit passes config->enable_hot_reload */
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

int cmd_init(char **argv, int argc)
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

int cmd_reload(char **argv, int argc)
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
        if (getenv("TESTHOST_TOUCH_SO")) {   /* the .so rebuilt in place between reloads */
            utimensat(AT_FDCWD, argv[0], NULL, 0);
        }
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

int cmd_two(char **argv, int argc)
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

/* COUNT instances of one output, each flushing the chunk once. */
int cmd_instances(char **argv, int argc)
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
