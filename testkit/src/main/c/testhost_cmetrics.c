/*
 * cmetrics stand-ins, exported from this executable as the fluent-bit executable exports the
 * real ones: one series per metric and label values, printed as: metric NAME{k=v,...} VALUE
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testhost.h"
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

void print_metrics(void)
{
    pthread_mutex_lock(&metric_lock);
    for (int i = 0; i < series_count; i++) {
        say("metric %s{%s} %.0f", series[i].name, series[i].labels, series[i].value);
    }
    pthread_mutex_unlock(&metric_lock);
}

