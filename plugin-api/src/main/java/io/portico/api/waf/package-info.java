/** Web application firewall: rule sets that plugins contribute to the WAF engine. */
package io.portico.api.waf;
