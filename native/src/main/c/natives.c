/*
 * The JNI natives of io.flb4j.engine.jvm.JniHostApi, in one table: each converts Java values
 * (strings cross as UTF-8 byte arrays) and calls its function in hostcalls.c.
 */
#include <stdlib.h>
#include <string.h>

#include "jvm.h"

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

static jbyteArray JNICALL n_property(JNIEnv *env, jclass cls, jlong ins, jbyteArray key)
{
    (void) cls;
    char *k = ins ? c_string(env, key) : NULL;
    const char *value = k ? hostcall_property((long) ins, k) : NULL;
    free(k);
    return java_bytes(env, value);
}

static jbyteArray JNICALL n_instance_name(JNIEnv *env, jclass cls, jlong ins)
{
    (void) cls;
    return java_bytes(env, hostcall_instance_name((long) ins));
}

static jboolean JNICALL n_log_enabled(JNIEnv *env, jclass cls, jlong ins, jint level)
{
    (void) env;
    (void) cls;
    return (jboolean) hostcall_log_enabled((long) ins, level);
}

static void JNICALL n_log(JNIEnv *env, jclass cls, jlong ins, jint level, jbyteArray message)
{
    (void) cls;
    char *text = c_string(env, message);
    hostcall_log((long) ins, level, text);
    free(text);
}

typedef long (*create_fn)(long, char **, int, char **);
typedef void (*update_fn)(long, double, int, char **);

/* names: [ns, subsystem, name, help]; keys: label keys. */
static jlong metric_create(JNIEnv *env, create_fn create, jlong ins, jobjectArray names, jobjectArray keys)
{
    int nn = 0, nk = 0;
    char **n = strings(env, names, &nn);
    char **k = n ? strings(env, keys, &nk) : NULL;
    long m = n && k && nn == 4 ? create((long) ins, n, nk, k) : 0;
    free_strings(n, nn);
    free_strings(k, nk);
    return (jlong) m;
}

static jlong JNICALL n_counter_create(JNIEnv *env, jclass cls, jlong ins, jobjectArray names, jobjectArray keys)
{
    (void) cls;
    return metric_create(env, hostcall_counter_create, ins, names, keys);
}

static jlong JNICALL n_gauge_create(JNIEnv *env, jclass cls, jlong ins, jobjectArray names, jobjectArray keys)
{
    (void) cls;
    return metric_create(env, hostcall_gauge_create, ins, names, keys);
}

static void metric_update(JNIEnv *env, update_fn update, jlong metric, jdouble value, jobjectArray labels)
{
    int n = 0;
    char **l = metric ? strings(env, labels, &n) : NULL;
    if (l) {
        update((long) metric, value, n, l);
    }
    free_strings(l, n);
}

static void JNICALL n_counter_add(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, hostcall_counter_add, m, v, labels);
}

static void JNICALL n_gauge_set(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, hostcall_gauge_set, m, v, labels);
}

static void JNICALL n_gauge_add(JNIEnv *env, jclass cls, jlong m, jdouble v, jobjectArray labels)
{
    (void) cls;
    metric_update(env, hostcall_gauge_add, m, v, labels);
}

/* Hands a sealed batch (a direct buffer, read in place) to Fluent Bit; see hostcall_submit. */
static jint JNICALL n_submit(JNIEnv *env, jclass cls, jlong ins, jobject batch, jint offset, jint length)
{
    (void) cls;
    char *data = (*env)->GetDirectBufferAddress(env, batch);
    if (!data || offset < 0 || length < 0 || (jlong) offset + length > (*env)->GetDirectBufferCapacity(env, batch)) {
        return INPUT_REFUSED;
    }
    return hostcall_submit((long) ins, data + offset, (long) length);
}

static jlong JNICALL n_in_chunks(JNIEnv *env, jclass cls, jlong ins)
{
    (void) env;
    (void) cls;
    return (jlong) hostcall_in_chunks((long) ins);
}

static void JNICALL n_flush_done(JNIEnv *env, jclass cls, jlong token, jint code)
{
    (void) env;
    (void) cls;
    hostcall_flush_done((long) token, code);
}

static jobjectArray JNICALL n_heap_path(JNIEnv *env, jclass cls, jobject loader, jobjectArray references,
                                        jintArray referents)
{
    (void) cls;
    return heap_path(env, loader, references, referents);
}

static JNINativeMethod natives[] = {
    { "flushDone", "(JI)V", (void *) n_flush_done },
    { "submitBatch", "(JLjava/nio/ByteBuffer;II)I", (void *) n_submit },
    { "inChunks0", "(J)J", (void *) n_in_chunks },
    { "property", "(J[B)[B", (void *) n_property },
    { "nameOf", "(J)[B", (void *) n_instance_name },
    { "isLogEnabled", "(JI)Z", (void *) n_log_enabled },
    { "log", "(JI[B)V", (void *) n_log },
    { "counterCreate", "(J[[B[[B)J", (void *) n_counter_create },
    { "gaugeCreate", "(J[[B[[B)J", (void *) n_gauge_create },
    { "counterAdd", "(JD[[B)V", (void *) n_counter_add },
    { "gaugeSet", "(JD[[B)V", (void *) n_gauge_set },
    { "gaugeAdd", "(JD[[B)V", (void *) n_gauge_add },
    { "heapPath", "(Ljava/lang/Object;[Ljava/lang/Class;[I)[Ljava/lang/Object;", (void *) n_heap_path },
};

int natives_register(JNIEnv *env, jclass host_api)
{
    return (*env)->RegisterNatives(env, host_api, natives, sizeof(natives) / sizeof(natives[0]));
}
