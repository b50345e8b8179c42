package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batching of flushes, between two channels of a real (in-process) event loop. */
class FlushOncePerTurnTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    /** For each flush that reached the transport, how many writes it carried. */
    private final List<Integer> flushes = new CopyOnWriteArrayList<>();
    private final StringBuffer received = new StringBuffer();
    private Channel server;
    private Channel client;

    @BeforeEach
    void connect() throws InterruptedException {
        LocalAddress address = new LocalAddress(FlushOncePerTurnTest.class);
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf bytes = (ByteBuf) msg;
                        received.append(bytes.toString(StandardCharsets.UTF_8));
                        bytes.release();
                    }
                })
                .bind(address).sync().channel();
        client = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new WriteCounter(), new FlushOncePerTurn());
                    }
                })
                .connect(address).sync().channel();
    }

    @AfterEach
    void close() {
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Test
    void theFlushesOfOneTurnBecomeOne() {
        client.eventLoop().execute(() -> {
            client.writeAndFlush(bytes("first "));
            client.writeAndFlush(bytes("second "));
            client.writeAndFlush(bytes("third"));
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> received.toString().equals("first second third"));
        assertThat(flushes).as("one flush carrying the three writes").containsExactly(3);
    }

    @Test
    void everyTurnWithAFlushEndsWithOne() {
        StringBuilder expected = new StringBuilder();
        for (int turn = 0; turn < 3; turn++) {
            String text = "turn " + turn + ";";
            client.eventLoop().execute(() -> client.writeAndFlush(bytes(text)));
            String sent = expected.append(text).toString();
            // Nothing else happens until it arrives: no later flush could have carried it.
            await().atMost(Duration.ofSeconds(5)).until(() -> received.toString().equals(sent));
        }

        assertThat(flushes).as("a flush per turn").containsExactly(1, 1, 1);
    }

    @Test
    void closingSendsWhatWasWrittenFirst() {
        client.eventLoop().execute(() -> {
            client.write(bytes("last words"));
            client.flush();
            client.close();
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> received.toString().equals("last words"));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** Sits between the transport and the handler under test, counting what reaches the transport. */
    private final class WriteCounter extends ChannelOutboundHandlerAdapter {

        private int writes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes++;
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.add(writes);
            writes = 0;
            ctx.flush();
        }
    }
}
