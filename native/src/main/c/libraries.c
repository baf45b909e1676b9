/*
 * JNI libraries across generations. The JVM lets one class loader at a time hold a JNI library
 * (System.load, System.loadLibrary): another loader's load of the same file throws
 * UnsatisfiedLinkError ("already loaded in another classloader") until the first loader has been
 * collected and the JDK's cleaner has unloaded the library. A generation ends on its own code, so
 * its class loader outlives its end; without help a plugin that loads a library from a fixed path
 * (its own native code, a library found on java.library.path) failed its init at every other hot
 * reload, and Fluent Bit aborts such a reload and exits.
 *
 * At the end of a generation the names of the libraries its class loader holds are kept. Before
 * the next generation's class loader is made, the shim collects until the JDK has unloaded those
 * whose file is still there (the only ones a load can meet again), for at most AWAIT_MS, with one
 * info line when that took long, and warns, naming the library, when one is still loaded then:
 * something still holds the generation before (its leak report follows at the end of this one),
 * and this generation's load of that file will fail. A generation that loaded no library costs nothing. The names are read
 * through JNI from the JDK's own fields (ClassLoader.libraries, NativeLibraries.libraries and
 * NativeLibraries.loadedLibraryNames, the same in JDK 17 to 25), which JNI reads without opening a
 * package; a JDK without them keeps nothing and waits for nothing.
 */
#include <time.h>
#include <unistd.h>

#include "jvm.h"

#define AWAIT_MS 3000
#define POLL_MS 10
#define COLLECT_EVERY 10   /* polls between two full collections */

static jobjectArray g_kept;   /* String[]: the libraries of the generation that ended last; NULL: none */

/* The String[] of libraries loader holds (JNI ones, by canonical path); NULL when none or unknown. */
static jobjectArray libraries_of(JNIEnv *env, jobject loader)
{
    jobjectArray names = NULL;
    jclass cl = (*env)->FindClass(env, "java/lang/ClassLoader");
    jfieldID f = cl ? (*env)->GetFieldID(env, cl, "libraries", "Ljdk/internal/loader/NativeLibraries;") : NULL;
    jobject native = f ? (*env)->GetObjectField(env, loader, f) : NULL;
    jclass nl = native ? (*env)->FindClass(env, "jdk/internal/loader/NativeLibraries") : NULL;
    jfieldID m = nl ? (*env)->GetFieldID(env, nl, "libraries", "Ljava/util/Map;") : NULL;
    jobject map = m ? (*env)->GetObjectField(env, native, m) : NULL;
    jclass map_cls = map ? (*env)->FindClass(env, "java/util/Map") : NULL;
    jmethodID key_set = map_cls ? (*env)->GetMethodID(env, map_cls, "keySet", "()Ljava/util/Set;") : NULL;
    jobject keys = key_set ? (*env)->CallObjectMethod(env, map, key_set) : NULL;
    jclass set_cls = keys ? (*env)->FindClass(env, "java/util/Set") : NULL;
    jmethodID to_array = set_cls ? (*env)->GetMethodID(env, set_cls, "toArray", "()[Ljava/lang/Object;") : NULL;
    if (to_array) {
        names = (jobjectArray) (*env)->CallObjectMethod(env, keys, to_array);
    }
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);   /* another JDK: nothing is kept */
        return NULL;
    }
    return names && (*env)->GetArrayLength(env, names) > 0 ? names : NULL;
}

void libraries_generation_ended(JNIEnv *env, jobject loader)
{
    if (g_kept) {
        (*env)->DeleteGlobalRef(env, g_kept);
        g_kept = NULL;
    }
    jobjectArray names = loader ? libraries_of(env, loader) : NULL;
    if (names) {
        g_kept = (jobjectArray) (*env)->NewGlobalRef(env, names);
    }
}

/* Whether the next generation could load name again: a file still there. A library unpacked to a
 * temporary file of its own and deleted after loading (Netty's, zstd-jni's) never can, and is
 * not waited for: its generation may end seconds later (Netty's event loops have a quiet period). */
static int reloadable(JNIEnv *env, jstring name)
{
    const char *path = (*env)->GetStringUTFChars(env, name, NULL);
    if (!path) {
        (*env)->ExceptionClear(env);
        return 0;
    }
    int there = path[0] == '/' && access(path, F_OK) == 0;
    (*env)->ReleaseStringUTFChars(env, name, path);
    return there;
}

