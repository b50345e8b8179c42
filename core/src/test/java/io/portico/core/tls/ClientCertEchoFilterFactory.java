package io.portico.core.tls;

import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.ClientCertificate;
import io.portico.api.http.ClientCertificate.AltName;
import io.portico.api.http.Response;
import io.portico.api.http.TlsSession;
import org.pf4j.Extension;

/**
 * A test-only filter, {@code client-cert-echo}, that answers every request itself with what the
 * plugin API shows of the connection's TLS: {@code subject=... dns=[...] ...}, or
 * {@code no certificate}.
 */
@Extension
public final class ClientCertEchoFilterFactory implements FilterFactory<NoConfig> {

    @Override
    public String name() {
        return "client-cert-echo";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Filter create(NoConfig config, ExtensionContext context) {
        return new Filter() {
            @Override
            public FilterResult onRequest(Exchange exchange) {
                TlsSession tls = exchange.request().tls().orElseThrow();
                String session = " protocol=" + tls.protocol() + " sni=" + tls.serverName();
                String body = exchange.request().clientCertificate().map(cert -> describe(cert) + session)
                        .orElse("no certificate" + session);
                return FilterResult.respond(Response.text(200, body));
            }
        };
    }

    private static String describe(ClientCertificate cert) {
        return "subject=" + cert.subject() + " issuer=" + cert.issuer() + " serial=" + cert.serialNumber().toString(16)
                + " dns=" + cert.sans(AltName.Kind.DNS) + " email=" + cert.sans(AltName.Kind.EMAIL)
                + " uri=" + cert.sans(AltName.Kind.URI) + " ip=" + cert.sans(AltName.Kind.IP)
                + " not-after=" + cert.notAfter();
    }
}
