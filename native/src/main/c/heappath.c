/*
 * The path by which the heap holds an ended generation that was not unloaded, found by walking it
 * with JVMTI (FollowReferences), for the leak report when no holder the Java side knows of is
 * there (a static field of a class outside the plugin, a collection of the JDK's). Asked only
 * then: the walk stops the JVM for as long as it takes (milliseconds for the heaps flb4j plugins
 * have), and it needs a JVMTI environment of its own, made for the walk and disposed of after
 * it, so that the tags it puts on every object it reaches go with it.
 *
 * Each object is numbered as the walk first reaches it, with the object and kind of reference it
 * came through, until an object of the generation (an instance of one of its classes, one of
 * those classes, or its class loader) is reached; the numbers back from it to a root are the
 * path. The reporting thread's own references (its locals, its JNI locals: the loader being
 * reported is among them) are not roots here. The caller names the java.lang.ref.Reference classes
 * whose referent it has seen on an earlier path, each with the index the JVM gave that field: an
 * edge from an instance of one of them through that field is not followed, so that the walk finds
 * a path that holds. (The JVM names the field a reference came through only by an index, counted
 * over the class's superclasses and interfaces: the Java side learns it per class, from the hops
 * it sees, rather than counting as the JVM does.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jvmti.h>

#include "jvm.h"

/* Tags at and above: an object of the special table (a class, a thread, the loader). */
#define SPECIAL ((jlong) 1 << 48)
/* Past so many objects reached the walk gives up (its table holds 16 bytes per object). */
#define MOST_OBJECTS (4L * 1024 * 1024)

/* Objects tagged before the walk. An object has one entry whatever its roles. */
struct special {
    jobject object;
    char generation;   /* one of the generation's classes, or its loader */
    jint referent;     /* a Reference class whose referent (this field index) is not followed; -1 */
    jlong number;      /* its number once the walk reached it; 0 before */
};

/* A root the walk started from. */
struct root {
    jint kind;
    jlong thread_tag;
    jmethodID method;
};

/* A numbered object: how the walk first reached it. */
struct node {
    jlong parent;   /* the referrer's number; 0 for a root */
    jint kind;      /* the reference's kind (jvmtiHeapReferenceKind) */
    jint index;     /* field or element index; for a root, its entry in roots */
};

struct walk {
    struct special *specials;
    jlong nspecials;
    jlong current_thread;   /* the reporting thread's tag */
    struct node *nodes;     /* numbered objects, from 1 */
    jlong count, capacity;
    struct root *roots;
    jlong nroots, roots_capacity;
    jlong found;
    int failed;
};

static struct special *special_of(struct walk *w, jlong tag)
{
    return tag >= SPECIAL && tag - SPECIAL < w->nspecials ? &w->specials[tag - SPECIAL] : NULL;
}

static jlong number_of(struct walk *w, jlong tag)
{
    struct special *s = special_of(w, tag);
    return s ? s->number : tag;
}

static int grow(void **array, jlong *capacity, jlong need, size_t size)
{
    if (need < *capacity) {
        return 1;
    }
    jlong more = *capacity ? *capacity * 2 : 4096;
    void *bigger = realloc(*array, (size_t) more * size);
    if (!bigger) {
        return 0;
    }
    *array = bigger;
    *capacity = more;
    return 1;
}

/* Numbers a newly reached object; 0 when the table cannot grow. */
static jlong number(struct walk *w, jlong from, jint kind, jint index)
{
    jlong n = w->count + 1;
    if (n > MOST_OBJECTS) {
        return 0;
    }
    if (!grow((void **) &w->nodes, &w->capacity, n, sizeof(struct node))) {
        return 0;
    }
    w->nodes[n] = (struct node) { from, kind, index };
    w->count = n;
    return n;
}

static jint root_entry(struct walk *w, jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info)
{
    if (!grow((void **) &w->roots, &w->roots_capacity, w->nroots, sizeof(struct root))) {
        return -1;
    }
    struct root *r = &w->roots[w->nroots];
    r->kind = kind;
    r->thread_tag = 0;
    r->method = NULL;
    if (kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL) {
        r->thread_tag = info->stack_local.thread_tag;
        r->method = info->stack_local.method;
    }
    else if (kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL) {
        r->thread_tag = info->jni_local.thread_tag;
        r->method = info->jni_local.method;
    }
    return (jint) w->nroots++;
}

