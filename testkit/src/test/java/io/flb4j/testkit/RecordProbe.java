package io.flb4j.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test plugin RecordOutput read; public, since it lives in another class loader. */
public final class RecordProbe {
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();
    /** Run by AccessLog's constructor: a test's stand-in for plugin code there. */
    public static volatile Runnable constructing = () -> {};
    /**
     * Which of a flush's records its destination refuses, found as the batch is written; the
     * function gives what the plugin names in its RejectedEventException (the record itself, or
     * one it changed). Null: none refused.
     */
    public static volatile java.util.function.UnaryOperator<Object> refusing;

    private RecordProbe() {}
}
