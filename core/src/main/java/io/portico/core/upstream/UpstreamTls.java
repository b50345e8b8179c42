package io.portico.core.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.portico.core.config.ConfigException;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.config.UpstreamTlsConfig;
import io.portico.core.tls.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS client side of one upstream: one {@link SslContext}, built when the configuration is
 * loaded and shared by every connection to the upstream's endpoints.
 *
 * <p>The origin's certificate is verified by default: its chain against the configured
 * {@code ca} (else the JDK's trust store) and its name against the server name (endpoint
 * identification, as HTTPS clients do). The server name is {@code server-name} when configured,
 * else the endpoint's host when it is a name; it is also sent as SNI. An endpoint written as an IP
 * address without {@code server-name} is checked against the certificate's IP addresses.
 *
 * <p>With {@code protocol: h2} ALPN offers only {@code h2}: an origin that does not agree fails the
 * connection ({@link #checkNegotiated}); otherwise it offers {@code http/1.1}.
 *
 * <p>OpenSSL (netty-tcnative's BoringSSL) is used when it loads, the JDK's TLS otherwise.
 */
public final class UpstreamTls {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTls.class);

    private final SslContext context;
    private final String serverName;
    private final boolean h2;

    private UpstreamTls(SslContext context, String serverName, boolean h2) {
        this.context = context;
        this.serverName = serverName;
        this.h2 = h2;
    }

    /**
     * Builds the TLS of an upstream from its {@code tls} configuration.
     *
     * @param base the directory relative file names resolve against
     * @param file the configuration file, for errors; may be {@code null}
     * @param keyPath the key path of {@code config}, for errors ({@code upstreams.api.tls})
     * @throws ConfigException naming the file, key path and what is wrong
     */
    public static UpstreamTls of(UpstreamTlsConfig config, UpstreamConfig.Protocol protocol, Path base, Path file,
            String keyPath) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(config.protocols());
        if (!config.verify()) {
            LOG.warn("{}.verify is false: origin certificates are not verified; anyone on the path can pose as the origin", keyPath);
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (config.ca() != null) {
                try {
                    builder.trustManager(PemFiles.certificates(base.resolve(config.ca())).toArray(X509Certificate[]::new));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, keyPath + ".ca", e.getMessage());
                }
            }
        }
        if (config.cert() != null) {
            Path certFile = base.resolve(config.cert());
            Path keyFile = base.resolve(config.key());
            PemFiles.KeyPair pair;
            try {
                pair = PemFiles.read(certFile, keyFile);
            } catch (IllegalArgumentException e) {
                boolean aboutCert = e.getMessage().startsWith(certFile.toString()) || e.getMessage().contains("cannot read " + certFile);
                throw new ConfigException(file, keyPath + (aboutCert ? ".cert" : ".key"), e.getMessage());
            }
            builder.keyManager(pair.key(), pair.chain().toArray(X509Certificate[]::new));
        }
        boolean h2 = protocol == UpstreamConfig.Protocol.H2;
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                h2 ? List.of(ApplicationProtocolNames.HTTP_2) : List.of(ApplicationProtocolNames.HTTP_1_1)));
        SslContext context;
        try {
            context = builder.build();
            // An engine applies the protocols: a version the provider does not know fails here, not at the first handshake.
            ReferenceCountUtil.release(context.newEngine(ByteBufAllocator.DEFAULT));
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException(file, keyPath, "cannot set up TLS to the origins: " + e.getMessage());
        }
        return new UpstreamTls(context, config.serverName(), h2);
    }

    /**
     * A new handler for a connection to {@code endpoint}, with the server name as SNI and as the
     * name the certificate must carry.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, UpstreamEndpoint endpoint) {
        String name = serverName(endpoint);
        SslHandler handler = context.newHandler(alloc, name != null ? name : endpoint.address().getAddress().getHostAddress(),
                endpoint.port());
        if (name != null && name.indexOf('.') < 0) {
            // Netty (like the JDK) sends SNI only for names with a dot; a single-label name (localhost, a
            // container's or a service's short name) is sent too, as curl and Go's clients do.
            sendServerName(handler.engine(), name);
        }
        return handler;
    }

    private static void sendServerName(SSLEngine engine, String name) {
        SNIHostName sni;
        try {
            sni = new SNIHostName(name);
        } catch (IllegalArgumentException notAHostName) {
            return; // such as a name with '_': not sent, as Netty does not send it either
        }
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(sni));
        engine.setSSLParameters(parameters);
    }

    /**
     * The name sent as SNI to {@code endpoint} and checked against its certificate, or
     * {@code null} when the endpoint is an IP address and no {@code server-name} is configured.
     */
    public String serverName(UpstreamEndpoint endpoint) {
        if (serverName != null) {
            return serverName;
        }
        String host = endpoint.host();
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) ? null : host;
    }

    /**
     * Fails when the handshake did not agree on what this upstream speaks: an origin asked for
     * HTTP/2 must select {@code h2} with ALPN.
     *
     * @throws SSLException saying what the origin selected instead
     */
    public void checkNegotiated(SslHandler handler) throws SSLException {
        String selected = handler.applicationProtocol();
        if (h2 && !ApplicationProtocolNames.HTTP_2.equals(selected)) {
            throw new SSLException("the origin did not agree to HTTP/2 with ALPN (selected: "
                    + (selected == null ? "nothing" : selected) + "); set protocol: http1 for this upstream");
        }
    }
}