static jint edge_index(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info)
{
    switch (kind) {
    case JVMTI_HEAP_REFERENCE_FIELD:
    case JVMTI_HEAP_REFERENCE_STATIC_FIELD:
        return info->field.index;
    case JVMTI_HEAP_REFERENCE_ARRAY_ELEMENT:
        return info->array.index;
    case JVMTI_HEAP_REFERENCE_CONSTANT_POOL:
        return info->constant_pool.index;
    default:
        return -1;
    }
}

static jint JNICALL reached(jvmtiHeapReferenceKind kind, const jvmtiHeapReferenceInfo *info, jlong class_tag,
                            jlong referrer_class_tag, jlong size, jlong *tag_ptr, jlong *referrer_tag_ptr,
                            jint length, void *data)
{
    (void) size;
    (void) length;
    struct walk *w = data;
    jlong from = 0;
    jint index;
    if (referrer_tag_ptr) {
        from = number_of(w, *referrer_tag_ptr);
        struct special *referrer_type = special_of(w, referrer_class_tag);
        if (from == 0 || (kind == JVMTI_HEAP_REFERENCE_FIELD && referrer_type
                          && info->field.index == referrer_type->referent)) {
            return 0;   /* not followed: a Reference's referent */
        }
    }
    else if ((kind == JVMTI_HEAP_REFERENCE_STACK_LOCAL && info->stack_local.thread_tag == w->current_thread)
             || (kind == JVMTI_HEAP_REFERENCE_JNI_LOCAL && info->jni_local.thread_tag == w->current_thread)) {
        return 0;   /* the reporting thread's own */
    }
    if (number_of(w, *tag_ptr) != 0) {
        return 0;   /* reached before: already numbered and visited */
    }
    index = referrer_tag_ptr ? edge_index(kind, info) : root_entry(w, kind, info);
    jlong n = index < 0 && !referrer_tag_ptr ? 0 : number(w, from, kind, index);
    if (n == 0) {
        w->failed = 1;
        return JVMTI_VISIT_ABORT;
    }
    struct special *self = special_of(w, *tag_ptr);
    struct special *type = special_of(w, class_tag);
    if (self) {
        self->number = n;
    }
    else {
        *tag_ptr = n;
    }
    if ((self && self->generation) || (type && type->generation)) {
        w->found = n;
        return JVMTI_VISIT_ABORT;
    }
    return JVMTI_VISIT_OBJECTS;
}

