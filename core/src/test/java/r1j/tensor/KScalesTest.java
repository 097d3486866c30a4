package r1j.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The register form of the Q4_K/Q5_K scale field (three words read once) against the byte-by-byte reader. */
class KScalesTest {

    @Test
    void wordReaders_equalByteReaders_forEverySubBlock() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            byte[] field = new byte[12];
            for (int i = 0; i < 12; i++) field[i] = (byte) rnd.nextInt(256);
            MemorySegment s = MemorySegment.ofArray(field);
            int a = LittleEndian.i32(s, 0), b = LittleEndian.i32(s, 4), c = LittleEndian.i32(s, 8);
            for (int j = 0; j < 8; j++) {
                assertThat(KScales.scale(a, c, j)).as("scale %d", j).isEqualTo(KScales.scale(s, 0, j));
                assertThat(KScales.min(b, c, j)).as("min %d", j).isEqualTo(KScales.min(s, 0, j));
            }
        }
    }
}
