package r1j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import r1j.chat.ChatMessage;
import r1j.engine.Prompt;

/**
 * One input row: {@code {"id", "prompt"}} (a user message) or {@code {"id", "messages": [{"role", "content"}]}}
 * (a whole conversation), with an optional {@code answer} to grade against. Columns are found by name, so others
 * (a level, a subject) may ride along.
 */
record PromptRow(String id, Prompt prompt, String gold) {

    /** @throws IllegalArgumentException naming the row when it has neither a prompt nor messages */
    static PromptRow of(Row row) {
        StructType schema = row.schema();
        String id = String.valueOf(row.get(schema.fieldIndex("id")));
        String gold = has(schema, "answer") && !row.isNullAt(schema.fieldIndex("answer"))
                ? String.valueOf(row.get(schema.fieldIndex("answer"))) : null;
        if (has(schema, "messages") && !row.isNullAt(schema.fieldIndex("messages"))) {
            List<ChatMessage> messages = new ArrayList<>();
            for (Row m : row.<Row>getList(schema.fieldIndex("messages"))) {
                String role = m.getAs("role"), content = m.getAs("content");
                if (role == null || content == null) {
                    throw new IllegalArgumentException("row '%s': every message needs a role and a content".formatted(id));
                }
                messages.add(new ChatMessage(ChatMessage.Role.fromWireName(role), content, null));
            }
            if (messages.isEmpty()) throw new IllegalArgumentException("row '%s': messages is empty".formatted(id));
            return new PromptRow(id, new Prompt.Chat(messages), gold);
        }
        if (has(schema, "prompt") && !row.isNullAt(schema.fieldIndex("prompt"))) {
            return new PromptRow(id, new Prompt.Chat(List.of(ChatMessage.user(row.getAs("prompt")))), gold);
        }
        throw new IllegalArgumentException("row '%s' has neither a \"prompt\" nor \"messages\"".formatted(id));
    }

    /** The single user message of a {@code prompt} row, or null for a conversation. */
    String userMessage() {
        return prompt instanceof Prompt.Chat(List<ChatMessage> m) && m.size() == 1 && m.getFirst().role() == ChatMessage.Role.USER
                ? m.getFirst().content() : null;
    }

    static boolean has(StructType schema, String field) {
        for (String f : schema.fieldNames()) if (f.equals(field)) return true;
        return false;
    }
}