/* Gives obj an entry (or returns the one it has); NULL on failure. */
static struct special *tag_special(jvmtiEnv *ti, struct walk *w, jlong capacity, jobject obj)
{
    jlong tag = 0;
    if (!obj || (*ti)->GetTag(ti, obj, &tag) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    struct special *s = special_of(w, tag);
    if (s) {
        return s;
    }
    if (w->nspecials >= capacity || (*ti)->SetTag(ti, obj, SPECIAL + w->nspecials) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    s = &w->specials[w->nspecials++];
    s->object = obj;
    s->generation = 0;
    s->referent = -1;
    s->number = 0;
    return s;
}

static jobject object_numbered(struct walk *w, jlong n, jobject *tagged, jlong *tags, jint ntagged)
{
    for (jlong i = 0; i < w->nspecials; i++) {
        if (w->specials[i].number == n) {
            return w->specials[i].object;
        }
    }
    for (jint i = 0; i < ntagged; i++) {
        if (tags[i] == n) {
            return tagged[i];
        }
    }
    return NULL;
}

/* "com.example.Foo.run" for a method, or NULL. */
static jstring method_name(JNIEnv *env, jvmtiEnv *ti, jmethodID method)
{
    char *name = NULL, *signature = NULL;
    jclass declaring = NULL;
    if (!method || (*ti)->GetMethodName(ti, method, &name, NULL, NULL) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    jstring out = NULL;
    if ((*ti)->GetMethodDeclaringClass(ti, method, &declaring) == JVMTI_ERROR_NONE
        && (*ti)->GetClassSignature(ti, declaring, &signature, NULL) == JVMTI_ERROR_NONE) {
        size_t len = strlen(signature);
        char *text = malloc(len + strlen(name) + 2);
        if (text) {
            /* "Lcom/example/Foo;" → "com.example.Foo.run" */
            size_t j = 0;
            for (size_t i = signature[0] == 'L' ? 1 : 0; i < len && signature[i] != ';'; i++) {
                text[j++] = signature[i] == '/' ? '.' : signature[i];
            }
            text[j++] = '.';
            strcpy(text + j, name);
            out = (*env)->NewStringUTF(env, text);
            free(text);
        }
        (*ti)->Deallocate(ti, (unsigned char *) signature);
    }
    (*ti)->Deallocate(ti, (unsigned char *) name);
    return out;
}

/* The path found, as the Java side reads it (JniHostApi.heapPath). */
static jobjectArray path_of(JNIEnv *env, jvmtiEnv *ti, struct walk *w)
{
    jlong length = 0;
    for (jlong n = w->found; n; n = w->nodes[n].parent) {
        length++;
    }
    jlong *numbers = malloc(sizeof(jlong) * (size_t) length);
    jint *kinds = malloc(sizeof(jint) * (size_t) length);
    jint *indexes = malloc(sizeof(jint) * (size_t) length);
    jobjectArray out = NULL;
    jint ntagged = 0;
    jobject *tagged = NULL;
    jlong *tags = NULL;
    if (!numbers || !kinds || !indexes) {
        goto done;
    }
    jlong i = length;
    for (jlong n = w->found; n; n = w->nodes[n].parent) {
        numbers[--i] = n;
    }
    for (i = 0; i + 1 < length; i++) {
        kinds[i] = w->nodes[numbers[i + 1]].kind;
        indexes[i] = w->nodes[numbers[i + 1]].index;
    }
    if ((*ti)->GetObjectsWithTags(ti, (jint) length, numbers, &ntagged, &tagged, &tags) != JVMTI_ERROR_NONE) {
        ntagged = 0;
    }
    jclass object_class = (*env)->FindClass(env, "java/lang/Object");
    jobjectArray objects = object_class ? (*env)->NewObjectArray(env, (jsize) length, object_class, NULL) : NULL;
    jintArray jkinds = (*env)->NewIntArray(env, (jsize) (length - 1));
    jintArray jindexes = (*env)->NewIntArray(env, (jsize) (length - 1));
    out = object_class ? (*env)->NewObjectArray(env, 6, object_class, NULL) : NULL;
    if (!objects || !jkinds || !jindexes || !out) {
        out = NULL;
        goto done;
    }
    for (i = 0; i < length; i++) {
        (*env)->SetObjectArrayElement(env, objects, (jsize) i, object_numbered(w, numbers[i], tagged, tags, ntagged));
    }
    (*env)->SetIntArrayRegion(env, jkinds, 0, (jsize) (length - 1), kinds);
    (*env)->SetIntArrayRegion(env, jindexes, 0, (jsize) (length - 1), indexes);
    struct root *root = &w->roots[w->nodes[numbers[0]].index];
    struct special *thread = special_of(w, root->thread_tag);
    char kind[16];
    snprintf(kind, sizeof(kind), "%d", (int) root->kind);
    (*env)->SetObjectArrayElement(env, out, 0, thread ? thread->object : NULL);
    (*env)->SetObjectArrayElement(env, out, 1, (*env)->NewStringUTF(env, kind));
    (*env)->SetObjectArrayElement(env, out, 2, method_name(env, ti, root->method));
    (*env)->SetObjectArrayElement(env, out, 3, jkinds);
    (*env)->SetObjectArrayElement(env, out, 4, jindexes);
    (*env)->SetObjectArrayElement(env, out, 5, objects);
done:
    if (tagged) {
        (*ti)->Deallocate(ti, (unsigned char *) tagged);
    }
    if (tags) {
        (*ti)->Deallocate(ti, (unsigned char *) tags);
    }
    free(numbers);
    free(kinds);
    free(indexes);
    return out;
}

/* Tags the generation's classes and loader, every thread, and the Reference classes whose referent is not followed. */
static int prepare(JNIEnv *env, jvmtiEnv *ti, struct walk *w, jobject loader, jobjectArray references,
                   jintArray referents)
{
    jint nclasses = 0, nthreads = 0;
    jclass *classes = NULL;
    jthread *threads = NULL;
    jthread current = NULL;
    int ok = 0;
    if ((*ti)->GetLoadedClasses(ti, &nclasses, &classes) != JVMTI_ERROR_NONE
        || (*ti)->GetAllThreads(ti, &nthreads, &threads) != JVMTI_ERROR_NONE
        || (*ti)->GetCurrentThread(ti, &current) != JVMTI_ERROR_NONE) {
        goto done;
    }
    jsize nreferences = references ? (*env)->GetArrayLength(env, references) : 0;
    jlong capacity = (jlong) nclasses + nthreads + 1 + nreferences;
    if ((*env)->EnsureLocalCapacity(env, (jint) (2 * capacity + 64)) != 0) {
        goto done;
    }
    w->specials = calloc((size_t) capacity, sizeof(struct special));
    if (!w->specials) {
        goto done;
    }
    for (jint i = 0; i < nclasses; i++) {
        jobject defining = NULL;
        if ((*ti)->GetClassLoader(ti, classes[i], &defining) != JVMTI_ERROR_NONE) {
            continue;
        }
        if (defining && (*env)->IsSameObject(env, defining, loader)) {
            struct special *s = tag_special(ti, w, capacity, classes[i]);
            if (s) {
                s->generation = 1;
            }
        }
        if (defining) {
            (*env)->DeleteLocalRef(env, defining);
        }
    }
    struct special *l = tag_special(ti, w, capacity, loader);
    if (!l) {
        goto done;
    }
    l->generation = 1;
    for (jint i = 0; i < nthreads; i++) {
        struct special *t = tag_special(ti, w, capacity, threads[i]);
        if (t && (*env)->IsSameObject(env, threads[i], current)) {
            w->current_thread = SPECIAL + (t - w->specials);
        }
    }
    for (jsize i = 0; i < nreferences && referents && i < (*env)->GetArrayLength(env, referents); i++) {
        struct special *r = tag_special(ti, w, capacity, (*env)->GetObjectArrayElement(env, references, i));
        jint index = -1;
        (*env)->GetIntArrayRegion(env, referents, i, 1, &index);
        if (r) {
            r->referent = index;
        }
    }
    ok = 1;
done:
    /* the classes' and threads' local references stay in the caller's frame until it is popped */
    if (classes) {
        (*ti)->Deallocate(ti, (unsigned char *) classes);
    }
    if (threads) {
        (*ti)->Deallocate(ti, (unsigned char *) threads);
    }
    return ok;
}

jobjectArray heap_path(JNIEnv *env, jobject loader, jobjectArray references, jintArray referents)
{
    jvmtiEnv *ti = NULL;
    if (!loader || !g_jvm || (*g_jvm)->GetEnv(g_jvm, (void **) &ti, JVMTI_VERSION_1_2) != JNI_OK || !ti) {
        return NULL;
    }
    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof(caps));
    caps.can_tag_objects = 1;
    jobjectArray out = NULL;
    struct walk w;
    memset(&w, 0, sizeof(w));
    if ((*ti)->AddCapabilities(ti, &caps) != JVMTI_ERROR_NONE || (*env)->PushLocalFrame(env, 64) != 0) {
        (*ti)->DisposeEnvironment(ti);
        return NULL;
    }
    if (prepare(env, ti, &w, loader, references, referents)) {
        jvmtiHeapCallbacks callbacks;
        memset(&callbacks, 0, sizeof(callbacks));
        callbacks.heap_reference_callback = reached;
        if ((*ti)->FollowReferences(ti, 0, NULL, NULL, &callbacks, &w) == JVMTI_ERROR_NONE && !w.failed) {
            if (w.found) {
                out = path_of(env, ti, &w);
            }
            else {
                jclass object_class = (*env)->FindClass(env, "java/lang/Object");
                out = object_class ? (*env)->NewObjectArray(env, 0, object_class, NULL) : NULL;
            }
        }
    }
    out = (*env)->PopLocalFrame(env, out);
    free(w.specials);
    free(w.nodes);
    free(w.roots);
    (*ti)->DisposeEnvironment(ti);   /* and with it every tag the walk set */
    return out;
}
