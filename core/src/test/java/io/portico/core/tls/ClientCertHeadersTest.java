package io.portico.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientCertHeadersTest {

    @Test
    void subjectsKeepPrintableAsciiAndEncodeWhatCouldBreakAHeader() {
        assertThat(ClientCertHeaders.printable("CN=alice,O=Example\\, Inc.")).isEqualTo("CN=alice,O=Example\\, Inc.");
        assertThat(ClientCertHeaders.printable("CN=Zoë")).isEqualTo("CN=Zo%C3%AB");
        assertThat(ClientCertHeaders.printable("CN=a\r\nX-Admin: 1")).isEqualTo("CN=a%0D%0AX-Admin: 1");
        assertThat(ClientCertHeaders.printable("CN=100%")).as("% itself, so that decoding is unambiguous").isEqualTo("CN=100%25");
    }

    @Test
    void certificatesArePercentEncodedLikeNginxEscapedCert() {
        assertThat(ClientCertHeaders.percentEncoded("-----BEGIN CERTIFICATE-----\nMIIB+a/z=\n"))
                .isEqualTo("-----BEGIN%20CERTIFICATE-----%0AMIIB%2Ba%2Fz%3D%0A");
    }
}
