package r1j.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import r1j.chat.ChatMessage;
import r1j.chat.ChatMessage.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of one chat, in order, and their file form for {@code /save} and {@code /load}: the OpenAI/DeepSeek
 * request shape, {@code {"messages": [{"role": "user", "content": "…"}, {"role": "assistant", "content": "…",
 * "reasoning_content": "…"}]}}, so a saved chat can be replayed against the server or any compatible API. A bare
 * array of messages loads too. Assistant messages keep their reasoning for the record; the chat template drops it
 * from the next prompt, as R1 requires.
 */
public final class Conversation {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<ChatMessage> messages = new ArrayList<>();
    private String system;

    /** @return the messages so far, oldest first, after the system prompt when there is one (a copy) */
    public List<ChatMessage> messages() {
        if (system == null) {
            return List.copyOf(messages);
        }
        List<ChatMessage> all = new ArrayList<>(messages.size() + 1);
        all.add(ChatMessage.system(system));
        all.addAll(messages);
        return List.copyOf(all);
    }

    /** @return the system prompt, or null when there is none */
    public String system() {
        return system;
    }

    /** Sets the system prompt that opens every prompt of this chat, or removes it ({@code null} or blank). */
    public void setSystem(String text) {
        system = text == null || text.isBlank() ? null : text;
    }

    /** @return true when nothing has been said yet (a system prompt alone says nothing) */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Appends a message. */
    public void add(ChatMessage message) {
        messages.add(message);
    }

    /** Forgets what was said; the system prompt stays, as in Ollama's {@code /clear}. */
    public void clear() {
        messages.clear();
    }

    /** Drops the last message, e.g. a question whose answer was stopped before any text came. */
    public void removeLast() {
        if (!messages.isEmpty()) {
            messages.removeLast();
        }
    }

    /** Replaces the chat with {@code other}'s messages; a leading system message becomes the system prompt. */
    public void replaceWith(List<ChatMessage> other) {
        messages.clear();
        system = null;
        int from = 0;
        if (!other.isEmpty() && other.getFirst().role() == Role.SYSTEM) {
            setSystem(other.getFirst().content());
            from = 1;
        }
        messages.addAll(other.subList(from, other.size()));
    }

    /**
     * Writes the conversation to {@code file} (through a temporary file, so a failed write leaves the old one).
     *
     * @throws IOException when the file cannot be written
     */
    public void save(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("messages");
        for (ChatMessage m : messages()) {
            ObjectNode node = array.addObject();
            node.put("role", m.role().wireName());
            node.put("content", m.content());
            if (m.reasoningContent() != null) {
                node.put("reasoning_content", m.reasoningContent());
            }
        }
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads messages written by {@link #save} (or any {@code {"messages": […]}} / {@code […]} in that shape).
     *
     * @throws IOException              when the file cannot be read or is not JSON
     * @throws IllegalArgumentException naming the message and field when the shape is wrong
     */
    public static List<ChatMessage> load(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode array = root != null && root.isObject() ? root.get("messages") : root;
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(file + " holds no message list; expected {\"messages\": [...]}");
        }
        List<ChatMessage> loaded = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            loaded.add(message(array.get(i), file, i));
        }
        return loaded;
    }

    private static ChatMessage message(JsonNode node, Path file, int index) {
        String where = file + ": message " + index;
        if (!node.isObject() || !node.path("role").isTextual() || !node.path("content").isTextual()) {
            throw new IllegalArgumentException(where + " needs a text \"role\" and a text \"content\"");
        }
        Role role = Role.fromWireName(node.get("role").asText());
        JsonNode reasoning = node.get("reasoning_content");
        String reasoningText = reasoning == null || reasoning.isNull() ? null : reasoning.asText();
        try {
            return new ChatMessage(role, node.get("content").asText(), reasoningText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
