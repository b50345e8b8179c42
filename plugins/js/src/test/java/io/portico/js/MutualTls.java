package io.portico.js;

import io.portico.core.tls.PemFiles;
import io.portico.core.tls.TestCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for TLS listeners that ask for client certificates, made with the {@code openssl}
 * command in a configuration directory, and curl to call such listeners: {@code server.pem} for
 * {@code localhost} and {@code 127.0.0.1}, a client authority {@code ca.pem}, and client
 * certificates issued by it.
 */
final class MutualTls {

    private final Path dir;

    /** Writes the server certificate and the client authority into {@code dir}. */
    MutualTls(Path dir) {
        this.dir = dir;
        TestCerts.create(dir, "server", "localhost", "DNS:localhost,IP:127.0.0.1", TestCerts.KeyFormat.PKCS8_RSA);
        TestCerts.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=Test Client CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca-key.pem", "-out", "ca.pem");
    }

    /**
     * Writes {@code <name>.pem} and {@code <name>-key.pem}: a client certificate issued by {@code
     * ca.pem} for {@code subject} ({@code /O=Example Corp/CN=alice}) with serial number {@code serial}
     * ({@code 0x1A2B3C}) and subject alternative names {@code sans} ({@code URI:spiffe://example.org/alice}).
     */
    X509Certificate client(String name, String subject, String serial, String sans) {
        write(name + ".ext", "subjectAltName=" + sans + "\nextendedKeyUsage=clientAuth\n");
        TestCerts.run(dir, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", name + "-key.pem", "-out", name + ".csr");
        TestCerts.run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-set_serial", serial, "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        return PemFiles.certificates(dir.resolve(name + ".pem")).getFirst();
    }

    /** A TLS listener on a free loopback port, as YAML: {@code tlsSettings} ({@code client-auth: require}) added. */
    static String listener(String tlsSettings) {
        return "{address: '127.0.0.1:0', tls: {certs: [{cert: server.pem, key: server-key.pem}]"
                + (tlsSettings.isEmpty() ? "" : ", " + tlsSettings) + "}}";
    }

    /** What curl printed (the bodies, or its error) and its exit code. */
    record Curl(int exitCode, String output) {
    }

    /**
     * GETs {@code https://localhost:<port>} + each of {@code paths} with one curl, which trusts
     * {@code server.pem} and reuses its connection; {@code options} go before the URLs ({@code
     * --cert alice.pem --key alice-key.pem}).
     */
    Curl curl(int port, List<String> paths, String... options) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", "server.pem",
                "--resolve", "localhost:" + port + ":127.0.0.1"));
        command.addAll(List.of(options));
        paths.forEach(path -> command.add(path.startsWith("https:") ? path : "https://localhost:" + port + path));
        TestCerts.Ran ran = TestCerts.exec(dir, command);
        return new Curl(ran.exitCode(), ran.output());
    }

    /** {@link #curl(int, List, String...)} of one path. */
    Curl curl(int port, String path, String... options) {
        return curl(port, List.of(path), options);
    }

    private void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
