package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.SequentialBalancerFactory;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An origin dies in the middle of steady traffic from keep-alive clients, and the clients see no
 * failure: with the default retry settings, requests that were refused a connection, and requests
 * that its connections dropped before answering, go to the other origins.
 *
 * <p>The origins hold a read lock while writing a response, and the kill takes the write lock: so
 * the origin dies between responses, never in the middle of one. A response cut after its first
 * byte cannot be retried by any proxy (part of it already reached the client); everything else the
 * kill can hit, the proxy must absorb: idle pooled connections closing, requests that reached the
 * origin but were never answered, requests written to a connection as it closed, and new
 * connections refused afterwards.
 */
class FailoverTest {

    private static final int REQUESTS = 5000;
    private static final int CLIENTS = 8;

    @Test
    @Timeout(60)
    void killingAnOriginMidRunFailsNoRequest() throws Exception {
        ReadWriteLock responding = new ReentrantReadWriteLock();
        try (TestOrigin doomed = TestOrigin.start(answering("doomed", responding));
             TestOrigin second = TestOrigin.start(answering("second", responding));
             TestOrigin third = TestOrigin.start(answering("third", responding));
             TestPortico portico = TestPortico.start("""
                     access-log: {enabled: false}   # thousands of lines would only slow the run down
                     upstreams: {app: {balancer: sequential, endpoints: [%s, %s, %s]}}
                     routes: [{upstream: app}]
                     """.formatted(doomed.address(), second.address(), third.address()))) {
            AtomicInteger issued = new AtomicInteger();
            Queue<String> answers = new ConcurrentLinkedQueue<>();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch halfway = new CountDownLatch(REQUESTS / 2);

            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofPlatform().name("failover-client-" + c).start(() -> {
                    while (issued.getAndIncrement() < REQUESTS) {
                        answers.add(get(portico, failures));
                        halfway.countDown();
                    }
                }));
            }
            assertThat(halfway.await(30, TimeUnit.SECONDS)).as("half the requests answered").isTrue();
            responding.writeLock().lock();
            try {
                doomed.close();
            } finally {
                responding.writeLock().unlock();
            }
            int answeredAtKill = answers.size();
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(40));
            }

            assertThat(failures).as("requests that failed").isEmpty();
            assertThat(answers).hasSize(REQUESTS);
            List<String> inOrder = List.copyOf(answers);
            assertThat(inOrder.subList(0, answeredAtKill)).contains("doomed", "second", "third");
            assertThat(inOrder.subList(answeredAtKill + 2 * CLIENTS, REQUESTS))
                    .as("after the kill (and the few responses in flight then), only the survivors answer")
                    .containsOnly("second", "third");
            List<String> results = ((SequentialBalancerFactory.Sequential) portico.upstream("app").balancer()).results();
            assertThat(results).as("the dead origin kept being picked, and failed over")
                    .anyMatch(result -> result.equals(doomed.address() + " CONNECT_FAILED"));
        }
    }

    /** Answers 200 with {@code name}, never while the kill holds the write lock. */
    private static TestOrigin.Handler answering(String name, ReadWriteLock responding) {
        return (exchange, request) -> {
            responding.readLock().lock();
            try {
                TestOrigin.respond(exchange, 200, name);
            } finally {
                responding.readLock().unlock();
            }
        };
    }

    /** The body of a 200 response to GET /, or a description of what went wrong, recorded as a failure. */
    private static String get(TestPortico portico, Queue<String> failures) {
        HttpRequest request = HttpRequest.newBuilder(portico.uri("/")).timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = TestPortico.client().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failures.add(response.statusCode() + " " + response.body().strip());
            }
            return response.body();
        } catch (Exception e) {
            failures.add(e.toString());
            return "failed";
        }
    }
}
