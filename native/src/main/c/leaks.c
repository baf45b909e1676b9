/*
 * Generations that ended, watched until their class loader is collected (DESIGN.md decision 14).
 * At the end of each generation the Java side runs a full collection; every earlier generation
 * whose class loader survived it is held by something, and the generation ending now reports it
 * once, naming the holders Java can see; a reported generation collected at a later generation's
 * end is said to be unloaded (a library thread that ends after an idle timeout, as Okio's
 * watchdog does 60 s after its last use, held it for that long). The watch is a JNI weak global
 * reference, which never keeps a loader alive itself.
 */
#include "jvm.h"

#define WATCHED 32

static struct {
    jweak loader;
    int generation;
    int reported;
    int deferred;   /* checks at which Java found it still being finalized */
} watched[WATCHED];

/* How many generation ends a generation still being finalized is given before it is reported anyway. */
#define DEFERRALS 3
static int g_generations;   /* generations ended so far in this process */

static void forget(JNIEnv *env, int i)
{
    (*env)->DeleteWeakGlobalRef(env, watched[i].loader);
    watched[i].loader = NULL;
}

/* Whether an earlier generation not yet reported survived the collection. */
static int suspect(JNIEnv *env)
{
    for (int i = 0; i < WATCHED; i++) {
        if (watched[i].loader && !watched[i].reported && !(*env)->IsSameObject(env, watched[i].loader, NULL)) {
            return 1;
        }
    }
    return 0;
}

/* Reports, through the ending generation's entry, every earlier one still alive. */
static void check(JNIEnv *env, jobject entry, jmethodID report, jmethodID settle)
{
    if (suspect(env)) {
        /* Before a report, give what was ending at the collection time to end: a library thread in
         * its last moments, finalizers that free further finalizable objects. */
        (*env)->CallVoidMethod(env, entry, settle);
        java_failed(env, "settling before a leak report");
    }
    for (int i = 0; i < WATCHED; i++) {
        if (!watched[i].loader) {
            continue;
        }
        if ((*env)->IsSameObject(env, watched[i].loader, NULL)) {
            if (watched[i].reported) {
                /* what held it let go: a library thread that ended after its idle timeout, say */
                log_info("generation %d of the plugin, reported as not unloaded, is unloaded now: what held it "
                         "let it go (a library's thread that ends after an idle timeout does so)", watched[i].generation);
            }
            forget(env, i);
            continue;
        }
        jobject loader = watched[i].reported ? NULL : (*env)->NewLocalRef(env, watched[i].loader);
        if (loader) {
            /* Java may answer "not yet": only the JVM's finalizer or cleaner is running the
             * generation's code now, so the next generation's end looks again. */
            jboolean last = watched[i].deferred >= DEFERRALS;
            jboolean reported = (*env)->CallBooleanMethod(env, entry, report, loader, (jint) watched[i].generation,
                                                          (jint) g_generations + 1, last);
            if (java_failed(env, "reporting a generation that was not unloaded") || reported || last) {
                watched[i].reported = 1;
            } else {
                watched[i].deferred++;
            }
            (*env)->DeleteLocalRef(env, loader);
        }
    }
}

/* Starts watching the ending generation's class loader. */
static void watch(JNIEnv *env, jobject loader)
{
    if (!loader) {
        return;
    }
    int slot = 0;
    for (int i = 0; i < WATCHED; i++) {
        if (!watched[i].loader) {
            slot = i;
            break;
        }
        if (watched[i].generation < watched[slot].generation) {
            slot = i;   /* all taken: the oldest gives way */
        }
    }
    if (watched[slot].loader) {
        forget(env, slot);
    }
    watched[slot].loader = (*env)->NewWeakGlobalRef(env, loader);
    watched[slot].generation = ++g_generations;
    watched[slot].reported = 0;
    watched[slot].deferred = 0;
}

void leaks_generation_ended(JNIEnv *env, jobject entry, jobject loader, jmethodID report, jmethodID settle)
{
    check(env, entry, report, settle);
    watch(env, loader);
}

jobject loader_of(JNIEnv *env, jobject obj)
{
    jclass cls = (*env)->GetObjectClass(env, obj);
    jclass class_cls = cls ? (*env)->FindClass(env, "java/lang/Class") : NULL;
    jmethodID get = class_cls ? (*env)->GetMethodID(env, class_cls, "getClassLoader", "()Ljava/lang/ClassLoader;") : NULL;
    return get ? (*env)->CallObjectMethod(env, cls, get) : NULL;
}
