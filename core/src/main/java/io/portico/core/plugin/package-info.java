/**
 * The plugin host: loads PF4J plugins from the plugins directory ({@link
 * io.portico.core.plugin.PluginHost}), indexes their extensions by name ({@link
 * io.portico.core.plugin.ExtensionRegistry}) and builds the extensions that a configuration names.
 *
 * <p>Everything here runs at config load, never on a request's path.
 */
package io.portico.core.plugin;
