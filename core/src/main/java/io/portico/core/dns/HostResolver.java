package io.portico.core.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portico.core.config.DnsConfig;
import io.portico.core.config.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks up the addresses of a host name, with how long the answer may be kept, through Netty's
 * asynchronous resolver: the hosts file first, then the name servers (following CNAMEs and the
 * search domains of {@code /etc/resolv.conf}).
 *
 * <p>Only one address family is used, as a connection to the other may not work: IPv4 unless the
 * JVM prefers IPv6 ({@code java.net.preferIPv6Addresses}), and the other family only when the
 * name has no address of the preferred one. Every method may be called from any thread; the
 * lookups run on the resolver's event loop.
 */
final class HostResolver implements AutoCloseable {

    /**
     * The addresses of a name.
     *
     * @param addresses at least one, without duplicates, in the order of the answer
     * @param ttlSeconds the smallest time to live among the records
     */
    record Answer(Set<InetAddress> addresses, long ttlSeconds) {
    }

    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final List<DnsRecordType> families;

    HostResolver(EventLoop loop, DnsConfig config) {
        this.loop = loop;
        List<InetSocketAddress> servers = config.servers().stream()
                .map(HostResolver::socketAddress)
                .toList();
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class) // for answers too large for a datagram
                .nameServerProvider(servers.isEmpty()
                        ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(servers))
                .build();
        this.families = switch (resolver.resolvedAddressTypes()) {
            case IPV4_ONLY -> List.of(DnsRecordType.A);
            case IPV6_ONLY -> List.of(DnsRecordType.AAAA);
            case IPV4_PREFERRED -> List.of(DnsRecordType.A, DnsRecordType.AAAA);
            case IPV6_PREFERRED -> List.of(DnsRecordType.AAAA, DnsRecordType.A);
        };
    }

    /** Looks {@code host} up; the future fails with an {@link UnknownHostException} when it has no address. */
    Future<Answer> resolve(String host) {
        Promise<Answer> promise = loop.newPromise();
        query(host, 0, null, promise);
        return promise;
    }

    private void query(String host, int family, Throwable earlierFailure, Promise<Answer> promise) {
        resolver.resolveAll(new DefaultDnsQuestion(host, families.get(family))).addListener((Future<List<DnsRecord>> f) -> {
            Answer answer = f.isSuccess() ? answer(host, f.getNow()) : null;
            Throwable failure = earlierFailure != null ? earlierFailure : f.cause();
            if (answer != null) {
                promise.trySuccess(answer);
            } else if (family + 1 < families.size()) {
                query(host, family + 1, failure, promise);
            } else {
                promise.tryFailure(failure != null ? failure : new UnknownHostException("no address for " + host));
            }
        });
    }

    /** The addresses in {@code records}, which it releases; {@code null} when there are none. */
    private static Answer answer(String host, List<DnsRecord> records) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        long ttl = Long.MAX_VALUE;
        try {
            for (DnsRecord record : records) {
                if (record instanceof DnsRawRecord raw && isAddress(raw)) {
                    addresses.add(address(host, raw.content()));
                    ttl = Math.min(ttl, raw.timeToLive());
                }
            }
        } finally {
            records.forEach(ReferenceCountUtil::release);
        }
        return addresses.isEmpty() ? null : new Answer(addresses, ttl);
    }

    private static boolean isAddress(DnsRawRecord record) {
        int length = record.content().readableBytes();
        return record.type() == DnsRecordType.A && length == 4 || record.type() == DnsRecordType.AAAA && length == 16;
    }

    private static InetAddress address(String host, ByteBuf content) {
        try {
            return InetAddress.getByAddress(host, ByteBufUtil.getBytes(content));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes was refused", e);
        }
    }

    private static InetSocketAddress socketAddress(HostPort server) {
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(server.host()), server.port());
    }

    @Override
    public void close() {
        resolver.close();
    }
}
