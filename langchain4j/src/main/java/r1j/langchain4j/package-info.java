/**
 * LangChain4j over the in-process engine: {@link r1j.langchain4j.R1jChatModel} ({@code ChatModel}) and
 * {@link r1j.langchain4j.R1jStreamingChatModel} ({@code StreamingChatModel}), so an application embeds r1j with
 * LangChain4j's API and AI services and no server. The thought comes back as {@code AiMessage.thinking()} (streamed
 * as partial thinking); a JSON response format and tool specifications become the engine's output grammar and the
 * call-line protocol of {@link r1j.chat.FunctionCalling}.
 *
 * <p>Depends on {@code r1j-core} ({@code engine}, {@code chat}, {@code grammar}, {@code sample}) and
 * {@code langchain4j-core}.
 */
package r1j.langchain4j;
