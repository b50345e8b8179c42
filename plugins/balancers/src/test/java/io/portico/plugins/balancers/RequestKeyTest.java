package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.api.balancer.SelectionContext;
import io.portico.api.http.RequestHead;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RequestKeyTest {

    private static long hash(HashKey key, String name, SelectionContext context) {
        return new RequestKey(key, name).hash(context);
    }

    @Test
    void clientAddressIgnoresThePort() {
        long first = hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("203.0.113.7", 40001));

        assertThat(hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("203.0.113.7", 51234))).isEqualTo(first);
        assertThat(hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("203.0.113.8", 40001))).isNotEqualTo(first);
        assertThat(hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("2001:db8::7", 40001)))
                .isNotEqualTo(RequestKey.ABSENT)
                .isNotEqualTo(hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("2001:db8::8", 40001)));
    }

    @Test
    void clientAddressWorksWithoutARequestHead() {
        SelectionContext tcp = new SelectionContext() {
            @Override
            public InetSocketAddress clientAddress() {
                return new InetSocketAddress("203.0.113.7", 40001);
            }

            @Override
            public RequestHead request() {
                return null;
            }

            @Override
            public int attempt() {
                return 0;
            }
        };

        assertThat(hash(HashKey.CLIENT_ADDRESS, null, tcp))
                .isEqualTo(hash(HashKey.CLIENT_ADDRESS, null, TestRequest.from("203.0.113.7", 1)));
        assertThat(hash(HashKey.HEADER, "x-user", tcp)).isEqualTo(RequestKey.ABSENT);
        assertThat(hash(HashKey.PATH, null, null)).isEqualTo(RequestKey.ABSENT);
    }

    @Test
    void headerIsMatchedWhateverItsCaseAndAbsentWhenMissingOrEmpty() {
        long alice = hash(HashKey.HEADER, "X-User", TestRequest.get("/").header("x-user", "alice"));

        assertThat(alice).isNotEqualTo(RequestKey.ABSENT)
                .isEqualTo(hash(HashKey.HEADER, "x-user", TestRequest.get("/other").header("X-USER", "alice")))
                .isNotEqualTo(hash(HashKey.HEADER, "x-user", TestRequest.get("/").header("x-user", "bob")));
        assertThat(hash(HashKey.HEADER, "x-user", TestRequest.get("/"))).isEqualTo(RequestKey.ABSENT);
        assertThat(hash(HashKey.HEADER, "x-user", TestRequest.get("/").header("x-user", ""))).isEqualTo(RequestKey.ABSENT);
    }

    @Test
    void pathIgnoresTheQuery() {
        assertThat(hash(HashKey.PATH, null, TestRequest.get("/a/b?x=1")))
                .isEqualTo(hash(HashKey.PATH, null, TestRequest.get("/a/b?x=2")))
                .isNotEqualTo(hash(HashKey.PATH, null, TestRequest.get("/a/c?x=1")));
    }

    @Test
    void queryParameterIsDecoded() {
        assertThat(hash(HashKey.QUERY, "user", TestRequest.get("/?page=2&user=al%69ce")))
                .isEqualTo(hash(HashKey.QUERY, "user", TestRequest.get("/x?user=alice")))
                .isNotEqualTo(hash(HashKey.QUERY, "user", TestRequest.get("/x?user=bob")));
        assertThat(hash(HashKey.QUERY, "user", TestRequest.get("/x?page=2"))).isEqualTo(RequestKey.ABSENT);
    }

    @Test
    void cookieValueIsFoundAmongOthers() {
        long expected = hash(HashKey.COOKIE, "session", TestRequest.get("/").header("cookie", "session=abc123"));

        assertThat(expected).isNotEqualTo(RequestKey.ABSENT);
        assertThat(RequestKey.cookieHash("theme=dark; session=abc123; lang=en", "session")).isEqualTo(expected);
        assertThat(RequestKey.cookieHash("theme=dark;session=abc123 ", "session")).isEqualTo(expected);
        assertThat(RequestKey.cookieHash("xsession=abc123; session=other", "session")).isNotEqualTo(expected);
        assertThat(RequestKey.cookieHash("sessions=abc123", "session")).isEqualTo(RequestKey.ABSENT);
        assertThat(RequestKey.cookieHash("session=; a=b", "session")).isEqualTo(RequestKey.ABSENT);
        assertThat(RequestKey.cookieHash("session", "session")).isEqualTo(RequestKey.ABSENT);
        assertThat(hash(HashKey.COOKIE, "session",
                TestRequest.get("/").header("cookie", "a=b").header("cookie", "session=abc123"))).isEqualTo(expected);
    }

    @Test
    void hashingARegionEqualsHashingItsCopy() {
        String text = "prefix:the-key-value:suffix";

        assertThat(Hashing.hash(text, 7, 20, 42)).isEqualTo(Hashing.hash(text.substring(7, 20), 42));
        assertThat(Hashing.hash("abcd", 42)).isNotEqualTo(Hashing.hash("abce", 42)).isNotEqualTo(Hashing.hash("abcd", 43));
    }
}
