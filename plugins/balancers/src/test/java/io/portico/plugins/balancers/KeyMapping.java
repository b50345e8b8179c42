package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which endpoint a consistent-hashing balancer sends each of many keys ({@code x-user} headers) to. */
final class KeyMapping {

    /** The header the keys are sent in. */
    static final String HEADER = "x-user";

    private KeyMapping() {
    }

    /** The id of the endpoint each of {@code keys} users is sent to, by user number. */
    static List<String> of(Balancer balancer, List<Endpoint> endpoints, int keys) {
        List<String> ids = new ArrayList<>(keys);
        for (int user = 0; user < keys; user++) {
            ids.add(balancer.select(endpoints, TestRequest.get("/").header(HEADER, "user-" + user)).id());
        }
        return ids;
    }

    /** How many keys each endpoint id received. */
    static Map<String, Integer> counts(List<String> ids) {
        Map<String, Integer> counts = new HashMap<>();
        ids.forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    /** {@code endpoints} without the one at {@code index}, as a new list. */
    static List<Endpoint> without(List<Endpoint> endpoints, int index) {
        List<Endpoint> rest = new ArrayList<>(endpoints);
        rest.remove(index);
        return List.copyOf(rest);
    }
}
