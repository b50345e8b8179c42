package io.portico.core.upstream.tls;

import io.portico.core.tls.TestCerts;
import java.nio.file.Path;

/** A certificate authority made at test time with {@code openssl}, and certificates it signs. */
final class TestCa {

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code ca.pem} and {@code ca-key.pem} into {@code dir}. */
    static TestCa create(Path dir) {
        TestCerts.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=Portico Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca-key.pem", "-out", "ca.pem");
        return new TestCa(dir);
    }

    /** Writes {@code <name>.pem} and {@code <name>-key.pem}, signed by this CA, with subject alternative names {@code sans}. */
    Path sign(String name, String cn, String sans) {
        TestCerts.run(dir, "openssl", "req", "-x509", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-newkey", "rsa:2048",
                "-nodes", "-days", "2", "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + sans,
                "-addext", "basicConstraints=CA:FALSE", "-keyout", name + "-key.pem", "-out", name + ".pem");
        return dir.resolve(name + ".pem");
    }

    Path cert() {
        return dir.resolve("ca.pem");
    }
}
