package io.portico.core.tls;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.portico.api.http.ClientCertificate;
import io.portico.core.config.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * The request headers that carry a listener's client certificates to the origin
 * ({@code tls.forward-client-cert}).
 *
 * <p>Values are formatted once per connection ({@link #values}); each request then loses the
 * client's own copies of every configured header, whether or not its connection has a
 * certificate, and gets its connection's values ({@link #apply}). Subject, issuer and names keep
 * printable ASCII as it is and percent-encode the rest (UTF-8) and {@code %}, so that no
 * certificate can break a header; the certificate is percent-encoded PEM.
 */
public final class ClientCertHeaders {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Map<String, AsciiString> byFact;
    private final List<AsciiString> names;

    private ClientCertHeaders(Map<String, AsciiString> byFact) {
        this.byFact = byFact;
        this.names = List.copyOf(byFact.values());
    }

    /** The headers {@code config} names, or {@code null} when it is {@code null}. */
    public static ClientCertHeaders of(TlsConfig.ForwardClientCert config) {
        if (config == null) {
            return null;
        }
        return new ClientCertHeaders(config.headers().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> AsciiString.cached(e.getValue().toLowerCase(Locale.ROOT)),
                (a, b) -> a, LinkedHashMap::new)));
    }

    /** Removes the client's copies of the configured headers, then adds those of the connection's certificate. */
    public void apply(HttpHeaders headers, ConnectionTls tls) {
        for (AsciiString name : names) {
            headers.remove(name);
        }
        if (tls != null) {
            for (Map.Entry<AsciiString, String> header : tls.certHeaders()) {
                headers.add(header.getKey(), header.getValue());
            }
        }
    }

    /** The header names and values for {@code cert}. */
    List<Map.Entry<AsciiString, String>> values(ClientCertificate cert) {
        List<Map.Entry<AsciiString, String>> values = new ArrayList<>(byFact.size());
        byFact.forEach((fact, name) -> values.add(Map.entry(name, switch (fact) {
            case "subject" -> printable(cert.subject());
            case "issuer" -> printable(cert.issuer());
            case "serial" -> cert.serialNumber().toString(16).toUpperCase(Locale.ROOT);
            case "sans" -> printable(cert.sans().stream().map(ClientCertificate.AltName::toString).collect(Collectors.joining(", ")));
            case "not-before" -> cert.notBefore().toString();
            case "not-after" -> cert.notAfter().toString();
            case "cert" -> percentEncoded(pem(cert));
            default -> throw new IllegalStateException("unknown client certificate fact " + fact);
        })));
        return List.copyOf(values);
    }

    private static String pem(ClientCertificate cert) {
        try {
            String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.certificate().getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            // The certificate came out of a verified handshake, parsed from its encoding.
            throw new IllegalStateException("cannot encode a verified client certificate", e);
        }
    }

    /** {@code text} with its printable ASCII kept, except {@code %}, and the rest percent-encoded as UTF-8. */
    static String printable(String text) {
        return encode(text, c -> c >= 0x20 && c < 0x7f && c != '%');
    }

    /** {@code text} percent-encoded as a URI component: only unreserved characters stay. */
    static String percentEncoded(String text) {
        return encode(text, c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~');
    }

    private static String encode(String text, IntPredicate kept) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (kept.test(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
