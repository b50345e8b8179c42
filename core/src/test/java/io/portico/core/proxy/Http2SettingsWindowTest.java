package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that uploads before it has read Portico's {@code SETTINGS}, as curl does: it may send a
 * stream's first 64 KiB at the protocol's default window, and Portico's smaller {@code
 * initial-window-size} applies only once the client acknowledges it. Driven byte by byte over a
 * socket, so that the order of those frames is the test's to choose.
 */
class Http2SettingsWindowTest {

    private static final int DEFAULT_WINDOW = 65_535;
    private static final int INITIAL_WINDOW = 16 * 1024;
    private static final int REST = 10_000;

    private static final int DATA = 0x0, HEADERS = 0x1, SETTINGS = 0x4, WINDOW_UPDATE = 0x8;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

    @Test
    void anUploadSentAtTheDefaultWindowGoesOnOnceTheClientAcknowledgesASmallerOne() throws Exception {
        CountDownLatch defaultWindowForwarded = new CountDownLatch(1);
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                    String head = conn.readHead();
                    conn.readBytes(DEFAULT_WINDOW);
                    defaultWindowForwarded.countDown();
                    conn.readBytes(ScriptedOrigin.contentLength(head) - DEFAULT_WINDOW);
                    conn.send("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nuploaded");
                });
                TestPortico portico = TestPortico.start("""
                        listen: [{address: '127.0.0.1:0'}]
                        server: {http2: {initial-window-size: 16KB}}
                        upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                        routes: [{upstream: app}]
                        """.formatted(origin.address()));
                Socket socket = new Socket("127.0.0.1", portico.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            writeFrame(out, SETTINGS, 0, 0, new byte[0]);
            Http2Headers request = new DefaultHttp2Headers().method("POST").path("/upload").scheme("http")
                    .authority("localhost").setInt("content-length", DEFAULT_WINDOW + REST);
            writeFrame(out, HEADERS, END_HEADERS, 1, encode(request));
            // The whole default window, before reading anything from Portico.
            for (int sent = 0; sent < DEFAULT_WINDOW; sent += INITIAL_WINDOW) {
                writeFrame(out, DATA, 0, 1, new byte[Math.min(INITIAL_WINDOW, DEFAULT_WINDOW - sent)]);
            }
            assertThat(defaultWindowForwarded.await(10, TimeUnit.SECONDS)).as("the first 64 KiB reach the origin").isTrue();

            // Portico has read all it was sent; acknowledging its SETTINGS shrinks the stream's window
            // by 64 KiB less 16 KiB, below what its WINDOW_UPDATEs so far have given back.
            writeFrame(out, SETTINGS, ACK, 0, new byte[0]);
            long granted = 0;
            while (granted <= DEFAULT_WINDOW - INITIAL_WINDOW) {
                Frame frame = readFrame(in, "WINDOW_UPDATE reopening the stream (granted so far: " + granted + ")");
                if (frame.type == WINDOW_UPDATE && frame.stream == 1) {
                    granted += Unpooled.wrappedBuffer(frame.payload).readInt();
                }
            }

            writeFrame(out, DATA, END_STREAM, 1, new byte[REST]);
            Frame response;
            do {
                response = readFrame(in, "the response");
            } while (response.type != HEADERS || response.stream != 1);
            assertThat(decode(response).status()).hasToString("200");
            Frame body;
            do {
                body = readFrame(in, "the response body");
            } while (body.type != DATA);
            assertThat(new String(body.payload, StandardCharsets.US_ASCII)).isEqualTo("uploaded");
        }
    }

    private record Frame(int type, int flags, int stream, byte[] payload) {
    }

    private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuf frame = Unpooled.buffer(9 + payload.length);
        frame.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
        out.write(frame.array(), 0, frame.readableBytes());
        out.flush();
    }

    private static Frame readFrame(DataInputStream in, String awaited) throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("Portico sent nothing more while the client awaited " + awaited, e);
        }
        ByteBuf fields = Unpooled.wrappedBuffer(header);
        byte[] payload = new byte[fields.readUnsignedMedium()];
        int type = fields.readUnsignedByte();
        int flags = fields.readUnsignedByte();
        int stream = fields.readInt() & Integer.MAX_VALUE;
        in.readFully(payload);
        return new Frame(type, flags, stream, payload);
    }

    private static byte[] encode(Http2Headers headers) throws Exception {
        ByteBuf block = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(1, headers, block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        return bytes;
    }

    private static Http2Headers decode(Frame headers) throws Exception {
        return new DefaultHttp2HeadersDecoder().decodeHeaders(headers.stream, Unpooled.wrappedBuffer(headers.payload));
    }
}
