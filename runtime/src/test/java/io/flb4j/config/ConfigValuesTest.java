package io.flb4j.config;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flb4j.api.ByteSize;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    enum Mode { FAST, SAFE_MODE }

    @Test
    void booleansReadAsFluentBitReadsThem() {
        for (String yes : List.of("on", "ON", "true", "True", "yes", "1", " on ")) {
            assertThat(ConfigValues.parseBoolean(yes)).isTrue();
        }
        for (String no : List.of("off", "false", "FALSE", "no", "0")) {
            assertThat(ConfigValues.parseBoolean(no)).isFalse();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseBoolean("2"));
        assertThat(e).hasMessageThat().isEqualTo(ConfigValues.BOOLEAN);
    }

    @Test
    void durations() {
        assertThat(ConfigValues.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigValues.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ConfigValues.parseDuration("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ConfigValues.parseDuration("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigValues.parseDuration("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigValues.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        for (String bad : List.of("", "s", "-1s", "5 weeks", "1e3s", "99999999999999999999d")) {
            assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseDuration(bad), bad);
        }
    }

    @Test
    void sizesAreThousandBasedLikeFluentBitWithBinaryVariants() {
        assertThat(ConfigValues.parseByteSize("512")).isEqualTo(new ByteSize(512));
        assertThat(ConfigValues.parseByteSize("64K")).isEqualTo(new ByteSize(64_000));
        assertThat(ConfigValues.parseByteSize("64kb")).isEqualTo(new ByteSize(64_000));
        assertThat(ConfigValues.parseByteSize("10M")).isEqualTo(new ByteSize(10_000_000));
        assertThat(ConfigValues.parseByteSize("1G")).isEqualTo(new ByteSize(1_000_000_000));
        assertThat(ConfigValues.parseByteSize("1.5M")).isEqualTo(new ByteSize(1_500_000));
        assertThat(ConfigValues.parseByteSize("2Ki")).isEqualTo(new ByteSize(2048));
        assertThat(ConfigValues.parseByteSize("1MiB")).isEqualTo(new ByteSize(1 << 20));
        for (String bad : List.of("", "K", "12X", "-1", "1T", "99999999999999999999G")) {
            assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseByteSize(bad), bad);
        }
    }

    @Test
    void numbers() {
        assertThat(ConfigValues.parseInt(" -7 ")).isEqualTo(-7);
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseInt("2147483648"));
        assertThat(ConfigValues.parseLong("2147483648")).isEqualTo(2147483648L);
        assertThat(ConfigValues.parseDouble("1e3")).isEqualTo(1000.0);
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseDouble("NaN"));
    }

    @Test
    void listsEnumsPathsUris() {
        assertThat(ConfigValues.parseList(" a, b ,,c ")).containsExactly("a", "b", "c").inOrder();
        assertThat(ConfigValues.parseList("")).isEmpty();
        assertThat(ConfigValues.parseEnum(Mode.class, "safe-mode")).isEqualTo(Mode.SAFE_MODE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseEnum(Mode.class, "slow"));
        assertThat(e).hasMessageThat().isEqualTo("one of fast, safe_mode");
        assertThat(ConfigValues.parseUri("http://h:1/x").getPort()).isEqualTo(1);
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.parseUri("http://h:1/x y"));
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.parsePath("a\0b"));
    }
}
