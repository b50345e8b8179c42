/**
 * Custom distributions: {@code portico dist} reads a {@link
 * io.portico.core.distribution.DistributionDescriptor}, fetches the plugins it names ({@link
 * io.portico.core.distribution.PluginRepositories}), checks each against this core ({@link
 * io.portico.core.distribution.PluginChecks}), lays out a copy of the running installation with them
 * and packs it ({@link io.portico.core.distribution.DistributionBuilder}, {@link
 * io.portico.core.distribution.TarGz}), optionally with a Java runtime made by {@code jlink} ({@link
 * io.portico.core.distribution.Jlink}).
 *
 * <p>Nothing here runs while Portico serves: it is a command-line tool that happens to ship in the
 * core, so that an unpacked installation is all an operator needs to build another.
 */
package io.portico.core.distribution;
