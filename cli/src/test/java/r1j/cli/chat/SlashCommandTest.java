package r1j.cli.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlashCommandTest {

    @Test
    void parse_eachCommandAndItsArgument() {
        assertThat(SlashCommand.parse("/reset")).isEqualTo(new SlashCommand.Reset());
        assertThat(SlashCommand.parse("  /think off ")).isEqualTo(new SlashCommand.Think(false));
        assertThat(SlashCommand.parse("/think ON")).isEqualTo(new SlashCommand.Think(true));
        assertThat(SlashCommand.parse("/think hide")).isEqualTo(new SlashCommand.ShowThinking(false));
        assertThat(SlashCommand.parse("/budget 256")).isEqualTo(new SlashCommand.Budget(256));
        assertThat(SlashCommand.parse("/budget 0")).isEqualTo(new SlashCommand.Budget(0));
        assertThat(SlashCommand.parse("/budget off")).isEqualTo(new SlashCommand.Budget(-1));
        assertThat(SlashCommand.parse("/save chats/my chat.json")).isEqualTo(new SlashCommand.Save(Path.of("chats/my chat.json")));
        assertThat(SlashCommand.parse("/load a.json")).isEqualTo(new SlashCommand.Load(Path.of("a.json")));
        assertThat(SlashCommand.parse("/bye")).isEqualTo(new SlashCommand.Exit());
        assertThat(SlashCommand.parse("/?")).isEqualTo(new SlashCommand.Help());
        assertThat(SlashCommand.parse("/set temperature 0.2")).isEqualTo(new SlashCommand.Set("temperature", "0.2"));
        assertThat(SlashCommand.parse("/set system Be brief.")).isEqualTo(new SlashCommand.SystemPrompt("Be brief."));
        assertThat(SlashCommand.parse("/system You add numbers.")).isEqualTo(new SlashCommand.SystemPrompt("You add numbers."));
        assertThat(SlashCommand.parse("/system")).isEqualTo(new SlashCommand.SystemPrompt(null));
        assertThat(SlashCommand.parse("/show")).isEqualTo(new SlashCommand.Show());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/budget -5", "/budget many", "/think maybe", "/save", "/frobnicate", "/set", "/set temperature"})
    void parse_rejectsWithAHint(String line) {
        assertThatThrownBy(() -> SlashCommand.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .message().containsAnyOf("use /", "/help lists");
    }

    @Test
    void isCommand_onlyForLinesStartingWithSlash() {
        assertThat(SlashCommand.isCommand(" /reset")).isTrue();
        assertThat(SlashCommand.isCommand("what is 1/2?")).isFalse();
    }
}
