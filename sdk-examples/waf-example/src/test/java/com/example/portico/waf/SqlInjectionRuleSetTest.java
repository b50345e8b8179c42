package com.example.portico.waf;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.api.waf.WafRule;
import io.portico.api.waf.WafRuleSet;
import io.portico.core.plugin.ExtensionKind;
import io.portico.core.plugin.ExtensionRegistry;
import io.portico.core.plugin.PluginHost;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlInjectionRuleSetTest {

    private final WafRuleSet rules = new SqlInjectionRuleSet();

    /** The ids of the rules that match {@code input}. */
    private List<String> matching(String input) {
        return rules.rules().stream().filter(rule -> rule.pattern().matcher(input).find()).map(WafRule::id).toList();
    }

    @Test
    void porticoFindsTheRuleSetByTheNameAConfigurationUses(@TempDir Path noPlugins) {
        try (PluginHost host = PluginHost.load(noPlugins)) {
            ExtensionRegistry registry = ExtensionRegistry.of(host, (settings, type, file, keyPath) -> {
                throw new AssertionError("a rule set has no settings to bind");
            });

            WafRuleSet found = registry.extension(ExtensionKind.WAF_RULE_SET, "example-sqli", null, "rulesets[0]");

            assertThat(found).isInstanceOf(SqlInjectionRuleSet.class);
            assertThat(found.rules()).extracting(WafRule::id).doesNotHaveDuplicates().hasSize(5);
        }
    }

    @Test
    void classicInjectionsEachMatchTheirRule() {
        assertThat(matching("id=1' OR '1'='1")).contains("sqli-1");
        assertThat(matching("q=x' or a=a")).contains("sqli-1");
        assertThat(matching("q=1 UNION ALL SELECT password FROM users")).containsExactly("sqli-2");
        assertThat(matching("q=1 union/**/select 1")).contains("sqli-2");
        assertThat(matching("name=x'; DROP TABLE users")).containsExactly("sqli-3");
        assertThat(matching("id=1 AND SLEEP(5)")).containsExactly("sqli-4");
        assertThat(matching("user=admin'--")).containsExactly("sqli-5");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "q=union station opening hours",
        "q=select a seat",
        "name=O'Brien",
        "text=I'm sleeping in",
        "title=Rock 'n' roll -- a history",
        "sort=price&order=desc"})
    void ordinaryInputMatchesNothing(String input) {
        assertThat(matching(input)).isEmpty();
    }
}
