/*
 * Finding, starting or joining the process's one JVM.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jvm.h"

#define MAX_JVM_OPTIONS 64

/* The JVM outlives plugin generations (hot reload): one per process, never destroyed. */
JavaVM *g_jvm;

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

static int find_loaded_libjvm(struct dl_phdr_info *info, size_t size, void *data)
{
    (void) size;
    const char *name = info->dlpi_name;
    size_t n = name ? strlen(name) : 0;
    if (n >= 10 && strcmp(name + n - 10, "/libjvm.so") == 0) {
        snprintf((char *) data, 4096, "%s", name);
        return 1;
    }
    return 0;
}

/*
 * A process holds one JVM. When a libjvm.so is already loaded (another flb4j plugin, perhaps
 * built with another JDK, or a host that embeds Java), this plugin joins it: loading a second
 * libjvm.so from another path would start a second JVM in the process, which HotSpot does not
 * survive. Otherwise tries FLB4J_JAVA_HOME, JAVA_HOME, then the build JDK; a variable that is set
 * but does not hold a JVM is named in a warning, so a typo is not silently replaced by another JDK.
 */
static void *open_libjvm(char *tried, size_t tried_size)
{
    const char *homes[3] = { getenv("FLB4J_JAVA_HOME"), getenv("JAVA_HOME"), FLB4J_BUILD_JAVA_HOME };
    const char *names[3] = { "FLB4J_JAVA_HOME", "JAVA_HOME", "the build JDK" };
    char loaded[4096] = "";
    if (dl_iterate_phdr(find_loaded_libjvm, loaded) && loaded[0]) {
        void *h = dlopen(loaded, RTLD_NOW | RTLD_NOLOAD);
        if (h) {
            int mine = 0;
            for (int i = 0; i < 3 && !mine; i++) {
                char path[4096];
                snprintf(path, sizeof(path), "%s/lib/server/libjvm.so", homes[i] ? homes[i] : "");
                mine = homes[i] && homes[i][0] && strcmp(path, loaded) == 0;
            }
            if (!mine) {
                log_info("joining the JVM this process already loaded (%s), not this plugin's own JDK", loaded);
            }
            return h;
        }
    }
    size_t used = 0;
    for (int i = 0; i < 3; i++) {
        if (!homes[i] || !homes[i][0]) {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/lib/server/libjvm.so", homes[i]);
        void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
        if (h) {
            return h;
        }
        if (i < 2) {
            log_warn("%s is %s, but %s cannot be loaded (%s); trying the next JVM", names[i], homes[i], path,
                     dlerror());
        }
        used += (size_t) snprintf(tried + used, used < tried_size ? tried_size - used : 0, "%s%s (%s)",
                                  used ? ", " : "", path, names[i]);
    }
    return NULL;
}

/* Splits options on the separator the build used ('\n') or spaces (the environment variable). */
static int add_options(JavaVMOption *opts, int n, char *text, const char *separators)
{
    for (char *save = NULL, *tok = strtok_r(text, separators, &save); tok && n < MAX_JVM_OPTIONS;
         tok = strtok_r(NULL, separators, &save)) {
        opts[n++].optionString = tok;
    }
    return n;
}

/*
 * JRE leak prevention, as Tomcat's JreMemoryLeakPreventionListener does it: some JDK classes keep
 * something of whatever first used them in a static field for the JVM's life (a Throwable's
 * backtrace holds the classes on the stack). Initialised here, from native code with no plugin
 * frame on the stack and the system class loader, they keep nothing of a plugin generation.
 * Found with a heap dump of a hot-reloaded JMX input: JMXServiceURL's static exception held the
 * first generation's classes.
 */
static void prevent_jre_leaks(JNIEnv *env)
{
    static const char *classes[] = { "javax.management.remote.JMXServiceURL" };
    jclass class_cls = (*env)->FindClass(env, "java/lang/Class");
    jclass loader_cls = (*env)->FindClass(env, "java/lang/ClassLoader");
    jmethodID for_name = class_cls ? (*env)->GetStaticMethodID(env, class_cls, "forName",
        "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;") : NULL;
    jmethodID system = loader_cls ? (*env)->GetStaticMethodID(env, loader_cls, "getSystemClassLoader",
        "()Ljava/lang/ClassLoader;") : NULL;
    jobject loader = system ? (*env)->CallStaticObjectMethod(env, loader_cls, system) : NULL;
    for (size_t i = 0; for_name && loader && i < sizeof(classes) / sizeof(classes[0]); i++) {
        jstring name = (*env)->NewStringUTF(env, classes[i]);
        if (name) {
            (*env)->CallStaticObjectMethod(env, class_cls, for_name, name, JNI_TRUE, loader);
            (*env)->DeleteLocalRef(env, name);
        }
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionClear(env);   /* a JRE without the class (no java.management): nothing to prevent */
        }
    }
    (*env)->ExceptionClear(env);
}

