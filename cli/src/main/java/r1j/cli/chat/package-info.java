/**
 * The interactive {@code r1j chat}: the conversation and its file format, the slash commands, and how a streamed
 * reply is drawn (reasoning dimmed or hidden, "thought for N s", tokens/s).
 *
 * <p>May depend on {@code r1j.chat} (messages, reasoning events), {@code r1j.engine} (usage, finish reasons), Jackson
 * and JLine. The terminal loop itself is {@code r1j.cli.ChatCommand}.
 */
package r1j.cli.chat;
