package io.portico.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.portico.core.config.ConfigException;
import io.portico.core.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one listener: an {@code SslContext} per configured certificate, the mapping
 * from SNI names to them, and the watch that reloads them when their files change.
 *
 * <p>Each accepted connection gets {@link #newHandler()}, a Netty {@link SniHandler} that reads
 * the ClientHello's server name, picks the certificate (exact name, then {@code *.} wildcard,
 * else the first certificate) and replaces itself with the {@code SslHandler}. A reload swaps the
 * whole mapping at once: handshakes under way finish with the old certificates, new ones get
 * the new. A reload that fails (a file half written, a key that does not match its certificate)
 * is logged and the certificates in use stay.
 *
 * <p>With {@code client-auth}, every context asks clients for a certificate and verifies it
 * against the {@code client-ca} authorities alone (the CA file is reloaded with the
 * certificates). When a handshake completes, what it settled (the client certificate's facts
 * and forwarded headers included) is read once and kept on the channel as a {@link ConnectionTls}.
 *
 * <p>OpenSSL (netty-tcnative's BoringSSL) is used when it loads, the JDK's TLS otherwise;
 * {@link #provider()} says which. ALPN offers {@code h2} then {@code http/1.1} when the listener
 * takes HTTP/2, else {@code http/1.1} alone; {@link #newHandler} leaves the choice to the pipeline
 * behind it ({@code SslHandler.applicationProtocol()}).
 */
public final class ListenerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);

    private final TlsConfig config;
    private final Path base;
    private final String keyPath;
    private final SslProvider provider;
    private final ClientCertHeaders certHeaders;
    private final List<String> alpn;
    private volatile Contexts contexts;
    private volatile List<FileStamp> stamps;
    private List<FileStamp> failedStamps = List.of();
    private ScheduledExecutorService reloader;
    private ScheduledFuture<?> watch;

    private ListenerTls(TlsConfig config, Path base, String keyPath, SslProvider provider, boolean http2) {
        this.config = config;
        this.base = base;
        this.keyPath = keyPath;
        this.provider = provider;
        this.certHeaders = ClientCertHeaders.of(config.forwardClientCert());
        this.alpn = http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
    }

    /**
     * Loads the certificates of {@code config} and, with {@code reloader}, watches their files.
     *
     * @param base the directory relative file names resolve against
     * @param file the configuration file, for errors; may be {@code null}
     * @param keyPath the key path of {@code config}, for errors ({@code listen[0].tls})
     * @param reloader where file checks run, every {@code reload-interval}; {@code null}: no reloads
     * @param http2 whether ALPN offers {@code h2} (before {@code http/1.1})
     * @throws ConfigException naming the file, the key path and what is wrong
     */
    public static ListenerTls start(TlsConfig config, Path base, Path file, String keyPath, ScheduledExecutorService reloader,
                                    boolean http2) {
        ListenerTls tls = new ListenerTls(config, base, keyPath, provider(config.provider(), file, keyPath), http2);
        List<FileStamp> before = tls.stamp();
        try {
            tls.contexts = tls.build();
        } catch (LoadFailure e) {
            throw new ConfigException(file, keyPath + e.at, e.getMessage());
        }
        tls.stamps = before;
        tls.reloader = reloader;
        if (reloader != null) {
            long every = config.reloadInterval().toMillis();
            tls.watch = reloader.scheduleWithFixedDelay(tls::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
        return tls;
    }

    /** The provider asked for: {@code auto} is OpenSSL when it loads (with ALPN), else the JDK. */
    private static SslProvider provider(TlsConfig.Provider wanted, Path file, String keyPath) {
        boolean openSsl = OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        return switch (wanted) {
            case JDK -> SslProvider.JDK;
            case AUTO -> openSsl ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!openSsl) {
                    throw new ConfigException(file, keyPath + ".provider", "OpenSSL does not load here ("
                            + OpenSsl.unavailabilityCause() + "); use auto or jdk");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** {@code OpenSSL (BoringSSL ...)} or {@code JDK}, for the startup log. */
    public String provider() {
        return provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /**
     * A new handler for an accepted connection: TLS with the certificate its SNI name selects.
     *
     * @param handshakeTimeoutMillis how long the client may take to complete the handshake
     */
    public ChannelHandler newHandler(long handshakeTimeoutMillis) {
        return new SniHandler((Mapping<String, SslContext>) hostname -> contexts.mapping.map(hostname), handshakeTimeoutMillis) {
            @Override
            protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                SslHandler handler = super.newSslHandler(context, allocator);
                String serverName = hostname();
                handler.handshakeFuture().addListener((Future<Channel> done) -> {
                    if (done.isSuccess()) {
                        ConnectionTls.handshakeCompleted(done.getNow(), handler, serverName, certHeaders);
                    }
                });
                return handler;
            }
        };
    }

    /** Loads the files again if any changed since they were last loaded; failures are logged. */
    void reloadIfChanged() {
        List<FileStamp> now = stamp();
        if (now.equals(stamps) || now.equals(failedStamps)) {
            return;
        }
        try {
            Contexts next = build();
            Contexts previous = contexts;
            contexts = next;
            stamps = now;
            // A connection may have just picked an old context: release them once that cannot be.
            reloader.schedule(previous::release, 1, TimeUnit.MINUTES);
            LOG.info("{}: certificates reloaded from {}", keyPath, files());
        } catch (LoadFailure e) {
            failedStamps = now;
            LOG.warn("{}{}: certificates changed but cannot be loaded, keeping those in use: {}", keyPath, e.at, e.getMessage());
        } catch (RuntimeException e) {
            failedStamps = now;
            LOG.warn("{}: certificates changed but cannot be loaded, keeping those in use", keyPath, e);
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.cancel(false);
        }
        contexts.release();
    }

    /** Builds every context; a failure says which certificate's key path and what is wrong. */
    private Contexts build() {
        List<X509Certificate> clientCas = clientCas();
        List<SslContext> built = new ArrayList<>();
        try {
            DomainWildcardMappingBuilder<SslContext> mapping = null;
            Set<String> mapped = new LinkedHashSet<>();
            for (int i = 0; i < config.certs().size(); i++) {
                TlsConfig.Certificate cert = config.certs().get(i);
                String at = ".certs[" + i + "]";
                Path certFile = base.resolve(cert.cert());
                Path keyFile = base.resolve(cert.key());
                PemFiles.KeyPair pair;
                try {
                    pair = PemFiles.read(certFile, keyFile);
                } catch (IllegalArgumentException e) {
                    String field = e.getMessage().startsWith(certFile.toString()) || e.getMessage().contains("cannot read " + certFile)
                            ? ".cert" : ".key";
                    throw new LoadFailure(at + field, e.getMessage(), e);
                }
                SslContext context = context(pair, clientCas, at);
                built.add(context);
                if (mapping == null) {
                    mapping = new DomainWildcardMappingBuilder<>(context);
                }
                for (String host : cert.hosts().isEmpty() ? dnsNames(pair.chain().getFirst()) : cert.hosts()) {
                    String name = host.toLowerCase(Locale.ROOT);
                    if (mapped.add(name)) {
                        mapping.add(name, context);
                    }
                }
            }
            return new Contexts(mapping.build(), built);
        } catch (RuntimeException e) {
            built.forEach(ReferenceCountUtil::release);
            throw e;
        }
    }

    /** The certificate authorities of {@code client-ca}, or {@code null} when clients are not asked for certificates. */
    private List<X509Certificate> clientCas() {
        if (!config.clientCertificates()) {
            return null;
        }
        try {
            return PemFiles.certificates(base.resolve(config.clientCa()));
        } catch (IllegalArgumentException e) {
            throw new LoadFailure(".client-ca", e.getMessage(), e);
        }
    }

    private SslContext context(PemFiles.KeyPair pair, List<X509Certificate> clientCas, String at) {
        SslContext context;
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(X509Certificate[]::new));
            if (clientCas != null) {
                // Client certificates chain to these authorities only, never to the JDK's default ones.
                builder.trustManager(clientCas)
                        .clientAuth(config.clientAuth() == TlsConfig.ClientAuth.REQUIRE ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            context = builder
                    .sslProvider(provider)
                    .protocols(config.protocols())
                    .ciphers(config.ciphers().isEmpty() ? null : config.ciphers(), IdentityCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            alpn))
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new LoadFailure(at, "cannot set up TLS with this certificate, protocols and ciphers: " + e.getMessage(), e);
        }
        try {
            // An engine applies the protocols and ciphers: a name the provider does not know fails here, not at the first handshake.
            ReferenceCountUtil.release(context.newEngine(ByteBufAllocator.DEFAULT));
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(context);
            throw new LoadFailure("", "protocols or ciphers not supported by the "
                    + (provider == SslProvider.OPENSSL ? "OpenSSL" : "JDK") + " TLS provider: " + e.getMessage(), e);
        }
        return context;
    }

    private static List<String> dnsNames(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (TlsConfig.Certificate cert : config.certs()) {
            files.add(base.resolve(cert.cert()));
            files.add(base.resolve(cert.key()));
        }
        if (config.clientCa() != null) {
            files.add(base.resolve(config.clientCa()));
        }
        return files;
    }

    private List<FileStamp> stamp() {
        return files().stream().map(FileStamp::of).toList();
    }

    /** What tells that a file changed: its modification time and size (absent files: -1). */
    private record FileStamp(Path file, long modified, long size) {
        static FileStamp of(Path file) {
            try {
                return new FileStamp(file, Files.getLastModifiedTime(file).toMillis(), Files.size(file));
            } catch (IOException e) {
                return new FileStamp(file, -1, -1);
            }
        }
    }

    /** Why the certificates cannot be loaded, and the key path (below the tls key) of the culprit. */
    private static final class LoadFailure extends RuntimeException {
        private final String at;

        LoadFailure(String at, String problem, Throwable cause) {
            super(problem, cause);
            this.at = at;
        }
    }

    /** One generation of contexts and the SNI mapping over them. */
    private record Contexts(Mapping<String, SslContext> mapping, List<SslContext> all) {
        void release() {
            all.forEach(ReferenceCountUtil::release);
        }
    }
}
