package io.portico.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.config.RetryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry budget: a share of the recent requests, a floor per second, a window that forgets. */
class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    /** An arbitrary clock origin, negative like {@link System#nanoTime()} may be. */
    private static final long T0 = -123 * SECOND + 456;

    private static RetryBudget budget(int percent, int minPerSecond) {
        return new RetryBudget(new RetryConfig(null, percent, minPerSecond, List.of()));
    }

    private static int retriesAllowed(RetryBudget budget, long now) {
        int allowed = 0;
        while (budget.tryRetry(now) && allowed < 10_000) {
            allowed++;
        }
        return allowed;
    }

    @Test
    void allowsTheShareOfRecentRequests() {
        RetryBudget budget = budget(20, 0);
        for (int i = 0; i < 100; i++) {
            budget.requestStarted(T0 + i * (SECOND / 100));
        }
        assertThat(retriesAllowed(budget, T0 + SECOND)).isEqualTo(20);
    }

    @Test
    void theFloorAllowsRetriesWithoutTraffic() {
        RetryBudget budget = budget(20, 3);
        assertThat(retriesAllowed(budget, T0)).as("three a second over the ten-second window").isEqualTo(30);
    }

    @Test
    void requestsAndRetriesOlderThanTheWindowAreForgotten() {
        RetryBudget budget = budget(50, 0);
        for (int i = 0; i < 10; i++) {
            budget.requestStarted(T0);
        }
        assertThat(retriesAllowed(budget, T0 + 9 * SECOND)).isEqualTo(5);
        assertThat(retriesAllowed(budget, T0 + 10 * SECOND)).as("the requests left the window").isZero();

        budget.requestStarted(T0 + 18 * SECOND);
        budget.requestStarted(T0 + 18 * SECOND);
        assertThat(retriesAllowed(budget, T0 + 18 * SECOND)).as("the retries of second 9 still count").isZero();
        assertThat(retriesAllowed(budget, T0 + 19 * SECOND)).as("now they left the window too").isEqualTo(1);
    }

    @Test
    void noShareAndNoFloorMeansNoRetries() {
        RetryBudget budget = budget(0, 0);
        budget.requestStarted(T0);
        assertThat(budget.tryRetry(T0)).isFalse();
    }
}
