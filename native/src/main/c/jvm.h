/*
 * The JVM engine's private header: jvm.c, generation.c, natives.c, signals.c, leaks.c,
 * libraries.c and heappath.c. Only the JVM engine's .so compiles these files, and only they include jni.h.
 */
#ifndef FLB4J_JVM_H
#define FLB4J_JVM_H

#include <jni.h>

#include "shim.h"

/* ---- jvm.c -------------------------------------------------------------------------- */

/* The process's one JVM: created by the first flb4j plugin, joined by every other. */
extern JavaVM *g_jvm;
int jvm_start(void);
JNIEnv *jvm_attach(void);
/* Logs and clears a pending Java exception; returns 1 if there was one. */
int java_failed(JNIEnv *env, const char *what);

/* ---- natives.c ---------------------------------------------------------------------- */

int natives_register(JNIEnv *env, jclass host_api);

/* ---- generation.c ------------------------------------------------------------------- */

int generation_start(JNIEnv *env);
void generation_run(JNIEnv *env, struct call *c);

/* ---- leaks.c ------------------------------------------------------------------------ */

/* At the end of a generation (after its Java side ran a full collection): reports, through
 * entry's report method, every earlier generation whose class loader is still alive, then
 * watches this one's (loader, the entry's). */
void leaks_generation_ended(JNIEnv *env, jobject entry, jobject loader, jmethodID report, jmethodID settle);
/* The class loader of obj's class (a local ref; NULL for the boot loader or on an exception). */
jobject loader_of(JNIEnv *env, jobject obj);

/* ---- libraries.c -------------------------------------------------------------------- */

/* At the end of a generation: keeps the names of the JNI libraries its class loader holds. */
void libraries_generation_ended(JNIEnv *env, jobject loader);
/* Before the next generation's class loader is made: collects until the JDK has unloaded the
 * kept libraries (bounded), warning when it has not. */
void libraries_await_unloaded(JNIEnv *env);

/* ---- heappath.c --------------------------------------------------------------------- */

/* The path from a GC root to an object of the generation whose class loader is loader, not
 * through field referents[i] of an instance of references[i]: {root thread, root kind, root
 * method, int[] kinds, int[] indexes, Object[] objects}; an empty array when there is none; NULL
 * when the JVM cannot walk its heap (no JVMTI, no memory). */
jobjectArray heap_path(JNIEnv *env, jobject loader, jobjectArray references, jintArray referents);

/* ---- signals.c ---------------------------------------------------------------------- */

/* Called once, right after this shim created the JVM. */
void signals_guard_jvm(void);

#endif
