package io.portico.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.portico.api.http.ClientCertificate;
import io.portico.api.http.TlsSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What the TLS handshake of one client connection settled, worked out once when the handshake
 * completes and kept on the channel: the session as the plugin API shows it, and the request
 * headers that carry the client certificate to the origin, already formatted.
 *
 * @param session the protocol, cipher suite, SNI name and verified client certificate
 * @param certHeaders the forwarded client certificate headers, names lower case; empty when the
 *     listener forwards none or the client sent no certificate
 */
public record ConnectionTls(TlsSession session, List<Map.Entry<AsciiString, String>> certHeaders) {

    private static final AttributeKey<ConnectionTls> KEY = AttributeKey.valueOf(ConnectionTls.class, "tls");

    /**
     * The TLS of {@code channel} (or of the connection it is a stream of), or {@code null} when its
     * handshake has not completed or it has none.
     */
    public static ConnectionTls of(Channel channel) {
        ConnectionTls tls = channel.attr(KEY).get();
        if (tls == null && channel.parent() != null) {
            tls = channel.parent().attr(KEY).get();
        }
        return tls;
    }

    /** Records on its channel what the completed handshake of {@code handler} settled. */
    static void handshakeCompleted(Channel channel, SslHandler handler, String serverName, ClientCertHeaders forwarding) {
        SSLSession session = handler.engine().getSession();
        ClientCertificate cert = peerCertificate(session);
        TlsSession tls = new TlsSession(session.getProtocol(), session.getCipherSuite(), serverName, cert);
        List<Map.Entry<AsciiString, String>> headers = forwarding == null || cert == null ? List.of() : forwarding.values(cert);
        channel.attr(KEY).set(new ConnectionTls(tls, headers));
    }

    private static ClientCertificate peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? ClientCertificates.of(leaf) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no certificate asked for, or none sent
        }
    }
}
