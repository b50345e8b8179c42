package io.portico.plugins.balancers;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The random numbers balancers use in production: each call goes to the calling thread's {@link
 * ThreadLocalRandom}, so event loops never contend on a shared seed. Tests give balancers a seeded
 * generator instead, through their package-private constructors.
 */
enum PerThreadRandom implements RandomGenerator {
    /** The one instance. */
    INSTANCE;

    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public int nextInt(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public long nextLong(long bound) {
        return ThreadLocalRandom.current().nextLong(bound);
    }
}
