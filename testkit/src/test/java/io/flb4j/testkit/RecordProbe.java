package io.flb4j.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test plugin RecordOutput read; public, since it lives in another class loader. */
public final class RecordProbe {
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();
    /** Run by AccessLog's constructor: a test's stand-in for plugin code there. */
    public static volatile Runnable constructing = () -> {};

    private RecordProbe() {}
}
