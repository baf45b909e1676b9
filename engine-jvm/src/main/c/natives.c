/*
 * The JNI natives of io.flb4j.engine.jvm.JniHostApi, in one table. Strings cross as UTF-8
 * byte arrays. cmetrics functions come from the fluent-bit executable.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define INS(j) ((void *) (intptr_t) (j))

/* A Java byte[] as a NUL-terminated copy, or NULL (out of memory: an exception is pending). */
static char *c_string(JNIEnv *env, jbyteArray bytes)
{
    jsize len = (*env)->GetArrayLength(env, bytes);
    char *s = malloc((size_t) len + 1);
    if (!s) {
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), "flb4j shim");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, len, (jbyte *) s);
    s[len] = '\0';
    return s;
}

static jbyteArray java_bytes(JNIEnv *env, const char *s)
{
    if (!s) {
        return NULL;
    }
    jsize len = (jsize) strlen(s);
    jbyteArray out = (*env)->NewByteArray(env, len);
    if (out) {
        (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte *) s);
    }
    return out;
}

static jbyteArray JNICALL n_property(JNIEnv *env, jclass cls, jlong ins, jbyteArray key)
{
    (void) cls;
    if (!g_host.get_property || !ins) {
        return NULL;
    }
    char *k = c_string(env, key);
    const char *value = k ? g_host.get_property(k, INS(ins)) : NULL;
    free(k);
    return java_bytes(env, value);
}

static jbyteArray JNICALL n_instance_name(JNIEnv *env, jclass cls, jlong ins)
{
    (void) cls;
    return g_host.instance_name && ins ? java_bytes(env, g_host.instance_name(INS(ins))) : NULL;
}

static jboolean JNICALL n_log_enabled(JNIEnv *env, jclass cls, jlong ins, jint level)
{
    (void) env;
    (void) cls;
    return g_host.log_check && ins ? (jboolean) (g_host.log_check(INS(ins), level) != 0) : JNI_TRUE;
}

static void JNICALL n_log(JNIEnv *env, jclass cls, jlong ins, jint level, jbyteArray message)
{
    (void) cls;
    (void) ins;
    char *text = c_string(env, message);
    if (!text) {
        return;
    }
    if (g_host.log_print) {
        g_host.log_print(level, "flb4j", 0, "%s", text);
    }
    else {
        fprintf(stderr, "%s\n", text);
    }
    free(text);
}

typedef void *(*metric_create_fn)(void *, char *, char *, char *, char *, int, char **);
typedef int (*metric_update_fn)(void *, uint64_t, double, int, char **);
typedef uint64_t (*time_now_fn)(void);

/* Java byte[][] as C strings; freed with free_strings. NULL with an exception pending. */
static char **strings(JNIEnv *env, jobjectArray array, int *count)
{
    jsize n = array ? (*env)->GetArrayLength(env, array) : 0;
    char **out = calloc((size_t) n + 1, sizeof(char *));
    *count = 0;
    for (jsize i = 0; out && i < n; i++) {
        jbyteArray b = (jbyteArray) (*env)->GetObjectArrayElement(env, array, i);
        out[i] = b ? c_string(env, b) : NULL;
        (*env)->DeleteLocalRef(env, b);
        *count = (int) i + 1;
        if (!out[i]) {
            for (int k = 0; k < *count; k++) {
                free(out[k]);
            }
            free(out);
            return NULL;
        }
    }
    return out;
}

static void free_strings(char **s, int n)
{
    for (int i = 0; s && i < n; i++) {
        free(s[i]);
    }
    free(s);
}

/* names: [ns, subsystem, name, help]; keys: label keys. */
static jlong metric_create(JNIEnv *env, const char *fn, jlong ins, jobjectArray names, jobjectArray keys)
{
    metric_create_fn create = (metric_create_fn) dlsym(RTLD_DEFAULT, fn);
    void *cmt = g_host.get_cmt ? g_host.get_cmt(INS(ins)) : NULL;
    if (!create || !cmt) {
        return 0;
    }
    int nn = 0, nk = 0;
    char **n = strings(env, names, &nn);
    char **k = n ? strings(env, keys, &nk) : NULL;
    void *m = n && k && nn == 4 ? create(cmt, n[0], n[1], n[2], n[3], nk, nk ? k : NULL) : NULL;
    free_strings(n, nn);
    free_strings(k, nk);
    return (jlong) (intptr_t) m;
}

static jlong JNICALL n_counter_create(JNIEnv *env, jclass cls, jlong ins, jobjectArray names, jobjectArray keys)
{
    (void) cls;
    return metric_create(env, "cmt_counter_create", ins, names, keys);
}

static jlong JNICALL n_gauge_create(JNIEnv *env, jclass cls, jlong ins, jobjectArray names, jobjectArray keys)
{
    (void) cls;
    return metric_create(env, "cmt_gauge_create", ins, names, keys);
}

static void metric_update(JNIEnv *env, const char *fn, jlong metric, jdouble value, jobjectArray labels)
{
    metric_update_fn update = (metric_update_fn) dlsym(RTLD_DEFAULT, fn);
    time_now_fn now = (time_now_fn) dlsym(RTLD_DEFAULT, "cfl_time_now");
    if (!update || !now || !metric) {
        return;
    }
    int n = 0;
    char **l = strings(env, labels, &n);
    if (l) {
        update(INS(metric), now(), value, n, n ? l : NULL);
    }
    free_strings(l, n);
}

static void JNICALL n_counter_add(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, "cmt_counter_add", m, v, labels);
}

static void JNICALL n_gauge_set(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, "cmt_gauge_set", m, v, labels);
}

static void JNICALL n_gauge_add(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, "cmt_gauge_add", m, v, labels);
}

/* Hands a sealed batch (a direct buffer) to Fluent Bit and waits until it is appended:
 * INPUT_TAKEN, INPUT_NO_PATH, INPUT_STOPPING or INPUT_REFUSED. Runs on a Java thread. */
static jint JNICALL n_submit(JNIEnv *env, jclass cls, jlong ins, jobject batch, jint offset, jint length)
{
    (void) cls;
    char *data = (*env)->GetDirectBufferAddress(env, batch);
    if (!data || offset < 0 || length < 0 || (jlong) offset + length > (*env)->GetDirectBufferCapacity(env, batch)) {
        return INPUT_REFUSED;
    }
#if FLB4J_PLUGIN_TYPE == FLB_PROXY_INPUT_PLUGIN
    return input_submit(INS(ins), data + offset, (size_t) length);
#else
    (void) ins;
    return INPUT_NO_PATH;
#endif
}

static JNINativeMethod natives[] = {
    { "submitBatch", "(JLjava/nio/ByteBuffer;II)I", (void *) n_submit },
    { "property", "(J[B)[B", (void *) n_property },
    { "nameOf", "(J)[B", (void *) n_instance_name },
    { "isLogEnabled", "(JI)Z", (void *) n_log_enabled },
    { "log", "(JI[B)V", (void *) n_log },
    { "counterCreate", "(J[[B[[B)J", (void *) n_counter_create },
    { "gaugeCreate", "(J[[B[[B)J", (void *) n_gauge_create },
    { "counterAdd", "(JD[[B)V", (void *) n_counter_add },
    { "gaugeSet", "(JD[[B)V", (void *) n_gauge_set },
    { "gaugeAdd", "(JD[[B)V", (void *) n_gauge_add },
};

int natives_register(JNIEnv *env, jclass host_api)
{
    return (*env)->RegisterNatives(env, host_api, natives, sizeof(natives) / sizeof(natives[0]));
}
