package com.example.portico.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.PorticoExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrimaryBackupInPorticoTest {

    @RegisterExtension
    static final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              app:
                balancer: {primary-backup: {max-active: 50}}
                endpoints: [${origin0}, ${origin1}]
            routes:
              - match: {path: /}
                upstream: app
            """).origins(2);

    @Test
    void everyRequestGoesToThePrimaryWhileItKeepsUp() {
        for (int i = 0; i < 5; i++) {
            assertThat(portico.get("/" + i).body()).isEqualTo("origin 0");
        }
        assertThat(portico.origin(0).requests()).hasSize(5);
        assertThat(portico.origin(1).requests()).isEmpty();
    }
}
