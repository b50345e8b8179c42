package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the endpoints of the list in turn.
 *
 * <p>One counter, shared by all threads, counts the picks; pick {@code n} takes the endpoint at
 * {@code n mod size}. Each count is taken by exactly one pick, so over any {@code k * size}
 * consecutive picks of an unchanged list every endpoint is chosen exactly {@code k} times, whichever
 * threads made them. When the list changes size the rotation simply continues over the new list.
 * A {@code long} counter does not wrap in practice, so the rotation never skips.
 */
final class RoundRobinBalancer implements Balancer {

    private final AtomicLong picks = new AtomicLong();

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        return endpoints.get(Math.floorMod(picks.getAndIncrement(), endpoints.size()));
    }
}