/* The JDK's set of loaded JNI library names (NativeLibraries.loadedLibraryNames, a local ref) and
 * its contains method; NULL when this JDK has no such set. */
static jobject loaded_names(JNIEnv *env, jmethodID *contains)
{
    jclass nl = (*env)->FindClass(env, "jdk/internal/loader/NativeLibraries");
    jfieldID f = nl ? (*env)->GetStaticFieldID(env, nl, "loadedLibraryNames", "Ljava/util/Set;") : NULL;
    jobject loaded = f ? (*env)->GetStaticObjectField(env, nl, f) : NULL;
    jclass set_cls = loaded ? (*env)->FindClass(env, "java/util/Set") : NULL;
    *contains = set_cls ? (*env)->GetMethodID(env, set_cls, "contains", "(Ljava/lang/Object;)Z") : NULL;
    if (!*contains) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    return loaded;
}

/* The first kept library still in loaded (a local ref), NULL when none is or it cannot be read. */
static jstring still_loaded(JNIEnv *env, jobject loaded, jmethodID contains)
{
    if ((*env)->PushLocalFrame(env, 8) != 0) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jstring found = NULL;
    if ((*env)->MonitorEnter(env, loaded) == JNI_OK) {   /* the JDK reads and writes it under its lock */
        jsize n = (*env)->GetArrayLength(env, g_kept);
        for (jsize i = 0; i < n && !found && !(*env)->ExceptionCheck(env); i++) {
            jstring name = (jstring) (*env)->GetObjectArrayElement(env, g_kept, i);
            if (name && reloadable(env, name) && (*env)->CallBooleanMethod(env, loaded, contains, name)) {
                found = name;
            } else if (name) {
                (*env)->DeleteLocalRef(env, name);
            }
        }
        (*env)->MonitorExit(env, loaded);
    }
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        found = NULL;
    }
    return (jstring) (*env)->PopLocalFrame(env, found);
}

/* System.runFinalization() then System.gc(): what frees an unreachable generation and queues its
 * libraries for the JDK's cleaner. */
static void collect(JNIEnv *env)
{
    jclass system = (*env)->FindClass(env, "java/lang/System");
    jmethodID fin = system ? (*env)->GetStaticMethodID(env, system, "runFinalization", "()V") : NULL;
    if (fin) {
        (*env)->CallStaticVoidMethod(env, system, fin);
    }
    (*env)->ExceptionClear(env);   /* a JDK without finalization */
    jmethodID gc = system ? (*env)->GetStaticMethodID(env, system, "gc", "()V") : NULL;
    if (gc) {
        (*env)->CallStaticVoidMethod(env, system, gc);
    }
    (*env)->ExceptionClear(env);
    if (system) {
        (*env)->DeleteLocalRef(env, system);
    }
}

void libraries_await_unloaded(JNIEnv *env)
{
    if (!g_kept || (*env)->PushLocalFrame(env, 16) != 0) {
        return;
    }
    jmethodID contains;
    jobject loaded = loaded_names(env, &contains);
    long start = monotonic_ms();
    for (int poll = 0; loaded; poll++) {
        jstring name = still_loaded(env, loaded, contains);
        if (!name) {
            if (poll > COLLECT_EVERY) {
                log_info("waited %ld ms for the generation before to be unloaded with its JNI libraries, so that this "
                         "generation can load them again", monotonic_ms() - start);
            }
            break;
        }
        if (monotonic_ms() - start >= AWAIT_MS) {
            const char *path = (*env)->GetStringUTFChars(env, name, NULL);
            log_warn("the JNI library %s of the generation before is still loaded %d ms after that generation ended: "
                     "something still holds its class loader (its leak report follows when this generation ends), "
                     "and the JVM lets one class loader at a time load a library, so this generation's "
                     "System.load or System.loadLibrary of it will fail (UnsatisfiedLinkError: already loaded in "
                     "another classloader)", path ? path : "?", AWAIT_MS);
            if (path) {
                (*env)->ReleaseStringUTFChars(env, name, path);
            }
            break;
        }
        if (poll % COLLECT_EVERY == 0) {
            collect(env);
        } else {
            struct timespec pause = { 0, POLL_MS * 1000000L };
            nanosleep(&pause, NULL);
        }
        (*env)->DeleteLocalRef(env, name);
    }
    (*env)->PopLocalFrame(env, NULL);
    (*env)->DeleteGlobalRef(env, g_kept);
    g_kept = NULL;
}
