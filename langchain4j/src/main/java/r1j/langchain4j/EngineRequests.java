package r1j.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import r1j.chat.ChatMessage;
import r1j.chat.FunctionCalling;
import r1j.engine.Choice;
import r1j.engine.FinishReason;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.engine.Usage;
import r1j.grammar.Grammar;
import r1j.sample.SamplerSettings;

/**
 * Translation between LangChain4j's chat API and the engine's: messages, sampling parameters, the JSON response
 * format, tools and tool choice in; answer, thinking, tool calls, finish reason and token usage out.
 *
 * @param request   what the engine generates
 * @param functions names of the functions the answer may call (empty: the answer is plain text)
 */
record EngineRequests(GenerationRequest request, Set<String> functions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The engine request for {@code chat}.
     *
     * @throws IllegalArgumentException for messages r1j cannot render (images, audio) or a schema the grammar
     *                                  cannot follow (a {@code JsonSchemaException} naming the keyword)
     */
    static EngineRequests of(ChatRequest chat, R1jModelOptions options) {
        ChatRequestParameters p = chat.parameters();
        List<ChatMessage> messages = messages(chat.messages());
        List<ToolSpecification> tools = p.toolSpecifications() == null ? List.of() : p.toolSpecifications();
        ToolChoice choice = p.toolChoice() == null ? ToolChoice.AUTO : p.toolChoice();
        Set<String> functions = new LinkedHashSet<>();
        Grammar constraint = responseFormat(p.responseFormat());
        if (!tools.isEmpty() && choice != ToolChoice.NONE) {
            List<FunctionCalling.Function> list = new ArrayList<>();
            Map<String, Grammar> grammars = new LinkedHashMap<>();
            for (ToolSpecification t : tools) {
                JsonNode params = t.parameters() == null ? null : JSON.valueToTree(JsonSchemaElementUtils.toMap(t.parameters()));
                list.add(new FunctionCalling.Function(t.name(), t.description(), params));
                grammars.put(t.name(), params == null
                        ? Grammar.fromSchema("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}")
                        : Grammar.fromSchema(params));
                functions.add(t.name());
            }
            messages = FunctionCalling.withSystemText(messages, FunctionCalling.systemPrompt(list));
            if (choice == ToolChoice.REQUIRED) {
                constraint = Grammar.functionCall(grammars);
            }
        }
        SamplerSettings s = SamplerSettings.r1Defaults();
        if (p.temperature() != null) {
            s = s.withTemperature(p.temperature().floatValue());
        }
        if (p.topP() != null) {
            s = s.withTopP(p.topP().floatValue());
        }
        if (p.topK() != null) {
            s = s.withTopK(p.topK());
        }
        if (p.presencePenalty() != null || p.frequencyPenalty() != null) {
            s = s.withPenalties(s.repetitionPenalty(), p.presencePenalty() == null ? 0f : p.presencePenalty().floatValue(),
                    p.frequencyPenalty() == null ? 0f : p.frequencyPenalty().floatValue(), s.penaltyLastN());
        }
        if (options.seed() != null) {
            s = s.withSeed(options.seed());
        }
        int maxTokens = p.maxOutputTokens() != null ? p.maxOutputTokens() : options.maxTokens();
        GenerationRequest r = GenerationRequest.of(new Prompt.Chat(messages)).withSampling(s).withMaxTokens(maxTokens)
                .withThinkingBudget(options.thinkingBudget())
                .withStop(p.stopSequences() == null ? List.of() : p.stopSequences())
                .withConstraint(constraint);
        return new EngineRequests(r, Set.copyOf(functions));
    }

    /** The LangChain4j response for one engine choice. */
    ChatResponse response(Choice c, String modelName) {
        List<FunctionCalling.Call> calls = functions.isEmpty() || c.finishReason() != FinishReason.STOP
                ? List.of() : FunctionCalling.parse(c.answer(), functions);
        AiMessage.Builder msg = AiMessage.builder().thinking(c.reasoning().isEmpty() ? null : c.reasoning());
        if (calls.isEmpty()) {
            msg.text(c.answer());
        } else {
            List<ToolExecutionRequest> requests = new ArrayList<>();
            for (FunctionCalling.Call call : calls) {
                requests.add(ToolExecutionRequest.builder().id("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24))
                        .name(call.name()).arguments(call.arguments()).build());
            }
            msg.toolExecutionRequests(requests);
        }
        Usage u = c.usage();
        return ChatResponse.builder().aiMessage(msg.build()).modelName(modelName)
                .tokenUsage(new TokenUsage(u.promptTokens(), u.completionTokens()))
                .finishReason(calls.isEmpty() ? finishReason(c.finishReason()) : dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION)
                .build();
    }

    static dev.langchain4j.model.output.FinishReason finishReason(FinishReason r) {
        return switch (r) {
            case STOP -> dev.langchain4j.model.output.FinishReason.STOP;
            case LENGTH -> dev.langchain4j.model.output.FinishReason.LENGTH;
            default -> dev.langchain4j.model.output.FinishReason.OTHER;
        };
    }

    private static Grammar responseFormat(ResponseFormat rf) {
        if (rf == null || rf.type() != ResponseFormatType.JSON) {
            return null;
        }
        if (rf.jsonSchema() == null || rf.jsonSchema().rootElement() == null) {
            return Grammar.anyJsonObject();
        }
        return Grammar.fromSchema((JsonNode) JSON.valueToTree(JsonSchemaElementUtils.toMap(rf.jsonSchema().rootElement())));
    }

    private static List<ChatMessage> messages(List<dev.langchain4j.data.message.ChatMessage> in) {
        List<ChatMessage> out = new ArrayList<>(in.size());
        for (dev.langchain4j.data.message.ChatMessage m : in) {
            out.add(switch (m) {
                case SystemMessage s -> ChatMessage.system(s.text());
                case UserMessage u -> ChatMessage.user(text(u));
                case AiMessage a -> ChatMessage.assistant(assistantText(a));
                case ToolExecutionResultMessage t -> ChatMessage.tool(t.text());
                default -> throw new IllegalArgumentException("r1j cannot render a " + m.type() + " message");
            });
        }
        return out;
    }

    private static String text(UserMessage u) {
        StringBuilder sb = new StringBuilder();
        for (Content c : u.contents()) {
            if (!(c instanceof TextContent t)) {
                throw new IllegalArgumentException("r1j models read text only; a user message carries " + c.type());
            }
            sb.append(sb.isEmpty() ? "" : "\n").append(t.text());
        }
        return sb.toString();
    }

    /** An assistant turn as the model wrote it: its text, then its tool calls as call lines. */
    private static String assistantText(AiMessage a) {
        StringBuilder sb = new StringBuilder(a.text() == null ? "" : a.text());
        if (a.hasToolExecutionRequests()) {
            for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                sb.append(sb.isEmpty() ? "" : "\n").append(FunctionCalling.callText(r.name(), r.arguments()));
            }
        }
        return sb.toString();
    }
}
