package io.flb4j.host;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exception's chain of causes, walked once and bounded: a chain can loop ({@code a.initCause(b);
 * b.initCause(a)} is allowed; only a cause that is the exception itself is refused) and a library's
 * wrapping can be deep, and a walk that never ends would hold the thread that reports the failure.
 */
final class Causes {
    /** How many exceptions of a chain are looked at, the first included. */
    static final int MAX = 32;

    private Causes() {
    }

    /** {@code failure} and its causes in order: each once, at most {@link #MAX}. */
    static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && chain.size() < MAX && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
