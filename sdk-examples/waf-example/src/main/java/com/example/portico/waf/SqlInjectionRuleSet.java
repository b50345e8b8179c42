package com.example.portico.waf;

import io.portico.api.waf.WafRule;
import io.portico.api.waf.WafRule.Target;
import io.portico.api.waf.WafRuleSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * The WAF rule set {@code example-sqli}: a few signatures of SQL injection in the query string and
 * the body. A WAF filter names it in its {@code rulesets}; each match adds the rule's score to the
 * request's, and the filter blocks a request whose score passes its threshold.
 *
 * <p>An example of the extension point, not a complete defence: a real rule set has many more rules
 * and is tuned against false positives.
 */
@Extension
public final class SqlInjectionRuleSet implements WafRuleSet {

    private static final Set<Target> INPUTS = Set.of(Target.QUERY, Target.BODY);

    private static final List<WafRule> RULES = List.of(
            new WafRule("sqli-1", "tautology such as ' or '1'='1", INPUTS,
                    Pattern.compile("'\\s*or\\s*'?(\\w+)'?\\s*=\\s*'?\\1", Pattern.CASE_INSENSITIVE), 5),
            new WafRule("sqli-2", "UNION SELECT", INPUTS,
                    Pattern.compile("\\bunion\\b(\\s|/\\*.*?\\*/)+(all\\s+)?select\\b", Pattern.CASE_INSENSITIVE), 5),
            new WafRule("sqli-3", "statement stacked after a quote", INPUTS,
                    Pattern.compile("'\\s*;\\s*(drop|delete|insert|update|shutdown)\\b", Pattern.CASE_INSENSITIVE), 5),
            new WafRule("sqli-4", "time-based probe: sleep() or benchmark()", INPUTS,
                    Pattern.compile("\\b(sleep|benchmark|pg_sleep)\\s*\\(", Pattern.CASE_INSENSITIVE), 3),
            new WafRule("sqli-5", "comment ending a quoted value", INPUTS,
                    Pattern.compile("'\\s*(--|#|/\\*)"), 2));

    @Override
    public String name() {
        return "example-sqli";
    }

    @Override
    public List<WafRule> rules() {
        return RULES;
    }
}