/* The jvmOptions baked into this plugin, space separated. */
static const char *baked_options_shown(void)
{
    static const char baked[] = FLB4J_JVM_OPTIONS;
    static char shown[sizeof(baked)];
    for (size_t i = 0; i < sizeof(baked); i++) {
        shown[i] = baked[i] == '\n' ? ' ' : baked[i];
    }
    return shown;
}

/*
 * The JVM's exit hook: Java code called System.exit or Runtime.halt (a plugin, or a library in
 * it), and the JVM is about to end the process, Fluent Bit with it. Nothing can stop it by now;
 * this says why, so that the end of Fluent Bit is not a mystery.
 */
static void jvm_exiting(jint status)
{
    log_error("the JVM is exiting with status %d, and Fluent Bit with it: Java code in the plugin (or a "
              "library in it) called System.exit or Runtime.halt", (int) status);
}

static int create_jvm(create_vm_fn create)
{
    static char defaults[] = FLB4J_DEFAULT_JVM_OPTIONS;
    static char baked[] = FLB4J_JVM_OPTIONS;
    static char env_copy[4096];
    static char creator[] = "-Dflb4j.jvm.creator=" FLB4J_PLUGIN_NAME;
    static char creator_options[4096];
    snprintf(creator_options, sizeof(creator_options), "-Dflb4j.jvm.options=%s", baked_options_shown());
    JavaVMOption opts[MAX_JVM_OPTIONS];
    static char exit_hook[] = "exit";
    opts[0].optionString = creator;
    opts[1].optionString = creator_options;
    opts[2].optionString = exit_hook;
    opts[2].extraInfo = (void *) jvm_exiting;
    int n = add_options(opts, 3, defaults, "\n");
    n = add_options(opts, n, baked, "\n");
    const char *env = getenv("FLB4J_JVM_OPTIONS");
    if (env) {
        snprintf(env_copy, sizeof(env_copy), "%s", env);
        n = add_options(opts, n, env_copy, " \t");
    }
    char libjvm[4096] = "";
    if (dl_iterate_phdr(find_loaded_libjvm, libjvm) && libjvm[0]) {
        jvm_malloc_route(libjvm);
    }
    JavaVMInitArgs args = { JNI_VERSION_1_8, n, opts, JNI_FALSE };
    JNIEnv *env_ptr;
    jint rc = create(&g_jvm, (void **) &env_ptr, &args);
    if (rc != JNI_OK) {
        g_jvm = NULL;
        log_error("the JVM did not start (JNI_CreateJavaVM returned %d); check FLB4J_JVM_OPTIONS", (int) rc);
        return -1;
    }
    signals_guard_jvm();
    jvm_malloc_route_loaded();
    prevent_jre_leaks(env_ptr);
    trim_start((void *) create);
    return 0;
}

/* The value of a system property of the running JVM, or NULL; free() it. */
static char *system_property(JNIEnv *env, const char *name)
{
    char *copy = NULL;
    jclass system = (*env)->FindClass(env, "java/lang/System");
    jmethodID get = system ? (*env)->GetStaticMethodID(env, system, "getProperty",
                                                       "(Ljava/lang/String;)Ljava/lang/String;") : NULL;
    jstring key = get ? (*env)->NewStringUTF(env, name) : NULL;
    jstring value = key ? (jstring) (*env)->CallStaticObjectMethod(env, system, get, key) : NULL;
    const char *text = value && !(*env)->ExceptionCheck(env) ? (*env)->GetStringUTFChars(env, value, NULL) : NULL;
    if (text) {
        copy = strdup(text);
        (*env)->ReleaseStringUTFChars(env, value, text);
    }
    (*env)->ExceptionClear(env);
    return copy;
}

