package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2StreamCodecTest {

    private final EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamCodec());
    /** Frames a test read, released after it. */
    private final List<Object> released = new ArrayList<>();

    @AfterEach
    void finish() {
        released.forEach(ReferenceCountUtil::release);
        stream.finishAndReleaseAll();
    }

    // ---- requests ----

    @Test
    void aWholeGetBecomesItsHeadAndAnEmptyEndWithOnlyRegularHeaders() {
        stream.writeInbound(new DefaultHttp2HeadersFrame(get("/items?page=2").add("accept", "text/plain")
                .add("x-http2-scheme", "https").add("x-http2-stream-id", "7"), true));

        HttpRequest request = stream.readInbound();
        assertThat(request.method()).isEqualTo(HttpMethod.GET);
        assertThat(request.uri()).isEqualTo("/items?page=2");
        assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("example.com:8443");
        assertThat(request.headers().get("accept")).isEqualTo("text/plain");
        assertThat(request.headers().names()).noneMatch(name -> name.startsWith(":") || name.startsWith("x-http2-"))
                .doesNotContain("transfer-encoding");
        assertThat(request).isNotInstanceOf(HttpContent.class);
        assertThat((Object) stream.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat((Object) stream.readInbound()).isNull();
    }

    @Test
    void cookiesSplitAcrossHeadersAreJoinedIntoOne() {
        // Names as HPACK decodes them (AsciiString), which Netty's conversion matches "cookie" against.
        stream.writeInbound(new DefaultHttp2HeadersFrame(get("/").add(HttpHeaderNames.COOKIE, "a=1")
                .add(HttpHeaderNames.COOKIE, "b=2").add(HttpHeaderNames.COOKIE, "c=3"), true));

        HttpRequest request = stream.readInbound();
        assertThat(request.headers().getAll(HttpHeaderNames.COOKIE)).containsExactly("a=1; b=2; c=3");
    }

    @Test
    void aHostHeaderThatDisagreesWithTheAuthorityFailsTheStream() {
        assertThatThrownBy(() -> stream.writeInbound(new DefaultHttp2HeadersFrame(get("/").add("host", "elsewhere.test"), true)))
                .isInstanceOf(Http2Exception.class)
                .hasMessageContaining("Conflicting ':authority' and 'host'");
        assertThat((Object) stream.readInbound()).isNull();
    }

    @Test
    void aConnectRequestTargetsTheAuthorityWithoutExtensionHeaders() {
        stream.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("CONNECT").authority("db.internal:5432"), false));

        HttpRequest request = stream.readInbound();
        assertThat(request.method()).isEqualTo(HttpMethod.CONNECT);
        assertThat(request.uri()).isEqualTo("db.internal:5432");
        assertThat(request.headers().names()).noneMatch(name -> name.startsWith("x-http2-"));
    }

    @Test
    void aPostWithoutLengthIsChunkedAndItsDataFramesBecomeContent() {
        stream.writeInbound(new DefaultHttp2HeadersFrame(get("/upload").method("POST"), false));
        stream.writeInbound(new DefaultHttp2DataFrame(bytes("hello "), false));
        stream.writeInbound(new DefaultHttp2DataFrame(bytes("world"), true));

        HttpRequest request = stream.readInbound();
        assertThat(request.method()).isEqualTo(HttpMethod.POST);
        assertThat(request.headers().get(HttpHeaderNames.TRANSFER_ENCODING)).isEqualTo("chunked");
        assertThat(contentOf(stream.readInbound(), false)).isEqualTo("hello ");
        assertThat(contentOf(stream.readInbound(), true)).isEqualTo("world");
    }

    @Test
    void aPostWithALengthKeepsItAndIsNotChunked() {
        stream.writeInbound(new DefaultHttp2HeadersFrame(get("/upload").method("POST").add("content-length", "5"), false));

        HttpRequest request = stream.readInbound();
        assertThat(request.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("5");
        assertThat(request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
    }

    @Test
    void requestTrailersEndTheBody() {
        stream.writeInbound(new DefaultHttp2HeadersFrame(get("/upload").method("POST"), false));
        stream.writeInbound(new DefaultHttp2DataFrame(bytes("data"), false));
        stream.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("checksum", "abc"), true));

        assertThat((Object) stream.readInbound()).isInstanceOf(HttpRequest.class);
        assertThat(contentOf(stream.readInbound(), false)).isEqualTo("data");
        LastHttpContent end = stream.readInbound();
        assertThat(end.content().isReadable()).isFalse();
        assertThat(end.trailingHeaders().get("checksum")).isEqualTo("abc");
    }

    @Test
    void otherFramesPassThrough() {
        Http2ResetFrame reset = new DefaultHttp2ResetFrame(Http2Error.CANCEL);
        stream.writeInbound(reset);

        assertThat((Object) stream.readInbound()).isSameAs(reset);
    }

    // ---- responses ----

    @Test
    void aHeadFollowedAtOnceByAnEmptyEndIsOneHeadersFrameEndingTheStream() {
        ChannelFuture head = stream.write(response(HttpResponseStatus.NOT_FOUND));
        ChannelFuture end = stream.write(LastHttpContent.EMPTY_LAST_CONTENT);
        stream.flush();

        List<Object> frames = written();
        assertThat(frames).hasSize(1);
        Http2HeadersFrame only = (Http2HeadersFrame) frames.getFirst();
        assertThat(only.isEndStream()).isTrue();
        assertThat(only.headers().status()).hasToString("404");
        assertThat(only.headers().get("grpc-status")).hasToString("5");
        assertThat(head.isSuccess()).isTrue();
        assertThat(end.isSuccess()).isTrue();
    }

    @Test
    void aHeadFlushedAloneLeavesTheStreamOpenForItsEnd() {
        stream.writeAndFlush(response(HttpResponseStatus.OK));
        stream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        List<Object> frames = written();
        assertThat(frames).hasSize(2);
        assertThat(((Http2HeadersFrame) frames.get(0)).isEndStream()).isFalse();
        Http2DataFrame end = (Http2DataFrame) frames.get(1);
        assertThat(end.isEndStream()).isTrue();
        assertThat(end.content().isReadable()).isFalse();
    }

    @Test
    void aHeadBodyAndTrailersAreHeadersDataAndTrailingHeaders() {
        DefaultHttpResponse head = response(HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONNECTION, "keep-alive").set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        end.trailingHeaders().set("grpc-status", "0");
        stream.writeOutbound(head, new DefaultHttpContent(bytes("payload")), end);

        List<Object> frames = written();
        assertThat(frames).hasSize(3);
        Http2HeadersFrame headers = (Http2HeadersFrame) frames.get(0);
        assertThat(headers.isEndStream()).isFalse();
        assertThat(headers.headers().contains("connection")).isFalse();
        assertThat(headers.headers().contains("transfer-encoding")).isFalse();
        Http2DataFrame data = (Http2DataFrame) frames.get(1);
        assertThat(data.isEndStream()).isFalse();
        assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("payload");
        Http2HeadersFrame trailers = (Http2HeadersFrame) frames.get(2);
        assertThat(trailers.isEndStream()).isTrue();
        assertThat(trailers.headers().get("grpc-status")).hasToString("0");
    }

    @Test
    void aLastContentWithBodyAndTrailersIsDataThenTrailingHeaders() {
        LastHttpContent end = new DefaultLastHttpContent(bytes("tail"));
        end.trailingHeaders().set("grpc-status", "0");
        stream.writeOutbound(response(HttpResponseStatus.OK), end);

        List<Object> frames = written();
        assertThat(frames).hasSize(3);
        Http2DataFrame data = (Http2DataFrame) frames.get(1);
        assertThat(data.isEndStream()).isFalse();
        assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("tail");
        assertThat(((Http2HeadersFrame) frames.get(2)).isEndStream()).isTrue();
    }

    @Test
    void aFullResponseIsHeadersAndData() {
        DefaultFullHttpResponse error = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY, bytes("bad gateway"));
        error.headers().set(HttpHeaderNames.CONTENT_LENGTH, 11);
        stream.writeOutbound(error);

        List<Object> frames = written();
        assertThat(frames).hasSize(2);
        Http2HeadersFrame headers = (Http2HeadersFrame) frames.get(0);
        assertThat(headers.headers().status()).hasToString("502");
        assertThat(headers.isEndStream()).isFalse();
        Http2DataFrame data = (Http2DataFrame) frames.get(1);
        assertThat(data.isEndStream()).isTrue();
        assertThat(data.content().toString(StandardCharsets.UTF_8)).isEqualTo("bad gateway");
    }

    @Test
    void aContinueIsAHeadersFrameThatLeavesTheStreamOpen() {
        stream.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));

        List<Object> frames = written();
        assertThat(frames).hasSize(1);
        Http2HeadersFrame headers = (Http2HeadersFrame) frames.getFirst();
        assertThat(headers.headers().status()).hasToString("100");
        assertThat(headers.isEndStream()).isFalse();
    }

    @Test
    void aHeldHeadLeavesBeforeAFrameWrittenAsIs() {
        stream.writeOutbound(response(HttpResponseStatus.OK), new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));

        List<Object> frames = written();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isInstanceOf(Http2HeadersFrame.class);
        assertThat(frames.get(1)).isInstanceOf(Http2ResetFrame.class);
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("https").path(path).authority("example.com:8443");
    }

    private static DefaultHttpResponse response(HttpResponseStatus status) {
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set("grpc-status", "5");
        return response;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static String contentOf(HttpObject msg, boolean last) {
        try {
            assertThat(msg instanceof LastHttpContent).isEqualTo(last);
            return ((HttpContent) msg).content().toString(StandardCharsets.UTF_8);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The frames written so far. */
    private List<Object> written() {
        List<Object> frames = new ArrayList<>();
        for (Object frame; (frame = stream.readOutbound()) != null; ) {
            frames.add(frame);
            released.add(frame);
        }
        return frames;
    }
}
