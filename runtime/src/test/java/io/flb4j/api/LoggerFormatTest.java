package io.flb4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class LoggerFormatTest {
    @Test
    void bracesAreFilledInOrder() {
        assertEquals("connected to db:5432 in 12 ms", Logger.format("connected to {} in {} ms", "db:5432", 12));
        assertEquals("a b {} left", Logger.format("a {} {} left", "b"));
        assertEquals("only b", Logger.format("only {}", "b", "extra"));
    }

    @Test
    void aTrailingThrowableAddsItsCauses() {
        assertEquals("retrying db: java.io.IOException: refused",
                Logger.format("retrying {}", "db", new IOException("refused")));
    }

    @Test
    void aChainThatLoopsBackEndsAtTheFirstExceptionMetAgain() {
        IOException a = new IOException("a");
        IllegalStateException b = new IllegalStateException("b");
        a.initCause(b);
        b.initCause(a);
        assertEquals("java.io.IOException: a; caused by java.lang.IllegalStateException: b; caused by "
                + "[circular reference: java.io.IOException: a]", Logger.causes(a));
    }

    @Test
    void aChainDeeperThan32EndsAfter32() {
        Throwable t = new IOException("0");
        for (int i = 1; i < 40; i++) {
            t = new RuntimeException(Integer.toString(i), t);
        }
        String line = Logger.causes(t);
        assertEquals(32, line.split("; caused by ").length);
        assertEquals(true, line.startsWith("java.lang.RuntimeException: 39; caused by java.lang.RuntimeException: 38"));
        assertEquals(true, line.endsWith("java.lang.RuntimeException: 8; …"));
    }

    @Test
    void percentFormatsStayStringFormat() {
        assertEquals("7 items", Logger.format("%d items", 7));
        assertEquals("50% of 3", Logger.format("50%% of %d", 3));
        assertEquals("no args {}", Logger.format("no args {}"));
    }
}
