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
    void percentFormatsStayStringFormat() {
        assertEquals("7 items", Logger.format("%d items", 7));
        assertEquals("50% of 3", Logger.format("50%% of %d", 3));
        assertEquals("no args {}", Logger.format("no args {}"));
    }
}
