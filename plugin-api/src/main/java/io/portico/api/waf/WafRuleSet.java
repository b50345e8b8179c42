package io.portico.api.waf;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Rules a plugin contributes to the WAF engine, under a name that WAF filters select:
 * {@code waf: {rulesets: [core, my-rules]}}.
 *
 * <p>{@link #rules()} is read once per config load; the engine compiles the rules then.
 */
public interface WafRuleSet extends ExtensionPoint {

    /** The name WAF filters select this rule set by. */
    String name();

    /** The rules. */
    List<WafRule> rules();
}
