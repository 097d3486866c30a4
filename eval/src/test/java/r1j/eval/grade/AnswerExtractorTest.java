package r1j.eval.grade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerExtractorTest {

    @Test
    void extract_takesTheLastBox_withNestedBraces() {
        String text = "First \\boxed{1}. Then \\boxed{\\frac{\\sqrt{3}}{2}} is final.";
        assertThat(AnswerExtractor.extract(text, AnswerExtractor.Mode.MATH)).isEqualTo("\\frac{\\sqrt{3}}{2}");
    }

    @Test
    void extract_readsFbox_andTheBareBoxShorthand() {
        assertThat(AnswerExtractor.extract("so \\fbox{42}.", AnswerExtractor.Mode.MATH)).isEqualTo("42");
        assertThat(AnswerExtractor.extract("so $\\boxed 7$.", AnswerExtractor.Mode.MATH)).isEqualTo("7");
    }

    @Test
    void extract_joinsBoxesThatGiveOneAnswerTogether_butNotBoxesSeparatedByProse() {
        assertThat(AnswerExtractor.extract("\\[ \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}. \\]", AnswerExtractor.Mode.MATH))
                .isEqualTo("-2, 1");
        assertThat(AnswerExtractor.extract("We get \\boxed{3} apples. Then the second part is done and the answer is \\boxed{5}",
                AnswerExtractor.Mode.MATH)).isEqualTo("5");
    }

    @Test
    void extract_ignoresTheReasoningBeforeTheClosingThinkTag() {
        String completion = "<think>maybe \\boxed{9}</think>The answer is \\boxed{10}.";
        assertThat(AnswerExtractor.extract(completion, AnswerExtractor.Mode.MATH)).isEqualTo("10");
        assertThat(AnswerExtractor.extract("<think>\\boxed{9}</think>no box here", AnswerExtractor.Mode.MATH)).isNull();
    }

    @Test
    void extract_fallsBackToTheAnswerPhrase() {
        assertThat(AnswerExtractor.extract("Adding up, the answer is 12. Done.", AnswerExtractor.Mode.MATH)).isEqualTo("12");
        assertThat(AnswerExtractor.extract("Final Answer: The final answer is $(0, 1)$. I hope it is correct.",
                AnswerExtractor.Mode.MATH)).isEqualTo("(0, 1)");
    }

    @Test
    void extract_unclosedBoxIsNoAnswer() {
        assertThat(AnswerExtractor.extract("so \\boxed{12", AnswerExtractor.Mode.MATH)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "She makes 9 * 2 = $18 every day.|18",
            "Total: 1,250 dollars|1,250",
            "It drops by -3.5 degrees|-3.5",
    })
    void extract_numberMode_takesTheFinalNumber(String text, String expected) {
        assertThat(AnswerExtractor.extract(text, AnswerExtractor.Mode.NUMBER)).isEqualTo(expected);
        assertThat(AnswerExtractor.extract(text, AnswerExtractor.Mode.MATH)).isNull();
    }

    @Test
    void extract_lenient_takesABareAnswerWhole_andTheLastMathOfProse() {
        assertThat(AnswerExtractor.extract("\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{15+2\\sqrt{33}}", AnswerExtractor.Mode.LENIENT))
                .isEqualTo("\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{15+2\\sqrt{33}}");
        assertThat(AnswerExtractor.extract("We find that $x \\lt 3$.", AnswerExtractor.Mode.LENIENT)).isEqualTo("x \\lt 3");
        assertThat(AnswerExtractor.extract("计划的比例为13/28", AnswerExtractor.Mode.LENIENT)).isEqualTo("13/28");
    }
}
