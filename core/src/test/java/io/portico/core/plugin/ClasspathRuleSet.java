package io.portico.core.plugin;

import io.portico.api.waf.WafRule;
import io.portico.api.waf.WafRuleSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/** A WAF rule set on the test classpath, found without any plugin. */
@Extension
public final class ClasspathRuleSet implements WafRuleSet {

    @Override
    public String name() {
        return "test-classpath-rules";
    }

    @Override
    public List<WafRule> rules() {
        return List.of(new WafRule("1", "test rule", Set.of(WafRule.Target.PATH), Pattern.compile("/evil"), 5));
    }
}
