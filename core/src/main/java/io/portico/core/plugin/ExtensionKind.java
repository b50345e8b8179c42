package io.portico.core.plugin;

import io.portico.api.auth.AuthProviderFactory;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.cache.CacheStoreFactory;
import io.portico.api.config.ExtensionFactory;
import io.portico.api.filter.FilterFactory;
import io.portico.api.geo.GeoResolverFactory;
import io.portico.api.waf.WafRuleSet;
import java.util.List;
import java.util.function.Function;

/**
 * One kind of extension that a configuration can name: balancers, filters, cache stores, auth
 * providers, geo resolvers and WAF rule sets.
 *
 * <p>A kind carries the extension point's type with its type arguments, so that {@link
 * ExtensionRegistry#create} returns a {@code Balancer} for {@link #BALANCER} without casts, and the
 * noun used in error messages ({@code unknown balancer 'least-conn'}).
 *
 * @param <E> the extension point's type
 */
public final class ExtensionKind<E> {

    /** Balancer factories, named in an upstream's {@code balancer}. */
    public static final ExtensionKind<BalancerFactory<?>> BALANCER = factory(BalancerFactory.class, "balancer");

    /** Filter factories, named in a route's {@code filters}. */
    public static final ExtensionKind<FilterFactory<?>> FILTER = factory(FilterFactory.class, "filter");

    /** Cache store factories, named by cache filters. */
    public static final ExtensionKind<CacheStoreFactory<?>> CACHE_STORE = factory(CacheStoreFactory.class, "cache store");

    /** Auth provider factories, named by auth filters. */
    public static final ExtensionKind<AuthProviderFactory<?>> AUTH_PROVIDER =
            factory(AuthProviderFactory.class, "auth provider");

    /** Geo resolver factories, named by geo filters. */
    public static final ExtensionKind<GeoResolverFactory<?>> GEO_RESOLVER =
            factory(GeoResolverFactory.class, "geo resolver");

    /** WAF rule sets, named in a WAF filter's {@code rulesets}. */
    public static final ExtensionKind<WafRuleSet> WAF_RULE_SET =
            new ExtensionKind<>(WafRuleSet.class, "WAF rule set", WafRuleSet::name);

    private static final List<ExtensionKind<?>> ALL =
            List.of(BALANCER, FILTER, CACHE_STORE, AUTH_PROVIDER, GEO_RESOLVER, WAF_RULE_SET);

    private final Class<E> type;
    private final String noun;
    private final Function<? super E, String> namer;

    private ExtensionKind(Class<E> type, String noun, Function<? super E, String> namer) {
        this.type = type;
        this.noun = noun;
        this.namer = namer;
    }

    // The factory interfaces are generic; their class literals are raw. The cast only adds the
    // wildcard type argument, which every instance of the raw type satisfies.
    @SuppressWarnings("unchecked")
    private static <F extends ExtensionFactory<?, ?>> ExtensionKind<F> factory(Class<?> type, String noun) {
        return new ExtensionKind<>((Class<F>) type, noun, ExtensionFactory::name);
    }

    /** Every kind, in a stable order. */
    public static List<ExtensionKind<?>> all() {
        return ALL;
    }

    /** The extension point's type, as PF4J looks extensions up by. */
    public Class<E> type() {
        return type;
    }

    /** What an extension of this kind is called in messages: {@code balancer}, {@code WAF rule set}. */
    public String noun() {
        return noun;
    }

    /** The name the configuration refers to {@code extension} by. */
    public String nameOf(E extension) {
        return namer.apply(extension);
    }

    @Override
    public String toString() {
        return noun;
    }
}
