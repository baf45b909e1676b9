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
} watched[WATCHED];
static int g_generations;   /* generations ended so far in this process */

static void forget(JNIEnv *env, int i)
{
    (*env)->DeleteWeakGlobalRef(env, watched[i].loader);
    watched[i].loader = NULL;
}

/* Reports, through the ending generation's entry, every earlier one still alive. */
static void check(JNIEnv *env, jobject entry, jmethodID report)
{
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
            watched[i].reported = 1;
            (*env)->CallVoidMethod(env, entry, report, loader, (jint) watched[i].generation, (jint) g_generations + 1);
            java_failed(env, "reporting a generation that was not unloaded");
            (*env)->DeleteLocalRef(env, loader);
        }
    }
}

/* Starts watching the ending generation's class loader (the entry's). */
static void watch(JNIEnv *env, jobject entry)
{
    jclass cls = (*env)->GetObjectClass(env, entry);
    jclass class_cls = cls ? (*env)->FindClass(env, "java/lang/Class") : NULL;
    jmethodID get = class_cls ? (*env)->GetMethodID(env, class_cls, "getClassLoader", "()Ljava/lang/ClassLoader;") : NULL;
    jobject loader = get ? (*env)->CallObjectMethod(env, cls, get) : NULL;
    if (java_failed(env, "watching the generation's class loader") || !loader) {
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
}

void leaks_generation_ended(JNIEnv *env, jobject entry, jmethodID report)
{
    check(env, entry, report);
    watch(env, entry);
}
