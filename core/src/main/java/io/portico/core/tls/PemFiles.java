package io.portico.core.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificate chains and private keys, whatever the usual format of the key: PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}) are all accepted, the last two re-wrapped as PKCS#8 so that
 * every TLS provider takes them. Encrypted keys are not supported.
 *
 * <p>Errors are {@link IllegalArgumentException}s saying what is wrong with the file, for the
 * caller to turn into a configuration error.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier {rsaEncryption, NULL}. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** OID id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemFiles() {
    }

    /** A certificate chain (leaf first) and the private key of its leaf. */
    public record KeyPair(List<X509Certificate> chain, PrivateKey key) {
    }

    /**
     * Reads a certificate chain and its key, and checks that they belong together.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static KeyPair read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.getFirst().getPublicKey().getAlgorithm());
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("the private key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
        return new KeyPair(chain, key);
    }

    /**
     * The certificates of a PEM file, in order.
     *
     * @throws IllegalArgumentException when it cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(file + ": expected PEM certificates (-----BEGIN CERTIFICATE-----), found none");
            }
            return chain;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not a valid PEM certificate chain: " + e.getMessage(), e);
        }
    }

    /**
     * The private key of a PEM file.
     *
     * @param algorithm the key's algorithm as the certificate names it ({@code RSA}, {@code EC}, {@code EdDSA})
     * @throws IllegalArgumentException when it cannot be read, is encrypted or is not a key of that algorithm
     */
    public static PrivateKey privateKey(Path file, String algorithm) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the " + type + " block is not valid base64");
            }
            byte[] pkcs8 = switch (type) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, der);
                case "EC PRIVATE KEY" -> pkcs8(ecAlgorithm(file, der), der);
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        file + ": encrypted keys are not supported; decrypt it (openssl pkey -in key.pem -out plain.pem)");
                default -> null;
            };
            if (pkcs8 != null) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(file + ": not a valid " + algorithm
                            + " private key (the certificate's key is " + algorithm + "): " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalArgumentException(file + ": expected a PEM private key (-----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----), found none");
    }

    /** Whether {@code key} signs what {@code publicKey} verifies. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> publicKey.getAlgorithm();
        };
        try {
            byte[] probe = "portico".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            signer.initVerify(publicKey);
            signer.update(probe);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The AlgorithmIdentifier {id-ecPublicKey, curve} of a SEC1 ECPrivateKey, whose [0] field names the curve. */
    private static byte[] ecAlgorithm(Path file, byte[] sec1) {
        try {
            return ecCurve(sec1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the EC private key is not valid DER: " + e.getMessage(), e);
        }
    }

    private static byte[] ecCurve(byte[] sec1) {
        Der outer = Der.at(sec1, 0);
        int pos = outer.contentStart();
        while (pos < outer.end()) {
            Der field = Der.at(sec1, pos);
            if ((sec1[pos] & 0xff) == 0xa0) {
                byte[] curve = java.util.Arrays.copyOfRange(sec1, field.contentStart(), field.end());
                return Der.sequence(EC_PUBLIC_KEY_OID, curve);
            }
            pos = field.end();
        }
        throw new IllegalArgumentException("it does not name its curve; convert it to PKCS#8 "
                + "(openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem)");
    }

    /** PrivateKeyInfo {version 0, algorithm, OCTET STRING key}. */
    private static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return Der.sequence(hex("020100"), algorithm, Der.tlv(0x04, key));
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /** The little DER needed to re-wrap keys: one element's bounds, and building sequences. */
    private record Der(int contentStart, int end) {

        static Der at(byte[] der, int pos) {
            if (pos + 2 > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            int first = der[pos + 1] & 0xff;
            int start = pos + 2;
            int length = first;
            if (first > 0x80) {
                int octets = first & 0x7f;
                if (octets > 3 || start + octets > der.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += octets;
            }
            if (start + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(start, start + length);
        }

        static byte[] sequence(byte[]... parts) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                content.writeBytes(part);
            }
            return tlv(0x30, content.toByteArray());
        }

        static byte[] tlv(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int n = content.length;
            if (n < 0x80) {
                out.write(n);
            } else if (n < 0x100) {
                out.write(0x81);
                out.write(n);
            } else if (n < 0x10000) {
                out.write(0x82);
                out.write(n >> 8);
                out.write(n);
            } else {
                out.write(0x83);
                out.write(n >> 16);
                out.write(n >> 8);
                out.write(n);
            }
            out.writeBytes(content);
            return out.toByteArray();
        }
    }
}
