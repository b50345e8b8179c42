package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In an instance field, each test gets its own Portico and origins: nothing carries over. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestPorticoTest {

    @RegisterExtension
    final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              app: {balancer: first-endpoint, endpoints: [${origin0}]}
            routes:
              - match: {path: /}
                upstream: app
            """);

    @Test
    @Order(1)
    void aTestChangesItsOrigin() {
        portico.origin(0).respond(request -> OriginResponse.text(503, "down"));

        assertThat(portico.get("/").statusCode()).isEqualTo(503);
    }

    @Test
    @Order(2)
    void theNextTestStartsAfresh() {
        assertThat(portico.origin(0).requests()).isEmpty();
        assertThat(portico.get("/").body()).isEqualTo("origin 0");
    }
}
