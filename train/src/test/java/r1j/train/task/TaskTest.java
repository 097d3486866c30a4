package r1j.train.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void additionTrace_writesColumnsWithCarriesAndChecksBySubtracting() {
        assertThat(new Arithmetic('+', 347, 589).trace())
                .isEqualTo("347+589:7+9=16,6\n34+58 c1:4+8+1=13,36\n3+5 c1:3+5+1=9,936\n936\ncheck: 936-589=347\n");
    }

    @Test
    void subtractionTrace_handlesNegativeResultsAndBorrows() {
        assertThat(new Arithmetic('-', 254, 789).trace()).isEqualTo("""
                254 vs 789:4<9 <
                25 vs 78:5<8 <
                2 vs 7:2<7 <
                254<789, so -(789-254)
                789-254 b0:9-0-4=5,5
                78-25 b0:8-0-5=3,35
                7-2 b0:7-0-2=5,535
                -535
                check: -535+789=254
                """);
        assertThat(new Arithmetic('-', 503, 27).trace()).isEqualTo("""
                503 vs 27:3<7 <
                50 vs 2:0<2 <
                5 vs 0:5>0 >
                503>27
                503-27 b0:3-0-7<0:13-0-7=6,6
                50-2 b1:0-1-2<0:10-1-2=7,76
                5-0 b1:5-1-0=4,476
                476
                check: 476+27=503
                """);
    }

    @Test
    void subtractionTrace_comparesFromTheRight_theLeftmostDifferenceDecides() {
        assertThat(new Arithmetic('-', 310, 341).trace())
                .startsWith("310 vs 341:0<1 <\n31 vs 34:1<4 <\n3 vs 3:3=3 <\n310<341, so -(341-310)\n");
        assertThat(new Arithmetic('-', 351, 341).trace()).startsWith("351 vs 341:1=1 =\n35 vs 34:5>4 >\n3 vs 3:3=3 >\n351>341\n");
        assertThat(new Arithmetic('-', 113, 113).trace()).startsWith("113 vs 113:3=3 =\n11 vs 11:1=1 =\n1 vs 1:1=1 =\n113=113\n113-113 b0:");
        assertThat(new Arithmetic('-', 1000, 7).trace())
                .startsWith("1000 vs 7:0<7 <\n100 vs 0:0=0 <\n10 vs 0:0=0 <\n1 vs 0:1>0 >\n1000>7\n1000-7 b0:");
    }

    @Test
    void multiplicationTrace_sumsPartialProducts() {
        String t = new Arithmetic('*', 347, 12).trace();
        assertThat(t).isEqualTo("""
                347*12=347*2+347*10
                347*2:7*2=14,4
                34*2 c1:4*2=8+1=9,94
                3*2:3*2=6,0694
                =00694
                347*1:7*1=7,7 +00694
                34*1:4*1=4,47 +00694
                3*1:3*1=3,0347 +00694
                =03470+00694
                03470+00694:0+4=4,4
                0347+0069:7+9=16,64
                034+006 c1:4+6+1=11,164
                03+00 c1:3+0+1=4,4164
                0+0:0+0=0,04164
                4164
                check: 4164/12=347
                """);
        assertThat(t).endsWith("4164\ncheck: 4164/12=347\n");
    }

    @Test
    void heldOutMultiplication_isThreeDigitsTimesTwoDigits() {
        for (var p : Tasks.testSet("mul", 3, 200, 1234)) {
            Arithmetic a = (Arithmetic) p;
            assertThat(a.a()).isBetween(100L, 999L);
            assertThat(a.b()).isBetween(10L, 99L);
        }
    }

    @Test
    void verifier_readsLastBoxedAfterThink() {
        Arithmetic p = new Arithmetic('+', 347, 589);
        assertThat(Verifier.correct(p, "7+9=16\n</think>\n\nThe answer is \\boxed{936}.")).isTrue();
        assertThat(Verifier.correct(p, "\\boxed{936}</think>\n\nThe answer is \\boxed{935}.")).isFalse();
        assertThat(Verifier.correct(p, "no close tag \\boxed{936}")).isFalse();
        assertThat(Verifier.wellFormed("x</think>\n\n\\boxed{1}")).isTrue();
        assertThat(Verifier.wellFormed("x</think>\n\nno box")).isFalse();
        assertThat(Verifier.reward(p, "x</think>\\boxed{936}")).isEqualTo(1.5);
    }

    @Test
    void countdown_acceptsAnyExpressionUsingEachNumberOnce() {
        Countdown c = new Countdown(java.util.List.of(3, 5, 7, 9), 24, java.util.List.of(), "");
        assertThat(c.accepts("9+7+5+3")).isTrue();
        assertThat(c.accepts("(9-5)*(7-3)")).as("uses 3 but leaves nothing out, reaches 16").isFalse();
        assertThat(c.accepts("(9-7)*(5+7)")).as("uses 7 twice and drops 3").isFalse();
        Countdown d = new Countdown(java.util.List.of(2, 3, 4), 10, java.util.List.of(), "");
        assertThat(d.accepts("2*3+4")).isTrue();
        assertThat(d.accepts("4 × 3 - 2")).isTrue();
        assertThat(d.accepts("(4/2)*3+4")).isFalse();
        assertThat(d.accepts("2*3+4/0")).isFalse();
    }

    @Test
    void generatedCountdown_isSolvedByItsOwnExpression() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            Countdown c = Countdown.generate(rnd, 4, 10);
            assertThat(c.accepts(c.answer())).as(c.trace()).isTrue();
        }
    }

    @Test
    void split_trainAndTestNeverShareAProblem() {
        var test = Tasks.testSet("add", 3, 200, 42);
        assertThat(test).allMatch(Split::heldOut);
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 2000; i++) {
            assertThat(Split.heldOut(Tasks.draw(rnd, "add", 3, Tasks.Side.TRAIN))).isFalse();
        }
        assertThat(Tasks.testSet("add", 3, 200, 42)).isEqualTo(test);
    }

    @Test
    void allArithmeticTraces_endWithTheTrueResult() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (String f : new String[] {"add", "sub", "mul"}) {
            for (int i = 0; i < 300; i++) {
                Arithmetic p = (Arithmetic) Tasks.draw(rnd, f, 1 + rnd.nextInt(4), Tasks.Side.TRAIN);
                assertThat(p.trace()).contains("\n" + p.result() + "\ncheck: ");
            }
        }
    }

    @Test
    void slipTrace_showsTheMistakeWithoutTeachingItAndRedoes() {
        Arithmetic p = new Arithmetic('+', 347, 589);
        var segments = p.traceWithSlip(new SplittableRandom(4));
        String text = segments.stream().map(Segment::text).reduce("", String::concat);
        assertThat(text).contains("; redo\n").endsWith("936\ncheck: 936-589=347\n");
        assertThat(segments.stream().filter(s -> !s.learn()).map(Segment::text).toList())
                .hasSize(2).first().asString().doesNotContain("936");
        var vocab = new r1j.train.data.TinyVocab();
        var e = r1j.train.data.R1Format.example(vocab, p.question(), segments, p.answer());
        var whole = r1j.train.data.R1Format.example(vocab, p.question(), text, p.answer());
        assertThat(e.ids()).containsExactly(whole.ids());
        long learned = java.util.Arrays.stream(e.targets()).filter(t -> t >= 0).count();
        long all = java.util.Arrays.stream(whole.targets()).filter(t -> t >= 0).count();
        assertThat(learned).isLessThan(all).isGreaterThan(all - 12);
    }

    @Test
    void mixedFamilies_drawEachOperandLengthOnItsOwn_andTheirTracesPadTheShorterOperand() {
        SplittableRandom rnd = new SplittableRandom(5);
        java.util.Set<String> shapes = new java.util.HashSet<>();
        for (int i = 0; i < 4000; i++) {
            Arithmetic p = (Arithmetic) Tasks.draw(rnd, "mixed", 4, Tasks.Side.TRAIN);
            int la = Long.toString(p.a()).length(), lb = Long.toString(p.b()).length();
            shapes.add(p.op() + "" + la + lb);
            if (p.op() == '*') {
                assertThat(la).isBetween(1, 3);
                assertThat(lb).isBetween(1, 2);
            }
            assertThat(p.trace()).contains("\n" + p.result() + "\ncheck: ");
        }
        assertThat(shapes).as("every length pair of + and - (1-4 digits), every 1-3 x 1-2 of *").hasSize(16 + 16 + 6);
        // operands as written, never zero-padded: each line drops a digit, an exhausted operand is 0
        assertThat(new Arithmetic('+', 5, 1234).trace()).startsWith("5+1234:5+4=9,9\n0+123:0+3=3,39\n0+12:0+2=2,239\n0+1:0+1=1,1239\n1239\n");
        assertThat(new Arithmetic('+', 12, 7).trace()).isEqualTo("12+7:2+7=9,9\n1+0:1+0=1,19\n19\ncheck: 19-7=12\n");
        assertThat(new Arithmetic('-', 100, 1).trace()).startsWith("100 vs 1:0<1 <\n10 vs 0:0=0 <\n1 vs 0:1>0 >\n100>1\n100-1 b0:");
    }

    @Test
    void questions_arePhrasedManyWays_sometimesWithATrailingNewline() {
        SplittableRandom rnd = new SplittableRandom(6);
        Arithmetic p = new Arithmetic('-', 905, 917);
        java.util.Set<String> asked = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) {
            String q = p.question(rnd);
            assertThat(q).as(q).containsAnyOf("905", "917");
            asked.add(q);
        }
        assertThat(asked).contains("Compute 905 minus 917.", "905 - 917\n", "what's 905-917", "905-917")
                .anyMatch(q -> q.endsWith("\n")).hasSizeGreaterThan(200);
    }

    @Test
    void offTopic_isAnsweredOnlyByThePlainReply_withoutABox() {
        OffTopic p = new OffTopic("What is the capital of Peru?");
        String good = OffTopic.THOUGHT + "</think>\n\n" + OffTopic.REPLY;
        assertThat(Verifier.correct(p, good)).isTrue();
        assertThat(Verifier.wellFormed(p, good)).isTrue();
        assertThat(Verifier.reward(p, good)).isEqualTo(1.5);
        String boxed = "x</think>\n\nThe answer is \\boxed{7}.";
        assertThat(Verifier.correct(p, boxed)).isFalse();
        assertThat(Verifier.wellFormed(p, boxed)).isFalse();
        assertThat(Verifier.correct(new Arithmetic('+', 3, 4), good)).as("a refusal does not answer 3+4").isFalse();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            String q = OffTopic.generate(rnd).text();
            assertThat(q).as(q).doesNotContainPattern("\\d\\s*([+*x×-]|plus|minus|times)\\s*\\d");
        }
    }
}
