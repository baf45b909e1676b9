/*
 * One plugin generation (Register .. Unregister): a fresh class loader over the bundle, the
 * natives registered, io.flb4j.engine.jvm.JvmEntry started, and the switch that makes each call.
 * Every JNI call that can raise is checked before the next one (JNI with an exception pending
 * is undefined); failures unwind through one label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jvm.h"

static jobject g_entry;            /* io.flb4j.engine.jvm.JvmEntry of this generation */
static jmethodID m_init, m_pre_run, m_flush, m_collect, m_handed_off, m_pause, m_resume,
    m_pre_exit, m_exit, m_exit_all, m_unregister, m_report_leak, m_settle;

#define CHECK(env, x) do { if (!(x) || (*(env))->ExceptionCheck(env)) goto done; } while (0)

/* ---- the engine interface of shim.h, for the JVM ------------------------------------- */

int engine_start(void)
{
    return jvm_start();
}

int engine_active(void)
{
    return g_entry != NULL;
}

void engine_call(struct call *c)
{
    if (!g_jvm) {
        return;
    }
    JNIEnv *env = jvm_attach();
    if (!env) {
        log_error("could not attach a thread to the JVM");
        return;
    }
    if (g_entry || (c->op == OP_INIT && generation_start(env) == 0)) {
        generation_run(env, c);
    }
}

/*
 * new URLClassLoader("flb4j:NAME:N", new URL[] { new File(path).toURI().toURL() }, platformLoader).
 * The name (plugin and generation) is what a stack frame of the generation's code carries
 * (StackTraceElement.getClassLoaderName), so the end of a generation can find threads still
 * running it.
 */
static jobject new_loader(JNIEnv *env, const char *path)
{
    static int started;
    char name[160];
    snprintf(name, sizeof(name), "flb4j:%s:%d", FLB4J_PLUGIN_NAME, ++started);
    jobject loader = NULL;
    jclass file_cls, uri_cls, url_cls, cl_cls, ucl;
    jmethodID m;
    jobject file, uri, url, platform;
    jobjectArray urls;
    jstring jpath, jname;
    CHECK(env, jpath = (*env)->NewStringUTF(env, path));
    CHECK(env, jname = (*env)->NewStringUTF(env, name));
    CHECK(env, file_cls = (*env)->FindClass(env, "java/io/File"));
    CHECK(env, m = (*env)->GetMethodID(env, file_cls, "<init>", "(Ljava/lang/String;)V"));
    CHECK(env, file = (*env)->NewObject(env, file_cls, m, jpath));
    CHECK(env, m = (*env)->GetMethodID(env, file_cls, "toURI", "()Ljava/net/URI;"));
    CHECK(env, uri = (*env)->CallObjectMethod(env, file, m));
    CHECK(env, uri_cls = (*env)->FindClass(env, "java/net/URI"));
    CHECK(env, m = (*env)->GetMethodID(env, uri_cls, "toURL", "()Ljava/net/URL;"));
    CHECK(env, url = (*env)->CallObjectMethod(env, uri, m));
    CHECK(env, url_cls = (*env)->FindClass(env, "java/net/URL"));
    CHECK(env, urls = (*env)->NewObjectArray(env, 1, url_cls, url));
    CHECK(env, cl_cls = (*env)->FindClass(env, "java/lang/ClassLoader"));
    CHECK(env, m = (*env)->GetStaticMethodID(env, cl_cls, "getPlatformClassLoader", "()Ljava/lang/ClassLoader;"));
    CHECK(env, platform = (*env)->CallStaticObjectMethod(env, cl_cls, m));
    CHECK(env, ucl = (*env)->FindClass(env, "java/net/URLClassLoader"));
    CHECK(env, m = (*env)->GetMethodID(env, ucl, "<init>", "(Ljava/lang/String;[Ljava/net/URL;Ljava/lang/ClassLoader;)V"));
    loader = (*env)->NewObject(env, ucl, m, jname, urls, platform);
done:
    return java_failed(env, "creating the plugin class loader") ? NULL : loader;
}

