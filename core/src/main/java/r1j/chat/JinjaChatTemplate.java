package r1j.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A model file's own chat template ({@code tokenizer.chat_template}), rendered with jinjava.
 *
 * <p>The environment follows Hugging Face's {@code apply_chat_template} (which llama.cpp's Jinja engine copies):
 * {@code trim_blocks} and {@code lstrip_blocks} on, variables {@code messages} (a list of maps with {@code role} and
 * {@code content}), {@code bos_token}, {@code eos_token}, {@code add_generation_prompt}, and the function
 * {@code raise_exception(message)}. {@code tools} is left undefined.
 *
 * <p>Assistant contents are handed to the template with earlier reasoning already removed
 * ({@link ChatMessage#contentWithoutReasoning()}), so even a template that does not strip {@code <think>…</think>}
 * keeps it out of the history, and a Python-vs-Java difference in {@code str.split} cannot leak it back in. A
 * template that itself splits on {@code </think>} (DeepSeek-R1's, Qwen3's) gets {@code "</think>" + answer}, so its
 * own split and strip of the answer render exactly as Hugging Face's do, while the reasoning stays out.
 * {@link JinjaCompat} maps the Python idioms jinjava lacks.
 */
public final class JinjaChatTemplate implements ChatTemplate {

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;
    private final boolean splitsReasoning;

    /**
     * @param template the Jinja source
     * @param bosToken the value of {@code bos_token}
     * @param eosToken the value of {@code eos_token}
     * @throws ChatTemplateException when the source does not parse, naming the line and the problem
     */
    public JinjaChatTemplate(String template, String bosToken, String eosToken) {
        this.template = JinjaCompat.rewrite(Objects.requireNonNull(template, "template"));
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
        this.eosToken = Objects.requireNonNull(eosToken, "eosToken");
        this.splitsReasoning = template.contains("</think>");
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .build());
        jinjava.registerFunction(new ELFunctionDefinition(
                "", "raise_exception", JinjaChatTemplate.class, "raiseException", String.class));
        checkParses();
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", toMaps(messages, splitsReasoning, template.contains("tool_calls")));
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        try {
            result = jinjava.renderForResult(template, bindings);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("the model's chat template failed to render: " + e.getMessage(), e);
        }
        List<TemplateError> fatal = fatalErrors(result.getErrors());
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("the model's chat template failed to render " + messages.size()
                    + " message(s): " + describe(fatal) + "; pass a working template or none to use the built-in R1 format");
        }
        return result.getOutput();
    }

    /** Called by templates as {@code raise_exception('...')}, for example on roles out of order. */
    public static String raiseException(String message) {
        throw new ChatTemplateException("chat template raised: " + message);
    }

    private void checkParses() {
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            interpreter.parse(template);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("the model's chat template does not parse: " + e.getMessage(), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> fatal = fatalErrors(interpreter.getErrors());
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException("the model's chat template does not parse: " + describe(fatal)
                    + "; pass a working template or none to use the built-in R1 format");
        }
    }

    /**
     * The messages as the template sees them. An assistant message made of call lines ({@link FunctionCalling}) is
     * given to a template that knows {@code tool_calls} as Hugging Face's shape, {@code content: None} and
     * {@code tool_calls: [{type: "function", function: {name, arguments}}]}, so the template writes its own markup.
     */
    private static List<Map<String, Object>> toMaps(List<ChatMessage> messages, boolean splitsReasoning,
                                                  boolean templateKnowsToolCalls) {
        List<Map<String, Object>> maps = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            // reasoning_content is deliberately not passed: it must never reach the prompt.
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role().wireName());
            String content = m.contentWithoutReasoning();
            boolean hadReasoning = content.length() != m.content().length();
            List<FunctionCalling.Call> calls = templateKnowsToolCalls && m.role() == ChatMessage.Role.ASSISTANT
                    ? FunctionCalling.callLines(content) : List.of();
            if (calls.isEmpty()) {
                map.put("content", splitsReasoning && hadReasoning ? "</think>" + content : content);
            } else {
                map.put("content", null);
                List<Map<String, Object>> toolCalls = new ArrayList<>();
                for (FunctionCalling.Call c : calls) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("name", c.name());
                    f.put("arguments", c.arguments());
                    Map<String, Object> call = new LinkedHashMap<>();
                    call.put("type", "function");
                    call.put("function", f);
                    toolCalls.add(call);
                }
                map.put("tool_calls", toolCalls);
            }
            maps.add(map);
        }
        return maps;
    }

    private static List<TemplateError> fatalErrors(List<TemplateError> errors) {
        return errors.stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    }

    private static String describe(List<TemplateError> errors) {
        return errors.stream()
                .map(e -> (e.getLineno() > 0 ? "line " + e.getLineno() + ": " : "") + rootMessage(e))
                .collect(Collectors.joining("; "));
    }

    private static String rootMessage(TemplateError e) {
        Throwable t = e.getException();
        while (t != null) {
            if (t instanceof ChatTemplateException cte) {
                return cte.getMessage();
            }
            t = t.getCause();
        }
        return e.getMessage();
    }
}
