package com.example.portico.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryBackupBalancerTest {

    private record TestEndpoint(String id, int activeRequests) implements Endpoint {
        public String host() { return "127.0.0.1"; }
        public int port() { return 8080; }
        public int weight() { return 1; }
    }

    private record Attempt(int attempt) implements SelectionContext {
        public InetSocketAddress clientAddress() { return new InetSocketAddress("127.0.0.1", 50000); }
        public RequestHead request() { return null; }
    }

    private final PrimaryBackupBalancerFactory.PrimaryBackup balancer = new PrimaryBackupBalancerFactory.PrimaryBackup(10);

    @Test
    void thePrimaryTakesEverythingUntilItIsBusy() {
        List<Endpoint> endpoints = List.of(new TestEndpoint("primary", 9), new TestEndpoint("backup", 0));

        assertThat(balancer.select(endpoints, new Attempt(0)).id()).isEqualTo("primary");
    }

    @Test
    void aBusyPrimaryHandsOverToTheFirstBackupThatIsNot() {
        List<Endpoint> endpoints = List.of(new TestEndpoint("primary", 10), new TestEndpoint("backup-1", 12),
                new TestEndpoint("backup-2", 3));

        assertThat(balancer.select(endpoints, new Attempt(0)).id()).isEqualTo("backup-2");
    }

    @Test
    void whenAllAreBusyTheLeastBusyTakesIt() {
        List<Endpoint> endpoints = List.of(new TestEndpoint("primary", 30), new TestEndpoint("backup", 11));

        assertThat(balancer.select(endpoints, new Attempt(0)).id()).isEqualTo("backup");
    }

    @Test
    void aRetryGoesToTheNextEndpointDownTheList() {
        List<Endpoint> endpoints = List.of(new TestEndpoint("primary", 0), new TestEndpoint("backup-1", 0),
                new TestEndpoint("backup-2", 0));

        assertThat(balancer.select(endpoints, new Attempt(1)).id()).isEqualTo("backup-1");
        assertThat(balancer.select(endpoints, new Attempt(2)).id()).isEqualTo("backup-2");
        assertThat(balancer.select(endpoints, new Attempt(3)).id()).isEqualTo("primary");
    }
}