/*
 * A JVM's options are fixed when it starts: a plugin that joins the JVM another plugin started
 * runs without the jvmOptions baked into it. Said once, naming the plugin that started the JVM
 * and the options not applied, unless that plugin had the same ones baked in.
 */
static void warn_unapplied_options(void)
{
    const char *mine = baked_options_shown();
    JNIEnv *env = mine[0] ? jvm_attach() : NULL;
    if (!env) {
        return;
    }
    char *creator = system_property(env, "flb4j.jvm.creator");
    char *theirs = system_property(env, "flb4j.jvm.options");
    if (!theirs || strcmp(theirs, mine) != 0) {
        log_warn("the JVM was already started (by %s%s), so this plugin's jvmOptions are not applied: %s. "
                 "Give them to the plugin that starts the JVM, or to FLB4J_JVM_OPTIONS",
                 creator ? "the flb4j plugin " : "another library in this process", creator ? creator : "", mine);
    }
    free(creator);
    free(theirs);
}

/* Joins the process's JVM (another flb4j plugin or an earlier generation made it) or creates it. */
int jvm_start(void)
{
    if (g_jvm) {
        return 0;
    }
    char tried[2048] = "";
    void *lib = open_libjvm(tried, sizeof(tried));
    if (!lib) {
        log_error("no JVM found: tried %s. Set FLB4J_JAVA_HOME or JAVA_HOME to a JDK or JRE 17+",
                  tried[0] ? tried : "nothing (FLB4J_JAVA_HOME and JAVA_HOME unset)");
        return -1;
    }
    created_vms_fn created = (created_vms_fn) dlsym(lib, "JNI_GetCreatedJavaVMs");
    create_vm_fn create = (create_vm_fn) dlsym(lib, "JNI_CreateJavaVM");
    if (!created || !create) {
        log_error("libjvm.so has no JNI_CreateJavaVM; is it a real JDK?");
        return -1;
    }
    JavaVM *vms[1];
    jsize count = 0;
    if (created(vms, 1, &count) == JNI_OK && count > 0) {
        g_jvm = vms[0];
        warn_unapplied_options();
        return 0;
    }
    return create_jvm(create);
}

JNIEnv *jvm_attach(void)
{
    JNIEnv *env = NULL;
    if ((*g_jvm)->GetEnv(g_jvm, (void **) &env, JNI_VERSION_1_8) == JNI_OK) {
        return env;
    }
    JavaVMAttachArgs args = { JNI_VERSION_1_8, "flb4j-" FLB4J_PLUGIN_NAME, NULL };
    if ((*g_jvm)->AttachCurrentThreadAsDaemon(g_jvm, (void **) &env, &args) != JNI_OK) {
        return NULL;
    }
    return env;
}

int java_failed(JNIEnv *env, const char *what)
{
    if (!(*env)->ExceptionCheck(env)) {
        return 0;
    }
    jthrowable t = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    const char *text = NULL;
    jstring s = NULL;
    jclass object = (*env)->FindClass(env, "java/lang/Object");
    jmethodID to_string = object ? (*env)->GetMethodID(env, object, "toString", "()Ljava/lang/String;") : NULL;
    if (to_string && !(*env)->ExceptionCheck(env)) {
        s = (jstring) (*env)->CallObjectMethod(env, t, to_string);
    }
    if (s && !(*env)->ExceptionCheck(env)) {
        text = (*env)->GetStringUTFChars(env, s, NULL);
    }
    (*env)->ExceptionClear(env);
    log_error("%s failed: %s", what, text ? text : "a Java exception");
    if (text) {
        (*env)->ReleaseStringUTFChars(env, s, text);
    }
    return 1;
}