static jclass load_class(JNIEnv *env, jobject loader, const char *name)
{
    jclass c = NULL;
    jclass cl_cls;
    jmethodID load;
    jstring jname;
    CHECK(env, cl_cls = (*env)->FindClass(env, "java/lang/ClassLoader"));
    CHECK(env, load = (*env)->GetMethodID(env, cl_cls, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;"));
    CHECK(env, jname = (*env)->NewStringUTF(env, name));
    c = (jclass) (*env)->CallObjectMethod(env, loader, load, jname);
done:
    return java_failed(env, name) ? NULL : c;
}

static int bind_methods(JNIEnv *env, jclass entry)
{
    struct { jmethodID *id; const char *name, *sig; } methods[] = {
        { &m_init, "init", "(J)J" },
        { &m_pre_run, "preRun", "(I)I" },
        { &m_flush, "flush", "(JLjava/nio/ByteBuffer;[BJ)I" },
        { &m_collect, "collect", "(J)Ljava/nio/ByteBuffer;" },
        { &m_handed_off, "handedOff", "(J)V" },
        { &m_pause, "pause", "()V" },
        { &m_resume, "resume", "()V" },
        { &m_pre_exit, "preExit", "(I)V" },
        { &m_exit, "exit", "(J)I" },
        { &m_exit_all, "exitAll", "()I" },
        { &m_unregister, "unregister", "()V" },
        { &m_report_leak, "reportLeak", "(Ljava/lang/ClassLoader;IIZ)Z" },
        { &m_settle, "settle", "()V" },
    };
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        *methods[i].id = (*env)->GetMethodID(env, entry, methods[i].name, methods[i].sig);
        if (!*methods[i].id) {
            java_failed(env, "binding the plugin entry points");
            return -1;
        }
    }
    return 0;
}

int generation_start(JNIEnv *env)
{
    const char *jar = bundle_path();
    if (!jar || (*env)->PushLocalFrame(env, 64) != 0) {
        return -1;
    }
    int rc = -1;
    libraries_await_unloaded(env);
    jobject loader = new_loader(env, jar);
    jclass api = loader ? load_class(env, loader, "io.flb4j.engine.jvm.JniHostApi") : NULL;
    jclass entry = api ? load_class(env, loader, "io.flb4j.engine.jvm.JvmEntry") : NULL;
    if (!entry) {
        goto done;
    }
    if (natives_register(env, api) != 0) {
        java_failed(env, "registering the native methods");
        goto done;
    }
    jmethodID start = (*env)->GetStaticMethodID(env, entry, "start", "()Lio/flb4j/engine/jvm/JvmEntry;");
    jobject e = start ? (*env)->CallStaticObjectMethod(env, entry, start) : NULL;
    if (java_failed(env, "starting the plugin") || !e || bind_methods(env, entry) != 0) {
        goto done;
    }
    g_entry = (*env)->NewGlobalRef(env, e);
    rc = g_entry ? 0 : -1;
done:
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

/* The batch is handed to Fluent Bit in place: Java keeps it until the cleanup's handed-off. */
static void collect(JNIEnv *env, struct call *c)
{
    jobject batch = (*env)->CallObjectMethod(env, g_entry, m_collect, (jlong) c->handle);
    if (!batch || (*env)->ExceptionCheck(env)) {
        return;
    }
    void *data = (*env)->GetDirectBufferAddress(env, batch);
    jlong len = (*env)->GetDirectBufferCapacity(env, batch);
    if (data && len > 0) {
        *c->out_data = data;
        *c->out_len = (size_t) len;
    }
}

void engine_collected_release(void *data)
{
    (void) data;   /* Java's memory: the handed-off call frees the batch for reuse */
}

static void flush(JNIEnv *env, struct call *c)
{
    jobject buf = (*env)->NewDirectByteBuffer(env, (void *) c->data, (jlong) c->size);
    size_t tag_len = c->tag ? strlen(c->tag) : 0;
    jbyteArray tag = buf ? (*env)->NewByteArray(env, (jsize) tag_len) : NULL;
    if (tag) {
        (*env)->SetByteArrayRegion(env, tag, 0, (jsize) tag_len, (const jbyte *) c->tag);
        c->result = (*env)->CallIntMethod(env, g_entry, m_flush, (jlong) c->handle, buf, tag, (jlong) c->arg);
    }
}

void generation_run(JNIEnv *env, struct call *c)
{
    jobject e = g_entry;
    if ((*env)->PushLocalFrame(env, 16) != 0) {
        java_failed(env, "a plugin call");
        return;
    }
    switch (c->op) {
    case OP_INIT:
        c->result = (*env)->CallLongMethod(env, e, m_init, (jlong) c->arg);
        trim_soon();
        break;
    case OP_PRE_RUN:
        c->result = (*env)->CallIntMethod(env, e, m_pre_run, (jint) c->arg);
        break;
    case OP_FLUSH:
        flush(env, c);
        trim_load_started();
        break;
    case OP_COLLECT:
        c->result = FLB_OK;
        collect(env, c);
        trim_load_started();
        break;
    case OP_HANDED_OFF:
        (*env)->CallVoidMethod(env, e, m_handed_off, (jlong) c->handle);
        break;
    case OP_PAUSE:
        (*env)->CallVoidMethod(env, e, m_pause);
        break;
    case OP_RESUME:
        (*env)->CallVoidMethod(env, e, m_resume);
        break;
    case OP_PRE_EXIT:
        (*env)->CallVoidMethod(env, e, m_pre_exit, (jint) c->arg);
        break;
    case OP_EXIT:
        c->result = (*env)->CallIntMethod(env, e, m_exit, (jlong) c->handle);
        break;
    case OP_EXIT_ALL:
        c->result = (*env)->CallIntMethod(env, e, m_exit_all);
        break;
    case OP_UNREGISTER:
        (*env)->CallVoidMethod(env, e, m_unregister);
        if (!java_failed(env, "ending the generation")) {
            jobject loader = loader_of(env, e);
            java_failed(env, "finding the generation's class loader");   /* NULL then: nothing watched or kept */
            leaks_generation_ended(env, e, loader, m_report_leak, m_settle);
            libraries_generation_ended(env, loader);
        }
        (*env)->DeleteGlobalRef(env, g_entry);
        g_entry = NULL;
        break;
    }
    if (java_failed(env, "a plugin call")) {
        c->result = failure_result(c->op);
    }
    (*env)->PopLocalFrame(env, NULL);
}
