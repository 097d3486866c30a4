package r1j.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Table-driven checks of the matcher on hand-written schemas; expectations follow the JSON-schema spec. */
class JsonMatcherTest {

    private static boolean accepts(String schema, String json) {
        return JsonMatcher.accepts(Grammar.fromSchema(schema), json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} | {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"]} | {\"a\":1} | true",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"]} | {\"a\":1,\"b\":\"x\"} | true",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"]} | {\"b\":\"x\"} | false",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"]} | {\"a\":1.5} | false",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"]} | {\"a\":1,\"c\":2} | false",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}} | {} | true",
            "{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":1,\"maxItems\":2} | [] | false",
            "{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":1,\"maxItems\":2} | [-0.5e+3,2] | true",
            "{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":1,\"maxItems\":2} | [1,2,3] | false",
            "{\"type\":\"array\",\"items\":{\"type\":\"number\"}} | [01] | false",
            "{\"enum\":[1,12,\"re\",\"red\"]} | 12 | true",
            "{\"enum\":[1,12,\"re\",\"red\"]} | 1 | true",
            "{\"enum\":[1,12,\"re\",\"red\"]} | \"r\" | false",
            "{\"type\":\"array\",\"items\":{\"enum\":[1,12]}} | [1,12,1] | true",
            "{\"type\":\"string\",\"maxLength\":2} | \"\\u00e9x\" | true",
            "{\"type\":\"string\",\"maxLength\":2} | \"abc\" | false",
            "{\"type\":\"string\",\"minLength\":2} | \"中\" | false",
            "{\"type\":\"string\"} | \"a\\qb\" | false",
            "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"boolean\"}},\"required\":[\"x\"]}]} | {\"x\":false} | true",
            "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"boolean\"}},\"required\":[\"x\"]}]} | 7 | true",
            "{\"type\":[\"string\",\"null\"]} | null | true",
            "{\"type\":\"object\"} | {\"k\":[1,{\"z\":null}],\"m\":\"s\"} | true",
            "{\"type\":\"object\"} | [1] | false",
            "{\"type\":\"object\",\"properties\":{\"n\":{\"$ref\":\"#\"}}} | {\"n\":{\"n\":{}}} | true",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}} | { } | false",
    })
    void accepts_exactlyTheCompactValidJson(String schema, String json, boolean expected) {
        assertThat(accepts(schema, json)).isEqualTo(expected);
    }

    @Test
    void jsonObject_acceptsAnyObjectOnly() {
        Grammar g = Grammar.anyJsonObject();
        assertThat(JsonMatcher.accepts(g, "{\"a\":[true,null,-1.5E3]}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(JsonMatcher.accepts(g, "\"text\"".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void prefixOfValue_isLiveButNotComplete() {
        JsonMatcher m = JsonMatcher.start(Grammar.fromSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}"))
                .advance("{\"a\":12".getBytes(StandardCharsets.UTF_8));
        assertThat(m).isNotNull();
        assertThat(m.isComplete()).isFalse();
        assertThat(m.advance('}').isComplete()).isTrue();
        assertThat(m.advance('}').canContinue()).isFalse();
    }

    @Test
    void functionCall_constrainsNameAndArguments() {
        Grammar args = Grammar.fromSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
        Grammar call = Grammar.functionCall(java.util.Map.of("get_weather", args));
        assertThat(JsonMatcher.accepts(call, "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(JsonMatcher.accepts(call, "{\"name\":\"other\",\"arguments\":{\"city\":\"Oslo\"}}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"string\",\"pattern\":\"a+\"} | 'pattern' at #",
            "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":0}}} | 'minimum' at #/properties/n",
            "{\"type\":\"strin\"} | type 'strin' at #",
            "{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]} | required property \"b\"",
            "{\"$ref\":\"#/$defs/missing\"} | points to nothing",
            "{\"type\":\"array\",\"minItems\":3,\"maxItems\":1} | minItems 3 exceeds maxItems 1",
            "not json | not valid JSON",
    })
    void badSchema_isRefusedNamingTheProblem(String schema, String message) {
        assertThatThrownBy(() -> Grammar.fromSchema(schema)).isInstanceOf(JsonSchemaException.class).hasMessageContaining(message);
    }
}
