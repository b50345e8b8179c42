package io.portico.core.grpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.portico.core.test.TestPortico;
import io.portico.core.tls.TestCerts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through Portico, end to end over HTTP/2 on both sides: a grpc-java client, Portico, a
 * grpc-java server. Messages are plain UTF-8 strings (a marshaller of our own), so no generated
 * code is needed; the calls are the real gRPC wire protocol: length-prefixed messages in DATA
 * frames, the status in trailers.
 */
class GrpcProxyTest {

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<String, String> GREET = method(MethodDescriptor.MethodType.UNARY, "Greet");
    private static final MethodDescriptor<String, String> COUNT = method(MethodDescriptor.MethodType.SERVER_STREAMING, "Count");
    private static final MethodDescriptor<String, String> CHAT = method(MethodDescriptor.MethodType.BIDI_STREAMING, "Chat");

    private Server origin;
    private TestPortico portico;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Greeter", name))
                .setRequestMarshaller(TEXT)
                .setResponseMarshaller(TEXT)
                .build();
    }

    @BeforeEach
    void startOrigin() throws IOException {
        ServerServiceDefinition greeter = ServerServiceDefinition.builder("test.Greeter")
                .addMethod(GREET, ServerCalls.asyncUnaryCall((String name, StreamObserver<String> reply) -> {
                    if (name.equals("nobody")) {
                        reply.onError(Status.NOT_FOUND.withDescription("no one called " + name).asRuntimeException());
                        return;
                    }
                    reply.onNext("hello " + name);
                    reply.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String n, StreamObserver<String> reply) -> {
                    for (int i = 1; i <= Integer.parseInt(n); i++) {
                        reply.onNext(Integer.toString(i));
                    }
                    reply.onError(Status.RESOURCE_EXHAUSTED.withDescription("counted to " + n).asRuntimeException());
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(reply -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String message) {
                        reply.onNext("echo " + message);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        reply.onCompleted();
                    }
                }))
                .build();
        origin = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(greeter)
                .maxInboundMessageSize(8 * 1024 * 1024)
                .build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (portico != null) {
            portico.close();
        }
        origin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String upstreamYaml() {
        return """
                upstreams: {grpc: {balancer: sequential, protocol: h2, endpoints: ['127.0.0.1:%d']}}
                routes: [{upstream: grpc}]
                """.formatted(origin.getPort());
    }

    private static CallOptions callOptions() {
        return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallsAndTheirStatusesPassThroughOverH2c() {
        portico = TestPortico.start(upstreamYaml());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", portico.port()).usePlaintext().build();

        assertThat(ClientCalls.blockingUnaryCall(channel, GREET, callOptions(), "world")).isEqualTo("hello world");
        String big = "x".repeat(2 * 1024 * 1024);
        assertThat(ClientCalls.blockingUnaryCall(channel, GREET, callOptions().withMaxInboundMessageSize(4 * 1024 * 1024), big))
                .as("a 2 MiB message each way, through flow control on both connections")
                .isEqualTo("hello " + big);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GREET, callOptions(), "nobody"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no one called nobody");
                });
    }

    @Test
    void serverStreamingDeliversEveryMessageThenTheTrailers() {
        portico = TestPortico.start(upstreamYaml());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", portico.port()).usePlaintext().build();

        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> ClientCalls.blockingServerStreamingCall(channel, COUNT, callOptions(), "5000")
                .forEachRemaining(received::add))
                .as("grpc-status from the trailers that follow the messages")
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("counted to 5000");
                });
        assertThat(received).hasSize(5000).startsWith("1", "2").endsWith("5000");
    }

    @Test
    void bidirectionalStreamsInterleaveOverTls(@TempDir Path dir) throws Exception {
        TestCerts.create(dir, "portico", "localhost", "DNS:localhost,IP:127.0.0.1", TestCerts.KeyFormat.SEC1_EC);
        portico = TestPortico.start("""
                listen: [{address: '127.0.0.1:0', tls: {certs: [{cert: '%s', key: '%s'}]}}]
                """.formatted(dir.resolve("portico.pem"), dir.resolve("portico-key.pem")) + upstreamYaml());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", portico.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(dir.resolve("portico.pem").toFile()).build())
                .overrideAuthority("localhost")
                .build();

        List<String> replies = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, callOptions()),
                new StreamObserver<>() {
                    @Override
                    public void onNext(String reply) {
                        replies.add(reply);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (int i = 0; i < 200; i++) {
            requests.onNext("message " + i);
        }
        requests.onCompleted();
        done.get(20, TimeUnit.SECONDS);

        assertThat(replies).hasSize(200).first().isEqualTo("echo message 0");
        assertThat(replies).last().isEqualTo("echo message 199");
    }
}
