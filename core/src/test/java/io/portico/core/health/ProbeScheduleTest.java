package io.portico.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.config.HealthCheckConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The jitter of the probe schedule, as the configuration sets it. */
class ProbeScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void firstProbesOfManyEndpointsSpreadOverTheJitter() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofSeconds(10), Duration.ofSeconds(2), new SplittableRandom(7));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(schedule.firstDelayNanos());
        }
        assertThat(first).allSatisfy(d -> assertThat(d).isBetween(0L, 2 * SECOND - 1));
        assertThat(new HashSet<>(first)).as("no two endpoints probed at the same instant").hasSize(50);
        assertThat(first.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(SECOND / 5);
        assertThat(first.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(9 * SECOND / 5);
    }

    @Test
    void laterProbesComeEveryIntervalPlusUpToTheJitter() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofSeconds(10), Duration.ofSeconds(2), new SplittableRandom(7));
        for (int i = 0; i < 50; i++) {
            assertThat(schedule.nextDelayNanos()).isBetween(10 * SECOND, 12 * SECOND - 1);
        }
    }

    @Test
    void withoutJitterProbesComeExactlyEveryInterval() {
        ProbeSchedule schedule = new ProbeSchedule(Duration.ofMillis(250), Duration.ZERO, new SplittableRandom(7));
        assertThat(schedule.firstDelayNanos()).isZero();
        assertThat(schedule.nextDelayNanos()).isEqualTo(250_000_000L);
    }

    @Test
    void defaultJitterIsATenthOfTheInterval() {
        HealthCheckConfig config = new HealthCheckConfig(null, null, null, null, null, null,
                Duration.ofSeconds(5), null, null, null, null);
        ProbeSchedule schedule = new ProbeSchedule(config.interval(), config.jitter(), new SplittableRandom(1));
        for (int i = 0; i < 50; i++) {
            assertThat(schedule.firstDelayNanos()).isBetween(0L, SECOND / 2 - 1);
        }
    }
}
